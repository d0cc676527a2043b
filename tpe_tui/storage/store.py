"""The Store: the data file open for reading and writing by this process alone.

The data file is a plain TinyDB JSON file (`{table: {doc_id: record}}`) that people copy
between laptops. TinyDB works here over an in-memory storage: the file is parsed once, and
persisted two ways, both safe against a kill at any instant: each saved record is appended
to the journal (`journal.py`), and the whole file is rewritten atomically (`atomic.py`) on
close, when the journal grows, before a merge, and at the next start if a crash left a
journal behind. One process writes at a time (`lock.py`); a corrupt file is set aside,
never overwritten (`backups.py`).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from copy import deepcopy
from pathlib import Path
from typing import Any

from tinydb import TinyDB
from tinydb.storages import Storage

from tpe_tui.domain import records as model
from tpe_tui.domain.errors import DataFileError, SaveError
from tpe_tui.storage import home_picture, migrations
from tpe_tui.storage.atomic import atomic_write, save_error
from tpe_tui.storage.backups import list_backups, make_backup, set_aside
from tpe_tui.storage.file_format import Data, dump, open_readonly, parse_data
from tpe_tui.storage.journal import Journal, apply_journal, encode_entry, journal_path, read_journal
from tpe_tui.storage.lock import FileLock
from tpe_tui.sync.versions import HybridClock, next_version

# Past this size the journal is folded into the file (a full rewrite, off the UI thread).
JOURNAL_COMPACT_BYTES = 8 * 1024 * 1024


# ---------------------------------------------------------------------------- TinyDB glue
class MemoryStorage(Storage):
    """TinyDB storage over a dict held in memory; the Store persists it."""

    def __init__(self, data: Data) -> None:
        self.data = data

    def read(self) -> Data:
        return self.data

    def write(self, data: Data) -> None:
        self.data = data


# ---------------------------------------------------------------------------- the store
class Store:
    """The data file, open for reading and writing by this process alone."""

    def __init__(self, path: Path, data: Data, device: str, lock: FileLock | None) -> None:
        self.path = path
        self.device = device
        self.clock = HybridClock()
        self._lock = lock
        self._mutex = threading.RLock()
        self._journal = Journal(journal_path(path))
        self._needs_full_write = False
        self.recovered_entries = 0
        self._home_cache_dropped = False
        self._readonly = False
        self._set_data(data)

    # ------------------------------------------------------------------ opening
    @classmethod
    def open(cls, path: Path, device: str, *, backup: bool = True) -> Store:
        """Lock, read (replaying a journal left by a crash), migrate, back up."""
        lock = FileLock(path)
        lock.acquire()
        try:
            existed = path.exists()
            data, recovered = cls._read_for_write(path)
            store = cls(path, data, device, lock)
            store.recovered_entries = recovered
            store._migrate()
            if recovered or not existed:
                store.compact()
            if backup and existed:
                make_backup(path, "start")
            return store
        except BaseException:
            lock.release()
            raise

    @classmethod
    def snapshot(cls, path: Path) -> Store:
        """The file as it is now (journal applied, migrated in memory), read-only: no lock,
        nothing written; for commands that read while the app may have the file open."""
        store = cls(path, open_readonly(path), device="", lock=None)
        store._readonly = True
        return store

    @staticmethod
    def _read_for_write(path: Path) -> tuple[Data, int]:
        journal = journal_path(path)
        if not path.exists():
            if journal.exists():
                # A journal without its file: the file was lost, keep the journal aside.
                journal.rename(journal.with_name(journal.name + ".orphan"))
            return {}, 0
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise DataFileError(f"Impossible de lire {path} ({exc.strerror}).") from None
        if not raw.strip() and list_backups(path):
            # An empty file where backups exist is damage, not a new file.
            raw = b"\x00"
        try:
            data = parse_data(raw, str(path))
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
        entries, _bad = read_journal(journal)
        apply_journal(data, entries)
        return data, len(entries)

    def _set_data(self, data: Data) -> None:
        for table in model.ALL_TABLES:
            data.setdefault(table, {})
        self._storage_data = data
        self._db = TinyDB(storage=MemoryStorage, data=data)
        self._index: dict[str, dict[str, int]] = {
            table: {doc["id"]: int(key) for key, doc in data[table].items() if "id" in doc}
            for table in model.SHARED_TABLES
        }
        # Next free TinyDB doc id per table, kept rather than rescanned on every insert.
        self._next_ids = {
            table: max((int(k) for k in data[table] if k.isdigit()), default=0) + 1
            for table in model.SHARED_TABLES
        }

    @property
    def data(self) -> Data:
        return self._db.storage.read()

    def _migrate(self) -> None:
        version = migrations.schema_of(self.data)
        if version < model.SCHEMA_VERSION:
            make_backup(self.path, f"before-migration-{version}")
            migrated, _ = migrations.migrate(self.data, model.SCHEMA_VERSION)
            self._set_data(migrated)
            self._needs_full_write = True
            self.compact()
        elif not any("schema_version" in doc for doc in self.data["meta"].values()):
            migrations.set_schema(self.data, model.SCHEMA_VERSION)
            self._needs_full_write = True

    # ------------------------------------------------------------------ reading
    def get(self, table: str, record_id: str) -> dict[str, Any] | None:
        """A copy of the current version of a record (tombstones included)."""
        doc_id = self._index[table].get(record_id)
        if doc_id is None:
            return None
        doc = self.data[table].get(str(doc_id))
        return deepcopy(doc) if doc is not None else None

    def peek(self, table: str, record_id: str) -> dict[str, Any] | None:
        """The stored record itself, not a copy: for reading only (lists, lookups)."""
        doc_id = self._index[table].get(record_id)
        return None if doc_id is None else self.data[table].get(str(doc_id))

    def records(self, table: str, *, deleted: bool = False) -> Iterator[dict[str, Any]]:
        """The records of a table (read-only: never mutate them).

        The list of documents is taken under the lock: screens read from worker threads
        while the save thread inserts, and iterating a dict that grows would fail.
        """
        with self._mutex:
            docs = list(self.data[table].values())
        return (doc for doc in docs if deleted or not doc.get("deleted"))

    def locked(self) -> threading.RLock:
        """Hold while reading many records from a thread other than the saving one."""
        return self._mutex

    def count(self, table: str) -> int:
        return sum(1 for _ in self.records(table))

    def shared_tables(self) -> dict[str, list[dict[str, Any]]]:
        """Every shared record, tombstones included: what sync merges."""
        return {table: list(self.data[table].values()) for table in model.SHARED_TABLES}

    @property
    def schema_version(self) -> int:
        return migrations.schema_of(self.data)

    # ------------------------------------------------------------------ writing
    def put(self, table: str, record: dict[str, Any]) -> dict[str, Any]:
        """Save a record as a new version that supersedes the stored one; returns it."""
        with self._mutex:
            current = self.get(table, record["id"])
            parents = [current] if current else []
            siblings = current.get("conflicts", []) if current else []
            new = next_version(record, parents, self.device, self.clock, siblings=siblings)
            if current:
                new["created_at"] = current.get("created_at", new["created_at"])
                new["conflicts"] = current.get("conflicts", [])
            new.setdefault("conflicts", [])
            new.setdefault("deleted", False)
            self._write(table, new)
            return deepcopy(new)

    def delete(self, table: str, record_id: str, **fields: Any) -> dict[str, Any] | None:
        """Make a record a tombstone (never removed: the deletion must reach other laptops)."""
        with self._mutex:
            current = self.get(table, record_id)
            if current is None:
                return None
            current.update(fields)
            current["deleted"] = True
            return self.put(table, current)

    def resolve(self, table: str, record_id: str, chosen: dict[str, Any]) -> dict[str, Any]:
        """Keep `chosen` as the record: a version that supersedes the winner and every conflict."""
        with self._mutex:
            current = self.get(table, record_id)
            if current is None:
                raise KeyError(record_id)
            parents = [current, *current.get("conflicts", [])]
            body = {k: v for k, v in chosen.items() if k != "conflicts"}
            new = next_version(body, parents, self.device, self.clock)
            new["created_at"] = current.get("created_at", new["created_at"])
            new["conflicts"] = []
            self._write(table, new)
            return deepcopy(new)

    def add_meta(self, doc: dict[str, Any]) -> None:
        """Append a local bookkeeping document (sync log ...); never merged."""
        with self._mutex:
            doc_id = self._db.table("meta").insert(doc)
            self._persist("meta", str(doc_id))

    def _write(self, table: str, record: dict[str, Any]) -> None:
        # The document goes straight into the dict TinyDB reads: TinyDB's own insert and
        # update rebuild the whole table on every call (O(n): 79 ms per save at 100k
        # sessions, measured). Its query cache is dropped so TinyDB stays consistent.
        doc_id = self._index[table].get(record["id"])
        if doc_id is None:
            doc_id = self._next_doc_id(table)
            self._index[table][record["id"]] = doc_id
        with self._mutex:
            self.data[table][str(doc_id)] = record
        self._db.table(table).clear_cache()
        self._persist(table, str(doc_id))

    def _next_doc_id(self, table: str) -> int:
        doc_id = self._next_ids[table]
        self._next_ids[table] = doc_id + 1
        return doc_id

    def _persist(self, table: str, key: str) -> None:
        """Make one document durable: a journal line, or a full rewrite if one is owed."""
        self._refuse_if_readonly()
        self._drop_home_cache()
        if self._needs_full_write or self._journal.size > JOURNAL_COMPACT_BYTES:
            self.compact()
            return
        try:
            self._journal.append(encode_entry(table, key, self.data[table][key]))
        except OSError as exc:
            # The journal holds no torn line; the next save rewrites the whole file.
            self._needs_full_write = True
            raise save_error(exc, self.path) from exc

    def _drop_home_cache(self) -> None:
        # The picture of the home screen must never outlive the data it shows.
        if not self._home_cache_dropped:
            home_picture.drop(self.path)
            self._home_cache_dropped = True

    def compact(self) -> None:
        """Write the whole file atomically and drop the journal it now contains."""
        self._refuse_if_readonly()
        with self._mutex:
            self._drop_home_cache()
            self._write_whole(self.path)
            self._needs_full_write = False
            self._journal.discard()

    def _refuse_if_readonly(self) -> None:
        if self._readonly:
            raise SaveError("Ce fichier est ouvert en lecture seule : rien n’a été enregistré.")

    @property
    def pending(self) -> bool:
        """True while the file alone (without its journal) is not the latest state."""
        return self._journal.size > 0 or self._needs_full_write

    def _write_whole(self, target: Path) -> None:
        meta_doc = next(
            (d for d in self.data["meta"].values() if "schema_version" in d),
            None,
        )
        if meta_doc is not None:
            meta_doc["written_by"] = self.device
        atomic_write(target, dump(self.data))

    def replace_shared(self, tables: dict[str, list[dict[str, Any]]], reason: str) -> None:
        """Swap the shared tables for merged ones: backup first, then one atomic write."""
        with self._mutex:
            self.compact()
            make_backup(self.path, reason)
            new: Data = {"meta": self.data["meta"]}
            for table in model.SHARED_TABLES:
                known = self._index[table]
                rows: dict[str, Any] = {}
                next_id = max(known.values(), default=0) + 1
                for record in tables.get(table, []):
                    doc_id = known.get(record["id"])
                    if doc_id is None:
                        doc_id, next_id = next_id, next_id + 1
                    rows[str(doc_id)] = record
                new[table] = rows
            previous = self._storage_data
            self._set_data(new)
            try:
                self.compact()
            except SaveError:
                self._set_data(previous)
                raise

    def insert_many(self, table: str, records: Iterable[dict[str, Any]]) -> int:
        """Stamp and add many new records with one write (demo data, imports)."""
        with self._mutex:
            rows = self.data[table]
            count = 0
            for record in records:
                new = next_version(record, [], self.device, self.clock)
                new.setdefault("conflicts", [])
                new.setdefault("deleted", False)
                doc_id = self._next_doc_id(table)
                rows[str(doc_id)] = new
                self._index[table][new["id"]] = doc_id
                count += 1
            self._db.clear_cache()
            for name in self._db.tables():
                self._db.table(name)._next_id = None  # TinyDB caches it per table
            self._needs_full_write = True
            return count

    def close(self) -> None:
        """Fold the journal into the file and release the lock."""
        with self._mutex:
            try:
                if self.pending:
                    self.compact()
            finally:
                self._journal.close()
                if self._lock is not None:
                    self._lock.release()
                    self._lock = None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
