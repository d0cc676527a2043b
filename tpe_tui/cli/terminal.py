"""What the command line prints is data (names, notes, files brought in, the values and
paths given as arguments): it reaches the terminal without any control character, so a
name cannot retitle the window, move the cursor, hide text, ring the bell or turn a line
around (bidirectional controls). Every message goes through `printable_output`, set once
around the whole command (`cli.main`); only the app, which draws the screen with escape
sequences of its own, runs inside `raw_output`."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from typing import Any, TextIO

from tpe_tui.domain.plain_text import printable


class PrintableStream:
    """A text stream that removes control characters from everything written to it."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    @property
    def raw(self) -> TextIO:
        return self._stream

    def write(self, text: str) -> int:
        self._stream.write(printable(text))
        return len(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


@contextlib.contextmanager
def printable_output() -> Iterator[None]:
    """Standard output and error cleaned while it lasts."""
    saved = sys.stdout, sys.stderr
    sys.stdout = PrintableStream(sys.stdout)
    sys.stderr = PrintableStream(sys.stderr)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved


@contextlib.contextmanager
def raw_output() -> Iterator[None]:
    """The streams as they were before `printable_output`: for the app, whose screen is
    escape sequences (its messages to the person are drawn as plain text)."""
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = (
        stream.raw if isinstance(stream, PrintableStream) else stream for stream in saved
    )
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved
