"""Files carried between laptops: another laptop's file read for a merge, and exports."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tpe_tui.domain import records as model
from tpe_tui.domain.errors import DataFileError, ImportFileError
from tpe_tui.domain.validation import MAX_FILE_BYTES, data_problems, schema1_problems
from tpe_tui.storage import migrations
from tpe_tui.storage.atomic import atomic_write
from tpe_tui.storage.file_format import dump, load_snapshot, parse_data
from tpe_tui.storage.guard import output_path, real_path
from tpe_tui.storage.journal import apply_journal, journal_path, parse_journal
from tpe_tui.storage.safe_read import read_regular


@dataclass
class Foreign:
    """Another laptop's tables as read for a merge, and what its journal brought."""

    tables: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    journal_saves: int = 0  # saves read from the journal beside the file
    journal_damaged: int = 0  # torn lines of that journal, skipped


def read_foreign(path: Path, our_device: str, our_path: Path) -> Foreign:
    """Read another laptop's file for a merge, checking all of it before anything changes.

    Its journal beside it is applied, as the app does when it opens a file: while the other
    app is open (or after it was killed) its latest saves live there, and a copy of its
    data folder would otherwise merge an older state, silently. Read only: the other
    laptop's files are never written."""
    try:
        if path.resolve() == our_path.resolve() or (
            our_path.exists() and path.exists() and path.samefile(our_path)
        ):
            raise ImportFileError(
                "Ce fichier est votre propre fichier de données : rien à fusionner."
            )
    except OSError as exc:
        raise ImportFileError(f"Impossible de lire {path} ({exc.strerror}).") from None
    raw = read_regular(path, MAX_FILE_BYTES)
    if not raw.strip():
        raise ImportFileError(f"{path} est vide.")
    try:
        data = parse_data(raw, str(path))
    except DataFileError as exc:
        raise ImportFileError(str(exc)) from None
    if not any(table in data for table in model.SHARED_TABLES):
        raise ImportFileError(f"{path} n’est pas un fichier de données tpe-tui.")
    saves, damaged = _apply_journal_beside(path, data)
    written_by = next(
        (d.get("written_by") for d in data.get("meta", {}).values() if "schema_version" in d),
        None,
    )
    if written_by == our_device:
        raise ImportFileError(
            f"{path} a été écrit par cet ordinateur : c’est déjà votre fichier (ou une copie)."
        )
    found = schema1_problems(data) if migrations.schema_of(data) < 2 else []
    if not found:
        data, _ = migrations.migrate(data, model.SCHEMA_VERSION)
        found = data_problems(data, limit=1)
    if found:
        table, key, problem = found[0]
        record = data.get(table, {}).get(key) if table in data else None
        ident = record.get("id", key) if isinstance(record, dict) else key
        raise ImportFileError(
            f"{path} contient un enregistrement invalide dans « {table} » "
            f"({ident or '?'} : {problem}) : rien n’a été fusionné."
        )
    tables = {table: list(data.get(table, {}).values()) for table in model.SHARED_TABLES}
    return Foreign(tables, saves, damaged)


def _apply_journal_beside(path: Path, data: dict[str, Any]) -> tuple[int, int]:
    """Apply the journal beside `path` (of the file a link points to) to its `data`; how
    many saves it held and how many damaged lines were skipped."""
    journal = journal_path(path.resolve())
    if not os.path.lexists(journal):
        return 0, 0
    entries, damaged = parse_journal(read_regular(journal, MAX_FILE_BYTES))
    apply_journal(data, entries)
    return len(entries), damaged


def export_file(db: Path, target: Path, device: str) -> Path:
    """Write a complete copy of the data file (journal included) atomically; returns where.

    The target is checked once a folder is expanded: never the data file or one of its own
    files, never a device or a pipe."""
    db = real_path(db)
    target = output_path(target, [db], default_name=db.name)
    data = load_snapshot(db)
    if not any("schema_version" in doc for doc in data.get("meta", {}).values()):
        migrations.set_schema(data, migrations.schema_of(data))
    for doc in data["meta"].values():
        if "schema_version" in doc:
            doc["written_by"] = device  # so this laptop recognises its own file on import
    atomic_write(target, dump(data))
    return target
