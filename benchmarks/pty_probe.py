"""Time to text on the screen of a real terminal: a program started in a pseudo-terminal,
timed from the spawn to the first time its output holds the given words; and `Terminal`,
a program in a pty whose output goes through a terminal emulator (pyte), to time keys to
what the screen then shows.

    python -m benchmarks.pty_probe bare                       # the bare Textual app alone
    python -m benchmarks.pty_probe tpe DATA.json [--no-picture]

The bare app (`bare_app`, run by this module in the child) shows the same words as the home
screen's first action, « Nouvel accompagnement », with a header and a footer.
"""

from __future__ import annotations

import fcntl
import os
import pty
import select
import signal
import struct
import sys
import termios
import time
from collections.abc import Callable
from pathlib import Path

WORDS = b"Nouvel accompagnement"
ROWS, COLUMNS = 30, 100


def time_to_words(argv: list[str], env: dict[str, str], timeout: float = 120) -> float:
    """Seconds from spawning `argv` in a ROWSxCOLUMNS pty until WORDS are printed."""
    return run_to_words(argv, env, timeout)[0]


def run_to_words(argv: list[str], env: dict[str, str], timeout: float = 120) -> tuple[float, float]:
    """Wall-clock seconds from spawning `argv` in a ROWSxCOLUMNS pty until WORDS are
    printed, and the CPU seconds the child had used by then (user + system: what the load
    of a shared machine changes least)."""
    began = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:  # the child
        os.execve(argv[0], argv, env)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLUMNS, 0, 0))
    seen = b""
    try:
        while WORDS not in seen:
            if time.perf_counter() - began > timeout:
                raise TimeoutError(f"never shown: {WORDS!r}")
            ready, _, _ = select.select([fd], [], [], 0.5)
            if ready:
                try:
                    seen = seen[-4096:] + os.read(fd, 65536)
                except OSError:  # the child left
                    raise RuntimeError(seen.decode(errors="replace")[-2000:]) from None
        wall = time.perf_counter() - began
    finally:
        os.kill(pid, signal.SIGKILL)
        _, _, usage = os.wait4(pid, 0)
        os.close(fd)
    return wall, usage.ru_utime + usage.ru_stime


class Terminal:
    """A program running in a pty of `rows`x`columns`, its output fed as it comes to a
    terminal emulator: `text()` is what a person would read on the screen at that moment.

    Times are `time.perf_counter()` seconds; the moment a screen is « shown » is the moment
    the bytes that completed it were read from the pty (so the emulator's own parsing,
    done after the read, is not counted against the program)."""

    def __init__(self, argv: list[str], env: dict[str, str], rows: int, columns: int) -> None:
        import pyte  # a test dependency

        self.screen = pyte.Screen(columns, rows)
        self.stream = pyte.ByteStream(self.screen)
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child
            os.execve(argv[0], argv, env)
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        self.last_key_at = time.perf_counter()

    def text(self) -> str:
        return "\n".join(self.screen.display)

    def _pump(self, wait: float) -> float | None:
        """Read what the program printed within `wait` seconds into the emulator; the
        time of the read, or None if nothing came."""
        ready, _, _ = select.select([self.fd], [], [], wait)
        if not ready:
            return None
        try:
            data = os.read(self.fd, 65536)
        except OSError:  # the child left
            raise RuntimeError("the program stopped:\n" + self.text()) from None
        read_at = time.perf_counter()
        self.stream.feed(data)
        return read_at

    def wait_for(self, shown: Callable[[str], bool], timeout: float = 120) -> float:
        """The time at which the screen first satisfied `shown(text)`."""
        deadline = time.perf_counter() + timeout
        if shown(self.text()):
            return time.perf_counter()
        while time.perf_counter() < deadline:
            read_at = self._pump(0.05)
            if read_at is not None and shown(self.text()):
                return read_at
        raise TimeoutError("never shown; the screen was:\n" + self.text())

    def press(self, keys: bytes) -> float:
        """Write `keys` as a terminal sends them; the time just before the write."""
        self.last_key_at = time.perf_counter()
        os.write(self.fd, keys)
        return self.last_key_at

    def cpu(self) -> float:
        """CPU seconds (user + system, all its threads, ended ones included) used so far
        by the program: what the load of a shared machine changes least."""
        with open(f"/proc/{self.pid}/stat", "rb") as stat:
            fields = stat.read().rsplit(b")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def settle(
        self, since_key: float = 0.0, window: float = 0.5, most: float = 0.03, timeout: float = 120
    ) -> None:
        """Read the output until the program has been quiet for `window` seconds (it used
        at most `most` CPU seconds in it) and `since_key` seconds have passed since the
        last key: what a person who reads the screen leaves it."""
        deadline = time.perf_counter() + timeout
        began, cpu = time.perf_counter(), self.cpu()
        while time.perf_counter() < deadline:
            self._pump(0.02)
            now = time.perf_counter()
            if now - began >= window:
                used = self.cpu() - cpu
                if used <= most and now - self.last_key_at >= since_key:
                    return
                began, cpu = now, self.cpu()
        raise TimeoutError("never quiet; the screen was:\n" + self.text())

    def close(self) -> None:
        os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)
        os.close(self.fd)


def environment(repo: Path) -> dict[str, str]:
    """The children's environment, with tpe_tui's bytecode compiled first: an installed
    tpe-tui has it (pip compiles a wheel's modules), as Textual in the venv has its own,
    while a checkout run with PYTHONDONTWRITEBYTECODE=1 would compile every module at
    every start (about 45 ms of CPU that the bare app does not pay)."""
    import compileall

    compileall.compile_dir(repo / "tpe_tui", quiet=1)
    return {**os.environ, "PYTHONPATH": str(repo), "TERM": "xterm-256color"}


def bare_argv() -> list[str]:
    return [sys.executable, "-m", "benchmarks.pty_probe", "bare-child"]


def tpe_argv(db: Path) -> list[str]:
    return [sys.executable, "-m", "tpe_tui", "--db", str(db)]


def bare_app() -> None:
    from textual.app import App, ComposeResult
    from textual.widgets import Footer, Header, Label

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            yield Header()
            yield Label("Nouvel accompagnement")
            yield Footer()

    Bare().run()


if __name__ == "__main__":
    if sys.argv[1] == "bare-child":
        bare_app()
    else:
        from tpe_tui.storage import home_picture

        repo = Path(__file__).resolve().parent.parent
        env = environment(repo)
        if sys.argv[1] == "bare":
            print(f"{time_to_words(bare_argv(), env):.3f}")
        else:
            db = Path(sys.argv[2])
            if "--no-picture" in sys.argv:
                home_picture.path_for(db).unlink(missing_ok=True)
            print(f"{time_to_words(tpe_argv(db), env):.3f}")
