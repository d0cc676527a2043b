"""The `tpe-tui` command: no sub-command starts the app; sub-commands do scripted work.

Exit codes everywhere: 0 success, 1 failure, 2 bad usage or bad input. No traceback ever
reaches the person: errors are one French sentence, details go to the log file.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from tpe_tui.domain.errors import TpeError
from tpe_tui.storage import paths

log = logging.getLogger("tpe_tui")


class FrenchParser(argparse.ArgumentParser):
    """argparse that speaks French and exits 2 with one sentence on bad usage."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        sys.stderr.write(f"tpe-tui : utilisation incorrecte ({message}).\n")
        raise SystemExit(2)


def _db_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        metavar="CHEMIN",
        help="fichier de données (sinon $TPE_TUI_DB, sinon le dossier de données de l’utilisateur)",
    )


def build_parser() -> FrenchParser:
    parser = FrenchParser(
        prog="tpe-tui",
        description="Accompagnement numérique des TPE, hors ligne. Sans sous-commande : "
        "lance l’application.",
    )
    _db_arg(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMANDE", parser_class=FrenchParser)

    demo = sub.add_parser("demo", help="remplir un fichier de données fictives réalistes")
    _db_arg(demo)
    demo.add_argument("--sessions", type=int, default=200, metavar="N")
    demo.add_argument("--seed", type=int, default=1, metavar="S")
    demo.add_argument("--force", action="store_true", help="remplacer un fichier non vide")

    check = sub.add_parser("check", help="vérifier un fichier de données")
    _db_arg(check)

    sync = sub.add_parser("sync", help="fusionner le fichier d’un autre ordinateur")
    sync.add_argument("file", metavar="FICHIER", nargs="?")
    sync.add_argument(
        "--folder",
        metavar="DOSSIER",
        help="dossier d’équipe : tout fusionner, puis y déposer le nôtre",
    )
    _db_arg(sync)
    sync.add_argument("--dry-run", action="store_true", help="montrer sans rien modifier")
    sync.add_argument(
        "--yes",
        action="store_true",
        help="fusionner même si beaucoup d’enregistrements disparaissent",
    )

    export = sub.add_parser("export", help="copier le fichier de données pour un autre ordinateur")
    export.add_argument("target", metavar="CHEMIN_EXPORT")
    _db_arg(export)

    summary = sub.add_parser("summary", help="compte rendu d’un accompagnement")
    summary.add_argument("id", metavar="ID", help="identifiant (ou son début) de l’accompagnement")
    _db_arg(summary)
    summary.add_argument("--format", choices=("md", "html", "pdf"), default="md")
    summary.add_argument("--template", metavar="NOM", help="summary (par défaut) ou record")
    summary.add_argument(
        "--output", metavar="CHEMIN", help="fichier à écrire (obligatoire pour pdf)"
    )

    print_ = sub.add_parser("print", help="imprimer le compte rendu d’un accompagnement")
    print_.add_argument("id", metavar="ID")
    _db_arg(print_)

    agenda = sub.add_parser("agenda", help="suivis à faire (en retard, aujourd’hui, à venir)")
    _db_arg(agenda)
    agenda.add_argument("--days", type=int, default=7, metavar="N", help="horizon en jours (7)")

    structures = sub.add_parser("structures", help="annuaire des structures : import/export CSV")
    structures.add_argument("action", choices=("import", "export"))
    structures.add_argument("file", metavar="FICHIER.csv")
    _db_arg(structures)

    from tpe_tui.cli import aids, plan, stats, workshops  # each registers its own parser

    for module in (workshops, aids, plan, stats):
        module.register(sub, _db_arg)
    return parser


def _setup_logging() -> Path | None:
    """Details of failures go to a log file, never to the screen."""
    try:
        folder = paths.log_dir()
        folder.mkdir(parents=True, exist_ok=True)
        handler = logging.FileHandler(folder / "tpe-tui.log", encoding="utf-8")
    except OSError:
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    return folder / "tpe-tui.log"


def main(argv: Sequence[str] | None = None) -> int:
    log_file = _setup_logging()
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    handler: Callable[[argparse.Namespace], int]
    if args.command is None:
        from tpe_tui.cli.app import run_app

        handler = run_app
    else:
        from tpe_tui.cli.commands import HANDLERS

        handler = HANDLERS[args.command]
    try:
        return handler(args)
    except TpeError as exc:
        log.warning("%s: %s", args.command or "app", exc)
        print(f"tpe-tui : {exc}", file=sys.stderr)
        return exc.exit_code
    except BrokenPipeError:
        # Output piped into `head` or a closed pager: not an error of ours.
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        print("tpe-tui : interrompu.", file=sys.stderr)
        return 1
    except Exception:
        log.exception("unexpected error in %s", args.command or "app")
        where = f" Détails dans {log_file}." if log_file else ""
        print(f"tpe-tui : une erreur inattendue s’est produite.{where}", file=sys.stderr)
        return 1
