"""The TinyDB storage of the data file: it owns the file, its journal and whole rewrites.

TinyDB's storage contract is `read()` (the whole state) and `write(state)` (persist the
whole state). Here the file is parsed once and the state stays in memory, so:

- `read()` returns the state held in memory (no parsing per call);
- `write(state)` rewrites the whole file atomically (temporary file, fsync, `os.replace`,
  fsync of the folder) and drops the journal it now contains;
- `log(table, doc_id)` makes one document durable with one checksummed journal line — the
  O(1) path that `RecordTable` takes for single-document writes. When the journal has grown
  past `JOURNAL_COMPACT_BYTES`, it is folded into the file by a background thread that
  writes the file a slice of documents at a time (never holding the GIL for long, so typing
  never waits) and takes the writers' lock only to snapshot and to swap.

Whatever happens, a kill at any instant leaves the file (plus its journal) at the old state
or the new one. A journal left by a crash is replayed at the next opening.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from tinydb.storages import Storage

from tpe_tui.domain import records as model
from tpe_tui.domain.errors import DataFileError, SaveError, UnsavedError, os_reason
from tpe_tui.storage.atomic import replace_with, save_error, write_temporary
from tpe_tui.storage.backups import keep_damaged_lines, list_backups, set_aside
from tpe_tui.storage.file_format import Data, dump_lines, open_readonly, parse_data
from tpe_tui.storage.journal import (
    DamagedLine,
    Journal,
    apply_journal,
    encode_entry,
    journal_path,
    read_journal_in_full,
)

# Past this size the journal is folded into the file by the next save (a whole rewrite).
JOURNAL_COMPACT_BYTES = 8 * 1024 * 1024


@dataclass
class Opened:
    """The file with its journal replayed: how many saves were replayed, and the journal
    lines damaged in the middle (skipped, kept aside in `damaged_kept`)."""

    data: Data
    replayed: int = 0
    damaged: list[DamagedLine] = field(default_factory=list)
    damaged_kept: Path | None = None
    torn: bool = False  # a last line cut short: the next save must not be appended to it


def read_for_write(path: Path) -> Opened:
    """The file with its journal replayed (and what the journal held that could not be).

    A missing file is a new, empty one; a damaged file is set aside (never overwritten) and
    reported in French with the newest backup. Journal lines damaged in the middle are kept
    aside before anything is written (a full disk then stops the opening: the journal,
    still whole, is read again next time).
    """
    journal = journal_path(path)
    if not path.exists():
        if journal.exists():
            # A journal without its file: the file was lost, keep the journal aside.
            journal.rename(journal.with_name(journal.name + ".orphan"))
        return Opened({})
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DataFileError(f"Impossible de lire {path} ({os_reason(exc)}).") from None
    if (not raw or raw.isspace()) and list_backups(path):  # not strip(): a copy of it all
        # An empty file where backups exist is damage, not a new file.
        raw = b"\x00"
    try:
        data = parse_data(raw, str(path), by_document=True)
    except DataFileError as exc:
        if "plus récente" in str(exc):
            raise
        aside = set_aside(path)
        backups = list_backups(path)
        newest = str(backups[0]) if backups else None
        message = f"{exc} Il a été mis de côté sous {aside.name}, sans être modifié."
        if newest:
            message += f" Dernière sauvegarde : {newest}."
        raise DataFileError(message, set_aside=str(aside), backup=newest) from None
    reading = read_journal_in_full(journal)
    apply_journal(data, reading.entries)
    opened = Opened(data, len(reading.entries), reading.damaged, torn=bool(reading.torn))
    if reading.damaged:
        opened.damaged_kept = keep_damaged_lines(path, (d.raw for d in reading.damaged))
    return opened


class DataFileStorage(Storage):
    """TinyDB storage over the data file, kept in memory once read (see the module text)."""

    def __init__(
        self,
        path: Path,
        writer: str = "",
        *,
        readonly: bool = False,
        lock: threading.RLock | None = None,
    ) -> None:
        """Read the file; `readonly` reads it as it is (migrated in memory), writes refused.

        `lock` is the one every writer holds: given it, a long journal is folded in the
        background (see `_fold_in_slices`); without it, by a whole write in the caller.
        """
        self.path = path
        self._lock = lock
        self._fold: threading.Thread | None = None
        self._closed = False
        self._whole_writes = 0  # whole writes made: a fold made meanwhile is stale
        self._bulk_changes = 0
        self.writer = writer  # stamped as `written_by` in the file on every whole write
        self.readonly = readonly
        if readonly:
            damaged: list[DamagedLine] = []
            opened = Opened(open_readonly(path, damaged), damaged=damaged)
        else:
            opened = read_for_write(path)
        data, self.recovered_entries = opened.data, opened.replayed
        # Journal lines damaged in the middle: said at opening (app, `check`).
        self.journal_damage, self.damaged_lines_kept = opened.damaged, opened.damaged_kept
        # Anything skipped in the journal (damaged, or a last line cut short) is folded away
        # at opening: a save appended after a cut line would be read as part of it.
        self.journal_skipped = bool(opened.damaged) or opened.torn
        for table in model.ALL_TABLES:
            data.setdefault(table, {})
        self._data: Data = data
        self._journal = Journal(journal_path(path))
        self._owes_whole_write = False
        # Documents whose save failed (a full disk) since the last whole write: what
        # closing must still put somewhere.
        self._unsaved: set[tuple[str, str]] = set()
        self._in_one_write = 0  # inside `one_write`: documents wait for its whole write

    def read(self) -> Data:
        return self._data

    def write(self, data: Data) -> None:
        """Rewrite the whole file atomically; the new state is kept only once it is durable."""
        self.check_writable()
        self._stamp_writer(data)
        # Written as it is made: the whole file never sits in memory beside its records.
        replace_with(write_temporary(self.path, dump_lines(data, per_slice=4096)), self.path)
        self._data = data
        self._owes_whole_write = False
        self._unsaved.clear()
        self._whole_writes += 1
        self._journal.discard()

    def log(self, table: str, doc_id: str) -> None:
        """Make one document (or its removal) durable: one journal line, fsync'd.

        A whole write is made instead when one is owed (a bulk change, a failed append); a
        journal grown past `JOURNAL_COMPACT_BYTES` is folded into the file in the background.
        """
        self.check_writable()
        if self._in_one_write:
            self.owe_whole_write()  # made durable by the whole write `one_write` ends with
            self._unsaved.add((table, doc_id))
            return
        try:
            if self._owes_whole_write or (
                self._lock is None and self._journal.size > JOURNAL_COMPACT_BYTES
            ):
                self.write(self._data)
                return
            try:
                self._journal.append(encode_entry(table, doc_id, self._data[table].get(doc_id)))
            except OSError as exc:
                # The journal holds no torn line; the next write rewrites the whole file.
                self._owes_whole_write = True
                raise save_error(exc, self.path) from exc
        except SaveError:
            self._unsaved.add((table, doc_id))
            raise
        self._unsaved.discard((table, doc_id))
        if self._journal.size > JOURNAL_COMPACT_BYTES and self._lock is not None:
            self._start_fold()

    @contextmanager
    def one_write(self) -> Iterator[None]:
        """Many documents made durable together by one whole write at the end, in place of a
        fsync'd journal line each (the anonymisation of 252 businesses at opening wrote 758
        lines). A kill before that write leaves the file as it was: all of them or none.
        Raised out of, the write is still made (memory and file stay one state); if it fails
        (a full disk), the next save or the closing makes it, as after any failed save."""
        self.check_writable()
        self._in_one_write += 1
        try:
            yield
        finally:
            self._in_one_write -= 1
            if not self._in_one_write and self._owes_whole_write:
                self.write(self._data)

    def owe_whole_write(self) -> None:
        """Bulk changes are not journalled: the next `log` or `flush` writes everything."""
        self._owes_whole_write = True
        self._bulk_changes += 1

    # ------------------------------------------------------------------ folding in slices
    def _start_fold(self) -> None:
        if self._fold is None or not self._fold.is_alive():
            self._fold = threading.Thread(
                target=self._fold_in_slices, name="tpe-journal-fold", daemon=True
            )
            self._fold.start()

    def _fold_in_slices(self) -> None:
        """Fold the journal into the file without stopping writers (nor typing) for long.

        Under the lock: a snapshot of every table (shallow copies: stored documents are
        swapped on write, never changed in place) and the journal's length. Without it: the
        file written a slice at a time. Under the lock again: the file swapped in and the
        journal cut to what was appended meanwhile — unless a whole write came first.
        A failure (disk full) changes nothing: the journal still holds every save.
        """
        assert self._lock is not None
        with self._lock:
            if self._closed or not self._journal.size:
                return
            whole_writes, bulk_changes = self._whole_writes, self._bulk_changes
            folded = self._journal.size
            self._stamp_writer(self._data)
            snapshot = {name: rows.copy() for name, rows in self._data.items()}
        try:
            tmp = write_temporary(self.path, dump_lines(snapshot))
        except SaveError:
            return
        with self._lock:
            if self._closed or self._whole_writes != whole_writes:
                tmp.unlink(missing_ok=True)
                return
            try:
                replace_with(tmp, self.path)
                self._journal.keep_from(folded)
            except SaveError:
                return
            if self._bulk_changes == bulk_changes:
                self._owes_whole_write = False

    def wait_for_fold(self) -> None:
        """Let a fold in progress finish (call without holding the lock)."""
        fold = self._fold
        if fold is not None:
            fold.join()

    def flush(self) -> None:
        """Fold the journal into the file (a whole write)."""
        self.write(self._data)

    @property
    def pending(self) -> bool:
        """True while the file alone (without its journal) is not the latest state."""
        return self._journal.size > 0 or self._owes_whole_write

    def close(self) -> None:
        """Fold the journal into the file (if anything is pending), then let go of it."""
        self._closed = True  # a background fold still running leaves the file alone
        try:
            if self.pending:
                self.flush()
        except SaveError as exc:
            if not self._unsaved:
                raise
            self._journal_unsaved(exc)
        finally:
            self._journal.close()

    def _journal_unsaved(self, failure: SaveError) -> None:
        """The whole write failed: the journal may still take the few documents not saved
        (a line needs far less room than a whole file). If not, UnsavedError hands them on."""
        entries = [(t, k, self._data.get(t, {}).get(k)) for t, k in sorted(self._unsaved)]
        try:
            self._journal.append(b"".join(encode_entry(*entry) for entry in entries))
        except OSError:
            raise UnsavedError(str(failure), entries) from None
        self._unsaved.clear()  # replayed at the next opening

    def check_writable(self) -> None:
        """Refuse (in French) any write to a storage opened read-only."""
        if self.readonly:
            raise SaveError("Ce fichier est ouvert en lecture seule : rien n’a été enregistré.")

    def _stamp_writer(self, data: Data) -> None:
        # The laptop that wrote a file is how a merge recognises our own file coming back.
        for doc in data.get("meta", {}).values():
            if "schema_version" in doc:
                doc["written_by"] = self.writer
                return
