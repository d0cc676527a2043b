"""The app really killed mid-session (SIGKILL in a real pseudo-terminal), then resumed."""

from __future__ import annotations

import fcntl
import os
import pty
import signal
import struct
import termios
import threading
import time
from pathlib import Path

from tests.conftest import PYTHON, subprocess_env
from tests.helpers import open_store, read_data
from tests.ui_helpers import make_app, settle
from tpe_tui.storage import home_picture
from tpe_tui.storage.file_format import open_readonly
from tpe_tui.ui.app import local_time
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

    def type(self, text: str, every: float = 0.02) -> list[float]:
        """Type `text` one key every `every` seconds on a fixed schedule (a late key does
        not push the later ones back); returns when each key was sent."""
        sent: list[float] = []
        start = time.monotonic()
        for n, char in enumerate(text):
            time.sleep(max(0.0, start + n * every - time.monotonic()))
            os.write(self.fd, char.encode())
            sent.append(time.monotonic())
        return sent

    def quiet(self, seconds: float = 0.3, timeout: float = 60) -> None:
        """Until the app has printed nothing for `seconds` (a blinking cursor redraws
        every 0.5 s, so a shorter quiet is still seen): it has drawn what it was doing."""
        deadline = time.monotonic() + timeout
        size, since = len(self.output), time.monotonic()
        while time.monotonic() - since < seconds:
            assert time.monotonic() < deadline, "the screen never settled"
            time.sleep(0.02)
            if len(self.output) != size:
                size, since = len(self.output), time.monotonic()

    def key(self, sequence: bytes, timeout: float = 60) -> None:
        """One key that moves the focus, sent whole (an escape sequence cut in two reads
        as Escape), then until the app has drawn its answer: Textual moves the focus once
        the key has bubbled back to the app, and a key typed before that would still go to
        the field being left."""
        before = len(self.output)
        os.write(self.fd, sequence)
        deadline = time.monotonic() + timeout
        while len(self.output) == before:
            assert time.monotonic() < deadline, f"no answer to {sequence!r}"
            time.sleep(0.02)
        self.quiet()

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
    terminal.type("n")
    terminal.wait_for("tape 1/14")  # its first field has the focus once it is seen
    terminal.type("20/11/2026")  # the date field: its text is selected, typing replaces it
    terminal.key(F4)  # F4 moves the step and the focus at once (a priority key)
    terminal.wait_for("tape 2/14")
    terminal.type("Garage Vasseur")
    terminal.wait_for("Créer l")  # search results are shown: "Create the business" at last
    terminal.quiet(0.4)  # the person reads the list (the search for the whole name lands)
    terminal.key(b"\x1b[B")  # down to "Créer l'entreprise"
    terminal.key(b"\r")
    terminal.key(b"\t")
    terminal.type("Carrosserie électrique")
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
        assert screen.session["date"] == "2026-11-20" and screen.session["status"] == "in_progress"
        assert screen.query_one("#f-c_name").value == "Garage Vasseur"
        assert screen.query_one("#f-c_trade").value == "Carrosserie électrique"
        await pilot.press("f3")  # step 1, its pane built now, from the file
        await settle(pilot)
        assert screen.query_one("#f-date").value == "20/11/2026"
    app.shutdown()
    assert b"Garage Vasseur" in db.read_bytes()  # and the journal was folded into the file


def _at_the_request(db: Path) -> Terminal:
    """A new session open on its third step, the request, whose text area has the focus."""
    terminal = Terminal(db)
    terminal.wait_for("Nouvel accompagnement")
    terminal.type("n")
    terminal.wait_for("tape 1/14")
    terminal.key(F4)  # F4 moves the step and the focus at once (a priority key)
    terminal.wait_for("tape 2/14")
    terminal.key(F4)
    terminal.wait_for("tape 3/14")
    return terminal


async def test_steady_typing_is_saved_every_two_seconds_and_survives_a_kill(db: Path) -> None:
    """One key every 0.15 s for 10 s with no pause, then SIGKILL: everything typed up to
    2 s before the kill is in the file, and the resume dialog says when it was saved."""
    terminal = _at_the_request(db)
    text = "".join("abcdefghijklmnopqrstuvwxyz"[n % 26] for n in range(67))
    sent = terminal.type(text, every=0.15)  # 10 s of typing, never 0.6 s of quiet
    terminal.kill()
    killed = time.monotonic()

    sessions = list(open_readonly(db)["sessions"].values())
    assert len(sessions) == 1, terminal.output[-3000:].decode(errors="replace")
    saved = sessions[0].get("request_said") or ""
    session = sessions[0]
    must_have = sum(1 for at in sent if at <= killed - 2.0)
    assert text.startswith(saved)  # what is there is what was typed, in order
    assert len(saved) >= must_have, (len(saved), must_have)

    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ConfirmScreen)
        # It says what it restored: the time of the last save, not "everything".
        assert f"enregistré {local_time(session['updated_at'])}" in dialog.question
        assert "Tout ce qui" not in dialog.question
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, AccompanimentScreen)
        assert screen.query_one("#f-request_said").text == saved
    app.shutdown()


def _exit_status(terminal: Terminal, timeout: float = 30) -> int:
    deadline = time.monotonic() + timeout
    while True:
        pid, status = os.waitpid(terminal.pid, os.WNOHANG)
        if pid:
            return os.waitstatus_to_exitcode(status)
        assert time.monotonic() < deadline, "still running"
        time.sleep(0.05)


def test_quitting_leaves_a_complete_file_and_the_home_picture(db: Path) -> None:
    terminal = _at_the_request(db)
    terminal.type("Vendre en ligne")
    os.write(terminal.fd, b"\x11")  # Ctrl+Q at once: quitting saves what is not saved yet
    # The process leaves without tearing its heap down: everything must be done by then.
    assert _exit_status(terminal) == 0
    os.close(terminal.fd)
    assert not db.with_name(db.name + ".journal").exists()  # folded into the file
    sessions = read_data(db)["sessions"]
    assert [s.get("request_said") for s in sessions.values()] == ["Vendre en ligne"]
    assert home_picture.read(db) is not None


def test_a_refused_start_says_why_in_french(db: Path) -> None:
    with open_store(db):
        terminal = Terminal(db)
        assert _exit_status(terminal) == 1
    terminal._reader.join(timeout=5)
    os.close(terminal.fd)
    assert "déjà ouvert".encode() in terminal.output


def test_closing_the_terminal_or_a_sigterm_keeps_what_was_typed(db: Path) -> None:
    """Acceptance finding NEW3-26: SIGHUP (the terminal window closed) and SIGTERM (the
    session ending) lost the last second of typing. Both now quit as Ctrl+Q does."""
    for stop in ("close the terminal", signal.SIGTERM):
        db.unlink(missing_ok=True)
        terminal = _at_the_request(db)
        terminal.type("Vendre en ligne sans pause", every=0.05)  # never 0.6 s of quiet
        terminal.wait_for("sans pause")  # on screen: typed, but not saved yet
        if stop == "close the terminal":
            os.close(terminal.fd)  # the kernel sends SIGHUP to the app, as a window closing
        else:
            os.kill(terminal.pid, signal.SIGTERM)
        assert _exit_status(terminal) == 128 + (
            signal.SIGHUP if stop == "close the terminal" else signal.SIGTERM
        )
        if stop != "close the terminal":
            os.close(terminal.fd)
        sessions = read_data(db)["sessions"]
        assert [s.get("request_said") for s in sessions.values()] == [
            "Vendre en ligne sans pause"
        ], stop
