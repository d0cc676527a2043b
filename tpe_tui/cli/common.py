"""What the sub-commands share: a French argparse, the `--db` option, and the workspace
every command reads and writes through, as the app does.

Kept light (no store, no services at import): `tpe-tui` without a sub-command starts the
app, and building the parser must not delay its first frame.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from tpe_tui.domain.errors import DataFileError, UsageError
from tpe_tui.storage import paths

if TYPE_CHECKING:
    from tpe_tui.services.workspace import Workspace

Handler = Callable[[argparse.Namespace], int]

# argparse's own sentences (Python 3.11), in French. argparse looks each one up through
# gettext at the moment it uses it; `_french` answers those lookups while our parser works.
FRENCH = {
    "usage: ": "utilisation : ",
    "positional arguments": "arguments",
    "options": "options",
    "show this help message and exit": "afficher cette aide et quitter",
    "argument %(argument_name)s: %(message)s": "argument %(argument_name)s : %(message)s",
    "unknown parser %(parser_name)r (choices: %(choices)s)": (
        "commande inconnue %(parser_name)r (possibles : %(choices)s)"
    ),
    "can't open '%(filename)s': %(error)s": "impossible d’ouvrir « %(filename)s » : %(error)s",
    "unrecognized arguments: %s": "arguments non reconnus : %s",
    "not allowed with argument %s": "impossible avec l’argument %s",
    "ignored explicit argument %r": "valeur %r ignorée",
    "the following arguments are required: %s": "arguments obligatoires manquants : %s",
    "one of the arguments %s is required": "l’un des arguments %s est obligatoire",
    "expected one argument": "une valeur attendue",
    "expected at most one argument": "au plus une valeur attendue",
    "expected at least one argument": "au moins une valeur attendue",
    "ambiguous option: %(option)s could match %(matches)s": (
        "option ambiguë : %(option)s peut désigner %(matches)s"
    ),
    "unexpected option string: %s": "option inattendue : %s",
    "invalid %(type)s value: %(value)r": "valeur invalide (%(type)s) : %(value)r",
    "invalid choice: %(value)r (choose from %(choices)s)": (
        "choix invalide : %(value)r (possibles : %(choices)s)"
    ),
    "%(prog)s: error: %(message)s\n": "%(prog)s : erreur : %(message)s\n",
}
FRENCH_PLURALS = {
    "expected %s argument": ("%s valeur attendue", "%s valeurs attendues"),
    "conflicting option string: %s": ("option en double : %s", "options en double : %s"),
}


def _french(message: str) -> str:
    return FRENCH.get(message, message)


def _french_plural(singular: str, plural: str, count: int) -> str:
    forms = FRENCH_PLURALS.get(singular)
    if forms is None:
        return singular if count == 1 else plural
    return forms[0] if count <= 1 else forms[1]  # French: 0 and 1 take the singular


@contextlib.contextmanager
def _speaking_french() -> Iterator[None]:
    """argparse's gettext lookups answered in French, for the time of one call."""
    saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]
    argparse._, argparse.ngettext = _french, _french_plural  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]


class FrenchParser(argparse.ArgumentParser):
    """argparse that speaks French (usage, help, errors) and exits 2 with one sentence on
    bad usage."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        with _speaking_french():  # group titles and the help option are named here
            super().__init__(*args, **kwargs)

    def parse_args(  # type: ignore[override]
        self, args: Any = None, namespace: Any = None
    ) -> argparse.Namespace:
        with _speaking_french():  # "unrecognized arguments" is said here
            parsed: argparse.Namespace = super().parse_args(args, namespace)
            return parsed

    def parse_known_args(  # type: ignore[override]
        self, args: Any = None, namespace: Any = None
    ) -> tuple[argparse.Namespace, list[str]]:
        with _speaking_french():
            return super().parse_known_args(args, namespace)

    def format_usage(self) -> str:
        with _speaking_french():
            return super().format_usage()

    def format_help(self) -> str:
        with _speaking_french():
            return super().format_help()

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        sys.stderr.write(f"tpe-tui : utilisation incorrecte ({message}).\n")
        raise SystemExit(2)


def whole_number(text: str) -> int:
    """An `int` option whose error reads in French (argparse would name the type `int`)."""
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"« {text} » n’est pas un nombre entier") from None


def add_db_option(parser: argparse.ArgumentParser, *, top_level: bool = False) -> None:
    """`--db` before or after the sub-command: the sub-command's copy sets the value only
    when given, so it never wipes out one given before the sub-command."""
    parser.add_argument(
        "--db",
        metavar="CHEMIN",
        default=None if top_level else argparse.SUPPRESS,
        help="fichier de données (sinon $TPE_TUI_DB, sinon le dossier de données de l’utilisateur)",
    )


def command(
    sub: argparse._SubParsersAction[FrenchParser], name: str, handler: Handler, help: str
) -> FrenchParser:
    """A sub-command with its `--db` option, run by `handler`."""
    parser = sub.add_parser(name, help=help, description=help[:1].upper() + help[1:] + ".")
    add_db_option(parser)
    parser.set_defaults(handler=handler)
    return parser


def db_of(args: argparse.Namespace) -> Path:
    """The data file asked for. A folder that does not exist is refused rather than created:
    a mistyped `--db` would otherwise start a new, empty file somewhere unexpected."""
    path = paths.db_path(getattr(args, "db", None))
    if chosen_explicitly(args) and not path.parent.is_dir():
        raise UsageError(
            f"Le dossier {path.parent} n’existe pas : vérifiez le chemin du fichier de données "
            "ou créez d’abord ce dossier."
        )
    return path


def chosen_explicitly(args: argparse.Namespace) -> bool:
    """The data file was named (`--db` or $TPE_TUI_DB), not the default one."""
    return bool(getattr(args, "db", None) or os.environ.get(paths.DB_ENV))


def existing_db(args: argparse.Namespace) -> Path:
    """The data file, which must already exist: commands never create one by accident."""
    path = db_of(args)
    if not path.exists():
        raise DataFileError(
            f"Le fichier de données {path} n’existe pas : rien n’a été fait. Indiquez le bon "
            "fichier avec --db, ou lancez d’abord tpe-tui (ou tpe-tui demo)."
        )
    return path


def open_workspace(
    args: argparse.Namespace, *, may_create: bool = False, creates: bool = False
) -> Workspace:
    """The data file open for writing (takes the lock, backs up, recovers).

    A missing file is created only by a command whose job it is (`creates`: demo, wherever
    it is pointed, the default file included; written by its first whole write) or, with `may_create` (an import), when the
    file was named explicitly.
    """
    from tpe_tui.services.workspace import Workspace

    named = may_create and chosen_explicitly(args)
    path = db_of(args) if creates or named else existing_db(args)
    # The command that creates a file writes it whole once its content is ready.
    return Workspace.open(path, paths.device_id(), create=not creates)


def read_workspace(args: argparse.Namespace) -> Workspace:
    """The data file read-only, without the lock (works while the app is open)."""
    from tpe_tui.services.workspace import Workspace

    return Workspace.snapshot(existing_db(args))
