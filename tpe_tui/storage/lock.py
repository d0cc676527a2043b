"""One writer per data file: an exclusive lock on `<file>.lock`."""

from __future__ import annotations

import os
import platform
import sys
from pathlib import Path

from tpe_tui.domain.errors import LockedError
from tpe_tui.storage import paths
from tpe_tui.storage.guard import real_path

LOCK_SUFFIX = ".lock"


class FileLock:
    """An exclusive lock on `<file>.lock`, released by the system if the process dies."""

    def __init__(self, db: Path) -> None:
        db = real_path(db)  # a symbolic link to the file takes the same lock
        self.path = db.with_name(db.name + LOCK_SUFFIX)
        self._fd: int | None = None

    def acquire(self) -> None:
        folder = self.path.parent
        if folder == paths.data_dir():
            paths.private_dir(folder)  # ours: file names and backups carry business names
        else:
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
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
        try:
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()} {platform.node()}\n".encode())
        except OSError:
            os.close(fd)  # let go of the lock: trying again must find it free
            raise
        self._fd = fd

    @staticmethod
    def _lock(fd: int) -> None:
        if sys.platform != "win32":
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
