"""Atomic file writes: afterwards a file is its old content or its new one, never half."""

from __future__ import annotations

import contextlib
import errno
import os
import re
import threading
from collections.abc import Callable, Iterable
from pathlib import Path

from tpe_tui.domain.errors import SaveError, os_reason

DISK_FULL = {errno.ENOSPC, errno.EFBIG, getattr(errno, "EDQUOT", errno.ENOSPC)}
NOT_WRITABLE = {errno.EACCES, errno.EPERM, errno.EROFS}


def fsync_dir(folder: Path) -> None:
    """Make a rename durable (POSIX); Windows has no directory handles to sync."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def save_error(exc: OSError, path: Path) -> SaveError:
    """The French message for a failed write of `path`."""
    if exc.errno in DISK_FULL:
        text = (
            f"Plus de place sur le disque pour enregistrer {path.name} : "
            "le fichier n’a pas été modifié. Libérez de la place puis réessayez."
        )
    elif exc.errno in NOT_WRITABLE:
        text = (
            f"Impossible d’écrire dans {path.parent} (droits insuffisants ou support en "
            "lecture seule) : le fichier n’a pas été modifié."
        )
    else:
        text = f"L’enregistrement de {path.name} a échoué ({os_reason(exc)}) : le fichier n’a pas été modifié."
    return SaveError(text)


# The name of our temporary files: `.<target name>.<process id>.<thread id>.tmp`, beside the
# target. A process killed midway leaves one behind (`remove_leftovers` finds them).
_TEMPORARY = re.compile(r"\.(?P<target>.+)\.(?P<pid>[0-9]+)\.(?P<thread>[0-9]+)\.tmp")


def temporary_path(path: Path) -> Path:
    """Where `write_temporary` writes the next content of `path`."""
    return path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")


def _alive(pid: int) -> bool:
    """True when a process of this id runs (on this machine) now."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (OSError, OverflowError):  # another user's process, or no process id of ours
        return True
    return True


def leftovers(folder: Path, of: Callable[[str], bool] = lambda _: True) -> list[Path]:
    """The temporary files our writes left in `folder` when killed midway.

    Only regular files named as `temporary_path` names them, for a target `of` accepts,
    written by a process that is gone: another file, or one a running writer is still
    writing, is never among them.
    """
    try:
        names = os.listdir(folder)
    except OSError:
        return []
    found = []
    for name in names:
        match = _TEMPORARY.fullmatch(name)
        if match is None or not of(match["target"]) or _alive(int(match["pid"])):
            continue
        path = folder / name
        if path.is_file() and not path.is_symlink():
            found.append(path)
    return found


def remove_leftovers(paths: Iterable[Path]) -> list[Path]:
    """Delete leftovers found by `leftovers`; returns those removed (one that cannot be is
    left for the next time)."""
    removed = []
    for path in paths:
        with contextlib.suppress(OSError):
            path.unlink()
            removed.append(path)
    return removed


def write_temporary(path: Path, chunks: Iterable[bytes]) -> Path:
    """Write `chunks` to a temporary file beside `path`, fsync'd; returns the temporary file.

    The chunks may be produced while this runs (a generator): each `os.write` lets other
    threads run, so a large file written in slices never holds the GIL for long.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)  # names inside are personal
    except OSError as exc:
        if exc.errno in (errno.EEXIST, errno.ENOTDIR):  # a file where a folder should be
            raise SaveError(
                f"{path.parent} n’est pas un dossier (un fichier porte ce nom) : "
                f"{path.name} n’a pas été enregistré."
            ) from exc
        raise save_error(exc, path) from exc
    tmp = temporary_path(path)
    try:
        # Never through a link planted under our temporary name (shared folders).
        flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0)
        fd = os.open(tmp, flags, 0o600)
        try:
            for chunk in chunks:
                view = memoryview(chunk)
                while view:
                    written = os.write(fd, view)
                    view = view[written:]
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise save_error(exc, path) from exc
    return tmp


def replace_with(tmp: Path, path: Path) -> None:
    """Put a temporary file from `write_temporary` in place of `path`, durably."""
    try:
        os.replace(tmp, path)
        fsync_dir(path.parent)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise save_error(exc, path) from exc


def atomic_write(path: Path, payload: bytes) -> None:
    """Replace `path` by `payload`: afterwards the file is the old one or the new one."""
    replace_with(write_temporary(path, (payload,)), path)
