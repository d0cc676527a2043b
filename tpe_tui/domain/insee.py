"""The INSEE code of a commune (« code officiel géographique »), offline. Pure.

The code's check and cleaning sit with the other fields' in `records`. A business holds the
INSEE code of its commune when someone typed it, or when the
directory knows it: places imported from the national open-data file carry their
`code_insee` beside their commune and postal code. Nothing is guessed: a commune name or a
postal code that leads to two codes gives none.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from tpe_tui.domain.records import INSEE_CODE
from tpe_tui.domain.text import fold


def departement_of_postal_code(postal_code: str) -> str:
    """The département a postal code points to (« 20 » in Corsica, « 974 » overseas)."""
    code = (postal_code or "").strip()
    if not re.fullmatch(r"\d{5}", code):
        return ""
    return code[:3] if code.startswith("97") else code[:2]


def departement_of_insee_code(insee_code: str) -> str:
    code = (insee_code or "").strip().upper()
    if not INSEE_CODE.fullmatch(code):
        return ""
    if code.startswith("2A") or code.startswith("2B"):
        return "20"  # Corsica's postal codes start with 20
    return code[:3] if code.startswith("97") else code[:2]


@dataclass
class CommuneCodes:
    """Commune and postal code -> INSEE code, from records that hold all three."""

    by_commune_and_postal: dict[tuple[str, str], set[str]] = field(default_factory=dict)
    by_commune: dict[str, set[str]] = field(default_factory=dict)
    by_postal: dict[str, set[str]] = field(default_factory=dict)

    @classmethod
    def of(cls, places: Iterable[Mapping[str, Any]]) -> CommuneCodes:
        """From places (directory entries, or any record with `commune`, `postal_code`
        and `insee_code`); deleted ones and malformed codes left out."""
        codes = cls()
        for place in places:
            if place.get("deleted"):
                continue
            code = str(place.get("insee_code") or "").strip().upper()
            if not INSEE_CODE.fullmatch(code):
                continue
            commune = fold(str(place.get("commune") or "").strip())
            postal = str(place.get("postal_code") or "").strip()
            if commune:
                codes.by_commune.setdefault(commune, set()).add(code)
            if postal:
                codes.by_postal.setdefault(postal, set()).add(code)
            if commune and postal:
                codes.by_commune_and_postal.setdefault((commune, postal), set()).add(code)
        return codes

    def code_of(self, commune: str, postal_code: str = "") -> str:
        """The INSEE code of a commune, or "" when the records do not tell it for sure.

        Commune and postal code together first; then the commune's name alone when only
        one code is known for it and the postal code (if any) is of the same département;
        then the postal code alone when no commune is given and it leads to one code."""
        name = fold((commune or "").strip())
        postal = (postal_code or "").strip()
        if name and postal:
            found = self.by_commune_and_postal.get((name, postal))
            if found:
                return _only(found)
        if name:
            found = self.by_commune.get(name, set())
            code = _only(found)
            postal_dept = departement_of_postal_code(postal)
            if code and (not postal_dept or departement_of_insee_code(code) == postal_dept):
                return code
            return ""
        if postal:
            return _only(self.by_postal.get(postal, set()))
        return ""


def _only(codes: set[str]) -> str:
    return next(iter(codes)) if len(codes) == 1 else ""


def with_insee_code(
    client: dict[str, Any],
    previous: Mapping[str, Any] | None,
    code_of: Callable[[str, str], str],
) -> dict[str, Any]:
    """The business with its commune's INSEE code filled in when it can be known
    (`code_of(commune, postal code)`, e.g. `CommuneCodes.code_of`; called only when needed).

    A code typed in the same edit stays. When the commune or the postal code changed,
    the code follows them (emptied when the new commune is not known); otherwise an
    empty code is filled and a present one kept."""
    before = previous or {}
    moved = any(
        str(client.get(k) or "") != str(before.get(k) or "") for k in ("commune", "postal_code")
    )
    code = str(client.get("insee_code") or "")
    typed = code != str(before.get("insee_code") or "")
    if typed or (code and not moved) or not (code or moved or client.get("commune")):
        return client
    found = code_of(str(client.get("commune") or ""), str(client.get("postal_code") or ""))
    if found == code or (not found and not moved):
        return client
    return {**client, "insee_code": found}
