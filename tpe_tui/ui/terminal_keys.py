"""Keys as the terminal sends them: a lone Échap at once, an Échap before a sign kept.

A terminal sends Échap as the byte ESC, which also starts the sequences of the arrows,
the F-keys and Alt+key. A lone ESC is known only when nothing follows it within the
escape delay. Textual's Linux driver waits 100 ms (ESCDELAY) for that, and only looks
at the clock when its input poll of 100 ms returns: every Échap reached the app 0.1 to
0.2 s after the key. `ui/keyboard_driver.py` reads the keyboard with a poll that ends when the
pending ESC is due, and `KeyReader` waits `ESCAPE_DELAY` for the rest of a sequence:
a terminal writes a whole sequence at once (one write, one read), so the delay only has
to cover a sequence split between two reads, which a local terminal or tmux does not do
(measured, see the README's keys section). ESCDELAY in the environment, in ms, still
sets it, e.g. for a slow remote link.

Textual's reader takes an Échap followed within the delay by another key as Alt+key.
For a letter or a digit it says « alt+x » (the app reads it back as Échap then x, see
`TpeApp.on_event`); for any other sign (« / », Espace, « - »…) it drops the Alt and with
it the Échap: « Échap / » typed quickly to leave the agenda and search on the home gave
« / » on the agenda (acceptance finding NEW4-16). No key of ours uses Alt, so such a
pair is read as the two keys typed.

A paste arrives between two markers (bracketed paste). Textual's reader takes an ESC inside
it for the start of a key sequence: pasted text holding escape codes came out partly as
keys (ESC as « ^ ») typed into whatever field had the focus, cut and interleaved with the
rest of the paste (NEW5-9). `PasteText` drops the ESC bytes inside a paste before the
reader sees them, so only the end marker ends it; the control characters are dropped
anyway before any field takes a paste (text is data).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping

from textual import events
from textual._time import get_time  # the clock Textual's parser sets its timeouts by
from textual._xterm_parser import XTermParser  # the reader the Linux driver uses
from textual.message import Message

DEFAULT_ESCAPE_DELAY = 0.02  # s: 20 ms, see the module's docstring


def escape_delay(environ: Mapping[str, str] = os.environ) -> float:
    """Seconds to wait for the rest of an escape sequence: ESCDELAY (ms) if set."""
    try:
        milliseconds = int(environ.get("ESCDELAY", ""))
    except ValueError:
        return DEFAULT_ESCAPE_DELAY
    return max(milliseconds, 1) / 1000


PASTE_START = "\x1b[200~"
PASTE_END = "\x1b[201~"


def _cut_marker(text: str, marker: str) -> str:
    """The end of `text` that begins `marker` (a marker cut between two reads), or ""."""
    for size in range(min(len(marker) - 1, len(text)), 0, -1):
        if text.endswith(marker[:size]):
            return text[-size:]
    return ""


class PasteText:
    """Takes the ESC bytes out of what is pasted, so that only its end marker ends it."""

    def __init__(self) -> None:
        self.inside = False  # between the start and end markers of a paste
        self._held = ""  # inside a paste: the start of what may be its end marker
        self._seen = ""  # outside: the start of a start marker, passed on already

    def clean(self, data: str) -> str:
        """`data` as read, with no ESC between a paste's markers. Outside a paste nothing
        is held back (a lone Échap must go on at once); inside, only what may be the
        start of the end marker waits for the next read."""
        text, self._held = self._held + data, ""
        out: list[str] = []
        while text:
            if not self.inside:
                probe = self._seen + text
                found = probe.find(PASTE_START)
                if found < 0:
                    out.append(text)
                    self._seen = _cut_marker(probe, PASTE_START)
                    break
                start = found + len(PASTE_START) - len(self._seen)
                out.append(text[:start])
                text, self._seen, self.inside = text[start:], "", True
            else:
                found = text.find(PASTE_END)
                if found < 0:
                    self._held = _cut_marker(text, PASTE_END)
                    out.append(text[: len(text) - len(self._held)].replace("\x1b", ""))
                    break
                out.append(text[:found].replace("\x1b", "") + PASTE_END)
                text, self.inside = text[found + len(PASTE_END) :], False
        return "".join(out)


class KeyReader(XTermParser):
    """Textual's reader, with a short escape delay, keeping the Échap before a sign,
    pastes whole."""

    def __init__(self, debug: bool = False, delay: float | None = None) -> None:
        super().__init__(debug)
        self.escape_delay = escape_delay() if delay is None else delay
        self.pasted = PasteText()

    def feed(self, data: str) -> Iterable[Message]:
        yield from super().feed(self.pasted.clean(data) if data else data)
        # Textual's parser set its timeout from its own ESCDELAY as it read an ESC.
        if self._timeout_time is not None:
            self._timeout_time = get_time() + self.escape_delay

    def seconds_to_wait(self) -> float | None:
        """Until a pending ESC is due as a lone Échap (`tick`), or None: none pending."""
        if self._timeout_time is None:
            return None
        return max(0.0, self._timeout_time - get_time())

    def _sequence_to_key_events(self, sequence: str, alt: bool = False) -> Iterable[events.Key]:
        if alt and len(sequence) == 1 and not sequence.isalnum():
            yield events.Key("escape", "\x1b")
            alt = False
        yield from super()._sequence_to_key_events(sequence, alt)
