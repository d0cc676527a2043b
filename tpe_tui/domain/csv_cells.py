"""Cells of the CSV files we write: safe to open in a spreadsheet. Pure.

A cell that starts with `=`, `+`, `-` or `@` (or a tab or carriage return) is a formula for
spreadsheet tools: `=HYPERLINK(…)` or `=cmd|' /C calc'!A0` in a structure's name would run
when the file is opened. Such cells are written with a leading apostrophe, as spreadsheet
makers advise, and the apostrophe is removed again when our own file is imported.

Phone numbers (`+33 6 12 34 56 78`) get the apostrophe too: without it a spreadsheet reads
`+33 6 …` as a formula (an error) or `+33612345678` as the number 33612345678, losing the `+`;
with it the number stays text, readable as typed. One rule, no guessing what is a phone.
Values that are not text (numbers, dates) are left alone.

Control characters (ESC, BEL, the C1 controls…) are dropped from every cell: a name brought
in by a sync or an import could otherwise retitle or scramble the terminal of whoever runs
`cat` on the file, and a spreadsheet file cannot hold them at all. So are the bidirectional
controls that turn the rest of a line around (see `plain_text`). Tabs and line breaks stay.

Every CSV we write ends its lines with `\r\n` (RFC 4180): Python's csv quotes a cell that
holds a character of the line terminator, so with `\n` alone a bare `\r` inside a cell was
written unquoted and split the row in two for any reader.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, TextIO

from tpe_tui.domain.plain_text import BIDI_CONTROLS

if TYPE_CHECKING:
    from _csv import Writer

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Every control character but tab, line feed and carriage return (kept: they are text).
_CONTROLS = re.compile(f"[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f{BIDI_CONTROLS}]")


def writer(out: TextIO, delimiter: str = ",") -> Writer:
    """The csv writer of our exports: RFC 4180 line ends, so a cell holding `\r` or `\n`
    (alone or together) is quoted and reads back as one cell."""
    return csv.writer(out, delimiter=delimiter, lineterminator="\r\n")


def is_formula_like(value: Any) -> bool:
    """Text a spreadsheet would read as a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def without_controls(value: Any) -> Any:
    """Text without its control characters (tabs and line breaks kept); other values as is."""
    return _CONTROLS.sub("", value) if isinstance(value, str) else value


def neutralised(value: Any) -> Any:
    """`value` without control characters, with an apostrophe in front when a spreadsheet
    would read it as a formula."""
    value = without_controls(value)
    if is_formula_like(value):
        return "'" + value
    return value


def safe_row(values: Iterable[Any]) -> list[Any]:
    return [neutralised(v) for v in values]


def restored(text: str) -> str:
    """A cell as it was before `neutralised` (our own export read back)."""
    if len(text) > 1 and text[0] == "'" and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text
