"""Text typed by a person or brought in by a file, made safe to show on a terminal: no
control character survives (ESC, BEL, the C1 controls), so no escape sequence can retitle
the window, clear the screen or hide a line; what is left of one is shown as harmless
text. Tabs and line breaks stay. Pure."""

from __future__ import annotations

import re
from typing import Any

_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """`text` without control characters (tabs and newlines kept)."""
    return _CONTROLS.sub("", text)


def plain_data(value: Any) -> Any:
    """`value` (a record, or anything inside one) with `printable` applied to every text it
    holds, however deep: what a file brought in may carry into ours. The result is a fixed
    point (`plain_data(plain_data(v)) == plain_data(v)`), so two laptops that clean the same
    record get the same record and a sync sees no change. Keys are left alone (field names
    and ids are checked by the file's validation)."""
    if isinstance(value, str):
        return printable(value)
    if isinstance(value, dict):
        return {key: plain_data(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain_data(item) for item in value]
    return value
