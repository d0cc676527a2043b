"""People's text for widgets: shown as typed, never read as markup.

Static, Label, option prompts, Select choices, table cells, titles and notifications read a
plain `str` as Textual markup: « Atelier [/] » raised MarkupError, « Café [bio] » lost a word,
« [@click=app.quit] » became a clickable action. A `Content` built from the string is shown
as it is; control characters are removed so nothing reaches the terminal as an escape.
"""

from __future__ import annotations

from typing import Any

from textual.content import Content

from tpe_tui.domain.plain_text import printable


def plain(text: Any) -> Content:
    """`text` (any value, None as empty) as plain content for a widget."""
    return Content("" if text is None else printable(str(text)))


def choices(pairs: Any) -> list[tuple[Content, Any]]:
    """(label, value) pairs for a `Select`, the labels as plain content."""
    return [(plain(label), value) for label, value in pairs]
