"""Where tpe-tui keeps its files (platformdirs), and the laptop's identity."""

from __future__ import annotations

import contextlib
import os
import uuid
from pathlib import Path

import platformdirs

APP_NAME = "tpe-tui"
DB_ENV = "TPE_TUI_DB"
DB_FILENAME = "tpe-tui.json"


def private_dir(folder: Path) -> Path:
    """`folder`, created if needed and readable by this user alone (0700): file names and
    contents carry businesses' and people's names. An existing folder is tightened too."""
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    if os.name == "posix" and folder.stat().st_mode & 0o077:
        with contextlib.suppress(OSError):  # not ours to change (a shared folder): leave it
            folder.chmod(0o700)
    return folder


def data_dir() -> Path:
    """Folder of the data file and its backups."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def config_dir() -> Path:
    """Folder of the device id, the settings and the user's own templates."""
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def log_dir() -> Path:
    """Folder of the error log (details that never reach the screen)."""
    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))


def documents_dir() -> Path:
    """Folder where summaries are saved for the mediator to find and print."""
    return Path(platformdirs.user_documents_dir()) / APP_NAME


def user_templates_dir() -> Path:
    """A template placed here overrides the shipped one of the same name."""
    return config_dir() / "templates"


def db_path(override: str | os.PathLike[str] | None = None) -> Path:
    """The data file: `--db` first, then `$TPE_TUI_DB`, then the user data dir."""
    if override:
        return Path(override).expanduser()
    env = os.environ.get(DB_ENV)
    if env:
        return Path(env).expanduser()
    return data_dir() / DB_FILENAME


def backups_dir(db: Path) -> Path:
    """Backups sit beside the data file, so a copied folder carries them along."""
    return db.parent / "backups"


def device_id(folder: Path | None = None) -> str:
    """This laptop's id, created once and kept in the config dir.

    It never goes in the data file: copying the data file to another laptop must not copy
    the identity, or two laptops would write edits under one name and sync could not tell
    their edits apart.
    """
    folder = folder or config_dir()
    path = folder / "device-id"
    try:
        value = path.read_text(encoding="utf-8").strip()
        if value:
            return value
    except FileNotFoundError:
        pass
    private_dir(folder)
    value = uuid.uuid4().hex[:12]
    tmp = path.with_suffix(".tmp")
    tmp.write_text(value + "\n", encoding="utf-8")
    os.replace(tmp, path)
    return value
