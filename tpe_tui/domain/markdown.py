"""Text typed by a person, escaped so it reads as text in a Markdown document, never as its
layout (a heading, a link, a table cell, raw HTML). One escaping for every document we write:
summaries, plans, workshop sheets and recaps, the activity report, the personal-data export.
Pure."""

from __future__ import annotations

import itertools
import re
from typing import Any

from tpe_tui.domain.plain_text import printable

_ALWAYS = re.compile(r"([\\`*_\[\]<>|])")
# Only what would start a block: a quote, a heading ("# "), a bullet ("- ", "+ "), a rule
# or an underline made of one repeated sign. "-5 %" or "#1" at a line start stay as typed.
_LINE_START = re.compile(
    r"^(\s*)(>|#{1,6}(?=\s|$)|[-+](?=\s|$)|([-=_])(?:\s*\3)*\s*$)", re.MULTILINE
)
_LIST_NUMBER = re.compile(r"^(\s*\d+)([.)])(?=\s|$)", re.MULTILINE)
_BULLET = re.compile(r"^(\s*)[-•*]\s+")


def typographic(text: str) -> str:
    """Straight apostrophes as typed become the typographic ones the rest of the text uses."""
    return text.replace("'", "’")


def md(value: Any) -> str:
    """Escape text typed by a person so it reads as text, never as Markdown layout."""
    if value is None:
        return ""
    # Control characters too: the Markdown is shown on a terminal and printed.
    text = _ALWAYS.sub(r"\\\1", typographic(printable(str(value))))
    text = _LIST_NUMBER.sub(lambda m: m.group(1) + "\\" + m.group(2), text)
    return _LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), text)


def md_cell(value: Any) -> str:
    """Escaped text on one line, for a table cell."""
    return " ".join(md(value).split())


def md_block(value: Any) -> str:
    """Escaped text that keeps its line breaks (Markdown hard breaks); lines the mediator
    began with a dash stay a list, as they were meant."""
    out: list[str] = []
    for line in str(value or "").strip().splitlines():
        bullet = _BULLET.match(line)
        if bullet:
            out.append("- " + md(line[bullet.end() :].rstrip()))
        else:
            out.append(md(line.rstrip()))  # never starts with "- ": md escapes it
    text = out[0] if out else ""
    for previous, line in itertools.pairwise(out):
        in_list, was_list = line.startswith("- "), previous.startswith("- ")
        if in_list and was_list:
            text += "\n"
        elif in_list or was_list:
            text += "\n\n"  # a list stands apart from the lines around it
        else:
            text += "  \n"
        text += line
    return text
