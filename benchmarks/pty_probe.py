"""Time to text on the screen of a real terminal: a program started in a pseudo-terminal,
timed from the spawn to the first time its output holds the given words.

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
