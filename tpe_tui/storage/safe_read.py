"""Reading a file someone hands us without trusting it: a FIFO, a device or a directory is
refused before anything is read (a FIFO would block, /dev/zero never ends), and so is a
file over a size limit."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from tpe_tui.domain.errors import ImportFileError, UsageError, os_reason

# Said of a link to nothing in a shared folder, which is skipped.
DANGLING = "lien vers un fichier qui n’existe pas (déplacé ou supprimé) : rien n’y a été lu."


def data_files_in(folder: Path) -> list[Path]:
    """The data files (.json) of a shared folder, by name, hidden and temporary files of
    sync tools left out; a link to nothing is listed too, to be said skipped (NEW6-8: it
    was left out without a word)."""
    if not folder.is_dir():
        raise UsageError(f"{folder} n’est pas un dossier.")
    return sorted(
        p
        for p in folder.iterdir()
        if p.suffix == ".json"
        and (p.is_file() or dangling(p))
        and not p.name.startswith((".", "~"))
    )


def dangling(path: Path) -> bool:
    """A link whose target is gone (a file moved or deleted by a sync tool)."""
    return path.is_symlink() and not path.exists()


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
