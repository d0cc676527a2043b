"""`sync` and `export`: carry data between laptops by copying the JSON file."""

from __future__ import annotations

import argparse
from pathlib import Path

from tpe_tui.cli.common import db_of, open_workspace
from tpe_tui.services import sync as sync_service
from tpe_tui.storage import paths


def sync(args: argparse.Namespace) -> int:
    with open_workspace(args) as workspace:
        outcome = sync_service.import_file(
            workspace.store, Path(args.file).expanduser(), dry_run=args.dry_run
        )
    if args.dry_run:
        print("Simulation : rien n’a été modifié.")
    for line in outcome.lines:
        print(line)
    if outcome.backup:
        print(f"Sauvegarde avant fusion : {outcome.backup}")
    return 0


def export(args: argparse.Namespace) -> int:
    written = sync_service.export(db_of(args), Path(args.target).expanduser(), paths.device_id())
    print(f"Fichier exporté : {written}")
    return 0
