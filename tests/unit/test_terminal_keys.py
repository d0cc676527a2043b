"""How the terminal's bytes are read as keys (ui/terminal_keys.py): Échap then a sign
within the escape delay gives both keys; a sequence split between two reads within the
delay is still one key; a lone ESC is Échap once the delay has passed, and not before."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from textual import events
from textual._xterm_parser import XTermParser

from tpe_tui.ui import terminal_keys
from tpe_tui.ui.terminal_keys import DEFAULT_ESCAPE_DELAY, KeyReader, escape_delay


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


class Clock:
    """The time Textual's parser and our reader read, moved by hand."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.now = 1000.0
        monkeypatch.setattr(terminal_keys, "get_time", lambda: self.now)
        monkeypatch.setattr("textual._parser.get_time", lambda: self.now)


def _read(reader: KeyReader, data: str) -> list[str]:
    return [t.key for t in reader.feed(data) if isinstance(t, events.Key)]


def _due(reader: KeyReader) -> list[str]:
    return [t.key for t in reader.tick() if isinstance(t, events.Key)]


# Sequences a terminal sends for one key: arrows (both modes), F1 and F5, Ctrl+→, Alt+x.
SEQUENCES = [
    ("\x1b[A", "up"),
    ("\x1bOB", "down"),
    ("\x1bOP", "f1"),
    ("\x1b[15~", "f5"),
    ("\x1b[1;5C", "ctrl+right"),
    ("\x1bx", "alt+x"),
]


@pytest.mark.parametrize(("sequence", "key"), SEQUENCES)
def test_a_sequence_split_between_reads_within_the_delay_is_one_key(
    monkeypatch: pytest.MonkeyPatch, sequence: str, key: str
) -> None:
    clock = Clock(monkeypatch)
    for cut in range(1, len(sequence)):
        reader = KeyReader(delay=0.02)
        assert _read(reader, sequence[:cut]) == []
        clock.now += 0.019  # the rest comes just within the delay
        assert _due(reader) == []  # the input thread woke: not yet a lone Échap
        keys = _read(reader, sequence[cut:])
        clock.now += 0.02  # Alt+x is known only then: Échap then x alone look the same
        assert keys + _due(reader) == [key], (sequence, cut)


def test_a_lone_escape_is_due_after_the_delay_and_not_before(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    clock = Clock(monkeypatch)
    reader = KeyReader(delay=0.02)
    assert reader.seconds_to_wait() is None  # nothing pending: the thread may sleep
    assert _read(reader, "\x1b") == []
    assert reader.seconds_to_wait() == pytest.approx(0.02)  # Textual's 100 ms replaced
    clock.now += 0.015
    assert reader.seconds_to_wait() == pytest.approx(0.005)
    assert _due(reader) == []
    clock.now += 0.005
    assert reader.seconds_to_wait() == 0
    assert _due(reader) == ["escape"]
    assert reader.seconds_to_wait() is None
    # The rest of what was typed reads as usual afterwards, and a late « [A » is not up.
    assert _read(reader, "[A") == ["left_square_bracket", "A"]


def test_the_escape_delay_is_20_ms_unless_escdelay_says_otherwise() -> None:
    assert DEFAULT_ESCAPE_DELAY == 0.02
    assert escape_delay({}) == 0.02
    assert escape_delay({"ESCDELAY": "150"}) == 0.15  # e.g. a slow remote link
    assert escape_delay({"ESCDELAY": "0"}) == 0.001  # never nothing: a sequence needs a read
    assert escape_delay({"ESCDELAY": "vite"}) == 0.02


HOSTILE_PASTE = "avant \x1b[31mROUGE\x1b[0m apres \x1b]0;PWNED\x07 <script>"


def _tokens(reader: KeyReader, reads: list[str]) -> list[events.Event]:
    found: list[events.Event] = []
    for data in [*(r for r in reads if r), ""]:  # "": no more bytes
        found += [t for t in reader.feed(data) if isinstance(t, events.Key | events.Paste)]
    return found


@pytest.mark.parametrize("cut", range(len(HOSTILE_PASTE) + 12))
def test_a_paste_holding_escape_codes_comes_whole_and_nothing_else(cut: int) -> None:
    """Acceptance finding NEW5-9: escape codes inside a paste were read as keys (ESC as
    « ^ ») typed into the focused field, the paste cut around them. Whatever the read it
    is cut at, the paste comes as one paste, its escape bytes out, then « x » as a key."""
    sent = f"{terminal_keys.PASTE_START}{HOSTILE_PASTE}{terminal_keys.PASTE_END}x"
    tokens = _tokens(KeyReader(), [sent[:cut], sent[cut:]])
    assert [type(t) for t in tokens] == [events.Paste, events.Key]
    paste, key = tokens
    assert isinstance(paste, events.Paste) and isinstance(key, events.Key)
    assert paste.text == HOSTILE_PASTE.replace("\x1b", "") and key.key == "x"


@given(
    st.lists(st.sampled_from(["a", "\x1b", "[", "2", "0", "1", "~", "\x1b[A", "é"]), max_size=12)
)
def test_outside_a_paste_nothing_is_changed_or_held(pieces: list[str]) -> None:
    pasted = terminal_keys.PasteText()
    for piece in pieces:
        if pasted.inside:
            break
        assert pasted.clean(piece) == piece
