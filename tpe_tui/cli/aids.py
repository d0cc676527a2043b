"""`aids import|export`: the catalogue of aids as CSV."""

from __future__ import annotations

import argparse

from tpe_tui.cli.common import FrenchParser, command
from tpe_tui.cli.structures import add_csv_arguments


def register(sub: argparse._SubParsersAction[FrenchParser]) -> None:
    parser = command(sub, "aids", aids_command, "catalogue des aides : import/export CSV")
    add_csv_arguments(parser)


def aids_command(args: argparse.Namespace) -> int:
    # Imported here: the parser is built at every start of the app, these are not needed then.
    from tpe_tui.cli.structures import csv_command
    from tpe_tui.services import aids as aid_service

    return csv_command(args, aid_service.import_csv, aid_service.export_csv, "aide(s) exportée(s)")
