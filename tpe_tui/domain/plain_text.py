"""Text typed by a person or brought in by a file, made safe to show on a terminal or to
print: no control character survives (ESC, BEL, the C1 controls), so no escape sequence can
retitle the window, clear the screen or hide a line; what is left of one is shown as harmless
text. Tabs and line breaks stay. Pure.

The bidirectional controls go too (NEW4-23): the embeddings and overrides U+202A–U+202E and
the isolates U+2066–U+2069 open a run that lasts to the end of the line or paragraph, so one
U+202E in a business name turned the rest of a summary's line around in a browser or a PDF
(« ROUGE » read « EGUOR »). The marks U+200E, U+200F and U+061C stay: they open nothing, only
settle the direction of the punctuation beside them, and are how Arabic or Hebrew text with
digits or Latin words in it is written correctly; dropping them would change a name's look.
"""

from __future__ import annotations

import re
from typing import Any

# The bidirectional controls that open a run (embedding, override, isolate) and the one
# that closes it (U+202C): removed together, so no closing one is left alone.
BIDI_CONTROLS = "\u202a-\u202e\u2066-\u2069"
_CONTROLS = re.compile(f"[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f{BIDI_CONTROLS}]")


def printable(text: str) -> str:
    """`text` without control characters, bidirectional ones included (tabs and newlines
    kept)."""
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
