"""Atomic file writes: afterwards a file is its old content or its new one, never half."""

from __future__ import annotations

import contextlib
import errno
import os
import threading
from collections.abc import Iterable
from pathlib import Path

from tpe_tui.domain.errors import SaveError

_DISK_FULL = {errno.ENOSPC, errno.EFBIG, getattr(errno, "EDQUOT", errno.ENOSPC)}


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


def write_temporary(path: Path, chunks: Iterable[bytes]) -> Path:
    """Write `chunks` to a temporary file beside `path`, fsync'd; returns the temporary file.

    The chunks may be produced while this runs (a generator): each `os.write` lets other
    threads run, so a large file written in slices never holds the GIL for long.
    """
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)  # names inside are personal
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
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
