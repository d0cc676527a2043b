"""One-line form fields whose value is not their text: each carries its own conversion
between what is typed and the record's value, and refuses at the keyboard what can never be
right (letters in a number).

No `max_length`: Textual checks it before replacing the selected text, so a full date
field, selected on focus, would refuse the new date typed over it."""

from __future__ import annotations

from typing import Any

from tpe_tui.domain.plain_text import printable
from tpe_tui.domain.records import (
    ValidationError,
    french_date,
    parse_french_date,
    parse_minutes,
)
from tpe_tui.ui.widgets.forms import FieldPath, TextInput


class ListInput(TextInput):
    """Several values typed on one line, comma-separated (territories, mediators)."""

    def to_value(self) -> list[str]:
        return [part.strip() for part in self.value.split(",") if part.strip()]

    def show(self, value: Any) -> None:
        # A file brought in may hold escape sequences: never sent to the terminal.
        self.value = printable(", ".join(str(v) for v in value or []))


class DateInput(TextInput):
    """JJ/MM/AAAA on screen, ISO in the record."""

    def __init__(self, field: FieldPath | str, **options: Any) -> None:
        options.setdefault("placeholder", "JJ/MM/AAAA")
        super().__init__(field, restrict=r"[0-9/.\-]*", **options)

    def to_value(self) -> str:
        return parse_french_date(self.value)

    def show(self, value: Any) -> None:
        self.value = french_date(value)


class MinutesInput(TextInput):
    """A duration in minutes: digits only."""

    def __init__(self, field: FieldPath | str, **options: Any) -> None:
        super().__init__(field, restrict=r"[0-9]*", **options)

    def to_value(self) -> int | None:
        return parse_minutes(self.value)

    def show(self, value: Any) -> None:
        self.value = "" if value is None else str(value)


class CountInput(TextInput):
    """A whole number (employees…): digits only; empty means not known."""

    def __init__(self, field: FieldPath | str, **options: Any) -> None:
        super().__init__(field, restrict=r"[0-9]*", **options)

    def to_value(self) -> int | None:
        text = self.value.strip()
        if not text:
            return None
        if not text.isdigit():
            raise ValidationError("Nombre entier attendu.")
        return int(text)

    def show(self, value: Any) -> None:
        self.value = "" if value is None else str(value)
