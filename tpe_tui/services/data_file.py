"""The data file as a whole, for the app's start and recovery: the home picture kept beside
it and putting a backup back in place. The app reaches storage only through services."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tpe_tui.storage import home_picture


def read_home_picture(db: Path) -> dict[str, Any] | None:
    """The home as it was left, or None when it does not match the file as it is."""
    return home_picture.read(db)


def write_home_picture(db: Path, picture: dict[str, Any]) -> None:
    home_picture.write(db, picture)


def restore_backup(db: Path, backup: Path) -> None:
    """Put a backup back in place of the data file (the damaged one was set aside)."""
    # Imported here: the app's first frame must not wait for the store module.
    from tpe_tui.storage.backups import restore_backup as put_back

    put_back(db, backup)
