"""Every command's --help explains itself in French: a description line, and a help text
for each argument and option (acceptance finding NEW4-7)."""

from __future__ import annotations

import argparse

from tpe_tui.cli.main import build_parser


def _commands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    (sub,) = (a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(sub.choices)


def test_every_command_has_a_description_and_every_argument_a_help() -> None:
    missing = [
        f"{name} {action.dest}"
        for name, command in _commands().items()
        for action in command._actions
        if not (action.help or "").strip()
    ]
    assert not missing
    assert not [name for name, command in _commands().items() if not command.description]


def test_workshop_help_says_what_each_document_is() -> None:
    shown = " ".join(_commands()["workshop"].format_help().split())
    assert "sheet : feuille d’émargement" in shown and "recap : récapitulatif" in shown
