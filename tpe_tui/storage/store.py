"""The Store: the data file open for reading and writing by this process alone.

The data file is a plain TinyDB JSON file (`{table: {doc_id: record}}`) that people copy
between laptops, and the Store goes through TinyDB's own extension points: its storage is
`DataFileStorage` (the file parsed once, single documents made durable by a journal line,
whole rewrites atomic) and its tables are `RecordTable`s (one document written in O(1),
found by its record id). One process writes at a time (`lock.py`); a corrupt file is set
aside, never overwritten (`datafile.py`, `backups.py`).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import orjson
from tinydb import TinyDB

from tpe_tui.domain import records as model
from tpe_tui.domain.errors import DataFolderError, SaveError
from tpe_tui.storage import home_picture, migrations
from tpe_tui.storage.atomic import remove_leftovers
from tpe_tui.storage.backups import leftover_temporaries, make_backup
from tpe_tui.storage.datafile import DataFileStorage
from tpe_tui.storage.file_format import Data
from tpe_tui.storage.guard import real_path
from tpe_tui.storage.lock import FileLock
from tpe_tui.storage.record_table import RecordTable, replaced_by
from tpe_tui.storage.room import check_room, folder_error
from tpe_tui.sync.registers import latest_millis, merge_records, stamp
from tpe_tui.sync.versions import HybridClock, utc_now

# Writes remembered for the indexes kept in step (`Store.changes_since`): a day of typing
# is a few thousand; an index further behind than this reads everything again.
MAX_LOGGED_CHANGES = 200_000


class DataFile(TinyDB):
    """TinyDB over the data file, with tables that write one document in O(1)."""

    table_class = RecordTable


class Store:
    """The data file, open for reading and writing by this process alone."""

    def __init__(
        self, path: Path, device: str, lock: FileLock | None, *, readonly: bool = False
    ) -> None:
        """Read the file (replaying a journal left by a crash); see `open` and `snapshot`."""
        self.path = path
        self.device = device
        self.clock = HybridClock()
        self._lock = lock
        self._mutex = threading.RLock()
        self._home_cache_dropped = False
        # Which records were written, in order, for the indexes kept in step with the file
        # (`changes_since`); a wholesale replacement (a sync) outdates every position before it.
        self._changes: list[tuple[str, str]] = []
        self._changes_start = 0  # the position of `_changes[0]`
        self._replaced_at = 0  # the position of the last wholesale replacement
        # The log's own lock, never held while waiting for another: readers of the log
        # (which hold their index's lock) never wait for `_mutex`.
        self._changes_lock = threading.Lock()
        self._db = DataFile(
            path, storage=DataFileStorage, writer=device, readonly=readonly, lock=self._mutex
        )
        self._storage: DataFileStorage = self._db.storage  # type: ignore[assignment]
        self.recovered_entries = self._storage.recovered_entries
        self.journal_damage = self._storage.journal_damage
        self.damaged_lines_kept = self._storage.damaged_lines_kept
        self._tables: dict[str, RecordTable] = {
            name: self._db.table(name)  # type: ignore[misc]
            for name in model.ALL_TABLES
        }

    # ------------------------------------------------------------------ opening
    @classmethod
    def open(cls, path: Path, device: str, *, backup: bool = True, create: bool = True) -> Store:
        """Lock, read (replaying a journal left by a crash), migrate, back up.

        The real path is used (symbolic links followed): the lock, the journal and the
        backups are named after it, so a link to the file cannot get around the lock.
        A missing file is written at once, or with `create=False` only by the first whole
        write (`start_over`): until then, nothing of it is on disk."""
        path = real_path(path)
        check_room(path)
        lock = FileLock(path)
        try:
            lock.acquire()
        except OSError as exc:
            raise folder_error(exc, path) from None
        try:
            remove_leftovers(leftover_temporaries(path))
            existed = path.exists()
            store = cls(path, device, lock)
            store._migrate(existed)
            if (
                store.recovered_entries
                or store._storage.journal_skipped
                or (create and not existed)
            ):
                store.compact()
            if backup and existed:
                make_backup(path, "start")
            return store
        except SaveError as exc:  # the disk filled up meanwhile, or the folder turned read-only
            lock.release()
            raise DataFolderError(f"{exc} Réessayez une fois la cause réglée.") from None
        except OSError as exc:
            lock.release()
            raise folder_error(exc, path) from None
        except BaseException:
            lock.release()
            raise

    @classmethod
    def snapshot(cls, path: Path) -> Store:
        """The file as it is now (journal applied, migrated in memory), read-only: no lock,
        nothing written; for commands that read while the app may have the file open."""
        return cls(path, device="", lock=None, readonly=True)

    @property
    def data(self) -> Data:
        return self._storage.read()

    def _migrate(self, existed: bool = True) -> None:
        version = migrations.schema_of(self.data)
        if existed and version < model.SCHEMA_VERSION:
            make_backup(self.path, f"before-migration-{version}")
            migrated, _ = migrations.migrate(self.data, model.SCHEMA_VERSION)
            self._replace_all(migrated)
        elif not any("schema_version" in doc for doc in self.data["meta"].values()):
            # Not journalled: written by the next whole write (a new file may wait for one).
            self._tables["meta"].insert_multiple([{"schema_version": model.SCHEMA_VERSION}])

    # ------------------------------------------------------------------ reading
    def get(self, table: str, record_id: str) -> dict[str, Any] | None:
        """A copy of the current version of a record (tombstones included)."""
        doc = self._tables[table].by_record_id(record_id)
        return _copy(doc) if doc is not None else None

    def peek(self, table: str, record_id: str) -> dict[str, Any] | None:
        """The stored record itself, not a copy: for reading only (lists, lookups)."""
        return self._tables[table].by_record_id(record_id)

    def records(self, table: str, *, deleted: bool = False) -> Iterator[dict[str, Any]]:
        """The records of a table (read-only: never mutate them).

        The list of documents is taken under the lock: screens read from worker threads
        while the save thread inserts, and iterating a dict that grows would fail.
        """
        with self._mutex:
            docs = self._tables[table].documents()
        return (doc for doc in docs if deleted or not doc.get("deleted"))

    def change_position(self) -> int:
        """Where the change log stands now: what `changes_since` starts from."""
        with self._changes_lock:
            return self._changes_start + len(self._changes)

    def changes_since(self, position: int) -> tuple[int, list[tuple[str, str]] | None]:
        """The (table, record id) written since `position`, in order, and the new position;
        None instead of the list when the records were replaced wholesale since (a sync,
        a restore) or the log no longer reaches back that far: read everything again."""
        with self._changes_lock:
            end = self._changes_start + len(self._changes)
            if position < self._replaced_at or position < self._changes_start:
                return end, None
            return end, self._changes[position - self._changes_start :]

    def locked(self) -> threading.RLock:
        """Hold while reading many records from a thread other than the saving one."""
        return self._mutex

    def count(self, table: str) -> int:
        return sum(1 for _ in self.records(table))

    def shared_tables(self) -> dict[str, list[dict[str, Any]]]:
        """Every shared record, tombstones included: what sync merges."""
        return {table: self._tables[table].documents() for table in model.SHARED_TABLES}

    # ------------------------------------------------------------------ writing
    def put(self, table: str, record: dict[str, Any]) -> dict[str, Any]:
        """Save a record: the fields that changed get a new version (dot); returns it."""
        return self._stamped(table, record, ())

    def delete(self, table: str, record_id: str, **fields: Any) -> dict[str, Any] | None:
        """Make a record a tombstone (never removed: the deletion must reach other laptops)."""
        with self._mutex:
            current = self.get(table, record_id)
            if current is None:
                return None
            current.update(fields)
            current["deleted"] = True
            return self.put(table, current)

    def resolve(
        self, table: str, record_id: str, chosen: dict[str, Any], paths: Iterable[str]
    ) -> dict[str, Any]:
        """Keep `chosen`'s values at `paths`: a write that supersedes every value held there."""
        if self.peek(table, record_id) is None:
            raise KeyError(record_id)
        return self._stamped(table, chosen, tuple(paths))

    def _stamped(
        self, table: str, record: dict[str, Any], touched: tuple[str, ...]
    ) -> dict[str, Any]:
        with self._mutex:
            current = self.peek(table, record["id"])
            millis = self.clock.tick([latest_millis(current)] if current else [])
            new = stamp(table, current, record, self.device, millis, utc_now(), touched)
            if new is None:  # nothing changed: nothing to write
                assert current is not None  # a first write always changes something
                return _copy(current)
            self._write(table, new)
            return _copy(new)

    def add_meta(self, doc: dict[str, Any]) -> None:
        """Append a local bookkeeping document (sync log ...); never merged."""
        with self._mutex:
            self._storage.check_writable()  # before anything changes in memory
            self._drop_home_cache()
            self._tables["meta"].insert(doc)

    def _write(self, table: str, record: dict[str, Any]) -> None:
        """One record durable: O(1) in the table, one journal line (see `RecordTable`)."""
        with self._mutex:
            self._storage.check_writable()  # before anything changes in memory
            self._drop_home_cache()
            rows = self._tables[table]
            doc_id = rows.doc_id_of(record["id"])
            if doc_id is None:
                rows.insert(record)
            else:
                rows.update(replaced_by(record), doc_ids=[doc_id])
            self._log_change(table, record["id"])

    def _log_change(self, table: str, record_id: str, replaced: bool = False) -> None:
        """After the record is in the table: a reader at this position peeks the new one."""
        with self._changes_lock:
            self._changes.append((table, record_id))
            if len(self._changes) > MAX_LOGGED_CHANGES:  # a reader that far behind reads all
                dropped = len(self._changes) // 2
                del self._changes[:dropped]
                self._changes_start += dropped
            if replaced:
                self._replaced_at = self._changes_start + len(self._changes)

    def held_here(self) -> bool:
        """Whether this thread holds the store's lock (`locked`): it must then not wait for
        a thread that needs it, as one building an index does."""
        return bool(self._mutex._is_owned())  # type: ignore[attr-defined]

    def _drop_home_cache(self) -> None:
        # The picture of the home screen must never outlive the data it shows.
        if not self._home_cache_dropped:
            home_picture.drop(self.path)
            self._home_cache_dropped = True

    @contextmanager
    def one_write(self) -> Iterator[None]:
        """Hold the lock; every record saved meanwhile is written to the file by one atomic
        whole write at the end, instead of a journal line each (see `DataFileStorage`)."""
        with self._mutex:
            self._drop_home_cache()
            with self._storage.one_write():
                yield

    def compact(self) -> None:
        """Write the whole file atomically and drop the journal it now contains."""
        with self._mutex:
            self._storage.check_writable()  # before anything changes in memory
            self._drop_home_cache()
            self._storage.flush()

    @property
    def pending(self) -> bool:
        """True while the file alone (without its journal) is not the latest state."""
        return self._storage.pending

    def replace_shared(self, tables: dict[str, list[dict[str, Any]]], reason: str) -> None:
        """Swap the shared tables for merged ones: backup first, then one atomic write."""
        with self._mutex:
            self.compact()
            make_backup(self.path, reason)
            self._replace_all(self._with_shared(tables))

    def start_over(self, tables: dict[str, Iterable[dict[str, Any]]], reason: str) -> None:
        """Replace every shared record by new ones (stamped here) with one atomic write: the
        file is its old self (backed up first) or the new one, never in between; a file that
        did not exist stays absent until the new one is complete (see `open(create=False)`)."""
        with self._mutex:
            stamped = {table: self._stamped_new(table, rows) for table, rows in tables.items()}
            if self.path.exists():
                if self.pending:
                    self.compact()  # the backup must hold every save made so far
                make_backup(self.path, reason)
            self._replace_all(self._with_shared(stamped))

    def _with_shared(self, tables: dict[str, list[dict[str, Any]]]) -> Data:
        """The file's state with these shared tables (a record keeps its document id)."""
        new: Data = {"meta": self.data["meta"]}
        for table in model.SHARED_TABLES:
            known = self._tables[table].doc_ids_by_record()
            rows: dict[str, Any] = {}
            next_id = max(known.values(), default=0) + 1
            for record in tables.get(table, []):
                doc_id = known.get(record["id"])
                if doc_id is None:
                    doc_id, next_id = next_id, next_id + 1
                rows[str(doc_id)] = record
            new[table] = rows
        return new

    def _stamped_new(self, table: str, records: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
        """New records with their first version, as a first save gives them."""
        stamped = []
        now = utc_now()
        for record in records:
            new = stamp(table, None, record, self.device, self.clock.tick(), now)
            assert new is not None
            stamped.append(new)
        return stamped

    def _replace_all(self, data: Data) -> None:
        """A new state written whole; kept only once it is on disk (a failure changes nothing)."""
        self._storage.check_writable()  # before anything changes in memory
        self._drop_home_cache()
        self._storage.write(data)
        for rows in self._tables.values():
            rows.clear_cache()  # each table re-indexes the new state
        # A position of its own: a reader placed just before it is told to read again.
        self._log_change("", "", replaced=True)

    def take_back(self, entries: Iterable[tuple[str, str, dict[str, Any] | None]]) -> int:
        """Put back documents an emergency copy kept (see services/rescue.py): each merged
        with the record as it is now, field by field as a sync merges; how many."""
        count = 0
        with self._mutex:
            for table, _key, doc in entries:
                if table not in model.SHARED_TABLES or not isinstance(doc, dict) or "id" not in doc:
                    continue  # bookkeeping of the app, or not a record
                current = self.peek(table, doc["id"])
                self._write(table, merge_records(table, current, doc) if current else doc)
                count += 1
        return count

    def close(self) -> None:
        """Fold the journal into the file and release the lock."""
        self._storage.wait_for_fold()  # before taking the lock the fold needs to finish
        with self._mutex:
            try:
                if self.pending:
                    self._drop_home_cache()
                self._db.close()  # the storage folds its journal into the file
            finally:
                if self._lock is not None:
                    self._lock.release()
                    self._lock = None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _copy(doc: dict[str, Any]) -> dict[str, Any]:
    """A deep copy of a stored record, through JSON: what it is on disk (a record is JSON by
    definition), in about a tenth of `copy.deepcopy`'s time (most of a saved step's 0.13 ms
    without its fsync went to the copy handed back)."""
    copied: dict[str, Any] = orjson.loads(orjson.dumps(doc))
    return copied
