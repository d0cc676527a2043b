"""The terminal's keys read as soon as they are known (Linux and macOS terminals only:
Textual's Linux driver, which this module imports, needs termios).

Textual's Linux driver polls the keyboard every 100 ms and only then asks its key reader
whether a lone ESC has waited long enough to be Échap: a lone Échap reached the app up
to a poll after its delay. Here the poll ends when the pending ESC is due (`KeyReader`).
"""

from __future__ import annotations

import os
import selectors
from codecs import getincrementaldecoder

from textual.driver import Driver
from textual.drivers.linux_driver import LinuxDriver

from tpe_tui.ui.terminal_keys import KeyReader

IDLE_POLL = 0.1  # s: with no ESC pending, how often the thread looks whether to stop


class KeyboardDriver(LinuxDriver):
    """Textual's Linux driver, whose input thread wakes when a lone Échap is due."""

    def run_input_thread(self) -> None:
        reader = KeyReader(self._debug)
        decode = getincrementaldecoder("utf-8")().decode
        # select(), as Textual's driver: epoll refuses a regular file or /dev/null as input.
        with selectors.SelectSelector() as selector:
            selector.register(self.fileno, selectors.EVENT_READ)
            while not self.exit_event.is_set():
                pending = reader.seconds_to_wait()
                if selector.select(IDLE_POLL if pending is None else pending):
                    data = os.read(self.fileno, 4096)
                    if not data:  # the input is closed (a pipe): nothing more will come
                        self.exit_event.wait()
                        break
                    text = decode(data)
                    if text:  # else half a character: « "" » would tell the reader « end »
                        for message in reader.feed(text):
                            self.process_message(message)
                for message in reader.tick():
                    self.process_message(message)


def driver_for(chosen: type[Driver]) -> type[Driver]:
    """Ours in place of Textual's Linux driver; one named in TEXTUAL_DRIVER as chosen."""
    return KeyboardDriver if chosen is LinuxDriver else chosen
