"""Markdown tables written as lists, for where a table cannot hold a long cell.

fpdf2 draws a table row on one page: a cell as long as a page (a solution's advantages
written at length, a plan action of 1,000 characters) cannot be drawn in a table, while a
list item flows over pages; and a terminal 80 columns wide gives the other columns of a
table no room beside such a cell. The tables are found by the parser that renders them.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import zip_longest
from typing import Any

Table = list[list[str]]  # its rows (the header first), each a list of its cells' Markdown


def _parser() -> Any:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable("table")


def table_width(table: Table) -> int:
    """The columns a terminal needs to draw `table` with no word of a cell cut: each column
    as wide as its longest word, a space on each side, a line between columns and at each
    edge (as Textual's Markdown draws it)."""
    columns = zip_longest(*table, fillvalue="")
    return 1 + sum(
        max((len(w) for cell in c for w in cell.split()), default=0) + 3 for c in columns
    )


def longest_in(table: Table) -> int:
    """The length of the table's longest cell."""
    return max((len(cell) for row in table for cell in row), default=0)


def tables_as_lists(markdown: str, which: Callable[[Table], bool] | None = None) -> str:
    """The Markdown with each table (or each one `which` picks) written as a list, a row per
    item (« Header : cell »). The cells keep their Markdown."""
    lines = markdown.splitlines()
    tokens = _parser().parse(markdown)
    out: list[str] = []
    start = done = 0
    table: Table = []
    for token in tokens:
        if token.type == "table_open" and token.map:
            out.extend(lines[done : token.map[0]])
            start, done, table = token.map[0], token.map[1], []
        elif token.type == "tr_open":
            table.append([])
        elif token.type == "inline" and table and token.level > 3:  # a cell's content
            table[-1].append(token.content.strip())
        elif token.type == "table_close":
            if which is None or which(table):
                out.extend(_rows_as_list(table))
            else:
                out.extend(lines[start:done])
    out.extend(lines[done:])
    return "\n".join(out) + ("\n" if markdown.endswith("\n") else "")


def _rows_as_list(table: list[list[str]]) -> list[str]:
    if not table:
        return []
    header, rows = table[0], table[1:]
    items: list[str] = [""]
    for row in rows:
        cells = [(h, c) for h, c in zip(header, row, strict=False) if c]
        if not cells:
            continue
        (first_name, first), rest = cells[0], cells[1:]
        items.append(f"- **{first_name} : {first}**")
        items.extend(f"  - {name} : {cell}" for name, cell in rest)
    items.append("")
    return items
