"""The statistics' filters (territory, commune, place, mediator) compared one way, and a
filter value that matches nothing known refused in French, with the closest known values.

A value is compared by `filter_key`: the folded letters and digits only (`text.compact`, the
key duplicates use), so case, accents, dashes (« - » typed for the « – » of a place's name)
and spaces never make a filter miss. « Known » = met in the files read, or in the catalogue
(territories and the communes they take in): a typo (« Soisson ») then says so instead of
giving a report of zeros, while a real value with no activity in the period still gives
its honest zeros. Pure, no I/O.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from typing import Any

from tpe_tui.domain.catalog import catalog
from tpe_tui.domain.text import compact, fold

# (the start of « Aucun … ne s’appelle », the plural of « … connus »), by filter.
_WORDS = {
    "territory": ("Aucun territoire", "territoires connus"),
    "commune": ("Aucune commune", "communes connues"),
    "place": ("Aucun lieu", "lieux connus"),
    "mediator": ("Aucun médiateur", "médiateurs connus"),
}
FILTER_NAMES = tuple(_WORDS)
_SUGGESTED = 3  # closest values named
_LISTED = 6  # known values listed when none is close
_DEPARTEMENT = re.compile(r"\s*\(\d[\dAB]\d?\)\s*$")  # the catalogue's « Acy (02) »

Record = Mapping[str, Any]


def filter_key(value: Any) -> str:
    """The form a filter and a value are compared in: « Tiers-lieu La Fabrique – Calais »,
    « tiers lieu la fabrique - calais » and « TIERS-LIEU LA FABRIQUE — CALAIS » are one key.
    A value of punctuation only keeps its folded self (never the empty « no filter »)."""
    text = str(value or "")
    return compact(text) or " ".join(fold(text).split())


class KnownValues:
    """The values each filter could match, gathered file by file (key -> first spelling)."""

    def __init__(self) -> None:
        self.values: dict[str, dict[str, str]] = {name: {} for name in FILTER_NAMES}
        # The catalogue's: known, but listed only when the files give none (its 88
        # communes would hide the few of the files).
        self.shipped: dict[str, dict[str, str]] = {name: {} for name in FILTER_NAMES}

    def add(self, name: str, values: Iterable[Any], into: str = "values") -> None:
        known = getattr(self, into)[name]
        for value in values:
            if isinstance(value, str) and value.strip():
                known.setdefault(filter_key(value), " ".join(value.split()))

    def add_catalogue(self) -> None:
        from tpe_tui.domain.stats import kind_places  # stats compares by `filter_key`

        cat = catalog()
        self.add("territory", cat.territories, "shipped")
        self.add("place", kind_places().values(), "shipped")
        for areas in cat.territory_areas().values():
            communes = (_DEPARTEMENT.sub("", a) for a in areas if not a.isdigit())
            self.add("commune", communes, "shipped")

    def add_records(self, data: Mapping[str, Mapping[str, Record]]) -> None:
        """What one data file's records hold (`{table: {doc_id: record}}`)."""
        sessions = data.get("sessions", {}).values()
        clients = data.get("clients", {}).values()
        workshops = data.get("workshops", {}).values()
        self.add("territory", (s.get("territory") for s in sessions))
        self.add("territory", (c.get("territory") for c in clients))
        self.add("territory", (w.get("territory") for w in workshops))
        self.add("commune", (c.get("commune") for c in clients))
        self.add("place", (s.get("place_label") for s in sessions))
        self.add("place", (w.get("place_label") for w in workshops))
        self.add("mediator", (s.get("mediator") for s in sessions))
        self.add("mediator", (m for w in workshops for m in w.get("mediators") or ()))
        self.add("place", (s.get("name") for s in data.get("structures", {}).values()))

    def add_distinct(
        self,
        sessions: Mapping[str, list[Any]],
        clients: Mapping[str, list[Any]],
        whole: Mapping[str, Mapping[str, Record]],
    ) -> None:
        """What a file read by columns holds: the distinct values of the sessions' and the
        businesses' fields (`Columns.values`), and the tables read whole."""
        self.add("territory", sessions.get("territory", ()))
        self.add("territory", clients.get("territory", ()))
        self.add("commune", clients.get("commune", ()))
        self.add("place", sessions.get("place_label", ()))
        self.add("mediator", sessions.get("mediator", ()))
        self.add_records({name: whole.get(name, {}) for name in ("workshops", "structures")})

    def refusals(self, wanted: Mapping[str, str]) -> list[str]:
        """A French sentence for each filter value (`wanted`: filter name -> value as typed)
        that matches no known value; [] when every one does."""
        out = []
        for name in FILTER_NAMES:
            typed = " ".join(str(wanted.get(name) or "").split())
            key = filter_key(typed)
            if typed and key not in self.values[name] and key not in self.shipped[name]:
                out.append(self._refusal(name, typed))
        return out

    def _refusal(self, name: str, typed: str) -> str:
        nobody, known_plural = _WORDS[name]
        met, shipped = self.values[name], self.shipped[name]
        said = f"{nobody} ne s’appelle « {typed} »"
        close = closest(typed, {**shipped, **met})
        if close:
            return f"{said} ; vouliez-vous dire {_either(close)} ?"
        listed = sorted((met or shipped).values(), key=fold)
        if not listed:
            return f"{said} (les fichiers lus n’en donnent pas)."
        shown = ", ".join(f"« {v} »" for v in listed[:_LISTED])
        more = f" et {len(listed) - _LISTED} autre(s)" if len(listed) > _LISTED else ""
        return f"{said} ; {known_plural} : {shown}{more}."


def closest(typed: str, known: Mapping[str, str]) -> list[str]:
    """The known values (key -> spelling) nearest to `typed`: those holding it or held by
    it (« La Fabrique », « Hugo »), then the nearest spellings (difflib), at most three."""
    key = filter_key(typed)
    holding = sorted((k for k in known if key in k or k in key), key=lambda k: (len(k), k))
    near = difflib.get_close_matches(key, list(known), n=_SUGGESTED, cutoff=0.75)
    keys = list(dict.fromkeys([*holding, *near]))[:_SUGGESTED]
    return [known[k] for k in keys]


def _either(values: list[str]) -> str:
    quoted = [f"« {v} »" for v in values]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " ou " + quoted[-1]
