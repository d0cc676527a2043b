"""`summary` and `print`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from tpe_tui.cli.common import FrenchParser, command, db_of, read_workspace
from tpe_tui.domain.errors import TpeError, UsageError

if TYPE_CHECKING:
    from tpe_tui.services.summary import SummarySource


def register(sub: argparse._SubParsersAction[FrenchParser]) -> None:
    parser = command(sub, "summary", summary_command, "compte rendu d’un accompagnement")
    parser.add_argument("id", metavar="ID", help="identifiant (ou son début) de l’accompagnement")
    parser.add_argument(
        "--format",
        choices=("md", "html", "pdf"),
        default="md",
        help="format du document (md par défaut)",
    )
    parser.add_argument("--template", metavar="NOM", help="summary (par défaut) ou record")
    parser.add_argument(
        "--output", metavar="CHEMIN", help="fichier à écrire (obligatoire pour pdf)"
    )
    parser = command(sub, "print", print_command, "imprimer le compte rendu d’un accompagnement")
    parser.add_argument("id", metavar="ID", help="identifiant (ou son début) de l’accompagnement")


def _source(args: argparse.Namespace) -> SummarySource:
    from tpe_tui.services.summary import SummarySource, find_session

    with read_workspace(args) as workspace:
        return SummarySource.of(workspace, find_session(workspace, args.id))


def _template(name: str | None) -> str:
    from tpe_tui.documents import summary

    if not name:
        return "summary.md.j2"
    for candidate in (name, f"{name}.md.j2"):
        if candidate in summary.TEMPLATES:
            return candidate
    raise UsageError(f"Modèle inconnu : {name} (summary ou record).")


def summary_command(args: argparse.Namespace) -> int:
    from tpe_tui.documents import summary
    from tpe_tui.services.summary import save_summary

    template = _template(args.template)
    source = _source(args)
    output = Path(args.output).expanduser() if args.output else None
    if args.format == "pdf" and output is None:
        raise UsageError("Le format pdf demande --output CHEMIN.")
    if output is not None:
        written, warnings = save_summary(
            source, args.format, output, template, protected=db_of(args)
        )
        for warning in warnings:
            print(f"tpe-tui : {warning}", file=sys.stderr)
        print(f"Enregistré : {written}")
        return 0
    rendered = source.render(template)
    for warning in rendered.warnings:
        print(f"tpe-tui : {warning}", file=sys.stderr)
    text = (
        rendered.text if args.format == "md" else summary.html_page(rendered.text, source.title())
    )
    sys.stdout.write(text)
    return 0


def print_command(args: argparse.Namespace) -> int:
    from tpe_tui.documents.printing import print_pdf
    from tpe_tui.services.summary import save_summary

    source = _source(args)
    path, warnings = save_summary(source, "pdf", protected=db_of(args))
    for warning in warnings:
        print(f"tpe-tui : {warning}", file=sys.stderr)
    result = print_pdf(path)
    if not result.printed:
        raise TpeError(result.message)
    print(result.message)
    return 0
