"""Run in a fresh process by the screen benchmark: open the app headless on a data file,
wait until the file is loaded, then time screen switches as a person presses keys:
home -> agenda (its first rows on screen) -> back to home.

    python -m benchmarks.screen_probe DATA.json ROUNDS

Prints one line per round: "agenda_s home_s", wall-clock seconds from the key press to the
screen showing its data.
"""

from __future__ import annotations

import asyncio
import sys
import time
from pathlib import Path

from tpe_tui.services.config import Config
from tpe_tui.ui.app import TpeApp
from tpe_tui.ui.screens.agenda import AgendaScreen
from tpe_tui.ui.screens.home import HomeScreen
from tpe_tui.ui.widgets.paged_table import PagedTable


async def until(condition, timeout: float = 600) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError
        await asyncio.sleep(0.002)


async def main(db: Path, rounds: int) -> None:
    app = TpeApp(db, "bench-screens", Config())
    async with app.run_test(size=(80, 24)) as pilot:
        await until(lambda: app.workspace is not None)
        await app.workers.wait_for_complete()
        for _ in range(rounds):
            began = time.perf_counter()
            await pilot.press("a")
            await until(
                lambda: (
                    isinstance(app.screen, AgendaScreen)
                    and app.screen.query_one("#agenda-table", PagedTable).row_count > 0
                )
            )
            await pilot.pause()  # drawn
            agenda_s = time.perf_counter() - began
            began = time.perf_counter()
            await pilot.press("escape")
            await until(lambda: isinstance(app.screen, HomeScreen))
            await pilot.pause()
            home_s = time.perf_counter() - began
            print(f"{agenda_s:.3f} {home_s:.3f}", flush=True)
            await app.workers.wait_for_complete()


if __name__ == "__main__":
    asyncio.run(main(Path(sys.argv[1]), int(sys.argv[2])))
