"""Whether the data file's folder can take our writes, said in French before anything is
read or written: a full disk or a read-only folder found at start is explained (and the
start can be tried again) instead of every save failing later, or the app waiting forever.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from tpe_tui.domain.errors import DataFolderError, os_reason
from tpe_tui.storage.atomic import DISK_FULL, NOT_WRITABLE

# Room kept free beyond one whole rewrite of the file: journal lines, backups' folder
# entries, the home picture.
MARGIN_BYTES = 1024 * 1024

_NOTHING_CHANGED = "Rien n’a été modifié."


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} Mo".replace(".", ",")


def disk_full(folder: Path, free: int | None = None, need: int | None = None) -> DataFolderError:
    figures = ""
    if free is not None and need is not None:
        figures = f" (il reste {_megabytes(free)}, il en faut au moins {_megabytes(need)})"
    return DataFolderError(
        f"Le disque est plein{figures} : tpe-tui ne pourrait pas enregistrer vos saisies "
        f"dans le dossier {folder}. Libérez de la place (videz la corbeille, déplacez ou "
        f"supprimez des fichiers), puis réessayez. {_NOTHING_CHANGED}"
    )


def not_writable(folder: Path) -> DataFolderError:
    return DataFolderError(
        f"Le dossier {folder} n’est pas accessible en écriture (support en lecture seule, "
        "clé USB verrouillée ou droits insuffisants) : tpe-tui ne pourrait rien y "
        "enregistrer. Rendez-le accessible en écriture (ou lancez tpe-tui avec --db vers un "
        f"autre fichier), puis réessayez. {_NOTHING_CHANGED}"
    )


def folder_error(exc: OSError, db: Path) -> DataFolderError:
    """The French reason an operation of the start failed with `exc`."""
    if exc.errno in DISK_FULL:
        return disk_full(db.parent)
    if exc.errno in NOT_WRITABLE:
        return not_writable(db.parent)
    return DataFolderError(
        f"Impossible d’ouvrir le fichier de données {db} ({os_reason(exc)}). Vérifiez "
        f"que le disque ou la clé qui le porte est bien branché, puis réessayez. "
        f"{_NOTHING_CHANGED}"
    )


def check_room(db: Path) -> None:
    """Refuse (DataFolderError) to open `db` for writing where writes cannot succeed: a
    folder we may not write in, or a disk without room for one whole rewrite of the file."""
    folder = db.parent
    if not folder.is_dir():
        return  # created by the lock, which says why if it cannot be
    if not os.access(folder, os.W_OK):
        raise not_writable(folder)
    try:
        free = shutil.disk_usage(folder).free
        size = sum(p.stat().st_size for p in (db, db.with_name(db.name + ".journal")) if p.exists())
    except OSError:
        return  # the writes themselves will say what is wrong
    need = size + MARGIN_BYTES
    if free < need:
        raise disk_full(folder, free, need)
