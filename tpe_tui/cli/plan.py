"""`plan BUSINESS`: the digital action plan of a business as a document."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tpe_tui.cli.common import FrenchParser, command


def register(sub: argparse._SubParsersAction[FrenchParser]) -> None:
    parser = command(sub, "plan", plan_command, "plan d’actions numérique d’une entreprise")
    parser.add_argument(
        "id",
        metavar="ENTREPRISE",
        help="nom de l’entreprise (ou le début d’un de ses mots), ou son identifiant (ou son début)",
    )
    parser.add_argument(
        "--format",
        choices=("md", "html", "pdf"),
        default="md",
        help="format du document (md par défaut)",
    )
    parser.add_argument(
        "--output",
        metavar="CHEMIN",
        help="fichier à écrire (md et html : sinon à l’écran ; pdf : sinon le dossier des documents)",
    )


def plan_command(args: argparse.Namespace) -> int:
    # Imported here: the parser is built at every start of the app, these are not needed then.
    from tpe_tui.cli.common import read_workspace
    from tpe_tui.documents import summary
    from tpe_tui.services import action_plan as plan_service

    with read_workspace(args) as workspace:
        client = plan_service.find_business(workspace, args.id)
        output = Path(args.output).expanduser() if args.output else None
        if output is not None or args.format == "pdf":
            written, warnings = plan_service.save_document(workspace, client, args.format, output)
            for warning in warnings:
                print(f"tpe-tui : {warning}", file=sys.stderr)
            print(f"Enregistré : {written}")
            return 0
        rendered = plan_service.render(workspace, client)
    for warning in rendered.warnings:
        print(f"tpe-tui : {warning}", file=sys.stderr)
    text = rendered.text
    if args.format == "html":
        text = summary.html_page(text, plan_service.title(client))
    sys.stdout.write(text)
    return 0
