"""`aids import|export`: the catalogue of aids as CSV."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any


def register(sub: Any, db_arg: Callable[[argparse.ArgumentParser], None]) -> None:
    parser = sub.add_parser("aids", help="catalogue des aides : import/export CSV")
    parser.add_argument("action", choices=("import", "export"))
    parser.add_argument("file", metavar="FICHIER.csv")
    db_arg(parser)


def aids_command(args: argparse.Namespace) -> int:
    # Imported here: the parser is built at every start of the app, these are not needed then.
    from tpe_tui.cli.common import open_workspace
    from tpe_tui.services import aids as aid_service

    with open_workspace(args) as workspace:
        path = Path(args.file).expanduser()
        if args.action == "export":
            count = aid_service.export_csv(workspace, path)
            print(f"{count} aide(s) exportée(s) dans {path}")
            return 0
        result = aid_service.import_csv(workspace, path)
    for line in result.lines():
        print(line)
    # Some rows refused: the good ones are in, but say it in the exit code for scripts.
    return 1 if result.errors else 0
