"""Records held with concurrent versions after a sync, and how those versions differ.

Pure: the screen lists what this module finds; keeping a version is `Store.resolve`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from tpe_tui.domain.labels import HIDDEN, field_label, show_value
from tpe_tui.sync.merge import versions_of

Record = dict[str, Any]

TABLE_NAMES = {
    "clients": "Entreprise",
    "sessions": "Accompagnement",
    "followups": "Suivi",
    "structures": "Structure",
    "workshops": "Atelier",
    "aids": "Aide",
    "actions": "Action",
}


@dataclass(frozen=True)
class Conflict:
    table: str
    record_id: str
    title: str
    versions: int


def title_of(table: str, record: Mapping[str, Any]) -> str:
    if table in ("workshops", "actions"):
        return str(record.get("title") or "(sans titre)")
    if table in ("clients", "structures", "aids"):
        return str(record.get("name") or "(sans nom)")
    if table == "sessions":
        return f"du {record.get('date') or '?'}"
    return str(record.get("reason") or record.get("due_date") or "?")


def in_conflict(tables: Mapping[str, Iterable[Mapping[str, Any]]]) -> list[Conflict]:
    """Every record that holds more than one version, by table then title."""
    found = [
        Conflict(table, record["id"], title_of(table, record), 1 + len(record["conflicts"]))
        for table, records in tables.items()
        for record in records
        if record.get("conflicts")
    ]
    found.sort(key=lambda c: (list(TABLE_NAMES).index(c.table), c.title.casefold()))
    return found


def differences(table: str, record: Mapping[str, Any]) -> list[tuple[str, list[str]]]:
    """(field label, value in each version) for the fields where the versions differ."""
    versions = versions_of(record)
    names: list[str] = []
    for version in versions:
        names.extend(n for n in version if n not in HIDDEN and n not in names)
    rows = []
    for name in names:
        values = [version.get(name) for version in versions]
        if any(v != values[0] for v in values[1:]):
            rows.append((field_label(name), [show_value(table, name, v) for v in values]))
    return rows


def version_heading(version: Mapping[str, Any]) -> str:
    """Who wrote a version and when (their clock may be wrong: it is only a hint)."""
    when = str(version.get("updated_at") or "")[:16].replace("T", " ")
    deleted = " (suppression)" if version.get("deleted") else ""
    return f"{version.get('device') or '?'} · {when}{deleted}"
