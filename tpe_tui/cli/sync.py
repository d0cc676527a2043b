"""`sync` and `export`: carry data between laptops by copying the JSON file."""

from __future__ import annotations

import argparse
from pathlib import Path

from tpe_tui.cli.common import FrenchParser, command, existing_db, open_workspace
from tpe_tui.domain.errors import UsageError


def register(sub: argparse._SubParsersAction[FrenchParser]) -> None:
    parser = command(sub, "sync", sync, "fusionner le fichier d’un autre ordinateur")
    parser.add_argument(
        "file",
        metavar="FICHIER",
        nargs="?",
        help="fichier écrit par « tpe-tui export » sur l’autre ordinateur (ou --folder)",
    )
    parser.add_argument(
        "--folder",
        metavar="DOSSIER",
        help="dossier d’équipe : tout fusionner, puis y déposer le nôtre",
    )
    parser.add_argument("--dry-run", action="store_true", help="montrer sans rien modifier")
    parser.add_argument(
        "--yes",
        action="store_true",
        help="fusionner même si beaucoup d’enregistrements disparaissent",
    )
    parser = command(sub, "export", export, "copier le fichier de données pour un autre ordinateur")
    parser.add_argument(
        "target", metavar="CHEMIN_EXPORT", help="fichier à écrire, à porter sur l’autre ordinateur"
    )


def sync(args: argparse.Namespace) -> int:
    from tpe_tui.services import sync as sync_service

    if bool(args.file) == bool(getattr(args, "folder", None)):
        raise UsageError("Indiquez un FICHIER à fusionner, ou --folder DOSSIER (pas les deux).")
    if args.folder:
        return sync_folder(args)
    # An import may start a new file, but only one named explicitly (--db).
    with open_workspace(args, may_create=True) as workspace:
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
    from tpe_tui.services import team_folder

    folder = Path(args.folder).expanduser()
    with open_workspace(args, may_create=True) as workspace:
        outcome = team_folder.sync_folder(
            workspace.store, folder, dry_run=args.dry_run, confirmed=args.yes
        )
    if args.dry_run:
        print("Simulation : rien n’a été modifié.")
    for name, lines in outcome.merged:
        print(f"{name} :")  # a name from a shared folder: cleaned (cli/terminal.py)
        for line in lines:
            print(f"  {line}")
    for reason in outcome.skipped:
        print(f"Ignoré — {reason}")
    if not outcome.merged:
        print("Aucun fichier d’un autre ordinateur à fusionner dans ce dossier.")
    if outcome.written:
        print(f"Notre fichier est déposé : {outcome.written}")
    return 0


def export(args: argparse.Namespace) -> int:
    from tpe_tui.services import sync as sync_service
    from tpe_tui.storage import paths

    written = sync_service.export(
        existing_db(args), Path(args.target).expanduser(), paths.device_id()
    )
    print(f"Fichier exporté : {written}")
    return 0
