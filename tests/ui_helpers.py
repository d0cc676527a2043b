"""Driving the app with keys, as a mediator would."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import App
from textual.pilot import Pilot
from textual.worker import WorkerCancelled

from tpe_tui.services.config import Config
from tpe_tui.ui.app import TpeApp

if TYPE_CHECKING:
    from tpe_tui.ui.screens.accompaniment.screen import AccompanimentScreen


def make_app(db: Path, device: str = "laptop-test") -> TpeApp:
    return TpeApp(db, device, Config(mediator=""))


async def settle(pilot: Pilot) -> None:
    """Let workers, queued saves and redraws finish."""
    app = pilot.app
    for _ in range(3):
        for worker in list(app.workers):
            # Cancelled when the app exits on its own (a refused start): not a failure.
            with contextlib.suppress(WorkerCancelled):
                await worker.wait()
        app.saves.flush(10)  # type: ignore[attr-defined]
        await pilot.pause()


async def until(pilot: Pilot, condition: Callable[[], bool], timeout: float = 60) -> None:
    """Poll `condition` while the app keeps running, up to a generous deadline."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition never met"
        await pilot.pause(0.02)


async def type_text(pilot: Pilot, text: str) -> None:
    await pilot.press(*[("space" if ch == " " else ch) for ch in text])


async def choose(pilot: Pilot, downs: int) -> None:
    """Open the focused Select, move down `downs` times from the prompt, pick."""
    await pilot.press("enter", *(["down"] * downs), "enter")


async def freeze_cursors(pilot: Pilot) -> None:
    """Stop the text cursors blinking, so a snapshot does not depend on when it is taken."""
    from textual.widgets import Input, TextArea

    for widget in pilot.app.screen.query("Input, TextArea"):
        if isinstance(widget, Input | TextArea):
            widget.cursor_blink = False
    await pilot.pause()


def screen_text(app: App) -> str:
    """What the terminal shows now, as plain text (every line of the current screen)."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


async def open_conflicts(pilot: Pilot) -> list[str]:
    """From the home screen, « Synchroniser » (s) then « Conflits » (F7): the labels of the
    fields in conflict of the first record listed."""
    from tpe_tui.ui.screens.conflicts import ConflictsScreen

    await settle(pilot)
    await pilot.press("s")
    await settle(pilot)
    await pilot.press("f7")
    await settle(pilot)
    assert isinstance(pilot.app.screen, ConflictsScreen)
    return [str(w.render()) for w in pilot.app.screen.query(".conflict-field")]


async def type_at_once(pilot: Pilot, *keys: str) -> None:
    """Keys typed faster than the app handles them, as a terminal delivers them: all are
    queued before the first is handled (`Pilot.press` waits for each). Then settle."""
    from textual import events

    driver = pilot.app._driver
    assert driver is not None
    for key in keys:
        character = " " if key == "space" else key if len(key) == 1 else None
        event = events.Key(key, character)
        event.set_sender(pilot.app)
        driver.send_message(event)
    await settle(pilot)


async def open_accompaniment(pilot: Pilot, key: str = "n") -> AccompanimentScreen:
    """From the home, « n » (a new one) or « r » (the first in progress): the
    accompaniment screen, its first field focused."""
    from tpe_tui.ui.screens.accompaniment.screen import AccompanimentScreen

    await settle(pilot)
    await pilot.press(key)
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, AccompanimentScreen)
    return screen
