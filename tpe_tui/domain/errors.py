"""Errors that reach the person: each carries one clear French sentence."""

from __future__ import annotations

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
