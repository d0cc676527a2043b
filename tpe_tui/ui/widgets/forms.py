"""Form plumbing: French validators, and reading/writing record fields from widgets.

A widget bound to a record field has the id `f-<field>` (or `f-<field>--<key>` for one entry
of a dict field such as `skills`); an input whose value is not its text carries its own
conversion (`value_inputs.py`: a date, minutes, a count, a list). Screens stay thin: one
generic handler reads any changed widget into the record.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from textual.validation import ValidationResult, Validator
from textual.widget import Widget
from textual.widgets import Checkbox, Input, RadioButton, RadioSet, Select, SelectionList, TextArea
from textual.widgets.select import NoSelection

from tpe_tui.domain.plain_text import printable
from tpe_tui.domain.records import ValidationError
from tpe_tui.ui.widgets.toggles import ChoiceButton
from tpe_tui.ui.widgets.value_inputs import ScoreSelect, ValueInput

PREFIX = "f-"


class ModelCheck(Validator):
    """Wraps a model `clean_*` function: its French message becomes the failure."""

    def __init__(self, clean: Callable[[str], Any]) -> None:
        super().__init__()
        self.clean = clean

    def validate(self, value: str) -> ValidationResult:
        try:
            self.clean(value)
        except ValidationError as exc:
            return self.failure(str(exc))
        return self.success()


def field_of(widget: Widget) -> tuple[str, str | None] | None:
    """(field, key) a widget is bound to, or None."""
    if not widget.id or not widget.id.startswith(PREFIX):
        return None
    name = widget.id[len(PREFIX) :]
    if "--" in name:
        field, key = name.split("--", 1)
        return field, key
    return name, None


def bound_id(field: str, key: str | None = None) -> str:
    return f"{PREFIX}{field}--{key}" if key else f"{PREFIX}{field}"


def read(widget: Widget) -> Any:
    """The record value a widget holds; raises ValidationError for a bad typed value."""
    if isinstance(widget, ValueInput | ScoreSelect):
        return widget.to_value()  # the widget carries its conversion (date, minutes…)
    if isinstance(widget, Input):
        for validator in widget.validators:
            if isinstance(validator, ModelCheck):
                return validator.clean(widget.value)
        return widget.value
    if isinstance(widget, TextArea):
        return widget.text
    if isinstance(widget, Checkbox):
        return widget.value
    if isinstance(widget, Select):
        value = widget.value
        if isinstance(value, NoSelection):  # what is_blank() tests, narrowed for mypy
            return None
        return value
    if isinstance(widget, SelectionList):
        return list(widget.selected)
    if isinstance(widget, RadioSet):
        pressed = widget.pressed_button
        if pressed is None or not pressed.id:
            return None
        code = pressed.id.rsplit("--", 1)[-1]
        return {"true": True, "false": False}.get(code, code)
    raise TypeError(type(widget).__name__)


def write(widget: Widget, value: Any) -> None:
    """Show a record value in a widget, without the widget reporting it as a change."""
    with widget.prevent(
        Input.Changed,
        TextArea.Changed,
        Checkbox.Changed,
        Select.Changed,
        SelectionList.SelectedChanged,
        SelectionList.SelectionToggled,
        RadioSet.Changed,
        RadioButton.Changed,
    ):
        if isinstance(widget, ValueInput):
            widget.show(value)
        elif isinstance(widget, Input):
            # A file brought in may hold escape sequences: never sent to the terminal.
            widget.value = "" if value is None else printable(str(value))
        elif isinstance(widget, TextArea):
            widget.load_text(printable(value or ""))
        elif isinstance(widget, Checkbox):
            widget.value = bool(value)
        elif isinstance(widget, Select):
            if value is None or value == "":
                widget.clear()
            else:
                widget.value = str(value)  # catalogue codes are strings, even for scores
        elif isinstance(widget, SelectionList):
            widget.deselect_all()
            for item in value or []:
                widget.select(item)
        elif isinstance(widget, RadioSet):
            code = (
                {True: "true", False: "false"}.get(value, value)
                if isinstance(value, bool)
                else value
            )
            for button in widget.query(RadioButton):
                button.value = bool(button.id and button.id.rsplit("--", 1)[-1] == code)


def radio_id(field: str, code: str) -> str:
    return f"r-{field}--{code}"


def radio_buttons(field: str, choices: Iterable[tuple[str, str]]) -> list[RadioButton]:
    return [ChoiceButton(label, id=radio_id(field, code)) for label, code in choices]


def store_value(record: dict[str, Any], field: str, key: str | None, value: Any) -> None:
    if key is None:
        record[field] = value
    else:
        container = record.get(field)
        if not isinstance(container, dict):
            container = {}
        record[field] = {**container, key: value}


def load_value(record: dict[str, Any], field: str, key: str | None) -> Any:
    value = record.get(field)
    if key is None:
        return value
    return value.get(key) if isinstance(value, dict) else None
