"""`aids import|export`: the catalogue of aids as CSV."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any


def register(sub: Any, db_arg: Callable[[argparse.ArgumentParser], None]) -> None:
    parser = sub.add_parser("aids", help="catalogue des aides : import/export CSV")
    parser.add_argument("action", choices=("import", "export"))
    parser.add_argument("file", metavar="FICHIER.csv")
    db_arg(parser)


def aids_command(args: argparse.Namespace) -> int:
    # Imported here: the parser is built at every start of the app, these are not needed then.
    from tpe_tui.cli.structures import csv_command
    from tpe_tui.services import aids as aid_service

    return csv_command(args, aid_service.import_csv, aid_service.export_csv, "aide(s) exportée(s)")
