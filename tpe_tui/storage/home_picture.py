"""A small picture of the home screen kept beside the data file, so that the app shows its
home at once while the whole file (tens of megabytes after years of use) is read behind it.

It is only trusted when it was written for the data file exactly as it is now (same size and
modification time, no journal pending); any save removes it, so it never outlives the data
it shows (an erasure, for one). No Textual, no TinyDB.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Any

import orjson

SUFFIX = ".accueil"
JOURNAL_SUFFIX = ".journal"


def path_for(db: Path) -> Path:
    # Named after the real file, as the store names its journal and lock: the app given a
    # symbolic link must find the picture the store drops on every save.
    db = Path(os.path.realpath(db))
    return db.with_name(db.name + SUFFIX)


def _journal_pending(db: Path) -> bool:
    db = Path(os.path.realpath(db))
    return db.with_name(db.name + JOURNAL_SUFFIX).exists()


def signature(db: Path) -> list[int] | None:
    try:
        info = db.stat()
    except OSError:
        return None
    return [info.st_size, info.st_mtime_ns]


def write(db: Path, payload: dict[str, Any]) -> None:
    """Written for the data file as it is now; a failure only costs a slower next start."""
    from tpe_tui.domain.errors import SaveError
    from tpe_tui.storage.atomic import atomic_write

    sig = signature(db)
    if sig is None or _journal_pending(db):
        return
    # atomic_write turns a full disk into a SaveError: here it only costs a slower start.
    with contextlib.suppress(OSError, SaveError):
        atomic_write(path_for(db), orjson.dumps({"signature": sig, "home": payload}))


def read(db: Path) -> dict[str, Any] | None:
    """The cached home if it matches the data file, else None."""
    try:
        raw = orjson.loads(path_for(db).read_bytes())
    except (OSError, orjson.JSONDecodeError):
        return None
    if _journal_pending(db):
        return None
    if not isinstance(raw, dict) or raw.get("signature") != signature(db):
        return None
    home = raw.get("home")
    return home if isinstance(home, dict) else None


def drop(db: Path) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path_for(db))
