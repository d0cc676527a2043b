"""The journal beside the data file: one checksummed, fsync'd line per saved document.

A save appends one line (a few milliseconds whatever the size of the file); the file is
rewritten whole only now and then, and a journal left by a crash is replayed at the next
start. A torn last line (a kill mid-write: no newline ends it) fails its checksum and is
skipped: that save never finished. A line ended by its newline that fails its checksum was
a finished save damaged since (a disk fault, an edit by hand): it is reported (`DamagedLine`)
and kept aside by whoever folds the journal; the lines after it are replayed all the same
(each holds a whole record, so none depends on the line before it).
"""

from __future__ import annotations

import contextlib
import os
import re
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from tpe_tui.storage.atomic import atomic_write, fsync_dir

JOURNAL_SUFFIX = ".journal"

Entry = tuple[str, str, dict[str, Any] | None]


def journal_path(db: Path) -> Path:
    return db.with_name(db.name + JOURNAL_SUFFIX)


def encode_entry(table: str, key: str, doc: dict[str, Any] | None) -> bytes:
    """One journal line: CRC32 of the body in hex, a space, the JSON body, a newline.

    A document of `None` records its removal."""
    body = orjson.dumps({"t": table, "k": key, "d": doc})
    return b"%08x %s\n" % (zlib.crc32(body), body)


@dataclass(frozen=True)
class DamagedLine:
    """A finished save (its line ended by a newline) whose checksum is wrong: what could
    still be read of it, and what the journal held after it."""

    number: int  # its line in the journal, from 1
    raw: bytes  # the line as found, newline excluded
    table: str | None  # its table, key, record id and save time, when still readable
    key: str | None
    record_id: str | None
    saved_at: str | None
    doc: dict[str, Any] | None  # the record as the line holds it, when its JSON is whole
    followed_by: int  # the lines after it that were read and replayed
    saved_again: bool  # one of them holds the same record: nothing of this save is missing


@dataclass
class JournalReading:
    entries: list[Entry] = field(default_factory=list)
    damaged: list[DamagedLine] = field(default_factory=list)  # in the middle: reported
    torn: int = 0  # a last line cut short (a save that never finished): skipped

    @property
    def skipped(self) -> int:
        return len(self.damaged) + self.torn


def read_journal(path: Path) -> tuple[list[Entry], int]:
    """The journal's entries, and how many damaged lines were skipped."""
    reading = read_journal_in_full(path)
    return reading.entries, reading.skipped


def read_journal_in_full(path: Path) -> JournalReading:
    """The journal's entries, the damaged lines (reported) and a torn last one (skipped)."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return JournalReading()
    return parse_journal_in_full(raw)


def parse_journal(raw: bytes) -> tuple[list[Entry], int]:
    """A journal's entries from its bytes, and how many damaged lines were skipped."""
    reading = parse_journal_in_full(raw)
    return reading.entries, reading.skipped


def parse_journal_in_full(raw: bytes) -> JournalReading:
    reading = JournalReading()
    entries = reading.entries
    bad: list[tuple[int, bytes, int]] = []  # (line number, line, entries read before it)
    lines = raw.split(b"\n")
    for number, line in enumerate(lines, 1):
        if not line:
            continue
        crc, _, body = line.partition(b" ")
        try:
            if int(crc, 16) != zlib.crc32(body):
                raise ValueError
            entry = orjson.loads(body)
            entries.append((entry["t"], entry["k"], entry["d"]))
        except (ValueError, KeyError, TypeError, orjson.JSONDecodeError):
            if number == len(lines):  # no newline after it: a write cut short
                reading.torn += 1
            else:
                bad.append((number, line, len(entries)))
    for number, line, before in bad:
        table, key, doc, record_id, saved_at = _what_is_left(line.partition(b" ")[2])
        later = entries[before:]
        reading.damaged.append(
            DamagedLine(
                number=number,
                raw=line,
                table=table,
                key=key,
                record_id=record_id,
                saved_at=saved_at,
                doc=doc,
                followed_by=len(later),
                saved_again=any(
                    t == table and _same_record(k, d, key, record_id) for t, k, d in later
                ),
            )
        )
    return reading


def _same_record(
    k: str, doc: dict[str, Any] | None, key: str | None, record_id: str | None
) -> bool:
    """Whether a later line (key `k`, record `doc`) saves the record a damaged line held."""
    return (key is not None and k == key) or (record_id is not None and _id_of(doc) == record_id)


def _id_of(doc: dict[str, Any] | None) -> str | None:
    record_id = doc.get("id") if isinstance(doc, dict) else None
    return record_id if isinstance(record_id, str) else None


_TABLE = re.compile(rb'"t":"([a-z_]{1,40})"')
_KEY = re.compile(rb'"k":"([^"\\]{1,100})"')
_RECORD_ID = re.compile(rb'"id":"([^"\\]{1,100})"')
_SAVED_AT = re.compile(rb'"updated_at":"([0-9T:.+\-Z]{10,40})"')


Found = tuple[str | None, str | None, dict[str, Any] | None, str | None, str | None]


def _what_is_left(body: bytes) -> Found:
    """The table, key, record, record id and save time still readable in a damaged line's
    body (its checksum is wrong: a flipped byte may have left the JSON whole; if not, the
    id and save time are looked for in the bytes, and the record is None)."""
    with contextlib.suppress(orjson.JSONDecodeError, AttributeError, TypeError):
        entry = orjson.loads(body)
        doc, table, key = entry.get("d"), entry.get("t"), entry.get("k")
        if isinstance(table, str) and isinstance(key, str):
            doc = doc if isinstance(doc, dict) else None
            saved_at = doc.get("updated_at") if doc else None
            return table, key, doc, _id_of(doc), saved_at if isinstance(saved_at, str) else None
    record = body.find(b'"d":{')  # the record's own fields, not the line's

    def found(pattern: re.Pattern[bytes], start: int = 0) -> str | None:
        match = pattern.search(body, max(start, 0))
        return match.group(1).decode("utf-8", "replace") if match else None

    return found(_TABLE), found(_KEY), None, found(_RECORD_ID, record), found(_SAVED_AT, record)


def apply_journal(data: dict[str, dict[str, Any]], entries: Iterable[Entry]) -> None:
    for table, key, doc in entries:
        rows = data.setdefault(table, {})
        if doc is None:
            rows.pop(key, None)
        else:
            rows[key] = doc


class Journal:
    """The append side of the journal: opened on the first save, removed once folded."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.size = 0  # bytes appended since the last fold
        self._fd: int | None = None

    def append(self, line: bytes) -> None:
        """Append one encoded line durably; on failure the file keeps no torn line."""
        fd = self._open()
        before = os.lseek(fd, 0, os.SEEK_END)
        try:
            os.write(fd, line)
            os.fsync(fd)
        except OSError:
            # Cut the torn line so later lines stay readable.
            with contextlib.suppress(OSError):
                os.ftruncate(fd, before)
            raise
        self.size += len(line)

    def _open(self) -> int:
        if self._fd is None:
            fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
            fsync_dir(self.path.parent)
            self._fd = fd
        return self._fd

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def keep_from(self, offset: int) -> None:
        """Drop the first `offset` bytes (now in the file), keep what was appended since.

        Until the shorter journal is in place the whole one stays valid: replaying a line
        the file already holds writes the same document again.
        """
        self.close()
        try:
            with self.path.open("rb") as handle:
                handle.seek(offset)
                tail = handle.read()
        except FileNotFoundError:
            tail = b""
        if tail:
            atomic_write(self.path, tail)
        else:
            with contextlib.suppress(FileNotFoundError):
                self.path.unlink()
        self.size = len(tail)

    def discard(self) -> None:
        """Close and delete: called once the whole file holds everything it held."""
        self.close()
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()
        self.size = 0
