"""Textual's few built-in English words, said in French (Textual has no translations).

Textual 8.2 is pinned (pyproject.toml); `tests/ui/test_french_words.py` shows each of these
words on screen, so a Textual upgrade that moves them fails a test instead of speaking
English to the mediator.
"""

from __future__ import annotations

import re
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.command import CommandPalette

PALETTE_PLACEHOLDER = "Chercher une commande…"

# How keys are named in the palette's « Touche … » lines.
KEY_NAMES = {
    "escape": "Échap",
    "enter": "Entrée",
    "delete": "Suppr",
    "space": "Espace",
    "tab": "Tab",
    "slash": "/",
    "question_mark": "?",
}


def key_name(key: str) -> str:
    """A binding's key as a French keyboard names it: « Échap », « Ctrl+N », « F5 », « d »."""
    *modifiers, last = key.split(",")[0].strip().split("+")
    if last in KEY_NAMES:
        name = KEY_NAMES[last]
    elif re.fullmatch(r"f\d+", last) or (modifiers and len(last) == 1):
        name = last.upper()
    else:
        name = last
    return "+".join([*(m.capitalize() for m in modifiers), name])


class FrenchCommandPalette(CommandPalette):
    """The command palette with its visible words in French."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "escape", "Fermer le menu des commandes"),
    ]

    def __init__(self) -> None:
        super().__init__(id="--command-palette", placeholder=PALETTE_PLACEHOLDER)


def french_select_overlay() -> None:
    """The drop-down list of a `Select` says « Fermer la liste » for Échap, not « Dismiss
    menu ». Its bindings are merged when the class is made, so they are merged again here."""
    from textual.widgets._select import SelectOverlay

    SelectOverlay.BINDINGS = [Binding("escape", "dismiss", "Fermer la liste")]
    SelectOverlay._merged_bindings = SelectOverlay._merge_bindings()


french_select_overlay()  # once, when the app module is imported
