"""People's text for widgets: shown as typed, never read as markup.

Static, Label, option prompts, Select choices, table cells, titles and notifications read a
plain `str` as Textual markup: « Atelier [/] » raised MarkupError, « Café [bio] » lost a word,
« [@click=app.quit] » became a clickable action. A `Content` built from the string is shown
as it is; control characters are removed so nothing reaches the terminal as an escape.
"""

from __future__ import annotations

from typing import Any

from textual.content import Content
from textual.widgets import Static

from tpe_tui.domain.plain_text import printable
from tpe_tui.domain.text import break_paths


def plain(text: Any) -> Content:
    """`text` (any value, None as empty) as plain content for a widget."""
    return Content("" if text is None else printable(str(text)))


def choices(pairs: Any) -> list[tuple[Content, Any]]:
    """(label, value) pairs for a `Select`, the labels as plain content."""
    return [(plain(label), value) for label, value in pairs]


class PathText(Static):
    """A message as plain text whose file paths are cut only after « / » (or a hyphen in a
    long file name) at the width the widget gets: a dialog folded « …-activites.c » / « sv »."""

    def __init__(self, text: Any, **kwargs: Any) -> None:
        super().__init__(markup=False, **kwargs)
        self.text = "" if text is None else printable(str(text))

    def render(self) -> Content:
        width = self.size.width
        return Content(break_paths(self.text, width) if width > 10 else self.text)

    def on_resize(self) -> None:
        self.refresh(layout=True)  # the height follows the lines the paths now take
