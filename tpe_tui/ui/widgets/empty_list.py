"""The line under a list that says it is empty and which key makes its first entry: an
empty frame said nothing, and a key acting on « the entry under the cursor » (F2 « Inscrire »
with no workshop) did nothing without a word (acceptance finding NEW4-19)."""

from __future__ import annotations

from textual.widgets import Static


class EmptyListNote(Static):
    """Shown only while its list is empty; not a dialog, so the keys typed next (Ctrl+N)
    act at once instead of closing it."""

    DEFAULT_CSS = """
    EmptyListNote { height: auto; width: 1fr; color: $text-muted; padding: 0 1; display: none; }
    EmptyListNote.-asked { color: $warning; }
    """

    def __init__(self) -> None:
        super().__init__("", id="list-empty", markup=False)

    def list_shown(self, count: int, empty_text: str) -> None:
        """The list now holds `count` entries: said empty (`empty_text`) or hidden."""
        self.remove_class("-asked")
        self.update(empty_text if not count else "")
        self.display = not count

    def key_without_entry(self, text: str) -> None:
        """A key needing an entry was pressed while there is none: say what to do first."""
        self.add_class("-asked")
        self.update(text)
        self.display = True
