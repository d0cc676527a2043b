"""`structures import|export`: the directory of partner structures as CSV."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tpe_tui.cli.common import FrenchParser, command, open_workspace, read_workspace


def register(sub: argparse._SubParsersAction[FrenchParser]) -> None:
    parser = command(
        sub, "structures", structures_command, "annuaire des structures : import/export CSV"
    )
    add_csv_arguments(parser)


def add_csv_arguments(parser: FrenchParser) -> None:
    """`import|export FICHIER.csv`, as the directory and the aids take them."""
    parser.add_argument(
        "action",
        choices=("import", "export"),
        metavar="import|export",
        help="import : lire le fichier CSV ; export : l’écrire",
    )
    parser.add_argument("file", metavar="FICHIER.csv", help="le fichier CSV à lire ou à écrire")


def structures_command(args: argparse.Namespace) -> int:
    from tpe_tui.services import structures as directory_service

    return csv_command(
        args,
        directory_service.import_csv,
        directory_service.export_csv,
        "structure(s) exportée(s)",
    )


def csv_command(
    args: argparse.Namespace,
    import_csv: Callable[[Any, Path], Any],
    export_csv: Callable[[Any, Path], int],
    exported: str,
) -> int:
    """`import` or `export` of a list as CSV (`args.action`, `args.file`). An import may
    start a new file named explicitly (--db); an export never creates one and, as it only
    reads, works while the app has the file open."""
    path = Path(args.file).expanduser()
    if args.action == "export":
        with read_workspace(args) as workspace:
            count = export_csv(workspace, path)
        print(f"{count} {exported} dans {path}")
        return 0
    with open_workspace(args, may_create=True) as workspace:
        result = import_csv(workspace, path)
    for line in result.lines():
        print(line)
    # Some rows refused: the good ones are in, but say it in the exit code for scripts.
    return 1 if result.errors else 0
