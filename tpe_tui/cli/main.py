"""The `tpe-tui` command: no sub-command starts the app; sub-commands do scripted work.

Exit codes everywhere: 0 success, 1 failure, 2 bad usage or bad input. No traceback ever
reaches the person: errors are one French sentence, details go to the log file.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from tpe_tui.cli import agenda, aids, data, plan, stats, structures, summary, sync, workshops
from tpe_tui.cli.common import FrenchParser, Handler, add_db_option
from tpe_tui.cli.terminal import printable_output
from tpe_tui.domain.errors import TpeError
from tpe_tui.storage import paths

log = logging.getLogger("tpe_tui")


def build_parser() -> FrenchParser:
    parser = FrenchParser(
        prog="tpe-tui",
        description="Accompagnement numérique des TPE, hors ligne. Sans sous-commande : "
        "lance l’application.",
    )
    add_db_option(parser, top_level=True)
    sub = parser.add_subparsers(dest="command", metavar="COMMANDE", parser_class=FrenchParser)
    # Each command group declares its own sub-commands, options and handlers.
    for group in (data, sync, summary, agenda, structures, workshops, aids, plan, stats):
        group.register(sub)
    return parser


# Libraries that log warnings of their own (without a handler, Python prints them on stderr).
LIBRARY_LOGGERS = ("fpdf", "fontTools")


def _setup_logging() -> Path | None:
    """Details of failures go to a log file, never to the screen."""
    try:
        folder = paths.private_dir(paths.log_dir())
        # The log names businesses and files: readable by this user alone.
        os.close(os.open(folder / "tpe-tui.log", os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600))
        os.chmod(folder / "tpe-tui.log", 0o600)
        handler = logging.FileHandler(folder / "tpe-tui.log", encoding="utf-8")
    except OSError:
        for library in LIBRARY_LOGGERS:  # nothing of theirs on the screen either
            logging.getLogger(library).addHandler(logging.NullHandler())
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    # The PDF library warns in English on the terminal (« Font … is missing the following
    # glyphs: '🥐' »): the log is where such details go.
    for library in LIBRARY_LOGGERS:
        logging.getLogger(library).addHandler(handler)
    return folder / "tpe-tui.log"


def main(argv: Sequence[str] | None = None) -> int:
    log_file = _setup_logging()
    # Every message of ours may quote an argument, a file's name or its content: none
    # reaches the terminal with a control character (cli/terminal.py), parse errors
    # included (« arguments non reconnus : … » quoted them raw). The app draws its own.
    with printable_output():
        parser = build_parser()
        try:
            args = parser.parse_args(argv)
        except SystemExit as exc:
            return int(exc.code or 0)
        handler: Handler
        if args.command is None:
            from tpe_tui.cli.app import run_app

            handler = run_app
        else:
            handler = args.handler
        return _run(handler, args, log_file)


def _run(handler: Handler, args: argparse.Namespace, log_file: Path | None) -> int:
    try:
        return handler(args)
    except TpeError as exc:
        log.warning("%s: %s", args.command or "app", exc)
        print(f"tpe-tui : {exc}", file=sys.stderr)
        return exc.exit_code
    except BrokenPipeError:
        # Output piped into `head` or a closed pager: not an error of ours.
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
