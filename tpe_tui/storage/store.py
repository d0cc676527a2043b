"""Crash-safe storage of the data file. The only module that imports TinyDB.

The data file is a plain TinyDB JSON file (`{table: {doc_id: record}}`) that people copy
between laptops. TinyDB works here over an in-memory storage: the file is parsed once, and
persisted two ways, both safe against a kill at any instant:

- each saved record is appended to a journal beside the file (one checksummed line,
  fsync'd): a save costs a few milliseconds whatever the size of the file;
- the whole file is rewritten atomically (temporary file in the same folder, fsync,
  `os.replace`, fsync of the folder) on close, when the journal grows, before a merge, and
  at the next start if a crash left a journal behind.

So the JSON file is complete whenever the app is closed, and a killed process loses nothing
it had acknowledged. One process writes at a time (a lock file); a corrupt file is set
aside, never overwritten.
"""

from __future__ import annotations

import contextlib
import errno
import os
import platform
import shutil
import threading
import zlib
from collections.abc import Iterable, Iterator
from copy import deepcopy
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
from tinydb import TinyDB
from tinydb.storages import Storage

from tpe_tui.domain import records as model
from tpe_tui.domain.errors import DataFileError, ImportFileError, LockedError, SaveError
from tpe_tui.storage import home_picture, migrations
from tpe_tui.storage.paths import backups_dir
from tpe_tui.sync.versions import HybridClock, next_version

Data = dict[str, dict[str, Any]]

JOURNAL_SUFFIX = ".journal"
LOCK_SUFFIX = ".lock"
# Past this size the journal is folded into the file (a full rewrite, off the UI thread).
JOURNAL_COMPACT_BYTES = 8 * 1024 * 1024
KEEP_LAST_BACKUPS = 5
KEEP_DAILY_BACKUPS = 14

_DISK_FULL = {errno.ENOSPC, errno.EFBIG, getattr(errno, "EDQUOT", errno.ENOSPC)}


# ---------------------------------------------------------------------------- file writes
def _fsync_dir(folder: Path) -> None:
    """Make a rename durable (POSIX); Windows has no directory handles to sync."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _save_error(exc: OSError, path: Path) -> SaveError:
    if exc.errno in _DISK_FULL:
        text = (
            f"Plus de place sur le disque pour enregistrer {path.name} : "
            "le fichier n’a pas été modifié. Libérez de la place puis réessayez."
        )
    elif exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        text = (
            f"Impossible d’écrire dans {path.parent} (droits insuffisants ou support en "
            "lecture seule) : le fichier n’a pas été modifié."
        )
    else:
        text = f"L’enregistrement de {path.name} a échoué ({exc.strerror}) : le fichier n’a pas été modifié."
    return SaveError(text)


def atomic_write(path: Path, payload: bytes) -> None:
    """Replace `path` by `payload`: afterwards the file is the old one or the new one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            view = memoryview(payload)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
        _fsync_dir(path.parent)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise _save_error(exc, path) from exc


def dump(data: Data) -> bytes:
    return orjson.dumps(data)


# ---------------------------------------------------------------------------- the lock
class FileLock:
    """An exclusive lock on `<file>.lock`, released by the system if the process dies."""

    def __init__(self, db: Path) -> None:
        self.path = db.with_name(db.name + LOCK_SUFFIX)
        self._fd: int | None = None

    def acquire(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            self._lock(fd)
        except OSError:
            holder = self._holder(fd)
            os.close(fd)
            raise LockedError(
                f"Le fichier de données {self.path.with_suffix('')} est déjà ouvert par un "
                f"autre tpe-tui{holder}. Fermez-le, puis réessayez."
            ) from None
        # A lock left by a dead process was released by the system: we simply take it over.
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()} {platform.node()}\n".encode())
        self._fd = fd

    @staticmethod
    def _lock(fd: int) -> None:
        if os.name == "posix":
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        else:  # pragma: no cover - Windows
            import msvcrt

            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)

    @staticmethod
    def _holder(fd: int) -> str:
        try:
            text = os.pread(fd, 200, 0).decode(errors="replace").split()
        except (OSError, AttributeError):
            return ""
        return f" (processus {text[0]} sur {text[1]})" if len(text) >= 2 else ""

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


# ---------------------------------------------------------------------------- backups
def backup_name(db: Path, reason: str, when: datetime) -> str:
    return f"{db.stem}-{when.strftime('%Y%m%dT%H%M%S%fZ')}-{reason}.json"


def backups_to_delete(
    names: Iterable[str], keep_last: int = KEEP_LAST_BACKUPS, keep_days: int = KEEP_DAILY_BACKUPS
) -> list[str]:
    """Rotation: keep the newest few, plus the newest of each of the last `keep_days` days.

    Names sort by time (the timestamp follows the stem), so no clock is needed here.
    """
    ordered = sorted(names, reverse=True)
    keep = set(ordered[:keep_last])
    days: dict[str, str] = {}
    for name in ordered:
        stamp = name.rsplit("-", 2)[-2] if name.count("-") >= 2 else ""
        day = stamp[:8]
        if day and day not in days:
            days[day] = name
    for day in sorted(days, reverse=True)[:keep_days]:
        keep.add(days[day])
    return [name for name in ordered if name not in keep]


def list_backups(db: Path) -> list[Path]:
    """This file's backups, newest first."""
    folder = backups_dir(db)
    if not folder.is_dir():
        return []
    return sorted(folder.glob(f"{db.stem}-*.json"), reverse=True)


def make_backup(db: Path, reason: str) -> Path | None:
    """Keep a copy of the file as it is now. A hard link costs nothing: the file is only
    ever replaced, never written in place, so the link keeps the old content."""
    if not db.exists():
        return None
    folder = backups_dir(db)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / backup_name(db, reason, datetime.now(UTC))
    try:
        os.link(db, target)
    except OSError:
        try:
            shutil.copyfile(db, target)
            os.chmod(target, 0o600)
        except OSError as exc:
            raise _save_error(exc, target) from exc
    for name in backups_to_delete(p.name for p in folder.glob(f"{db.stem}-*.json")):
        with contextlib.suppress(OSError):
            (folder / name).unlink()
    return target


# ---------------------------------------------------------------------------- reading
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


def read_journal(path: Path) -> tuple[list[tuple[str, str, dict[str, Any]]], int]:
    """The journal's entries, and how many damaged lines were skipped (a torn last line)."""
    entries: list[tuple[str, str, dict[str, Any]]] = []
    bad = 0
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return entries, 0
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


def apply_journal(data: Data, entries: Iterable[tuple[str, str, dict[str, Any]]]) -> None:
    for table, key, doc in entries:
        data.setdefault(table, {})[key] = doc


def load_snapshot(path: Path) -> Data:
    """The file with its journal applied, read-only (no lock, nothing written)."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise DataFileError(f"Le fichier {path} n’existe pas.") from None
    except OSError as exc:
        raise DataFileError(f"Impossible de lire {path} ({exc.strerror}).") from None
    data = parse_data(raw, str(path))
    entries, _ = read_journal(path.with_name(path.name + JOURNAL_SUFFIX))
    apply_journal(data, entries)
    return data


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
        self._journal_path = path.with_name(path.name + JOURNAL_SUFFIX)
        self._journal_fd: int | None = None
        self._journal_bytes = 0
        self._needs_full_write = False
        self.recovered_entries = 0
        self._home_cache_dropped = False
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

    @staticmethod
    def _read_for_write(path: Path) -> tuple[Data, int]:
        journal = path.with_name(path.name + JOURNAL_SUFFIX)
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
        self._drop_home_cache()
        if self._needs_full_write or self._journal_bytes > JOURNAL_COMPACT_BYTES:
            self.compact()
            return
        body = orjson.dumps({"t": table, "k": key, "d": self.data[table][key]})
        line = b"%08x %s\n" % (zlib.crc32(body), body)
        try:
            fd = self._journal()
            before = os.lseek(fd, 0, os.SEEK_END)
            try:
                os.write(fd, line)
                os.fsync(fd)
            except OSError:
                # Cut the torn line so later lines stay readable; the next save rewrites all.
                with contextlib.suppress(OSError):
                    os.ftruncate(fd, before)
                raise
        except OSError as exc:
            self._needs_full_write = True
            raise _save_error(exc, self.path) from exc
        self._journal_bytes += len(line)

    def _journal(self) -> int:
        if self._journal_fd is None:
            fd = os.open(self._journal_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
            _fsync_dir(self._journal_path.parent)
            self._journal_fd = fd
        return self._journal_fd

    def _drop_home_cache(self) -> None:
        # The picture of the home screen must never outlive the data it shows.
        if not self._home_cache_dropped:
            home_picture.drop(self.path)
            self._home_cache_dropped = True

    def compact(self) -> None:
        """Write the whole file atomically and drop the journal it now contains."""
        with self._mutex:
            self._drop_home_cache()
            self._write_whole(self.path)
            self._needs_full_write = False
            if self._journal_fd is not None:
                os.close(self._journal_fd)
                self._journal_fd = None
            with contextlib.suppress(FileNotFoundError):
                self._journal_path.unlink()
            self._journal_bytes = 0

    @property
    def pending(self) -> bool:
        """True while the file alone (without its journal) is not the latest state."""
        return self._journal_bytes > 0 or self._needs_full_write

    def _write_whole(self, target: Path) -> None:
        meta_doc = next(
            (d for d in self.data["meta"].values() if "schema_version" in d),
            None,
        )
        if meta_doc is not None:
            meta_doc["written_by"] = self.device
        atomic_write(target, dump(self.data))

    def export(self, target: Path) -> None:
        """An atomic, complete copy of the data, ready to carry to another laptop."""
        with self._mutex:
            if target.resolve() == self.path.resolve():
                raise ImportFileError("On ne peut pas exporter le fichier sur lui-même.")
            self._write_whole(target)

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
                if self._journal_fd is not None:
                    os.close(self._journal_fd)
                    self._journal_fd = None
                if self._lock is not None:
                    self._lock.release()
                    self._lock = None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def set_aside(path: Path) -> Path:
    """Rename a damaged file so nothing ever writes over it."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.stem}.illisible-{stamp}{path.suffix}")
    os.replace(path, target)
    return target


def restore_backup(path: Path, backup: Path) -> None:
    """Put a backup back in place of the data file (the damaged one was set aside)."""
    atomic_write(path, backup.read_bytes())


def open_readonly(path: Path) -> Data:
    """The data of a file, journal applied and migrated in memory; the file is untouched."""
    data = load_snapshot(path)
    for table in model.ALL_TABLES:
        data.setdefault(table, {})
    data, _ = migrations.migrate(data, model.SCHEMA_VERSION)
    return data


def read_foreign(path: Path, our_device: str, our_path: Path) -> dict[str, list[dict[str, Any]]]:
    """Read another laptop's file for a merge, checking all of it before anything changes."""
    try:
        if path.resolve() == our_path.resolve() or (
            our_path.exists() and path.exists() and path.samefile(our_path)
        ):
            raise ImportFileError(
                "Ce fichier est votre propre fichier de données : rien à fusionner."
            )
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ImportFileError(f"Le fichier {path} n’existe pas.") from None
    except IsADirectoryError:
        raise ImportFileError(f"{path} est un dossier, pas un fichier.") from None
    except OSError as exc:
        raise ImportFileError(f"Impossible de lire {path} ({exc.strerror}).") from None
    if not raw.strip():
        raise ImportFileError(f"{path} est vide.")
    try:
        data = parse_data(raw, str(path))
    except DataFileError as exc:
        raise ImportFileError(str(exc)) from None
    if not any(table in data for table in model.SHARED_TABLES):
        raise ImportFileError(f"{path} n’est pas un fichier de données tpe-tui.")
    written_by = next(
        (d.get("written_by") for d in data.get("meta", {}).values() if "schema_version" in d),
        None,
    )
    if written_by == our_device:
        raise ImportFileError(
            f"{path} a été écrit par cet ordinateur : c’est déjà votre fichier (ou une copie)."
        )
    data, _ = migrations.migrate(data, model.SCHEMA_VERSION)
    tables = {table: list(data.get(table, {}).values()) for table in model.SHARED_TABLES}
    for table, records in tables.items():
        for record in records:
            found = model.problems(table, record)
            if found:
                raise ImportFileError(
                    f"{path} contient un enregistrement invalide dans « {table} » "
                    f"({record.get('id', '?')} : {found[0]}) : rien n’a été fusionné."
                )
    return tables


def export_file(db: Path, target: Path, device: str) -> Path:
    """Write a complete copy of the data file (journal included) atomically; returns where."""
    if target.exists() and target.resolve() == db.resolve():
        raise ImportFileError("On ne peut pas exporter le fichier de données sur lui-même.")
    if target.is_dir():
        target = target / db.name
    data = load_snapshot(db)
    if not any("schema_version" in doc for doc in data.get("meta", {}).values()):
        migrations.set_schema(data, migrations.schema_of(data))
    for doc in data["meta"].values():
        if "schema_version" in doc:
            doc["written_by"] = device  # so this laptop recognises its own file on import
    atomic_write(target, dump(data))
    return target
