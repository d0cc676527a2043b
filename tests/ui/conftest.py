"""UI tests: what is drawn must not depend on when it is looked at."""

from __future__ import annotations

import math

import pytest
from textual.widgets import Input, TextArea


@pytest.fixture(autouse=True)
def steady_cursor(monkeypatch: pytest.MonkeyPatch) -> None:
    """A blinking cursor is drawn or not depending on the instant of the screenshot (a busy
    machine shifts that instant): in tests the cursor does not blink, it stays shown."""
    for widget in (Input, TextArea):
        monkeypatch.setattr(widget.cursor_blink, "_default", False)


@pytest.fixture(autouse=True)
def keys_read_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pilot presses a key as soon as the agenda is drawn, which no person does: the guard
    against keys typed ahead (`AgendaScreen.SEEN_AFTER`) is tested on its own."""
    from tpe_tui.ui.screens.agenda import AgendaScreen

    monkeypatch.setattr(AgendaScreen, "SEEN_AFTER", 0.0)


@pytest.fixture
def nothing_built_ahead(monkeypatch: pytest.MonkeyPatch) -> None:
    """For a test that replaces the agenda's loader: the agenda is read only on « a ». On a
    busy machine the home sits idle for the 1.5 s after which `ui/ahead.py` builds the
    agenda (and reads its data) while the test is still settling, before its key. Not a
    large number: before the first key, the idle time counts from the machine's boot."""
    from tpe_tui.ui import ahead

    monkeypatch.setattr(ahead, "IDLE_S", math.inf)
