"""Textual's few built-in English words, said in French (Textual has no translations).

Textual 8.2 is pinned (pyproject.toml); `tests/ui/test_french_words.py` shows each of these
words on screen, so a Textual upgrade that moves them fails a test instead of speaking
English to the mediator.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import ClassVar

from textual.app import App
from textual.binding import Binding, BindingType
from textual.command import CommandList, CommandPalette
from textual.content import Content
from textual.dom import DOMNode
from textual.widgets.option_list import Option

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


FOOTER_KEY_NAMES = {"space": "Espace", "delete": "Suppr"}  # where Textual shows English


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


NO_MATCHES = "Aucune commande trouvée"


class FrenchCommandPalette(CommandPalette):
    """The command palette with its visible words in French."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "escape", "Fermer le menu des commandes"),
    ]

    def __init__(self) -> None:
        super().__init__(id="--command-palette", placeholder=PALETTE_PLACEHOLDER)

    def _start_no_matches_countdown(self, search_value: str) -> None:
        """As Textual 8.2's palette does (a line after a short wait when nothing matches a
        typed search), with the line in French."""
        self._stop_no_matches_countdown()

        def say_no_matches() -> None:
            if search_value:
                self.query_one(CommandList).add_option(
                    Option(Content(NO_MATCHES), disabled=True, id=self._NO_MATCHES)
                )
            self._list_visible = bool(search_value)

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, say_no_matches)


# What the keys of Textual's own widgets do, as the help panel (« Raccourcis clavier »)
# lists them: by action, then per widget where one action means something else there.
ACTIONS = {
    "quit": "Quitter",
    "app.focus_next": "Champ suivant",
    "app.focus_previous": "Champ précédent",
    "screen.copy_text": "Copier le texte sélectionné",
    "scroll_up": "Défiler vers le haut",
    "scroll_down": "Défiler vers le bas",
    "scroll_left": "Défiler vers la gauche",
    "scroll_right": "Défiler vers la droite",
    "scroll_home": "Tout en haut",
    "scroll_end": "Tout en bas",
    "page_up": "Page précédente",
    "page_down": "Page suivante",
    "page_left": "Page à gauche",
    "page_right": "Page à droite",
    "cursor_up": "Ligne précédente",
    "cursor_down": "Ligne suivante",
    "cursor_left": "Caractère précédent",
    "cursor_right": "Caractère suivant (ou accepter la suggestion)",
    "cursor_left(True)": "Sélectionner à gauche",
    "cursor_right(True)": "Sélectionner à droite",
    "cursor_up(True)": "Sélectionner vers le haut",
    "cursor_down(True)": "Sélectionner vers le bas",
    "cursor_left_word": "Mot précédent",
    "cursor_right_word": "Mot suivant",
    "cursor_word_left": "Mot précédent",
    "cursor_word_right": "Mot suivant",
    "cursor_left_word(True)": "Sélectionner le mot précédent",
    "cursor_right_word(True)": "Sélectionner le mot suivant",
    "cursor_word_left(True)": "Sélectionner le mot précédent",
    "cursor_word_right(True)": "Sélectionner le mot suivant",
    "cursor_line_start": "Début de ligne",
    "cursor_line_end": "Fin de ligne",
    "cursor_line_start(True)": "Sélectionner jusqu’au début de ligne",
    "cursor_line_end(True)": "Sélectionner jusqu’à la fin de ligne",
    "cursor_page_up": "Page précédente",
    "cursor_page_down": "Page suivante",
    "home": "Début du champ",
    "end": "Fin du champ",
    "home(True)": "Sélectionner jusqu’au début",
    "end(True)": "Sélectionner jusqu’à la fin",
    "select_all": "Tout sélectionner",
    "select_line": "Sélectionner la ligne",
    "delete_left": "Effacer le caractère à gauche",
    "delete_right": "Effacer le caractère à droite",
    "delete_left_word": "Effacer le mot à gauche",
    "delete_word_left": "Effacer le mot à gauche",
    "delete_right_word": "Effacer le mot à droite",
    "delete_word_right": "Effacer le mot à droite",
    "delete_left_all": "Effacer tout à gauche",
    "delete_right_all": "Effacer tout à droite",
    "delete_to_start_of_line": "Effacer jusqu’au début de ligne",
    "delete_to_end_of_line_or_delete_line": "Effacer jusqu’à la fin de ligne",
    "delete_line": "Effacer la ligne",
    "submit": "Valider",
    "cut": "Couper",
    "copy": "Copier",
    "paste": "Coller",
    "undo": "Annuler la frappe",
    "redo": "Rétablir la frappe",
    "select_cursor": "Ouvrir ou choisir",
    "scroll_top": "Première ligne",
    "scroll_bottom": "Dernière ligne",
    "show_overlay": "Ouvrir la liste",
    "dismiss": "Fermer la liste",
    "first": "Premier choix",
    "last": "Dernier choix",
    "select": "Choisir",
    "previous_tab": "Onglet précédent",
    "next_tab": "Onglet suivant",
    "toggle_button": "Cocher ou décocher",
    "next_button": "Choix suivant",
    "previous_button": "Choix précédent",
    "press": "Appuyer sur le bouton",
    "escape": "Fermer le menu des commandes",
    "command_list('first')": "Première commande",
    "command_list('last')": "Dernière commande",
    "command_list('page_down')": "Page suivante",
    "command_list('page_up')": "Page précédente",
    "command_list('cursor_up')": "Commande précédente",
}
PER_WIDGET = {
    "DataTable": {
        "cursor_left": "Colonne précédente",
        "cursor_right": "Colonne suivante",
        "scroll_home": "Première colonne",
        "scroll_end": "Dernière colonne",
    },
    "OptionList": {"cursor_up": "Choix précédent", "cursor_down": "Choix suivant"},
    "SelectionList": {"select": "Cocher ou décocher"},
    "RadioSet": {"toggle_button": "Choisir"},
    "CommandPalette": {"cursor_down": "Commande suivante"},
}
GROUP_TITLES = {"Input": "Champ de saisie"}


def _textual_classes() -> list[type[DOMNode]]:
    """Textual's classes whose own bindings reach our screens."""
    from textual import widgets
    from textual.containers import ScrollableContainer
    from textual.screen import Screen
    from textual.widgets._select import SelectOverlay
    from textual.widgets._toggle_button import ToggleButton

    return [
        App,
        Screen,
        ScrollableContainer,
        widgets.Input,
        widgets.MaskedInput,
        widgets.TextArea,
        widgets.DataTable,
        widgets.Select,
        SelectOverlay,
        widgets.OptionList,
        widgets.SelectionList,
        widgets.Tabs,
        ToggleButton,
        widgets.RadioSet,
        widgets.Button,
        CommandPalette,
    ]


def _in_french(binding: BindingType, widget: str) -> BindingType:
    if isinstance(binding, tuple):  # ("key", "action", "description")
        binding = Binding(*binding)
    if not isinstance(binding, Binding) or not binding.description:
        return binding
    words = PER_WIDGET.get(widget, {}).get(binding.action) or ACTIONS.get(binding.action)
    return replace(binding, description=words) if words else binding


def french_bindings() -> None:
    """Every key of Textual's own widgets described in French (the help panel lists them).
    Bindings are merged when a class is made, so every class below is merged again."""
    for cls in _textual_classes():
        own = cls.__dict__.get("BINDINGS")
        if own:
            cls.BINDINGS = [_in_french(b, cls.__name__) for b in own]
        title = cls.__dict__.get("BINDING_GROUP_TITLE")
        if title in GROUP_TITLES:
            cls.BINDING_GROUP_TITLE = GROUP_TITLES[title]
    pending = _textual_classes()
    merged: set[type[DOMNode]] = set()
    while pending:
        cls = pending.pop()
        if cls not in merged:
            merged.add(cls)
            cls._merged_bindings = cls._merge_bindings()
            pending += cls.__subclasses__()


french_bindings()  # once, when the app module is imported
