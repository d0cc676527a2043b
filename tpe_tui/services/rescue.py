"""Saves a full disk refused at quit: kept in an emergency copy outside the data folder,
said on the way out, and offered back at the next start.

When the file can take neither a whole rewrite nor a journal line, the documents not saved
are written (as JSON, with the real path of their data file) to the config folder — often
on another disk than the data, a USB stick for one — or, failing that, to the system's
temporary folder. At the next start of that data file they are merged back into it,
field by field as a sync would (a record changed meanwhile keeps both sides' changes).
"""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson

from tpe_tui.domain.errors import SaveError
from tpe_tui.storage import paths
from tpe_tui.storage.atomic import atomic_write
from tpe_tui.storage.guard import real_path

Entry = tuple[str, str, dict[str, Any] | None]


def folders() -> list[Path]:
    """Where emergency copies go, in order of preference."""
    return [paths.config_dir() / "secours", Path(tempfile.gettempdir()) / "tpe-tui-secours"]


def keep(db: Path, entries: Iterable[Entry]) -> Path | None:
    """Write the emergency copy of `entries` (documents of `db` not saved); where it went,
    or None when no folder could take it."""
    payload = orjson.dumps(
        {
            "db": str(real_path(db)),
            "kept_at": datetime.now(UTC).isoformat(),
            "entries": [[table, key, doc] for table, key, doc in entries],
        }
    )
    name = f"{db.stem}-{datetime.now(UTC):%Y%m%dT%H%M%S%fZ}.json"
    for folder in folders():
        try:
            paths.private_dir(folder)
            atomic_write(folder / name, payload)
        except (OSError, SaveError):
            continue
        return folder / name
    return None


def quit_message(failure: str, count: int, kept: Path | None) -> str:
    """What the person reads on the way out when saves were refused."""
    if kept is None:
        return (
            f"{failure} {count} fiche(s) modifiée(s) n’ont pu être gardées nulle part (aucun "
            "dossier n’acceptait d’écrire) : elles sont perdues. Libérez de la place avant de "
            "reprendre le travail."
        )
    return (
        f"{failure} Ce qui n’avait pas pu être enregistré ({count} fiche(s)) est gardé dans "
        f"la copie de secours {kept} : au prochain démarrage, tpe-tui proposera de le "
        "reprendre dans le fichier."
    )


def waiting(db: Path) -> list[Path]:
    """The emergency copies kept for the data file `db`, oldest first."""
    target = str(real_path(db))
    found = []
    for folder in folders():
        for copy in sorted(folder.glob("*.json")) if folder.is_dir() else []:
            with contextlib.suppress(OSError, orjson.JSONDecodeError, AttributeError):
                if orjson.loads(copy.read_bytes()).get("db") == target:
                    found.append(copy)
    return found


def read(copy: Path) -> list[Entry]:
    """The entries of an emergency copy (an unreadable copy holds none)."""
    try:
        raw = orjson.loads(copy.read_bytes())
        return [(str(t), str(k), d) for t, k, d in raw["entries"]]
    except (OSError, orjson.JSONDecodeError, KeyError, TypeError, ValueError):
        return []
