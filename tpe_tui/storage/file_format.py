"""The data file's format: a plain TinyDB JSON file, `{table: {doc_id: record}}`."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import islice
from pathlib import Path
from typing import Any

import orjson

from tpe_tui.domain import records as model
from tpe_tui.domain.errors import DataFileError
from tpe_tui.storage import migrations
from tpe_tui.storage.journal import apply_journal, journal_path, read_journal

Data = dict[str, dict[str, Any]]


def dump(data: Data) -> bytes:
    return orjson.dumps(data)


def dump_in_slices(data: Data, per_slice: int = 250) -> Iterator[bytes]:
    """The bytes of `dump(data)`, made a slice of documents at a time.

    One `orjson.dumps` of 100k sessions holds the GIL for about 0.7 s, long enough to
    freeze typing; a slice of 250 documents holds it for a few milliseconds. `data` must
    not change meanwhile: give it copies of the tables (`dict.copy` takes milliseconds).
    """
    yield b"{"
    for number, (table, rows) in enumerate(data.items()):
        yield b"%s%s:{" % (b"," if number else b"", orjson.dumps(table))
        items = iter(rows.items())
        first = True
        while part := orjson.dumps(dict(islice(items, per_slice)))[1:-1]:
            yield part if first else b"," + part
            first = False
        yield b"}"
    yield b"}"


def parse_data(raw: bytes, source: str) -> Data:
    """Parse and check the shape of a TinyDB file; French error on any problem."""
    if not raw.strip():
        return {}
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError:
        raise DataFileError(
            f"{source} n’est pas un fichier JSON lisible (tronqué ou abîmé)."
        ) from None
    if not isinstance(data, dict):
        raise DataFileError(f"{source} n’est pas un fichier de données tpe-tui.")
    for table, docs in data.items():
        if not isinstance(docs, dict) or not all(isinstance(d, dict) for d in docs.values()):
            raise DataFileError(
                f"{source} n’est pas un fichier de données tpe-tui (table « {table} » invalide)."
            )
    try:
        version = migrations.schema_of(data)
    except ValueError:
        raise DataFileError(f"{source} : version de schéma illisible.") from None
    if version > model.SCHEMA_VERSION:
        raise DataFileError(
            f"{source} a été écrit par une version plus récente de tpe-tui (schéma {version}, "
            f"celle-ci connaît le schéma {model.SCHEMA_VERSION}). Mettez tpe-tui à jour : "
            "le fichier n’a pas été modifié."
        )
    return data


def load_snapshot(path: Path) -> Data:
    """The file with its journal applied, read-only (no lock, nothing written)."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise DataFileError(f"Le fichier {path} n’existe pas.") from None
    except OSError as exc:
        raise DataFileError(f"Impossible de lire {path} ({exc.strerror}).") from None
    data = parse_data(raw, str(path))
    entries, _ = read_journal(journal_path(path))
    apply_journal(data, entries)
    return data


def open_readonly(path: Path) -> Data:
    """The data of a file, journal applied and migrated in memory; the file is untouched."""
    data = load_snapshot(path)
    for table in model.ALL_TABLES:
        data.setdefault(table, {})
    data, _ = migrations.migrate(data, model.SCHEMA_VERSION)
    return data
