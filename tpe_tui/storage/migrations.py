"""Schema migrations of the data file, from version 1 on. Pure functions over the data.

`MIGRATIONS[n]` turns data at schema n into data at schema n + 1. The store backs the file
up before it runs any of them, and refuses a file whose schema is newer than it knows.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tpe_tui.domain.records import SCHEMA_VERSION

Data = dict[str, dict[str, Any]]

MIGRATIONS: dict[int, Callable[[Data], Data]] = {}


def schema_of(data: Data) -> int:
    """The schema version a file declares; a file without one is a new, empty file (1)."""
    for doc in data.get("meta", {}).values():
        if isinstance(doc, dict) and "schema_version" in doc:
            value = doc["schema_version"]
            if isinstance(value, int) and not isinstance(value, bool) and value >= 1:
                return value
            raise ValueError("version de schéma illisible")
    return 1


def set_schema(data: Data, version: int) -> None:
    meta = data.setdefault("meta", {})
    for doc in meta.values():
        if isinstance(doc, dict) and "schema_version" in doc:
            doc["schema_version"] = version
            return
    next_id = str(max((int(k) for k in meta if k.isdigit()), default=0) + 1)
    meta[next_id] = {"schema_version": version}


def migrate(data: Data, target: int = SCHEMA_VERSION) -> tuple[Data, list[int]]:
    """Bring `data` up to `target`; returns it and the versions it went through."""
    version = schema_of(data)
    steps: list[int] = []
    while version < target:
        step = MIGRATIONS.get(version)
        if step is None:
            raise ValueError(f"aucune migration connue depuis la version {version}")
        data = step(data)
        version += 1
        set_schema(data, version)
        steps.append(version)
    return data, steps


# ---------------------------------------------------------------------------- 1 -> 2
def _to_field_level(data: Data) -> Data:
    """Record-level versions become field-level ones (see sync/registers.py): every path
    gets the dot of the head version; each old conflict sibling gives, for each path where
    its value differs, a surviving value with the sibling's own dot."""
    from tpe_tui.domain.records import SHARED_TABLES
    from tpe_tui.sync.registers import migrate_record

    for table in SHARED_TABLES:
        docs = data.get(table)
        if isinstance(docs, dict):
            for key, record in docs.items():
                if isinstance(record, dict):
                    docs[key] = migrate_record(table, record)
    return data


MIGRATIONS[1] = _to_field_level


# ---------------------------------------------------------------------------- 2 -> 3
def _to_compact_file(data: Data) -> Data:
    """Schema 3 changes the file, not the records: from now on they are written compact
    (storage/compact.py), which an app knowing schema 2 would misread — so it refuses the
    file as newer, as it should."""
    return data


MIGRATIONS[2] = _to_compact_file
