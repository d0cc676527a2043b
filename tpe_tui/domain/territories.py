"""Which of the mediator's territories a place belongs to, from its commune, postal code or
département. Pure.

A territory lists what it takes in: commune names, postal codes (5 digits) and départements
(« 02 », « 2A », « 971 »). A commune may carry its département, « Pommiers (02) »: many
communes share a name (there are six Pommiers), and the place's département, when its codes
give one, must then agree. The most precise evidence wins: the commune, then the postal
code, then the département (from the INSEE code when there is one, else the postal code).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from tpe_tui.domain.text import compact

_POSTAL = re.compile(r"\d{5}")
_DEPARTEMENT = re.compile(r"\d{2}|2[AB]|97\d", re.IGNORECASE)
_COMMUNE_IN = re.compile(r"(.+?)\s*\((\d{2}|2[AB]|97\d)\)", re.IGNORECASE)


def departement(postal_code: str, insee_code: str = "") -> str:
    """The département of a place: « 2A », « 62 », « 971 »; "" when neither code says."""
    for code in (insee_code.strip().upper(), postal_code.strip()):
        if len(code) == 5:
            return code[:3] if code.startswith("97") else code[:2]
    return ""


def territory_of(place: Mapping[str, Any], areas: Mapping[str, Sequence[str]]) -> str:
    """The territory whose list holds the place's commune, else its postal code, else its
    département; "" when none does (or two do at the same precision: no guessing)."""
    commune = compact(str(place.get("commune") or ""))
    postal = str(place.get("postal_code") or "").strip()
    dept = departement(postal, str(place.get("insee_code") or ""))
    by_commune: set[str] = set()
    by_postal: set[str] = set()
    by_dept: set[str] = set()
    for name, entries in areas.items():
        for entry in entries:
            entry = str(entry).strip()
            if _POSTAL.fullmatch(entry):
                if entry == postal:
                    by_postal.add(name)
            elif _DEPARTEMENT.fullmatch(entry):
                if dept and entry.upper() == dept:
                    by_dept.add(name)
            elif commune:
                named = _COMMUNE_IN.fullmatch(entry)
                entry_dept = named.group(2).upper() if named else ""
                if compact(named.group(1) if named else entry) == commune and (
                    not entry_dept or not dept or entry_dept == dept
                ):
                    by_commune.add(name)
    for found in (by_commune, by_postal, by_dept):
        if len(found) == 1:
            return next(iter(found))
        if found:
            return ""
    return ""


# The default territories until 83c697e: the whole département 02 was « Soissons » (Laon,
# Hirson, Château-Thierry with it). Places imported then keep what it gave them; a
# re-import corrects what it alone would have given (`given_by_retired_default`).
RETIRED_DEFAULT_AREAS: dict[str, list[str]] = {
    "Soissons": [
        *("Soissons", "Belleu", "Villeneuve-Saint-Germain", "Cuffies", "Crouy"),
        *("Mercin-et-Vaux", "Pommiers", "02200", "02"),
    ],
    "Arras": [
        *("Arras", "Saint-Nicolas", "Achicourt", "Saint-Laurent-Blangy", "Dainville"),
        *("Beaurains", "62000", "62217", "62223"),
    ],
    "Calais": [
        *("Calais", "Coquelles", "Marck", "Sangatte", "Coulogne", "62100", "62231", "62730"),
    ],
}


def given_by_retired_default(place: Mapping[str, Any], territory: str) -> bool:
    """Whether `territory` is what the default of before 83c697e gave this place. Whether
    a person typed it is not recorded: the same value chosen by hand looks the same, so
    the caller says what it corrects."""
    return bool(territory) and territory_of(place, RETIRED_DEFAULT_AREAS) == territory


_WHERE = ("commune", "postal_code", "insee_code")


def with_territory(
    place: dict[str, Any],
    previous: Mapping[str, Any] | None,
    areas: Mapping[str, Sequence[str]],
) -> dict[str, Any]:
    """A business (or any record placed by its commune) with the territory its commune,
    postal code or département belongs to (`territory_of`, as the directory import gives
    a place its own), so that a business typed with « Soissons » counts for Soissons
    (acceptance finding NEW4-25). `previous`: the record as stored, None when new.

    A territory the person typed is never replaced: one changed in this edit (emptied
    included) stays; one already there stays unless it is the one the previous commune
    gave and the commune changed, when it follows the new commune (kept when the new
    commune is in no territory: no guessing). An empty territory is filled for a new
    record or when the commune changed, not at every save, so one emptied on purpose
    stays empty."""
    before = previous or {}
    territory = str(place.get("territory") or "")
    if previous is not None and territory != str(before.get("territory") or ""):
        return place
    moved = previous is None or any(
        str(place.get(k) or "") != str(before.get(k) or "") for k in _WHERE
    )
    if not moved or (territory and territory != territory_of(before, areas)):
        return place
    found = territory_of(place, areas)
    if not found or found == territory:
        return place
    return {**place, "territory": found}
