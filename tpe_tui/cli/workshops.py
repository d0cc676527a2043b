"""`workshop sheet|recap ID`: a workshop's attendance sheet or recap as a document."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tpe_tui.cli.common import FrenchParser, command


def register(sub: argparse._SubParsersAction[FrenchParser]) -> None:
    parser = command(
        sub,
        "workshop",
        workshop_command,
        "atelier collectif : feuille d’émargement ou récapitulatif",
    )
    parser.add_argument(
        "document",
        choices=("sheet", "recap"),
        help="sheet : feuille d’émargement à signer ; recap : récapitulatif remis aux "
        "participants (thèmes, à retenir, comment joindre le médiateur, ressources)",
    )
    parser.add_argument("id", metavar="ID", help="identifiant (ou son début) de l’atelier")
    parser.add_argument(
        "--format", choices=("md", "html", "pdf"), default="pdf", help="format (pdf par défaut)"
    )
    parser.add_argument(
        "--output", metavar="CHEMIN", help="fichier à écrire (sinon le dossier des documents)"
    )


def workshop_command(args: argparse.Namespace) -> int:
    # Imported here: the parser is built at every start of the app, these are not needed then.
    from tpe_tui.cli.common import read_workspace
    from tpe_tui.services import workshops as workshop_service

    with read_workspace(args) as workspace:
        workshop = workshop_service.find(workspace, args.id)
        output = Path(args.output).expanduser() if args.output else None
        written, warnings = workshop_service.save_document(
            workspace, workshop, args.document, args.format, output
        )
    for warning in warnings:
        print(f"tpe-tui : {warning}", file=sys.stderr)
    print(f"Enregistré : {written}")
    return 0
