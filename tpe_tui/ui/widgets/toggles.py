"""Boxes whose state shows without colour: a ticked box reads ▐X▌, an empty one ▐ ▌.

Textual draws the same « X » in a ticked and an unticked box and tells them apart by
colour only, which a monochrome console, a colour-blind person or a projector loses.
"""

from __future__ import annotations

from typing import Any

from rich.segment import Segment
from textual.geometry import Size
from textual.strip import Strip
from textual.widgets import Checkbox, RadioButton, SelectionList
from textual.widgets._toggle_button import ToggleButton


class TickBox(Checkbox):
    # A long sentence (the consent) wraps under its box instead of being cut at 80 columns.
    DEFAULT_CSS = """
    TickBox { width: 1fr; height: auto; text-wrap: wrap; }
    """

    @property
    def BUTTON_INNER(self) -> str:  # type: ignore[override]  # a property over a class str, on purpose
        return "X" if self.value else " "

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        # Textual's toggle is always one line high, whatever its label: as many as it wraps to.
        return max(1, len(self.render().wrap(width))) if width > 0 else 1


class ChoiceButton(RadioButton):
    """One answer of a `ChoiceSet`: it carries the value it stands for."""

    def __init__(self, label: str, *, choice: Any = None, **options: Any) -> None:
        super().__init__(label, **options)
        self.choice = choice

    @property
    def BUTTON_INNER(self) -> str:  # type: ignore[override]  # a property over a class str, on purpose
        return "●" if self.value else " "


class CheckList(SelectionList[str]):
    """A list of boxes to tick: the arrows move between items, Espace ticks."""

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        segments = list(strip)
        if len(segments) < 4 or segments[1].text != ToggleButton.BUTTON_INNER:
            return strip
        index = self.scroll_offset.y + y
        if index >= self.option_count:
            return strip
        ticked = self.get_option_at_index(index).value in self.selected
        segments[1] = Segment("X" if ticked else " ", segments[1].style)
        return Strip(segments, strip.cell_length)
