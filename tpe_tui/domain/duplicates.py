"""Probable duplicate businesses (the same one entered on two laptops) and their merge.

Same SIRET, or at least two of name, phone, e-mail and commune equal once lower-cased with
accents, spaces and punctuation removed — but two different SIRETs are two businesses, never
a duplicate (three « Boulangerie Girard · Soissons » can be three shops). Pure: the workspace
saves what `merge` returns.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from tpe_tui.domain.labels import field_label
from tpe_tui.domain.records import FIELDS, Record
from tpe_tui.domain.text import compact

COMPARED = ("name", "phone", "email", "commune")


def _key(client: Mapping[str, Any], name: str) -> str:
    value = str(client.get(name) or "")
    if name == "phone":
        digits = "".join(ch for ch in value if ch.isdigit())
        return "0" + digits[2:] if digits.startswith("33") and len(digits) == 11 else digits
    return compact(value)


def shared_keys(a: Mapping[str, Any], b: Mapping[str, Any]) -> list[str]:
    """The compared fields equal (and not blank) in both."""
    return [n for n in COMPARED if _key(a, n) and _key(a, n) == _key(b, n)]


def probable_duplicates(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    if a.get("id") == b.get("id"):
        return False
    siret_a, siret_b = _key(a, "siret"), _key(b, "siret")
    if siret_a and siret_b:
        return siret_a == siret_b  # a SIRET names one business: it decides alone
    return len(shared_keys(a, b)) >= 2


def _lower(label: str) -> str:
    return label if label.isupper() else label[:1].lower() + label[1:]


def reason(a: Mapping[str, Any], b: Mapping[str, Any]) -> str:
    """Why two businesses look like one, in French: « même SIRET » or « mêmes nom et
    commune »."""
    siret = _key(a, "siret")
    if siret and siret == _key(b, "siret"):
        return "même SIRET"
    labels = [_lower(field_label(n)) for n in shared_keys(a, b)]
    if not labels:
        return ""
    if len(labels) == 1:
        return f"même {labels[0]}"
    return f"mêmes {', '.join(labels[:-1])} et {labels[-1]}"


def _live(clients: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    return [
        c
        for c in clients
        if not c.get("deleted") and not c.get("merged_into") and not c.get("anonymised")
    ]


def duplicates_of(client: Mapping[str, Any], clients: Iterable[Mapping[str, Any]]) -> list[Record]:
    return [dict(c) for c in _live(clients) if probable_duplicates(client, c)]


class DuplicateIndex:
    """The live businesses by each compared key and SIRET, kept in step with the file
    (`services/live.py`): a business's duplicates are then found among the few sharing a
    key with it, rather than by comparing it with every business (0.3 s at 100k)."""

    KEYS = ("siret", *COMPARED)

    def __init__(self) -> None:
        self._keys: dict[str, list[tuple[str, str]]] = {}  # client id -> (field, key)
        self._with: dict[tuple[str, str], set[str]] = {}  # (field, key) -> client ids
        self._clients: dict[str, Mapping[str, Any]] = {}
        self._place: dict[str, int] = {}  # client id -> when first seen: the file's order

    def load(self, clients: Iterable[Mapping[str, Any]]) -> None:
        for client in clients:
            self.put(client["id"], client)

    def put(self, client_id: str, client: Mapping[str, Any] | None) -> None:
        self._place.setdefault(client_id, len(self._place))
        for key in self._keys.pop(client_id, ()):
            ids = self._with[key]
            ids.discard(client_id)
            if not ids:
                del self._with[key]
        self._clients.pop(client_id, None)
        if client is None or not _live([client]):
            return
        self._clients[client_id] = client
        keys = [(name, _key(client, name)) for name in self.KEYS]
        self._keys[client_id] = [key for key in keys if key[1]]
        for key in self._keys[client_id]:
            self._with.setdefault(key, set()).add(client_id)

    def duplicates_of(self, client: Mapping[str, Any]) -> list[Record]:
        """`duplicates_of(client, every business)`, in the file's order."""
        siret = _key(client, "siret")
        found = set(self._with.get(("siret", siret), ())) if siret else set()
        shared: Counter[str] = Counter()
        for name in COMPARED:
            key = _key(client, name)
            if key:
                shared.update(self._with.get((name, key), ()))
        found |= {cid for cid, count in shared.items() if count >= 2}
        return [
            dict(self._clients[cid])
            for cid in sorted(found, key=self._place.__getitem__)
            if probable_duplicates(client, self._clients[cid])
        ]


def _blank(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def merge(kept: Mapping[str, Any], other: Mapping[str, Any]) -> tuple[Record, Record]:
    """The kept record with its blanks filled from the other, and the other as a tombstone
    pointing to it. Contacts are united; differing notes are both kept."""
    out = dict(kept)
    for field in FIELDS["clients"]:
        name = field.name
        if name in ("contacts", "notes", "merged_into", "anonymised"):
            continue
        if _blank(out.get(name)) and not _blank(other.get(name)):
            out[name] = other[name]
    contacts = list(out.get("contacts") or [])
    known = {
        (compact(str(c.get("name") or "")), _key(c, "phone"))
        for c in contacts
        if isinstance(c, dict)
    }
    for contact in other.get("contacts") or []:
        key = (compact(str(contact.get("name") or "")), _key(contact, "phone"))
        if key not in known and any(key):
            contacts.append(contact)
            known.add(key)
    out["contacts"] = contacts
    notes = [
        str(n).strip() for n in (kept.get("notes"), other.get("notes")) if str(n or "").strip()
    ]
    out["notes"] = "\n".join(dict.fromkeys(notes))
    tombstone = {**dict(other), "deleted": True, "merged_into": kept["id"]}
    return out, tombstone
