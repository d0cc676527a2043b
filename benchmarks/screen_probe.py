"""Run in a fresh process by the screen benchmark: open the app headless on a data file,
wait until the file is loaded (and the search index built), then go through the screens
as a person does, timing each switch from the key press to the screen drawn with its data:

    home -(a)-> agenda -(f)-> client file -(Échap)-> agenda -(Échap)-> home
         -(/ boulangerie)-> search results -(Échap)-> home lists

    python -m benchmarks.screen_probe DATA.json ROUNDS [--ahead]

With --ahead, each round starts once the screens built at idle moments (`ScreensAhead`: the
agenda, a blank business file) are ready, as for a person who looked at the home for a
couple of seconds; without it, keys follow each other as fast as the screens allow.

Prints one line per round: "wall/cpu" seconds of each step, in that order (STEPS). « Drawn »: the
screen is the current one, shows its rows (the agenda its first page, the client file its
business, the search its results), and one refresh has painted it (`pilot.pause`). The app
is left to settle (workers done) between steps, which are not timed.
"""

from __future__ import annotations

import asyncio
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Label

from tpe_tui.services.config import Config
from tpe_tui.ui.app import TpeApp
from tpe_tui.ui.screens.agenda import AgendaScreen
from tpe_tui.ui.screens.client_file import ClientFileScreen
from tpe_tui.ui.screens.home import HomeScreen
from tpe_tui.ui.widgets.paged_table import PagedTable

STEPS = ("agenda", "client_file", "back_agenda", "back_home", "search", "clear_search")
SEARCHED = "boulangerie"


async def until(condition: Callable[[], bool], timeout: float = 600) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError
        await asyncio.sleep(0.002)


async def timed(
    pilot: Pilot[None],
    keys: list[str],
    drawn: Callable[[], bool],
    ready: Callable[[], Awaitable[None]] | None = None,
) -> tuple[float, float]:
    """Wall-clock seconds from the last of `keys` to `drawn()` on screen, and the CPU
    seconds the process used meanwhile (all threads: what a loaded machine changes
    least). Earlier keys, and waiting for `ready()` first, are not timed."""
    if ready is not None:
        await ready()
    if keys[:-1]:
        await pilot.press(*keys[:-1])
        await pilot.app.workers.wait_for_complete()
    began, cpu = time.perf_counter(), time.process_time()
    await pilot.press(keys[-1])
    await until(drawn)
    await pilot.pause()  # painted
    seconds, cpu = time.perf_counter() - began, time.process_time() - cpu
    await pilot.app.workers.wait_for_complete()  # settled before the next step, untimed
    await pilot.pause()
    return seconds, cpu


def agenda_drawn(app: TpeApp) -> bool:
    screen = app.screen
    return (
        isinstance(screen, AgendaScreen)
        and screen.query_one("#agenda-table", PagedTable).row_count > 0
    )


def home_drawn(app: TpeApp) -> bool:
    screen = app.screen
    return isinstance(screen, HomeScreen) and screen.tables_ready


def results_drawn(app: TpeApp) -> bool:
    screen = app.screen
    if not isinstance(screen, HomeScreen) or not screen.tables_ready:
        return False
    title = str(screen.query_one("#results-title", Label).render())
    return f"« {SEARCHED} »" in title and screen.query_one("#home-results").display


def lists_drawn(app: TpeApp) -> bool:
    screen = app.screen
    return isinstance(screen, HomeScreen) and bool(screen.query_one("#home-lists").display)


async def agenda_readable(app: TpeApp) -> None:
    """Wait (untimed) until the agenda's rows have been shown long enough for a key to act
    on them: before that, the agenda ignores « f » on purpose (keys typed ahead)."""
    screen = app.screen
    assert isinstance(screen, AgendaScreen)
    await until(lambda: time.monotonic() - screen.shown_at >= screen.SEEN_AFTER)


def built_ahead(app: TpeApp) -> bool:
    spare = app.ahead.spare_file
    return spare is not None and spare.is_mounted and app.is_screen_installed("agenda")


async def main(db: Path, rounds: int, ahead: bool) -> None:
    app = TpeApp(db, "bench-screens", Config(contact_asked=True))
    async with app.run_test(size=(80, 24)) as pilot:
        await until(lambda: app.workspace is not None)
        await until(lambda: not any(w.group == "index" for w in app.workers))
        await app.workers.wait_for_complete()
        await pilot.pause()
        for _ in range(rounds):
            if ahead:
                await until(lambda: built_ahead(app))
                await app.workers.wait_for_complete()
                await pilot.pause()
            times = [
                # Échap first (untimed): out of the search box that the last round's Échap
                # cleared and left focused, or « a » would be typed into it.
                await timed(pilot, ["escape", "a"], lambda: agenda_drawn(app)),
                await timed(
                    pilot,
                    ["f"],
                    lambda: (
                        isinstance(app.screen, ClientFileScreen) and app.screen.file is not None
                    ),
                    ready=lambda: agenda_readable(app),
                ),
                await timed(pilot, ["escape"], lambda: agenda_drawn(app)),
                await timed(pilot, ["escape"], lambda: home_drawn(app)),
                await timed(pilot, ["slash", *SEARCHED], lambda: results_drawn(app)),
                await timed(pilot, ["escape"], lambda: lists_drawn(app)),
            ]
            print(" ".join(f"{wall:.3f}/{cpu:.3f}" for wall, cpu in times), flush=True)


if __name__ == "__main__":
    asyncio.run(main(Path(sys.argv[1]), int(sys.argv[2]), "--ahead" in sys.argv[3:]))
