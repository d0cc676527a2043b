"""Reading a file someone hands us without trusting it: a FIFO, a device or a directory is
refused before anything is read (a FIFO would block, /dev/zero never ends), and so is a
file over a size limit."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from tpe_tui.domain.errors import ImportFileError, os_reason


def read_regular(path: Path, limit: int) -> bytes:
    """The bytes of a regular file of at most `limit` bytes, or a French ImportFileError."""
    try:
        # O_NONBLOCK: opening a FIFO with no writer would otherwise wait forever.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise ImportFileError(f"Le fichier {path} n’existe pas.") from None
    except IsADirectoryError:
        raise ImportFileError(f"{path} est un dossier, pas un fichier.") from None
    except OSError as exc:
        raise ImportFileError(f"Impossible de lire {path} ({os_reason(exc)}).") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise ImportFileError(f"{path} est un dossier, pas un fichier.")
        if not stat.S_ISREG(info.st_mode):
            raise ImportFileError(
                f"{path} n’est pas un fichier ordinaire (tube, périphérique…) : il n’a pas été lu."
            )
        if info.st_size > limit:
            raise ImportFileError(
                f"{path} est trop gros ({info.st_size // 2**20} Mo, au plus "
                f"{limit // 2**20} Mo) : il n’a pas été lu."
            )
        chunks = []
        total = 0
        while True:
            chunk = os.read(fd, min(1 << 20, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:  # it grew while we read it
                raise ImportFileError(f"{path} est trop gros : il n’a pas été lu.")
        return b"".join(chunks)
    except OSError as exc:
        raise ImportFileError(f"Impossible de lire {path} ({os_reason(exc)}).") from None
    finally:
        os.close(fd)
