"""The keyboard read from a real pseudo-terminal by our driver (ui/keyboard_driver.py):
each key's bytes written at once, as a terminal writes them, give that key; a lone Échap
comes by itself, without a later byte or the thread's idle poll to push it out; a paste
holding an escape sequence stays one paste."""

from __future__ import annotations

import os
import pty
import signal
import time
from pathlib import Path

from tests.conftest import PYTHON, subprocess_env

# A bare app using our driver that writes each key it gets to a file. Its input thread's
# idle poll is an hour: a lone Échap arrives only if the thread wakes when it is due.
CHILD = """
import sys
from textual.app import App
from tpe_tui.ui import keyboard_driver

keyboard_driver.IDLE_POLL = 3600.0
out = open(sys.argv[1], "a")

class Keys(App):
    def get_driver_class(self):
        return keyboard_driver.driver_for(super().get_driver_class())

    def on_mount(self):
        out.write(f"ready {type(self._driver).__name__}\\n"); out.flush()

    def on_key(self, event):
        out.write(event.key + "\\n"); out.flush()

    def on_paste(self, event):
        out.write("paste:" + event.text + "\\n"); out.flush()

Keys().run()
"""


def _lines(log: Path, count: int, timeout: float = 60) -> list[str]:
    deadline = time.monotonic() + timeout
    while True:
        lines = log.read_text().split() if log.exists() else []
        if len(lines) >= count:
            return lines
        assert time.monotonic() < deadline, f"only {lines}"
        time.sleep(0.02)


def test_keys_written_by_a_terminal_are_read_whole_and_a_lone_escape_comes_alone(
    tmp_path: Path,
) -> None:
    log = tmp_path / "keys.log"
    env = {k: v for k, v in subprocess_env().items() if k != "ESCDELAY"} | {"TERM": "xterm"}
    pid, fd = pty.fork()
    if pid == 0:  # the child
        os.execve(PYTHON, [PYTHON, "-c", CHILD, str(log)], env)
    try:
        assert _lines(log, 2) == ["ready", "KeyboardDriver"]
        expected = ["ready", "KeyboardDriver"]
        for data, keys in [
            (b"\x1b[A", ["up"]),
            (b"\x1bOP", ["f1"]),
            (b"\x1b[15~", ["f5"]),
            (b"\x1b", ["escape"]),  # alone: nothing follows it
            (b"\x1b/", ["escape", "slash"]),  # Échap then « / » typed together
            (b"\x1b[1;5C", ["ctrl+right"]),
            (b"\x1b[200~a\x1b[31mb\x1b[201~", ["paste:a[31mb"]),  # its ESC dropped, no keys
            (b"g", ["g"]),
        ]:
            os.write(fd, data)
            expected += keys
            assert _lines(log, len(expected)) == expected
    finally:
        os.kill(pid, signal.SIGKILL)  # its input thread sleeps an hour: no clean exit
        os.waitpid(pid, 0)
        os.close(fd)


def test_the_app_starts_with_its_input_from_dev_null(db: Path) -> None:
    """Input that is no terminal (`tpe-tui < /dev/null`): the keyboard thread waits with
    select() as Textual's does (epoll refuses /dev/null: the app closed on a traceback
    before showing its home)."""
    env = subprocess_env() | {"TERM": "xterm"}
    pid, fd = pty.fork()
    if pid == 0:  # the child: its input from /dev/null, its screen the pty
        os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
        os.execve(PYTHON, [PYTHON, "-m", "tpe_tui", "--db", str(db)], env)
    shown = b""
    try:
        deadline = time.monotonic() + 60
        while b"Nouvel accompagnement" not in shown:
            assert time.monotonic() < deadline, shown[-2000:]
            try:
                shown += os.read(fd, 65536)
            except OSError:  # the app has closed
                raise AssertionError(shown.decode(errors="replace")[-2000:]) from None
        assert b"Traceback" not in shown
    finally:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(fd)
