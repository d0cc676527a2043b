"""Files carried between laptops: another laptop's file read for a merge, and exports."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from tpe_tui.domain import records as model
from tpe_tui.domain.errors import DataFileError, ImportFileError, os_reason
from tpe_tui.domain.plain_text import plain_data
from tpe_tui.domain.validation import MAX_FILE_BYTES, data_problems, schema1_problems
from tpe_tui.storage import migrations
from tpe_tui.storage.atomic import atomic_write
from tpe_tui.storage.collection import collection_paused
from tpe_tui.storage.file_format import dump, load_snapshot, parse_data
from tpe_tui.storage.guard import OutputPathError, output_path, real_path
from tpe_tui.storage.journal import apply_journal, journal_path, parse_journal
from tpe_tui.storage.safe_read import read_regular

# What a control character that `plain_text.printable` removes looks like in JSON text:
# escaped below U+0020 (`\u001b`, `\b`, `\f`, `\r`), raw or escaped for DEL, the C1
# controls and the bidirectional controls (U+202A–202E, U+2066–2069: raw, they are the
# UTF-8 bytes E2 80 AA–AE and E2 81 A6–A9). A match may be a false alarm (an escaped
# backslash before « r »): then the data is only cleaned for nothing; no control character
# can hide from it.
_CONTROL_IN_JSON = re.compile(
    rb"\\u00[01][0-9a-fA-F]|\\u007[fF]|\\u00[89][0-9a-fA-F]|\\[bfr]"
    rb"|\\u20(?:2[a-eA-E]|6[6-9])"
    rb"|\xc2[\x80-\x9f]|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]"
    rb"|\xe2\x80[\xaa-\xae]|\xe2\x81[\xa6-\xa9]"
)


def may_hold_controls(raw: bytes) -> bool:
    """Whether JSON text may hold a control character in one of its strings (a byte search:
    a tenth of a second on a 40 MB file, where cleaning every string costs seconds)."""
    return _CONTROL_IN_JSON.search(raw) is not None


_SLICE = 2000  # records per serialisation, see `holds_controls`


def holds_controls(value: Any) -> bool:
    """Whether `value` (records, tables) may hold a control character in a text.

    Tables of record lists are serialised a slice of records at a time: our 100k-session
    tables at once were ~400 MB of JSON, the peak of a sync of two 100k files (1,978 MiB,
    budget 2 GiB)."""
    if isinstance(value, Mapping) and all(type(rows) is list for rows in value.values()):
        return any(
            may_hold_controls(orjson.dumps(rows[start : start + _SLICE]))
            for rows in value.values()
            for start in range(0, len(rows), _SLICE)
        )
    return may_hold_controls(orjson.dumps(value))


@dataclass
class Foreign:
    """Another laptop's tables as read for a merge, and what its journal brought."""

    tables: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    journal_saves: int = 0  # saves read from the journal beside the file
    journal_damaged: int = 0  # torn lines of that journal, skipped
    # Written by this laptop: a copy of our file (refused by the merge when it holds our
    # records) or another file made here (a demo, a file prepared for a colleague).
    written_here: bool = False


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
        raise ImportFileError(f"Impossible de lire {path} ({os_reason(exc)}).") from None
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
    if may_hold_controls(raw) or (saves and holds_controls(data)):
        # A file brought in is data: its texts (its journal's too) lose their control
        # characters at the door, as a typed text would, before they are checked and
        # merged (F29).
        data = plain_data(data)
    written_by = next(
        (d.get("written_by") for d in data.get("meta", {}).values() if "schema_version" in d),
        None,
    )
    with collection_paused():  # see there: no cycles among the records read
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
    return Foreign(tables, saves, damaged, written_here=written_by == our_device)


def _apply_journal_beside(path: Path, data: dict[str, Any]) -> tuple[int, int]:
    """Apply the journal beside `path` (of the file a link points to) to its `data`; how
    many saves it held and how many damaged lines were skipped."""
    journal = journal_path(path.resolve())
    if not os.path.lexists(journal):
        return 0, 0
    entries, damaged = parse_journal(read_regular(journal, MAX_FILE_BYTES))
    apply_journal(data, entries)
    return len(entries), damaged


def export_file(db: Path, target: Path, device: str, inside: Path | None = None) -> Path:
    """Write a complete copy of the data file (journal included) atomically; returns where.

    The target is checked once a folder is expanded: never the data file or one of its own
    files, never a device or a pipe. With `inside` (a shared folder, where others write too)
    it must be a plain file of that very folder: a link there is refused, not followed."""
    db = real_path(db)
    if inside is not None and (target.is_symlink() or target.parent != inside):
        raise OutputPathError(
            f"{target} n’est pas un fichier du dossier {inside} : rien n’a été écrit."
        )
    target = output_path(target, [db], default_name=db.name)
    data = load_snapshot(db)
    if not any("schema_version" in doc for doc in data.get("meta", {}).values()):
        migrations.set_schema(data, migrations.schema_of(data))
    for doc in data["meta"].values():
        if "schema_version" in doc:
            doc["written_by"] = device  # so this laptop recognises its own file on import
    atomic_write(target, dump(data))
    return target
