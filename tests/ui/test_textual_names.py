"""Our screens must not shadow Textual's private names (it happened twice: `_closing` hung a
screen's removal, `_render` broke drawing)."""

from __future__ import annotations

import inspect
import re

from textual.app import App
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen

import tpe_tui.ui.app
import tpe_tui.ui.screens.accompaniment.screen
import tpe_tui.ui.screens.dialogs
import tpe_tui.ui.screens.home
import tpe_tui.ui.screens.preview
import tpe_tui.ui.widgets.solution_editor

MODULES = (
    tpe_tui.ui.app,
    tpe_tui.ui.screens.accompaniment.screen,
    tpe_tui.ui.screens.dialogs,
    tpe_tui.ui.screens.home,
    tpe_tui.ui.screens.preview,
    tpe_tui.ui.widgets.solution_editor,
)
# Overridden knowingly: the handler that keeps tracebacks from the person, and the two
# attributes it sets exactly as Textual 8.2 does.
ON_PURPOSE = {"_handle_exception", "_return_code", "_exception"}


def _textual_names() -> set[str]:
    names: set[str] = set()
    for base in (App, Screen, ModalScreen, Vertical):
        for klass in base.__mro__:
            names.update(vars(klass))
            init = vars(klass).get("__init__")
            if init and hasattr(init, "__code__"):
                names.update(init.__code__.co_names)  # attributes set in __init__
    return {n for n in names if n.startswith("_") and not n.startswith("__")}


def test_no_private_name_of_ours_shadows_textual() -> None:
    textual = _textual_names()
    clashes = []
    for module in MODULES:
        for _, klass in inspect.getmembers(module, inspect.isclass):
            if klass.__module__ != module.__name__:
                continue
            source = inspect.getsource(klass)
            own = set(re.findall(r"def (_[a-z]\w*)", source)) | set(
                re.findall(r"self\.(_[a-z]\w*)\s*[:=]", source)
            )
            clashes += [f"{klass.__name__}.{n}" for n in own & textual if n not in ON_PURPOSE]
    assert clashes == []
