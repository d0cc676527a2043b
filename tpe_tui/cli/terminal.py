"""What the command line prints is data (names, notes, files brought in): it reaches the
terminal without any control character, so a name cannot retitle the window, move the
cursor, hide text or ring the bell."""

from __future__ import annotations

from typing import Any, TextIO

from tpe_tui.domain.plain_text import printable


class PrintableStream:
    """A text stream that removes control characters from everything written to it."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(printable(text))
        return len(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)
