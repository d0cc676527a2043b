"""The journal beside the data file: one checksummed, fsync'd line per saved document.

A save appends one line (a few milliseconds whatever the size of the file); the file is
rewritten whole only now and then, and a journal left by a crash is replayed at the next
start. A torn last line (a kill mid-write) fails its checksum and is skipped.
"""

from __future__ import annotations

import contextlib
import os
import zlib
from collections.abc import Iterable
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


def read_journal(path: Path) -> tuple[list[Entry], int]:
    """The journal's entries, and how many damaged lines were skipped (a torn last line)."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return [], 0
    return parse_journal(raw)


def parse_journal(raw: bytes) -> tuple[list[Entry], int]:
    """A journal's entries from its bytes, and how many damaged lines were skipped."""
    entries: list[Entry] = []
    bad = 0
    for line in raw.split(b"\n"):
        if not line:
            continue
        crc, _, body = line.partition(b" ")
        try:
            if int(crc, 16) != zlib.crc32(body):
                raise ValueError
            entry = orjson.loads(body)
            entries.append((entry["t"], entry["k"], entry["d"]))
        except (ValueError, KeyError, TypeError, orjson.JSONDecodeError):
            bad += 1
    return entries, bad


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
