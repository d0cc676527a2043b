"""Backups of the data file (rotated in the data folder) and damaged files set aside."""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from tpe_tui.domain import records as model
from tpe_tui.domain.errors import DataFileError, SaveError
from tpe_tui.storage import migrations, paths
from tpe_tui.storage.atomic import (
    atomic_write,
    fsync_dir,
    leftovers,
    replace_with,
    save_error,
    temporary_path,
)
from tpe_tui.storage.file_format import Data, dump, parse_data
from tpe_tui.storage.guard import OWN_SUFFIXES, real_path
from tpe_tui.storage.paths import backups_dir

KEEP_LAST_BACKUPS = 5
# Journal lines damaged in the middle, kept as found (`keep_damaged_lines`).
DAMAGED_LINES_SUFFIX = "-journal-lignes-abimees.txt"
KEEP_DAILY_BACKUPS = 14


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
    paths.private_dir(folder)
    target = folder / backup_name(db, reason, datetime.now(UTC))
    try:
        os.link(db, target)
    except OSError:
        _copy(db, target)
    for name in backups_to_delete(p.name for p in folder.glob(f"{db.stem}-*.json")):
        with contextlib.suppress(OSError):
            (folder / name).unlink()
    return target


def _copy(db: Path, target: Path) -> None:
    """A copy under a temporary name, renamed once complete: a kill midway leaves no
    half backup, only a temporary file the next opening removes."""
    tmp = temporary_path(target)
    try:
        shutil.copyfile(db, tmp)
        os.chmod(tmp, 0o600)
        with tmp.open("rb") as copied:
            os.fsync(copied.fileno())
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise save_error(exc, target) from exc
    replace_with(tmp, target)


def set_aside(path: Path) -> Path:
    """Rename a damaged file so nothing ever writes over it."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.stem}.illisible-{stamp}{path.suffix}")
    os.replace(path, target)
    return target


def keep_damaged_lines(db: Path, lines: Iterable[bytes]) -> Path:
    """Keep journal lines damaged in the middle (finished saves, checksum wrong) in the
    backups folder, as found, before the journal that holds them is folded and deleted:
    nothing is lost, and a person (or support) can still read what is left of them."""
    folder = backups_dir(db)
    paths.private_dir(folder)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = folder / f"{db.stem}-{stamp}{DAMAGED_LINES_SUFFIX}"
    atomic_write(target, b"".join(line + b"\n" for line in lines))
    return target


def restore_backup(path: Path, backup: Path) -> None:
    """Put a backup back in place of the data file (the damaged one was set aside)."""
    atomic_write(real_path(path), backup.read_bytes())


# ---------------------------------------------------------------------------- erasure
@dataclass
class Rewritten:
    """What an erasure did to the copies of the data file kept beside it."""

    rewritten: list[Path] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)
    kept: list[Path] = field(default_factory=list)  # could not be rewritten, left as it was


def kept_copies(db: Path) -> list[Path]:
    """Every copy of the data file kept beside it: its backups, the damaged files set
    aside, a journal left without its file, journal lines kept aside as damaged."""
    aside = sorted(db.parent.glob(f"{db.stem}.illisible-*{db.suffix}"))
    orphan = db.with_name(db.name + ".journal.orphan")
    return [*list_backups(db), *aside, *([orphan] if orphan.is_file() else []), *damaged_lines(db)]


def damaged_lines(db: Path) -> list[Path]:
    """The files of journal lines kept aside as damaged (`keep_damaged_lines`)."""
    return sorted(backups_dir(db).glob(f"{db.stem}-*{DAMAGED_LINES_SUFFIX}"))


def is_whole_file(raw: bytes, name: str) -> bool:
    """Whether these bytes are a whole data file (a copy exported for another laptop, say):
    one an erasure rewrites rather than deletes."""
    try:
        data = parse_data(raw, name)
    except (DataFileError, ValueError):
        return False
    meta = data.get("meta")
    return isinstance(meta, dict) and any(
        isinstance(doc, dict) and "schema_version" in doc for doc in meta.values()
    )


def erase_in_copies(
    db: Path,
    concerns: Callable[[bytes], bool],
    erase: Callable[[Data], Data],
    still_holds: Callable[[bytes], bool],
    copies: Iterable[Path] | None = None,
    keep_unwritable: bool = False,
) -> Rewritten:
    """Apply an erasure to every kept copy (or to these `copies`) it `concerns`: rewritten
    atomically with `erase` applied, so that it can still restore everyone else (a copy of
    an older schema is migrated first); removed when it cannot be rewritten (unreadable, of
    a newer schema) or `still_holds` the person afterwards — or, `keep_unwritable`, left as
    it is and named in `removed`'s stead in `kept` (a copy the mediator put in Documents is
    not ours to delete).

    Copies of one content (backups are hard links of the data file: a file opened several
    times unchanged leaves several names of one file; or byte-identical copies) are parsed
    and rewritten once, the other names then linked to the result: parsing and writing
    a 10k file takes a second or two each, and the saves wait meanwhile."""
    done = Rewritten()
    outcome: dict[object, Path | None] = {}  # same content -> its rewrite (None: failed)
    for copy in kept_copies(db) if copies is None else copies:
        try:
            info = copy.stat()
            raw = copy.read_bytes()
        except OSError:
            continue
        if not concerns(raw):
            continue
        same = ((info.st_dev, info.st_ino), hashlib.blake2b(raw, digest_size=20).digest())
        known = [outcome[key] for key in same if key in outcome]
        if not known:
            first = _rewritten(copy, raw, db, erase, still_holds)
            outcome.update(dict.fromkeys(same, first))
        else:
            first = known[0]
            if first is not None and not _linked(first, copy):
                first = _rewritten(copy, raw, db, erase, still_holds)
        if first is not None:
            done.rewritten.append(copy)
        elif keep_unwritable:
            done.kept.append(copy)
        else:
            _remove(copy, done)
    return done


def _rewritten(
    copy: Path,
    raw: bytes,
    db: Path,
    erase: Callable[[Data], Data],
    still_holds: Callable[[bytes], bool],
) -> Path | None:
    """`copy` rewritten with the erasure applied; None when it cannot be."""
    try:
        if copy.suffix != db.suffix:
            raise DataFileError("not a whole file")
        data = parse_data(raw, copy.name)
        schema = migrations.schema_of(data)
        if schema > model.SCHEMA_VERSION:
            raise DataFileError("newer schema")
        if schema < model.SCHEMA_VERSION:
            # A copy taken before a migration holds everyone's data too: migrated first,
            # so the erasure sees every field where this program writes it, and kept
            # (it restores as a file of today's schema).
            try:
                data, _ = migrations.migrate(data)
            except Exception as exc:  # a copy that does not migrate is not kept half-done
                raise DataFileError(f"older schema: {exc}") from None
        new = dump(erase(data))
        if still_holds(new):
            raise DataFileError("still holds the person")
        atomic_write(copy, new)  # a new file: a hard link to the data file stays intact
        return copy
    except (DataFileError, ValueError, SaveError):
        return None


def _linked(source: Path, target: Path) -> bool:
    """`target` replaced, atomically, by another name of the rewritten `source`."""
    tmp = temporary_path(target)
    try:
        os.link(source, tmp)
        os.replace(tmp, target)
        fsync_dir(target.parent)
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink()
        return False
    return True


def _remove(copy: Path, done: Rewritten) -> None:
    try:
        copy.unlink()
    except OSError:
        return
    done.removed.append(copy)


def leftover_temporaries(db: Path) -> list[Path]:
    """Temporary files that writes killed midway left beside the data file (a whole
    rewrite, a journal cut short, the home picture) and in its backups folder: of our naming
    (atomic.py), for one of these files, by a process that is gone. Nothing else."""
    own = {db.name, *(db.name + suffix for suffix in OWN_SUFFIXES)}
    stem = f"{db.stem}-"
    return sorted(
        [
            *leftovers(db.parent, lambda target: target in own),
            *leftovers(
                backups_dir(db),
                lambda target: target.startswith(stem) and target.endswith(".json"),
            ),
        ]
    )
