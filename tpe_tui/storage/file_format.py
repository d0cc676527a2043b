"""The data file's format: a plain TinyDB JSON file, `{table: {doc_id: record}}`, its shared
tables in the compact layout of `compact.py` from schema 3 on."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import islice, repeat
from pathlib import Path
from typing import Any

import orjson

from tpe_tui.domain import records as model
from tpe_tui.domain.errors import DataFileError, os_reason
from tpe_tui.storage import compact, migrations
from tpe_tui.storage.collection import collection_paused
from tpe_tui.storage.journal import DamagedLine, apply_journal, journal_path, read_journal_in_full

Data = dict[str, dict[str, Any]]


def dump(data: Data) -> bytes:
    """The whole file at once (see `dump_lines` for its layout)."""
    with collection_paused():
        return b"".join(dump_lines(data, per_slice=4096))


def dump_lines(data: Data, per_slice: int = 250) -> Iterator[bytes]:
    """The file a slice of documents at a time, one document per line.

    Still plain TinyDB JSON (a newline is whitespace to any JSON reader), laid out so that
    `loads_lines` can parse it a slice at a time::

        {
        "clients":{
        "1":{…},
        "2":{…}
        },
        "sessions":{
        …
        }
        }

    A newline byte never occurs inside a JSON string (it is written `\\n`), so every
    newline is one of these. One `orjson.dumps` of 100k sessions held the GIL for about
    0.7 s; a slice of 250 documents holds it for a few milliseconds. `data` must not change
    meanwhile: give it copies of the tables (`dict.copy` takes milliseconds).

    From schema 3 on, shared records are packed (`compact.py`) and the values they refer
    to follow in a last table.
    """
    packers = compact.packers_for(data, _schema_or_1(data))
    tables = [(name, rows) for name, rows in data.items() if name != compact.LAYOUT_TABLE]
    yield b"{\n"
    for number, (table, rows) in enumerate(tables):
        last = number == len(tables) - 1 and not packers
        yield from _table_lines(table, rows, per_slice, last, packers.get(table))
    if packers:
        yield from _table_lines(
            compact.LAYOUT_TABLE, compact.layout_rows(packers), per_slice, True, None
        )
    yield b"}\n"


def _table_lines(
    table: str,
    rows: dict[str, Any],
    per_slice: int,
    last: bool,
    packer: compact.Packer | None,
) -> Iterator[bytes]:
    dumps = orjson.dumps
    yield dumps(table) + b":{\n"
    items, left = iter(rows.items()), len(rows)
    while chunk := list(islice(items, per_slice)):
        left -= len(chunk)
        with collection_paused():
            if packer is not None:
                packed = packer.pack_rows([doc for _, doc in chunk])
                chunk = list(zip([key for key, _ in chunk], packed, strict=True))
            body = b",\n".join([dumps(key) + b":" + dumps(doc) for key, doc in chunk])
        yield body + (b",\n" if left else b"\n")
    yield b"}\n" if last else b"},\n"


def _schema_or_1(data: Data) -> int:
    try:
        return migrations.schema_of(data)
    except ValueError:
        return 1


def loads_lines(raw: bytes, per_slice: int = 250) -> Data:
    """Parse a file in the layout of `dump_lines`, a slice of documents at a time: other
    threads (the screen answering keys) run between two slices. ValueError when the file
    is not in that layout (written by another program) or is not whole."""
    if not raw.startswith(b"{\n"):
        raise ValueError("not in the line layout")
    find, loads, close = raw.find, orjson.loads, ord("}")
    data: Data = {}
    pos, more_tables = 2, None  # None: no table yet; then whether the last one had a comma
    while True:
        end = find(b"\n", pos)
        if end < 0:
            raise ValueError("torn")
        line = raw[pos:end]
        pos = end + 1
        if line == b"}" and not more_tables:
            break
        if not line.endswith(b":{") or more_tables is False:
            raise ValueError("table expected")
        rows = data.setdefault(loads(line[:-2]), {})
        while True:  # the table's documents, a slice at a time, up to its closing line
            start, count = pos, 0
            while count < per_slice and pos < len(raw) and raw[pos] != close:
                end = find(b"\n", pos)
                if end < 0:
                    raise ValueError("torn")
                pos, count = end + 1, count + 1
            if pos >= len(raw):
                raise ValueError("torn")
            if count:
                chunk = raw[start : pos - 1]
                if chunk.endswith(b",") == (raw[pos] == close):  # a comma iff more follow
                    raise ValueError("comma")
                rows.update(loads(b"{" + chunk.rstrip(b",") + b"}"))
            if raw[pos] == close:
                end = find(b"\n", pos)
                if end < 0 or raw[pos:end] not in (b"}", b"},"):
                    raise ValueError("table end expected")
                more_tables = raw[pos:end] == b"},"
                pos = end + 1
                break
    if raw[pos:].strip():
        raise ValueError("trailing data")
    return data


def parse_data(raw: bytes, source: str, *, by_document: bool = False) -> Data:
    """Parse and check the shape of a TinyDB file; French error on any problem.

    `by_document`: parsed a slice of documents at a time (see `loads_lines`), for the
    app, whose screen must keep answering while its file is read."""
    if not raw or raw.isspace():  # not raw.strip(): a copy of the whole file (15 ms at 40 MB)
        return {}
    with collection_paused():
        return _parse_data(raw, source, by_document)


def _parse_data(raw: bytes, source: str, by_document: bool) -> Data:
    try:
        if by_document:
            try:
                data = loads_lines(raw)
            except ValueError:  # another layout, or not valid: the whole parse says which
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
        if not isinstance(docs, dict) or not all(map(isinstance, docs.values(), repeat(dict))):
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
    if version >= compact.FIRST_COMPACT_SCHEMA:
        compact.unpack(data, source)
    return data


def load_snapshot(path: Path, damaged: list[DamagedLine] | None = None) -> Data:
    """The file with its journal applied, read-only (no lock, nothing written); the journal
    lines damaged in the middle are added to `damaged` when given."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise DataFileError(f"Le fichier {path} n’existe pas.") from None
    except OSError as exc:
        raise DataFileError(f"Impossible de lire {path} ({os_reason(exc)}).") from None
    if not raw or raw.isspace():
        _refuse_emptied(path)
    data = parse_data(raw, str(path))
    reading = read_journal_in_full(journal_path(path))
    apply_journal(data, reading.entries)
    if damaged is not None:
        damaged.extend(reading.damaged)
    return data


def _refuse_emptied(path: Path) -> None:
    """An empty file where backups exist is damage (a copy cut short, a full disk), not a
    new file: said as the app says it at start (`datafile.read_for_write`)."""
    from tpe_tui.storage.backups import list_backups  # backups reads files through us

    backups = list_backups(path)
    if backups:
        raise DataFileError(
            f"{path} est vide alors que ses sauvegardes ne le sont pas : il a sans doute été "
            f"tronqué (copie interrompue, disque plein). Dernière sauvegarde : {backups[0]}. "
            "Lancez tpe-tui sur ce fichier : il propose de la remettre en place."
        )


def open_readonly(path: Path, damaged: list[DamagedLine] | None = None) -> Data:
    """The data of a file, journal applied and migrated in memory; the file is untouched
    (the journal lines damaged in the middle are added to `damaged` when given)."""
    data = load_snapshot(path, damaged)
    for table in model.ALL_TABLES:
        data.setdefault(table, {})
    data, _ = migrations.migrate(data, model.SCHEMA_VERSION)
    return data
