"""One-line inputs (and a choice) that carry their own conversion between what is typed and the record's
value, and refuse at the keyboard what can never be right (letters in a number).

No `max_length`: Textual checks it before replacing the selected text, so a full date
field, selected on focus, would refuse the new date typed over it."""

from __future__ import annotations

from typing import Any

from textual.widgets import Input, Select
from textual.widgets.select import NoSelection

from tpe_tui.domain.plain_text import printable
from tpe_tui.domain.records import (
    ValidationError,
    french_date,
    parse_french_date,
    parse_minutes,
)


class ValueInput(Input):
    """Text as typed is the value (subclasses convert)."""

    def to_value(self) -> Any:
        """The record's value; raises ValidationError with a French message."""
        return self.value

    def show(self, value: Any) -> None:
        self.value = "" if value is None else str(value)


class ListInput(ValueInput):
    """Several values typed on one line, comma-separated (territories, mediators)."""

    def to_value(self) -> list[str]:
        return [part.strip() for part in self.value.split(",") if part.strip()]

    def show(self, value: Any) -> None:
        # A file brought in may hold escape sequences: never sent to the terminal.
        self.value = printable(", ".join(str(v) for v in value or []))


class DateInput(ValueInput):
    """JJ/MM/AAAA on screen, ISO in the record."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("placeholder", "JJ/MM/AAAA")
        super().__init__(*args, restrict=r"[0-9/.\-]*", **kwargs)

    def to_value(self) -> str:
        return parse_french_date(self.value)

    def show(self, value: Any) -> None:
        self.value = french_date(value)


class MinutesInput(ValueInput):
    """A duration in minutes: digits only."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, restrict=r"[0-9]*", **kwargs)

    def to_value(self) -> int | None:
        return parse_minutes(self.value)


class CountInput(ValueInput):
    """A whole number (employees…): digits only; empty means not known."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, restrict=r"[0-9]*", **kwargs)

    def to_value(self) -> int | None:
        text = self.value.strip()
        if not text:
            return None
        if not text.isdigit():
            raise ValidationError("Nombre entier attendu.")
        return int(text)


class ScoreSelect(Select[str]):
    """A level on a scale whose codes are digits (skills, maturity): a whole number in the
    record, None while not assessed."""

    def to_value(self) -> int | None:
        value = self.value
        return None if isinstance(value, NoSelection) else int(value)
