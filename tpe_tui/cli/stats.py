"""`stats`: activity figures as a report (Markdown, HTML, PDF) and the national-shape export."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from tpe_tui.cli.common import FrenchParser, command
from tpe_tui.domain.errors import UsageError

if TYPE_CHECKING:  # the parser is built at every start: the figures load only when asked
    from tpe_tui.domain.stats import Filters


def register(sub: argparse._SubParsersAction[FrenchParser]) -> None:
    """Register `tpe-tui stats` on the command's sub-parsers."""
    parser = command(
        sub,
        "stats",
        stats_command,
        "bilan d’activité (Markdown, HTML, PDF) et export au format national",
    )
    parser.add_argument(
        "--folder",
        metavar="DOSSIER",
        help="lire tous les fichiers d’un dossier (sans les fusionner)",
    )
    parser.add_argument(
        "--from", dest="date_from", metavar="JJ/MM/AAAA", help="premier jour inclus (ou AAAA-MM-JJ)"
    )
    parser.add_argument(
        "--to", dest="date_to", metavar="JJ/MM/AAAA", help="dernier jour inclus (ou AAAA-MM-JJ)"
    )
    parser.add_argument("--territory", default="", metavar="T", help="un seul territoire")
    parser.add_argument("--commune", default="", metavar="C", help="commune des entreprises")
    parser.add_argument("--place", default="", metavar="LIEU", help="nom du lieu")
    parser.add_argument("--mediator", default="", metavar="NOM", help="un seul médiateur")
    parser.add_argument(
        "--format",
        choices=("md", "html", "pdf"),
        default=None,
        help="format du bilan (sinon celui de --output, sinon md)",
    )
    parser.add_argument(
        "--output", metavar="CHEMIN", help="fichier du bilan (obligatoire pour pdf)"
    )
    parser.add_argument(
        "--export",
        metavar="FICHIER.xlsx|.csv",
        help="une ligne par accompagnement, format national",
    )
    parser.add_argument(
        "--coordinator",
        action="store_true",
        help="export coordinateur : avec le médiateur, sans noms ni notes",
    )


def _day(value: str | None, option: str) -> date | None:
    """A day given as in the app (JJ/MM/AAAA) or as AAAA-MM-JJ."""
    from tpe_tui.domain.records import ValidationError, parse_any_date

    if not value:
        return None
    try:
        return date.fromisoformat(parse_any_date(value))
    except ValidationError as exc:
        if "n’existe pas" in str(exc):
            raise UsageError(f"{option} : la date « {value} » n’existe pas.") from None
        raise UsageError(
            f"{option} attend une date JJ/MM/AAAA ou AAAA-MM-JJ (reçu « {value} »)."
        ) from None


def filters_of(args: argparse.Namespace) -> Filters:
    from tpe_tui.domain.stats import Filters, Period

    start, end = _day(args.date_from, "--from"), _day(args.date_to, "--to")
    if start and end and start > end:
        raise UsageError("--from est après --to.")
    return Filters(
        Period(start, end),
        territory=args.territory,
        commune=args.commune,
        place=args.place,
        mediator=args.mediator,
    )


def stats_command(args: argparse.Namespace) -> int:
    from tpe_tui.documents import report
    from tpe_tui.services import stats as service
    from tpe_tui.services.config import Config

    filters = filters_of(args)
    folder = Path(args.folder).expanduser() if args.folder else None
    files = service.sources(args.db, folder)
    output = Path(args.output).expanduser() if args.output else None
    fmt = args.format or (output.suffix.lstrip(".") if output else "md")
    if fmt not in ("md", "html", "pdf"):
        raise UsageError("Le bilan s’écrit en md, html ou pdf (--format).")
    if fmt == "pdf" and output is None:
        raise UsageError("Le format pdf demande --output CHEMIN.")
    if args.coordinator and not args.export:
        raise UsageError("--coordinator s’applique à l’export : ajoutez --export FICHIER.")
    warnings: list[str] = []
    if args.export:
        target = Path(args.export).expanduser()
        written, count, skipped = service.export(
            files,
            filters,
            target,
            coordinator=args.coordinator,
            author=Config.load().mediator,
        )
        warnings += skipped
        print(f"Export écrit : {written} ({count} accompagnement(s)).", file=sys.stderr)
        if output is None and args.format is None:
            _warn(warnings)
            return 0
    gathered = service.gather(files, filters)
    warnings += gathered.notes + gathered.warnings
    if output is not None:
        written, template_warnings = service.save_report(
            gathered.figures, fmt, output, protected=files
        )
        _warn([*warnings, *template_warnings])
        print(f"Bilan enregistré : {written}")
        return 0
    rendered = service.render_report(gathered.figures)
    _warn([*warnings, *rendered.warnings])
    text = rendered.text if fmt == "md" else report.html(rendered.text)
    sys.stdout.write(text)
    return 0


def _warn(lines: list[str]) -> None:
    for line in dict.fromkeys(lines):
        print(f"tpe-tui : {line}", file=sys.stderr)
