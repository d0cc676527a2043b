"""Where tpe-tui may write a document: every output path (summary, export, CSV, PDF, print
copy) is checked here first.

A path typed by a person may name the data file itself, its journal, its lock, a backup, a
folder, a device or a pipe, or a symbolic link to any of them. Writes are atomic (a new file
renamed over the old one), so a mistaken path would silently replace the data file. The path
is resolved to the real file it names (a link is written through: the link stays, its target
is replaced) and refused when it is one of the data file's own files or not a regular file.
A link that leads nowhere is refused when the folder it names is missing: writing would
create folders behind the link, somewhere the person never typed.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from tpe_tui.domain.errors import TpeError
from tpe_tui.storage import paths

# Files that live beside the data file and belong to it (journal.py, lock.py, home_picture.py).
OWN_SUFFIXES = (".journal", ".lock", ".accueil", ".journal.orphan")


class OutputPathError(TpeError):
    """An output path that must not be written; nothing was written."""

    exit_code = 2


def real_path(path: str | os.PathLike[str]) -> Path:
    """The absolute path with `~` expanded and every symbolic link followed."""
    return Path(os.path.realpath(Path(path).expanduser()))


def _belongs_to(real: Path, db: Path) -> bool:
    """True when `real` is the data file `db`, one of its own files, or in its backups."""
    if real == db or real.parent == paths.backups_dir(db):
        return True
    if real.parent != db.parent:
        return False
    name = real.name
    if any(name == db.name + suffix for suffix in OWN_SUFFIXES):
        return True
    # The temporary files of an atomic write are `.<name>.<pid>.<thread>.tmp`.
    return name.startswith(f".{db.name}.") and name.endswith(".tmp")


def _same_file(a: Path, b: Path) -> bool:
    """Hard links (backups are hard links to the data file) name the same file."""
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _dangling_link(path: Path) -> Path | None:
    """The first link of `path` (itself or a folder above it) whose target is missing."""
    absolute = Path(os.path.abspath(path))
    for part in reversed([absolute, *absolute.parents]):
        if part.is_symlink() and not part.exists():
            return part
    return None


def output_path(
    target: str | os.PathLike[str],
    protected: Iterable[str | os.PathLike[str] | None] = (),
    default_name: str | None = None,
) -> Path:
    """The real path to write `target` to, or a French refusal.

    `protected` are data files in use; the default data file is always protected. A folder
    given as `target` gets `default_name` inside it (refused when there is none).
    """
    given = Path(target).expanduser()
    real = real_path(given)
    folder = real.is_dir()
    if folder:
        if default_name is None:
            raise OutputPathError(f"{given} est un dossier : donnez un nom de fichier.")
        real = real_path(real / default_name)
    link = None if real.parent.is_dir() else _dangling_link(given)
    if link is not None:
        raise OutputPathError(
            f"{link} est un lien vers {os.readlink(link)}, qui n’existe pas : "
            "rien n’a été écrit (aucun dossier créé). Donnez un autre chemin."
        )
    if real.exists() and not real.is_file():
        kind = "un dossier" if real.is_dir() else "un fichier spécial (périphérique ou tube)"
        raise OutputPathError(f"{given} est {kind}, pas un fichier ordinaire : rien n’a été écrit.")
    for db in {real_path(p) for p in (*protected, paths.db_path()) if p}:
        if folder and real.parent == paths.backups_dir(db):
            raise OutputPathError(
                f"{given} est le dossier des sauvegardes de tpe-tui : choisissez un autre "
                "dossier, rien n’a été écrit."
            )
        if _belongs_to(real, db) or (real.exists() and _same_file(real, db)):
            what = (
                f"Le dossier {given} contient déjà {real.name}, le fichier de données de "
                "tpe-tui ou l’un de ses fichiers (journal, verrou, sauvegarde)"
                if folder
                else f"{given} est le fichier de données de tpe-tui ou l’un de ses fichiers "
                "(journal, verrou, sauvegarde)"
            )
            raise OutputPathError(f"{what} : choisissez un autre chemin, rien n’a été écrit.")
    return real
