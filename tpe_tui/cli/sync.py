"""`sync` and `export`: carry data between laptops by copying the JSON file."""

from __future__ import annotations

import argparse
from pathlib import Path

from tpe_tui.cli.common import db_of, open_workspace
from tpe_tui.cli.stats import terminal_safe
from tpe_tui.domain.errors import UsageError
from tpe_tui.services import sync as sync_service
from tpe_tui.services import team_folder
from tpe_tui.storage import paths


def sync(args: argparse.Namespace) -> int:
    if bool(args.file) == bool(getattr(args, "folder", None)):
        raise UsageError("Indiquez un FICHIER à fusionner, ou --folder DOSSIER (pas les deux).")
    if args.folder:
        return sync_folder(args)
    with open_workspace(args) as workspace:
        outcome = sync_service.import_file(
            workspace.store,
            Path(args.file).expanduser(),
            dry_run=args.dry_run,
            config=workspace.config,
            confirmed=args.yes,
        )
    if args.dry_run:
        print("Simulation : rien n’a été modifié.")
    for line in outcome.lines:
        print(line)
    if outcome.backup:
        print(f"Sauvegarde avant fusion : {outcome.backup}")
    if outcome.needs_confirmation:
        print("Rien n’a été fusionné : relancez avec --yes pour faire cette fusion.")
        return 1
    return 0


def sync_folder(args: argparse.Namespace) -> int:
    """The team-folder routine: merge every file found, then leave ours there."""
    folder = Path(args.folder).expanduser()
    with open_workspace(args) as workspace:
        outcome = team_folder.sync_folder(workspace.store, folder, dry_run=args.dry_run)
    if args.dry_run:
        print("Simulation : rien n’a été modifié.")
    for name, lines in outcome.merged:
        print(terminal_safe(f"{name} :"))  # file names come from a shared folder
        for line in lines:
            print(terminal_safe(f"  {line}"))
    for reason in outcome.skipped:
        print(terminal_safe(f"Ignoré — {reason}"))
    if not outcome.merged:
        print("Aucun fichier d’un autre ordinateur à fusionner dans ce dossier.")
    if outcome.written:
        print(f"Notre fichier est déposé : {outcome.written}")
    return 0


def export(args: argparse.Namespace) -> int:
    written = sync_service.export(db_of(args), Path(args.target).expanduser(), paths.device_id())
    print(f"Fichier exporté : {written}")
    return 0
