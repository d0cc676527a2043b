"""Form fields: widgets that carry the record field they edit and convert its value.

A form field is declared by building one of the widgets below with its field, e.g.
`TextInput("commune")`, `DateInput("date")`, `ChoiceSelect("kind", choices)`, or, for a
field of a nested shape, `TextInput(FieldPath("phone", within="contact"))`. The widget
knows its `FieldPath` and turns the record's value into what it shows (`show`) and what it
holds back into the record's value (`to_value`, which raises a French ValidationError for
a bad typed value). Forms read and write through those two methods only: nothing is
routed by widget id. The id each field gets by default (`FieldPath.handle`) is a handle for
tests and CSS, never parsed.

One-line inputs of a particular kind (a date, minutes, a count, a list) live in
`value_inputs.py`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual.dom import DOMNode
from textual.validation import ValidationResult, Validator
from textual.widget import Widget
from textual.widgets import (
    Checkbox,
    Input,
    RadioButton,
    RadioSet,
    Select,
    SelectionList,
    TextArea,
)
from textual.widgets.select import NoSelection

from tpe_tui.domain.plain_text import printable
from tpe_tui.domain.records import ValidationError
from tpe_tui.ui.widgets.toggles import CheckList, ChoiceButton, TickBox

# The prefix of a field's default id, by the shape it belongs to (a handle, not a route).
_HANDLE_PREFIX = {"": "", "client": "c_", "contact": "p_"}


@dataclass(frozen=True)
class FieldPath:
    """Where a form field's value lives: `name` in the record the form edits, or in a
    nested shape of it (`within`: "client" or "contact" of a session, "solution"), and
    `key` for one entry of a map field (a skill of `skills`)."""

    name: str
    key: str | None = None
    within: str = ""

    @property
    def slug(self) -> str | None:
        """A short unique name on its form (for ids), None for repeated shapes."""
        prefix = _HANDLE_PREFIX.get(self.within)
        if prefix is None:
            return None
        return f"{prefix}{self.name}--{self.key}" if self.key else f"{prefix}{self.name}"

    @property
    def handle(self) -> str | None:
        """The widget's default id: what tests and style sheets hold it by."""
        return f"f-{self.slug}" if self.slug else None


def with_class(options: dict[str, Any], name: str) -> None:
    """Add the CSS class `name` to a widget's constructor `options`."""
    options["classes"] = " ".join(filter(None, (options.get("classes"), name)))


def as_path(field: FieldPath | str) -> FieldPath:
    return field if isinstance(field, FieldPath) else FieldPath(field)


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


if TYPE_CHECKING:  # a form field is always a widget: typed code may use it as one
    _WidgetMixin = Widget
else:
    _WidgetMixin = object


class FormField(_WidgetMixin):
    """Mixed into a widget: the field it edits, and its value converted both ways."""

    field_path: FieldPath

    def _bind(self, field: FieldPath | str, options: dict[str, Any]) -> dict[str, Any]:
        """Remember the field; the widget's options, with its default id."""
        self.field_path = as_path(field)
        if options.get("id") is None:
            options["id"] = self.field_path.handle
        if options.get("compact"):
            # Born with the class that Textual's `compact` sets in the widget's constructor:
            # set there, it restyled the widget before it was even mounted (where it is
            # styled anyway). The accompaniment's fields spent 0.2-0.3 s of the processor
            # on it at each opening.
            with_class(options, "-textual-compact")
        return options

    def to_value(self) -> Any:
        """The record's value; raises ValidationError with a French message."""
        raise NotImplementedError

    def show(self, value: Any) -> None:
        """Show the record's value (`write` keeps it from counting as an edit)."""
        raise NotImplementedError


class TextInput(FormField, Input):
    """One line of text; `check` (a model `clean_*` function) refuses bad values and gives
    the value kept (a phone number in its usual spacing…)."""

    def __init__(
        self,
        field: FieldPath | str,
        *,
        check: Callable[[str], Any] | None = None,
        **options: Any,
    ) -> None:
        self.check = check
        if check is not None:
            options["validators"] = [ModelCheck(check)]
        # Born « -valid », as it is once shown a value that passes (no style tells the two
        # apart): the first value shown then changes no class, and the field is not
        # restyled. Each first show restyled it: half the cost of filling a business file.
        with_class(options, "-valid")
        super().__init__(**self._bind(field, options))

    def to_value(self) -> Any:
        return self.check(self.value) if self.check else self.value

    def show(self, value: Any) -> None:
        # A file brought in may hold escape sequences: never sent to the terminal.
        self.value = "" if value is None else printable(str(value))


class TextBox(FormField, TextArea):
    """Several lines of free text."""

    def __init__(self, field: FieldPath | str, **options: Any) -> None:
        super().__init__(**self._bind(field, options))

    def to_value(self) -> Any:
        return self.text

    def show(self, value: Any) -> None:
        self.load_text(printable(value or ""))


class LinesBox(TextBox):
    """A list of short texts, one per line (blank lines dropped)."""

    def to_value(self) -> list[str]:
        return [line.strip() for line in self.text.splitlines() if line.strip()]

    def show(self, value: Any) -> None:
        super().show("\n".join(str(line) for line in value or []))


class ChoiceSelect(FormField, Select[str]):
    """One code of a list (catalogue codes are strings); None while none is chosen."""

    def __init__(
        self, field: FieldPath | str, choices: Iterable[tuple[Any, str]] = (), **options: Any
    ) -> None:
        super().__init__(choices, **self._bind(field, options))

    def to_value(self) -> Any:
        value = self.value
        return None if isinstance(value, NoSelection) else value

    def show(self, value: Any) -> None:
        if value is None or value == "":
            self.clear()
        else:
            self.value = str(value)  # catalogue codes are strings, even for scores


class ScoreSelect(ChoiceSelect):
    """A level on a scale whose codes are digits (skills, maturity): a whole number in the
    record, None while not assessed."""

    def to_value(self) -> int | None:
        value = self.value
        return None if isinstance(value, NoSelection) else int(value)


class TickField(FormField, TickBox):
    """Yes or no."""

    def __init__(self, field: FieldPath | str, label: str, **options: Any) -> None:
        super().__init__(label, **self._bind(field, options))

    def to_value(self) -> Any:
        return self.value

    def show(self, value: Any) -> None:
        self.value = bool(value)


class TickList(FormField, CheckList):
    """Several codes of a list, each ticked or not."""

    def __init__(self, field: FieldPath | str, *choices: tuple[Any, str], **options: Any) -> None:
        super().__init__(*choices, **self._bind(field, options))

    def to_value(self) -> list[str]:
        return list(self.selected)

    def show(self, value: Any) -> None:
        self.deselect_all()
        for item in value or []:
            self.select(item)


class ChoiceSet(FormField, RadioSet):
    """One answer among a few, each button carrying its value (a code, or True/False)."""

    def __init__(
        self, field: FieldPath | str, choices: Iterable[tuple[str, Any]], **options: Any
    ) -> None:
        buttons = [ChoiceButton(label, choice=value) for label, value in choices]
        super().__init__(*buttons, **self._bind(field, options))

    def to_value(self) -> Any:
        pressed = self.pressed_button
        return pressed.choice if isinstance(pressed, ChoiceButton) else None

    def show(self, value: Any) -> None:
        pressed = None
        for button in self.query(ChoiceButton):
            button.value = _same(button.choice, value)
            pressed = button if button.value else pressed
        # `write` keeps the buttons' messages from the set, so it is told which one is on:
        # else pressing another later left both on. Textual has no public setter for it.
        self._pressed_button = pressed


def _same(choice: Any, value: Any) -> bool:
    """True and 1 are not the same answer."""
    return type(choice) is type(value) and choice == value


# ---------------------------------------------------------------------------- forms
def fields_in(node: DOMNode, within: str | None = None) -> Iterator[FormField]:
    """The form fields under `node` (those of one shape when `within` is given)."""
    for widget in node.walk_children():  # cheaper than a query("*"): no selector to match
        if isinstance(widget, FormField) and (within is None or widget.field_path.within == within):
            yield widget


def field_widget(node: DOMNode, path: FieldPath | str) -> FormField:
    """The form field under `node` that edits `path`."""
    path = as_path(path)
    for found in fields_in(node, path.within):
        if found.field_path == path:
            return found
    raise LookupError(f"no form field for {path}")


def read(widget: FormField) -> Any:
    """The record value a field holds; raises ValidationError for a bad typed value."""
    return widget.to_value()


def write(widget: FormField, value: Any) -> None:
    """Show a record value in a field, without the field reporting it as a change."""
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
        widget.show(value)


def store_value(record: dict[str, Any], path: FieldPath, value: Any) -> None:
    """Put a field's value in the record (`record` is the shape the path is within)."""
    if path.key is None:
        record[path.name] = value
    else:
        container = record.get(path.name)
        if not isinstance(container, dict):
            container = {}
        record[path.name] = {**container, path.key: value}


def load_value(record: dict[str, Any], path: FieldPath) -> Any:
    value = record.get(path.name)
    if path.key is None:
        return value
    return value.get(path.key) if isinstance(value, dict) else None
