"""The app really killed mid-session (SIGKILL in a real pseudo-terminal), then resumed."""

from __future__ import annotations

import fcntl
import json
import os
import pty
import signal
import struct
import termios
import threading
import time
from pathlib import Path

from tests.conftest import PYTHON, subprocess_env
from tests.helpers import open_store
from tests.ui_helpers import make_app, settle
from tpe_tui.storage import home_picture
from tpe_tui.ui.screens.accompaniment.screen import AccompanimentScreen
from tpe_tui.ui.screens.dialogs import ConfirmScreen

F4 = b"\x1bOS"


class Terminal:
    """tpe-tui running in a pseudo-terminal of 80x24; everything it prints is kept."""

    def __init__(self, db: Path) -> None:
        env = subprocess_env() | {"TERM": "xterm-256color", "COLUMNS": "80", "LINES": "24"}
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child: become tpe-tui
            os.execve(PYTHON, [PYTHON, "-m", "tpe_tui", "--db", str(db)], env)
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        self.output = b""
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while True:
            try:
                chunk = os.read(self.fd, 65536)
            except OSError:
                return
            if not chunk:
                return
            self.output += chunk

    def wait_for(self, text: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while text.encode() not in self.output:
            assert time.monotonic() < deadline, f"never shown: {text}"
            time.sleep(0.05)

    def type(self, text: str) -> None:
        for char in text:
            os.write(self.fd, char.encode())
            time.sleep(0.02)

    def key(self, sequence: bytes) -> None:
        """One key: an escape sequence must arrive whole, or it reads as Escape."""
        os.write(self.fd, sequence)
        time.sleep(0.1)

    def kill(self) -> None:
        os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)
        os.close(self.fd)


def _wait_until(condition, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline
        time.sleep(0.05)


async def test_killed_mid_session_then_resumed_with_what_was_typed(db: Path) -> None:
    terminal = Terminal(db)
    terminal.wait_for("Nouvel accompagnement")
    time.sleep(0.5)  # let the data load behind the first frame
    terminal.type("n")
    terminal.wait_for("tape 1/14")
    time.sleep(0.3)  # a person does not type within the same millisecond either
    terminal.type("\t45")
    terminal.key(F4)
    terminal.wait_for("tape 2/14")
    terminal.type("Garage Vasseur")
    time.sleep(0.3)
    terminal.key(b"\x1b[B")  # down to "Créer l'entreprise"
    terminal.type("\r\tCarrosserie électrique")
    journal = db.with_name(db.name + ".journal")
    _wait_until(
        lambda: journal.exists() and "Carrosserie électrique".encode() in journal.read_bytes()
    )
    terminal.kill()  # no clean exit: the file itself was never rewritten
    assert b"Garage Vasseur" not in db.read_bytes()

    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert "Garage Vasseur" in app.screen.question
        await pilot.press("enter")  # "Reprendre" has focus
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, AccompanimentScreen)
        assert screen.steps[screen.step_index].code == "client"  # exactly where it was
        assert screen.session["duration_min"] == 45 and screen.session["status"] == "in_progress"
        assert screen.query_one("#f-duration_min").value == "45"
        assert screen.query_one("#f-c_name").value == "Garage Vasseur"
        assert screen.query_one("#f-c_trade").value == "Carrosserie électrique"
    app.shutdown()
    assert b"Garage Vasseur" in db.read_bytes()  # and the journal was folded into the file


def _exit_status(terminal: Terminal, timeout: float = 30) -> int:
    deadline = time.monotonic() + timeout
    while True:
        pid, status = os.waitpid(terminal.pid, os.WNOHANG)
        if pid:
            return os.waitstatus_to_exitcode(status)
        assert time.monotonic() < deadline, "still running"
        time.sleep(0.05)


def test_quitting_leaves_a_complete_file_and_the_home_picture(db: Path) -> None:
    terminal = Terminal(db)
    terminal.wait_for("Nouvel accompagnement")
    time.sleep(0.5)
    terminal.type("n")
    terminal.wait_for("tape 1/14")
    time.sleep(0.3)
    terminal.type("\t45")  # a duration: the session is saved
    time.sleep(1.0)
    terminal.key(b"\x11")  # Ctrl+Q
    # The process leaves without tearing its heap down: everything must be done by then.
    assert _exit_status(terminal) == 0
    os.close(terminal.fd)
    assert not db.with_name(db.name + ".journal").exists()  # folded into the file
    sessions = json.loads(db.read_text())["sessions"]
    assert [s.get("duration_min") for s in sessions.values()] == [45]
    assert home_picture.read(db) is not None


def test_a_refused_start_says_why_in_french(db: Path) -> None:
    with open_store(db):
        terminal = Terminal(db)
        assert _exit_status(terminal) == 1
    terminal._reader.join(timeout=5)
    os.close(terminal.fd)
    assert "déjà ouvert".encode() in terminal.output
