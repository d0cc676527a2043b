"""UI tests: what is drawn must not depend on when it is looked at."""

from __future__ import annotations

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
