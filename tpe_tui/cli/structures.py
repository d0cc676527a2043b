"""`structures import|export`: the directory of partner structures as CSV."""

from __future__ import annotations

import argparse
from pathlib import Path

from tpe_tui.cli.common import open_workspace
from tpe_tui.services import structures as directory_service


def structures_command(args: argparse.Namespace) -> int:
    with open_workspace(args) as workspace:
        path = Path(args.file).expanduser()
        if args.action == "export":
            count = directory_service.export_csv(workspace, path)
            print(f"{count} structure(s) exportée(s) dans {path}")
            return 0
        result = directory_service.import_csv(workspace, path)
    for line in result.lines():
        print(line)
    # Some rows refused: the good ones are in, but say it in the exit code for scripts.
    return 1 if result.errors else 0
