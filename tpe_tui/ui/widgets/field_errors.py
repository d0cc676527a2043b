"""The line right under a form field that says, in French, why what was typed there is not
kept: each refusal under its own field, not all of them in one place rows away from it."""

from __future__ import annotations

from textual.widget import Widget
from textual.widgets import Static

from tpe_tui.ui.widgets.forms import FormField


def line_under(field: FormField) -> Static:
    """A hidden error line (`err-<field>`), mounted right after `field`'s row. Made when a
    form first needs it: most fields never do, and a form opens faster without them."""
    row: Widget = field
    if isinstance(field.parent, Widget) and field.parent.has_class("field-row"):
        row = field.parent  # the label and the field: the line goes under both
    line = Static("", id=f"err-{field.field_path.slug}", classes="field-error", markup=False)
    if isinstance(row.parent, Widget):
        row.parent.mount(line, after=row)
    return line


def say(line: Static, text: str) -> None:
    """Show `text` on an error line, or hide the line when there is nothing to say."""
    line.update(text)
    line.display = bool(text)
