"""Markdown tables written as lists, for where a table cannot hold a long cell.

fpdf2 draws a table row on one page: a cell as long as a page (a solution's advantages
written at length, a plan action of 1,000 characters) cannot be drawn in a table, while a
list item flows over pages; and a terminal 80 columns wide gives the other columns of a
table no room beside such a cell. The tables are found by the parser that renders them.
"""

from __future__ import annotations

from typing import Any


def _parser() -> Any:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable("table")


def longest_cell(markdown: str) -> int:
    """The length of the longest table cell of the Markdown (0 without tables)."""
    cells = [0]
    inside = False
    for token in _parser().parse(markdown):
        if token.type == "table_open":
            inside = True
        elif token.type == "table_close":
            inside = False
        elif inside and token.type == "inline":
            cells.append(len(token.content))
    return max(cells)


def tables_as_lists(markdown: str) -> str:
    """The Markdown with each table written as a list, a row per item (« Header : cell »).
    The cells keep their Markdown."""
    lines = markdown.splitlines()
    tokens = _parser().parse(markdown)
    out: list[str] = []
    done = 0
    table: list[list[str]] = []
    for token in tokens:
        if token.type == "table_open" and token.map:
            out.extend(lines[done : token.map[0]])
            done, table = token.map[1], []
        elif token.type == "tr_open":
            table.append([])
        elif token.type == "inline" and table and token.level > 3:  # a cell's content
            table[-1].append(token.content.strip())
        elif token.type == "table_close":
            out.extend(_rows_as_list(table))
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
