"""Text is data: control characters never reach the terminal, and no widget of ours reads a
person's text as markup (issue 15)."""

from __future__ import annotations

import ast
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from tpe_tui.domain.plain_text import printable

UI = Path(__file__).resolve().parents[2] / "tpe_tui" / "ui"
# SelectionList takes no markup flag: its prompts with data are given as plain Content.
MARKUP_READERS = {"Static", "Label", "OptionList", "notify"}


def test_escape_sequences_lose_their_control_characters() -> None:
    assert printable("Évil\x1b]0;pwned\x07 SARL") == "Évil]0;pwned SARL"
    assert printable("a\x1b[2J\x1b[31mb\x1b[0m") == "a[2J[31mb[0m"
    assert printable("a\x9b31mb\x9d0;t\x07") == "a31mb0;t"  # C1 controls go, their text stays
    assert printable("ligne 1\nligne 2\tcolonne") == "ligne 1\nligne 2\tcolonne"
    assert printable("Café [bio] ’«»€") == "Café [bio] ’«»€"


def _control(c: str) -> bool:
    """C0 (but tab and newline), DEL, C1, and the bidi controls (NEW4-23)."""
    code = ord(c)
    return (
        (code < 32 and c not in "\n\t")
        or 0x7F <= code <= 0x9F
        or 0x202A <= code <= 0x202E
        or 0x2066 <= code <= 0x2069
    )


@given(st.text())
def test_nothing_printable_is_lost_and_no_control_is_left(text: str) -> None:
    out = printable(text)
    assert not any(_control(c) for c in out)
    assert out == "".join(c for c in text if not _control(c))


def test_every_widget_of_ours_that_reads_markup_is_told_not_to() -> None:
    """Static, Label, OptionList and notify() all parse a str as markup unless
    given markup=False: a rule for every call, so a new screen cannot forget it."""
    missing = []
    for path in sorted(UI.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            if isinstance(func, ast.Subscript):  # OptionList[...](...)
                func = func.value
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
            if name not in MARKUP_READERS or (name == "notify" and isinstance(func, ast.Name)):
                continue
            if not any(k.arg == "markup" for k in node.keywords):
                missing.append(f"{path.relative_to(UI)}:{node.lineno} {name}")
    assert missing == []
