"""What the command line prints is data (names, notes, files brought in): it reaches the
terminal without any control character, so a name cannot retitle the window, move the
cursor, hide text or ring the bell."""

from __future__ import annotations

import re
from typing import Any, TextIO

# Whole escape sequences first (OSC ... BEL/ST, CSI ... final byte, ESC + one byte), then any
# control character left, tab and newline kept. C1 controls (0x80-0x9f) act like ESC [ or ESC ].
_SEQUENCES = re.compile(
    r"\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"
    r"|\x1b\[[0-?]*[ -/]*[@-~]?"
    r"|\x1b[@-Z\\-_]?"
)
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """`text` without escape sequences or control characters (tabs and newlines kept)."""
    return _CONTROLS.sub("", _SEQUENCES.sub("", text))


class PrintableStream:
    """A text stream that removes control characters from everything written to it."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(printable(text))
        return len(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)
