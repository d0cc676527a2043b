"""Échap then a sign within the escape delay is read as the two keys (ui/terminal_keys.py)."""

from __future__ import annotations

import pytest
from textual import events
from textual._xterm_parser import XTermParser

from tpe_tui.ui.terminal_keys import KeyReader


def _keys(parser: XTermParser, data: str) -> list[str]:
    tokens = [*parser.feed(data), *parser.feed("")]  # "": no more bytes (else it waits)
    return [t.key for t in tokens if isinstance(t, events.Key)]


@pytest.mark.parametrize(("sign", "name"), [("/", "slash"), (" ", "space"), (".", "full_stop")])
def test_escape_then_a_sign_typed_quickly_gives_both_keys(sign: str, name: str) -> None:
    # Both bytes in one read: what a busy machine hands over for « Échap / » typed fast.
    assert _keys(XTermParser(), "\x1b" + sign) == [name]  # Textual alone loses the Échap
    assert _keys(KeyReader(), "\x1b" + sign) == ["escape", name]


def test_letters_arrows_and_a_lone_escape_read_as_before() -> None:
    for data in ("\x1bt", "\x1b[A", "abc", "\x1b[1;5C"):
        assert _keys(KeyReader(), data) == _keys(XTermParser(), data), data
