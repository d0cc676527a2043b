"""Run by the start benchmark in a fresh process: start an app headless, print the wall-clock
times (time.time()) at which its first screen is ready, then exit.

    python -m benchmarks.start_probe bare
    python -m benchmarks.start_probe tpe DATA.json
"""

from __future__ import annotations

import os
import sys
import time


def bare() -> None:
    from textual.app import App, ComposeResult
    from textual.widgets import Footer, Header, Label

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            yield Header()
            yield Label("Bonjour")
            yield Footer()

        def on_mount(self) -> None:
            self.call_after_refresh(self.ready)

        def ready(self) -> None:
            print(time.time(), flush=True)
            self.exit()

    Bare().run(headless=True, size=(80, 24))


def tpe(db: str) -> None:
    import gc
    from pathlib import Path

    gc.disable()  # as `tpe-tui` (run_app) does
    from tpe_tui.services.config import Config
    from tpe_tui.ui.app import TpeApp

    class Timed(TpeApp):
        """Prints when the home first shows the file's data (from the home cache when it
        matches), then when the whole file is open, and exits."""

        shown: float | None = None

        def cached_home(self):  # type: ignore[no-untyped-def]
            data = super().cached_home()
            if data is not None:  # on screen with the first frame
                self.call_after_refresh(self.ready)
            return data

        def refresh_home(self, data=None) -> None:  # type: ignore[no-untyped-def]
            super().refresh_home(data)
            if data is not None:
                self.call_after_refresh(self.ready)

        def ready(self) -> None:
            if self.shown is None:
                self.shown = time.time()
            if self.workspace is not None:
                os.write(1, f"{self.shown} {time.time()}\n".encode())
                self.exit()

    app = Timed(Path(db), "bench-start", Config())
    app.run(headless=True, size=(80, 24))
    app.shutdown()


if __name__ == "__main__":
    bare() if sys.argv[1] == "bare" else tpe(sys.argv[2])
