"""A table given all its rows that builds them a page at a time.

DataTable builds every row it is given before the next frame: the agenda at 100k sessions
(12k follow-ups, 31k sessions to nudge) stayed on « Chargement… » for over a minute. Here
the first page (and the rows up to the cursor) is built at once, and the next page when the
cursor or the scrolling comes within half a page of the last row built: the person sees
the first rows at once and never meets an end that is not the real one.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from textual import events
from textual.coordinate import Coordinate

from tpe_tui.ui.widgets.plain_table import PlainTable

Row = tuple[str, Sequence[Any]]  # (row key, cells)


class PagedTable(PlainTable):
    # Rows built ahead: a few screenfuls (a table at 80x24 shows at most 20), each row
    # built costing its share of the frame that shows the list.
    PAGE = 50

    def __init__(self, *args: Any, page: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.page = page or self.PAGE
        self._all_rows: Sequence[Row] = ()
        self._built = 0
        self._sized = False

    @property
    def total_rows(self) -> int:
        """Every row given, built or not (`row_count` counts the built ones)."""
        return len(self._all_rows)

    def set_rows(self, rows: Sequence[Row], cursor: int = 0) -> None:
        """Show `rows` instead of the current ones, the cursor on row `cursor`."""
        self._all_rows = ()  # so that clearing (which moves the cursor) builds nothing
        self.clear()
        self._all_rows = rows
        self._built = 0
        self._build_until(max(self.page, cursor + self.page))
        if rows:
            self.move_cursor(row=min(cursor, len(rows) - 1))

    def _build_until(self, count: int) -> None:
        start, end = self._built, min(count, len(self._all_rows))
        if end <= start:
            return
        self._built = end  # first: adding a row may move the cursor, which calls back here
        for key, cells in self._all_rows[start:end]:
            self.add_row(*cells, key=key)

    def _build_more_near(self, row: int) -> None:
        if self._built < len(self._all_rows) and row >= self._built - self.page // 2:
            self._build_until(self._built + self.page)

    def watch_cursor_coordinate(self, old: Coordinate, new: Coordinate) -> None:
        super().watch_cursor_coordinate(old, new)
        self._build_more_near(new.row)

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        if new >= self.max_scroll_y - self.size.height:  # the last screenful is in view
            self._build_more_near(self._built)

    def on_resize(self, event: events.Resize) -> None:
        # Filled before it had a size (a screen built ahead), the table was scrolled so
        # that its cursor showed in no height at all: the rows above it would stay hidden.
        if not self._sized and event.size.height:
            self._sized = True
            self.scroll_to(y=0, animate=False, immediate=True)
            self.move_cursor(row=self.cursor_row, animate=False)
