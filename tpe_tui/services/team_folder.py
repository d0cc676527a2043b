"""A team folder: every laptop merges the others' files found there, then leaves its own.

The folder may be a USB drive or a folder kept in step by Syncthing or Nextcloud. Each laptop
writes only `<its name>.json` into it; the merge being commutative, associative and
idempotent, the order in which laptops pass and files are read does not matter, and passing
twice changes nothing.
"""

from __future__ import annotations

import platform
import re
from dataclasses import dataclass, field
from pathlib import Path

from tpe_tui.domain.errors import ImportFileError, UsageError
from tpe_tui.domain.text import slug
from tpe_tui.services import sync as sync_service
from tpe_tui.storage.safe_read import DANGLING, dangling, data_files_in
from tpe_tui.storage.store import Store


@dataclass
class FolderOutcome:
    merged: list[tuple[str, list[str]]] = field(default_factory=list)  # (file, report lines)
    skipped: list[str] = field(default_factory=list)  # why, in French
    written: Path | None = None


def laptop_name() -> str:
    """This laptop's name as set in the config (the host name by default; the conflicts
    screen shows the same one), safe as a file name."""
    from tpe_tui.services.config import Config

    return slug(Config.load().laptop_name or platform.node(), fallback="ordinateur")


def refuse_planted(ours: Path) -> None:
    """Refuse, before merging anything, when the name our file goes under is taken by
    something other than a plain file: the folder is shared, and a link there would let
    whoever put it choose where our file (every person's details) is written."""
    if ours.is_symlink():  # where it leads is not said: a name chosen by others
        what = "un lien"
    elif ours.exists() and not ours.is_file():
        what = "un dossier" if ours.is_dir() else "un fichier spécial"
    else:
        return
    raise UsageError(
        f"Dans le dossier d’équipe, {ours.name} (le nom de notre fichier) est {what}, pas "
        "notre fichier : quelqu’un d’autre l’a mis là. Par prudence, rien n’a été fusionné ni "
        "écrit. Supprimez-le du dossier, puis réessayez."
    )


def sync_folder(
    store: Store,
    folder: Path,
    *,
    name: str | None = None,
    dry_run: bool = False,
    confirmed: bool = False,
) -> FolderOutcome:
    """Merge every data file of `folder` into `store`, then write ours as
    `<name>-<device>.json`: the laptop's own id in the name, so two laptops that share a host
    name (a common default) never take each other's file for their own."""
    tag = re.sub(r"[^A-Za-z0-9]+", "", store.device)[:6] or "0"
    ours = folder / f"{name or laptop_name()}-{tag}.json"
    refuse_planted(ours)
    outcome = FolderOutcome()
    for path in data_files_in(folder):
        if path.name == ours.name:
            continue  # our own copy from the last pass
        if dangling(path):
            outcome.skipped.append(f"{path.name} : {DANGLING}")
            continue
        try:
            merged = sync_service.import_file(store, path, dry_run=dry_run, confirmed=confirmed)
        except ImportFileError as exc:
            outcome.skipped.append(f"{path.name} : {exc}")
            continue
        if merged.needs_confirmation:  # many deletions or erasures: not without --yes
            outcome.skipped.append(f"{path.name} : {merged.lines[0]} (--yes pour fusionner)")
            continue
        outcome.merged.append((path.name, merged.lines))
    if not dry_run:
        outcome.written = sync_service.export(store.path, ours, store.device, inside=folder)
        for earlier in folder.glob(f"*-{tag}.json"):  # ours, under a name changed since
            if earlier.name == ours.name or not earlier.is_file() or earlier.is_symlink():
                continue
            # Never a file unread: one holding what ours has not is another laptop's
            # carrying our id (a profile copied between laptops, NEW6-17), and stays.
            if sync_service.adds_nothing(store, earlier):
                earlier.unlink(missing_ok=True)
            else:
                outcome.skipped.append(f"{earlier.name} : {same_id(tag)}")
    return outcome


def same_id(tag: str) -> str:
    return (
        f"il porte l’identifiant de cet ordinateur ({tag}) mais contient ce que notre fichier "
        "n’a pas : deux ordinateurs ont le même identifiant (le dossier de configuration "
        "tpe-tui a sans doute été copié de l’un à l’autre). Il est laissé dans le dossier, "
        "rien n’en est fusionné ; voir le README, « Le dossier d’équipe »."
    )
