"""Values typed and refused in a screen's fields, and what each such field keeps meanwhile.

One rule for every screen saved as it is typed (the forms of `autosaved_form`, the
accompaniment): while what is typed in a field is refused, the record — so the file, and
whatever reads it meanwhile (a visit opened from the client file, an export, a crash) —
keeps the value the field held before that typing, not one it passed through on the way (a
SIRET emptied by Ctrl+U before « 1234 » was typed: NEW4-22, NEW5-14). The refused text stays
shown under its field, to correct; leaving the screen asks first (`leave_unless_refused`),
and left without them, each field keeps that value.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from copy import deepcopy
from typing import Any, Generic, TypeVar

K = TypeVar("K", bound=Hashable)


class RefusedFields(Generic[K]):
    """The fields (by key) whose typed value is refused, and their values before it.

    `value_of(key)` reads the field's value in the record; `put_back(key, value)` writes it
    there (the caller saves)."""

    def __init__(self, value_of: Callable[[K], Any], put_back: Callable[[K, Any], None]):
        self._value_of = value_of
        self._put_back = put_back
        self.refused: dict[K, tuple[str, str]] = {}  # key -> (the text typed, why refused)
        self.chosen: dict[K, Any] = {}  # key -> its value before the typing

    def __bool__(self) -> bool:
        return bool(self.refused)

    def start(self, key: K) -> None:
        """A field entered (or shown): its typing starts from the value it holds now;
        unless what was typed there is refused (back to correct it, the value before stays)."""
        if key not in self.refused:
            self.chosen[key] = deepcopy(self._value_of(key))

    def refuse(self, key: K, typed: str, why: str) -> bool:
        """What is typed in `key` is refused: the record gets back the value from before
        the typing. True when it was put back (to be saved)."""
        self.refused[key] = (typed, why)
        return self.keep_chosen(key)

    def accept(self, key: K) -> bool:
        """A value of `key` is taken: True when it was refused until now."""
        return self.refused.pop(key, None) is not None

    def keep_chosen(self, key: K) -> bool:
        if key not in self.chosen or self._value_of(key) == self.chosen[key]:
            return False
        self._put_back(key, deepcopy(self.chosen[key]))
        return True

    def drop(self, keys: Iterable[K] | None = None) -> bool:
        """Forget the values refused (those of `keys`, else all), each field keeping the
        value it held before; True when one was put back (to be saved)."""
        changed = False
        for key in list(self.refused if keys is None else keys):
            if key in self.refused:
                changed = self.keep_chosen(key) or changed
                del self.refused[key]
        return changed
