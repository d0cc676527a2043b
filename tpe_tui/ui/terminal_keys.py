"""Échap then a sign typed quickly: both keys, not the sign alone.

A terminal sends Alt+key as Échap then the key, so Textual's key reader takes an Échap
followed within 100 ms (ESCDELAY) by another key as Alt. For a letter or a digit it says
« alt+x » (the app reads it back as Échap then x, see `TpeApp.on_event`); for any other
sign (« / », Espace, « - »…) it drops the Alt and with it the Échap: « Échap / » typed
quickly to leave the agenda and search on the home gave « / » on the agenda (acceptance
finding NEW4-16). No key of ours uses Alt, so such a pair is read as the two keys typed.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual import events
from textual._xterm_parser import XTermParser  # the reader the Linux driver uses


class KeyReader(XTermParser):
    """Textual's reader, keeping the Échap before a sign."""

    def _sequence_to_key_events(self, sequence: str, alt: bool = False) -> Iterable[events.Key]:
        if alt and len(sequence) == 1 and not sequence.isalnum():
            yield events.Key("escape", "\x1b")
            alt = False
        yield from super()._sequence_to_key_events(sequence, alt)


def install() -> None:
    """Have the terminal drivers read keys with `KeyReader` (once, before the app runs)."""
    from textual.drivers import linux_driver

    linux_driver.XTermParser = KeyReader  # type: ignore[attr-defined]  # its import, not exported
