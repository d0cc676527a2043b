"""Text typed by a person or brought in by a file, made safe to show on a terminal: no
control character survives (ESC, BEL, the C1 controls), so no escape sequence can retitle
the window, clear the screen or hide a line; what is left of one is shown as harmless
text. Tabs and line breaks stay. Pure."""

from __future__ import annotations

import re

_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """`text` without control characters (tabs and newlines kept)."""
    return _CONTROLS.sub("", text)
