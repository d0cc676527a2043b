"""The data file's format: a plain TinyDB JSON file, `{table: {doc_id: record}}`."""

from __future__ import annotations

import json
import re
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


_DECODER = json.JSONDecoder()
_BLANK = re.compile(r"[ \t\n\r]*")


def loads_by_document(raw: bytes) -> Any:
    """The JSON of a TinyDB file (`{table: {doc_id: document}}`), parsed one document at a
    time: other threads run between two documents. One `orjson.loads` of the whole file
    holds the GIL from start to end (0.5-1.5 s at 10k sessions on a busy 2-core machine):
    typing froze while the app opened its file. About 1.6 times slower in all.

    Raises ValueError for anything but that shape of valid JSON (the caller then parses
    the whole of it at once, for the same answer or a precise error).
    """
    text = raw.decode("utf-8")
    blank, decode = _BLANK.match, _DECODER.raw_decode

    def expect(char: str, at: int) -> int:
        at = blank(text, at).end()
        if text[at : at + 1] != char:
            raise ValueError(f"{char!r} expected at {at}")
        return at + 1

    def more(at: int, closing: str) -> tuple[bool, int]:
        """After an item: (another follows, where it starts)."""
        at = blank(text, at).end()
        if text[at : at + 1] == ",":
            return True, at + 1
        return False, expect(closing, at)

    data: dict[str, Any] = {}
    at = expect("{", 0)
    if text[blank(text, at).end() :][:1] == "}":
        at = expect("}", at)
    else:
        going = True
        while going:
            table, at = decode(text, blank(text, at).end())
            at = expect("{", expect(":", at))
            rows: dict[str, Any] = {}
            if text[blank(text, at).end() :][:1] == "}":
                at = expect("}", at)
            else:
                row_going = True
                while row_going:
                    key, at = decode(text, blank(text, at).end())
                    rows[key], at = decode(text, blank(text, expect(":", at)).end())
                    row_going, at = more(at, "}")
            data[table] = rows
            going, at = more(at, "}")
    if blank(text, at).end() != len(text):
        raise ValueError("trailing data")
    return data


def parse_data(raw: bytes, source: str, *, by_document: bool = False) -> Data:
    """Parse and check the shape of a TinyDB file; French error on any problem.

    `by_document`: parsed a document at a time (see `loads_by_document`), for the app,
    whose screen must keep answering while its file is read."""
    if not raw.strip():
        return {}
    try:
        if by_document:
            try:
                data = loads_by_document(raw)
            except ValueError:  # not that shape, or not valid: the whole parse says which
                data = orjson.loads(raw)
        else:
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
