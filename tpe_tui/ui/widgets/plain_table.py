"""A DataTable whose text cells are shown as typed.

DataTable reads a str cell as Rich markup: a business named "Atelier [bio]" would lose a
word and "[/x]" would even raise. Every cell here holds people's text, so it is wrapped. A text too long for its column ends
with « … », so a cut name or reason is seen as cut, never read as whole.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.widgets import DataTable

from tpe_tui.domain.plain_text import printable


def _plain(value: Any) -> Any:
    if isinstance(value, str):
        return Text(printable(value), end="", overflow="ellipsis")
    return value


class PlainTable(DataTable[Any]):
    def add_column(self, label: Any, **options: Any) -> Any:
        # Column headings may carry data too (a version's laptop and date in conflicts).
        return super().add_column(_plain(label), **options)

    def add_row(self, *cells: Any, **options: Any) -> Any:
        return super().add_row(*(_plain(c) for c in cells), **options)

    def update_cell(self, row_key: Any, column_key: Any, value: Any, **options: Any) -> None:
        super().update_cell(row_key, column_key, _plain(value), **options)
