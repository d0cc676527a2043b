"""Errors that reach the person: each carries one clear French sentence."""

from __future__ import annotations

import errno
from typing import Any


class TpeError(Exception):
    """Base of the errors shown to the person; `str(error)` is the French message."""

    exit_code = 1


class DataFileError(TpeError):
    """Our data file cannot be used (unreadable, corrupt, too new)."""

    def __init__(self, message: str, set_aside: str | None = None, backup: str | None = None):
        super().__init__(message)
        self.set_aside = set_aside
        self.backup = backup


class LockedError(TpeError):
    """Another tpe-tui has the data file open."""


class DataFolderError(TpeError):
    """The data file's folder cannot take our writes (disk full, read-only, no rights):
    nothing was changed, and trying again works once that is fixed."""


class SaveError(TpeError):
    """A write failed; the file on disk was left as it was."""


class UnsavedError(SaveError):
    """Closing failed and documents are not on disk (neither the file nor its journal
    could take them): `entries` are they, as (table, document key, document)."""

    def __init__(self, message: str, entries: list[tuple[str, str, dict[str, Any] | None]]):
        super().__init__(message)
        self.entries = entries


class ImportFileError(TpeError):
    """A file given to import or sync is not usable; nothing was changed."""

    exit_code = 2


class UsageError(TpeError):
    """Bad command-line input."""

    exit_code = 2


# What the system says went wrong with a file, in French: Python's `strerror` is the C
# library's English (« No such file or directory ») and read in the middle of a French
# sentence (finding NEW5-10).
_OS_REASONS = {
    "ENOENT": "fichier ou dossier introuvable",
    "ENOTDIR": "un élément du chemin n’est pas un dossier",
    "EISDIR": "c’est un dossier",
    "EACCES": "droits insuffisants",
    "EPERM": "opération non permise",
    "EROFS": "support en lecture seule",
    "ENOSPC": "plus de place sur le disque",
    "EDQUOT": "quota du disque dépassé",
    "EFBIG": "fichier trop gros",
    "EEXIST": "existe déjà",
    "ENOTEMPTY": "dossier non vide",
    "ENAMETOOLONG": "nom trop long",
    "ELOOP": "trop de liens symboliques, en boucle peut-être",
    "EBUSY": "fichier ou support occupé",
    "ETXTBSY": "fichier occupé",
    "EIO": "erreur de lecture ou d’écriture sur le support, débranché ou abîmé peut-être",
    "ENXIO": "périphérique absent",
    "ENODEV": "périphérique absent",
    "EXDEV": "sur un autre disque",
    "EINVAL": "opération impossible sur ce fichier",
    "EMFILE": "trop de fichiers ouverts",
    "ENFILE": "trop de fichiers ouverts",
    "EAGAIN": "ressource momentanément indisponible",
    "ETIMEDOUT": "le support ne répond pas",
    "ESTALE": "le support réseau ne répond plus",
    "EOPNOTSUPP": "opération non prise en charge par ce support",
    "ENOTSUP": "opération non prise en charge par ce support",
    "ENOEXEC": "programme illisible",
}


def os_reason(exc: OSError) -> str:
    """Why a file operation failed, in a few French words (never the system's English)."""
    name = errno.errorcode.get(exc.errno or 0, "")
    return _OS_REASONS.get(name) or f"erreur du système{f' {name}' if name else ''}"
