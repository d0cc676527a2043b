"""Text typed by a person or brought in by a file, made safe to show on a terminal: no
escape sequence (a window title change, a cleared screen, a hidden line) and no control
character survives; tabs and line breaks stay. Pure."""

from __future__ import annotations

import re

# Whole escape sequences first (OSC ... BEL/ST, CSI ... final byte, ESC + one byte), then any
# control character left. C1 controls (0x80-0x9f) act like ESC [ or ESC ] on many terminals.
_SEQUENCES = re.compile(
    r"\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"
    r"|\x1b\[[0-?]*[ -/]*[@-~]?"
    r"|\x1b[@-Z\\-_]?"
)
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """`text` without escape sequences or control characters (tabs and newlines kept)."""
    return _CONTROLS.sub("", _SEQUENCES.sub("", text))
