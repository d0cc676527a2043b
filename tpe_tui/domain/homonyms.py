"""Telling homonyms apart: three « Boulangerie Girard · Soissons » shown side by side each
get the details that differ among them (SIRET, address, contact, phone…), so the person
picks the right one. Pure."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from tpe_tui.domain.labels import field_label
from tpe_tui.domain.text import compact

# What tells two businesses of one name apart, most telling first.
DETAILS = ("commune", "siret", "address", "contact", "phone", "email")


def detail(client: Mapping[str, Any], key: str) -> str:
    """One detail of a business as shown: a contact is the names of its people."""
    if key == "contact":
        return ", ".join(
            str(c.get("name")).strip()
            for c in client.get("contacts") or []
            if isinstance(c, Mapping) and str(c.get("name") or "").strip()
        )
    return str(client.get(key) or "").strip()


def _label(key: str) -> str:
    return "Interlocuteur" if key == "contact" else field_label(key)


def _shown(key: str, value: str) -> str:
    if not value:
        label = _label(key)
        return f"sans {label if label.isupper() else label.lower()}"
    return f"SIRET {value}" if key == "siret" else value


def differing(
    group: Sequence[Mapping[str, Any]], keys: Iterable[str] = DETAILS, most: int = 3
) -> list[str]:
    """The keys (at most `most`) whose values are not the same throughout the group."""
    out = []
    for key in keys:
        if len({compact(detail(c, key)) for c in group}) > 1:
            out.append(key)
        if len(out) == most:
            break
    return out


def telling(
    group: Sequence[Mapping[str, Any]], keys: Iterable[str] = DETAILS, most: int = 3
) -> dict[str, str]:
    """For each record of the group (by id), the details that differ among the group,
    joined by « · » (empty when they all look the same or the group is one record)."""
    chosen = differing(group, keys, most) if len(group) > 1 else []
    return {
        str(c.get("id")): " · ".join(_shown(key, detail(c, key)) for key in chosen) for c in group
    }


def telling_by_name(
    clients: Sequence[Mapping[str, Any]], keys: Iterable[str] = DETAILS, most: int = 3
) -> dict[str, str]:
    """`telling` within each group of the same name (accents, case and punctuation aside);
    a name met once gets nothing."""
    groups: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    for client in clients:
        groups[compact(str(client.get("name") or ""))].append(client)
    keys = tuple(keys)
    out: dict[str, str] = {}
    for group in groups.values():
        out.update(telling(group, keys, most))
    return out
