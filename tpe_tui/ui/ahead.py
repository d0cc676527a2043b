"""Screens built ahead, while the person looks at the home without typing: the agenda (kept
once built), one blank business file, taken by the next business opened, and one new
accompaniment, taken by « n » (its first step only since its panes are built when first
shown: ≈0.05 s of the processor saved on the key, 0.17 → 0.12 s headless at load 10;
all fourteen steps took 0.5-0.7 s).

Building a screen (its widgets, their styles, the agenda's rows) was most of the time a
first opening took: 0.2-0.3 s of processor at 10,000 sessions, three to four times that on
a busy machine. Built ahead, that opening only lays out and paints. Nothing is built while
a key was pressed recently, while the file is opening or its search index is being built,
or when another screen than the home is shown: one screen is built per idle moment.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any, cast

from textual.screen import Screen

from tpe_tui.ui.screens.home import HomeScreen

if TYPE_CHECKING:
    from tpe_tui.ui.app import TpeApp
    from tpe_tui.ui.screens.accompaniment.screen import AccompanimentData, AccompanimentScreen
    from tpe_tui.ui.screens.client_file import ClientFileScreen

# No key for this long: the person reads the home, a screen may be built (≈ 0.1 s).
IDLE_S = 1.5
# The new accompaniment holds the UI thread longer (≈0.1 s, more on a busy machine): built
# only after a longer pause, when a key pressed meanwhile is least likely.
LONG_IDLE_S = 3.0
CHECK_EVERY_S = 0.5
BUSY_GROUPS = frozenset({"index", "io"})  # opening the file, reading, indexing


class ScreensAhead:
    def __init__(self, app: TpeApp) -> None:
        self.app = app
        self.spare_file: ClientFileScreen | None = None
        # A new accompaniment, and the data stamp it was read under (`TpeApp.data_stamp`):
        # its session is a draft not saved yet, dated the day it was read.
        self.spare_session: AccompanimentScreen | None = None
        self._session_stamp: tuple[int, str] | None = None
        self._session_asked = False

    def start(self) -> None:
        self.app.set_interval(CHECK_EVERY_S, self._when_idle, name="screens ahead")

    def _home_shown(self) -> bool:
        """The home is the screen shown (none is while the app closes: no error then)."""
        stack = self.app.screen_stack
        return bool(stack) and isinstance(stack[-1], HomeScreen)

    def idle(self) -> bool:
        app = self.app
        return (
            app.workspace is not None
            and self._home_shown()
            and cast(HomeScreen, app.screen).tables_ready
            and time.monotonic() - app.last_key_at >= IDLE_S
            and not any(w.group in BUSY_GROUPS and not w.is_finished for w in app.workers)
        )

    def _when_idle(self) -> None:
        if not self.idle():
            return
        from tpe_tui.ui.app import AGENDA

        if not self.app.is_screen_installed(AGENDA):
            from tpe_tui.ui.screens.agenda import AgendaScreen

            agenda = AgendaScreen()
            self.app.install_screen(agenda, AGENDA)
            self._build(agenda)
        elif self.spare_file is None:
            from tpe_tui.ui.screens.client_file import ClientFileScreen

            self.spare_file = ClientFileScreen()
            self._build(self.spare_file)
        elif self.spare_file.is_mounted and self.spare_file.laid_out_for != self.app.size:
            self._lay_out(self.spare_file)
        elif (
            self.spare_session is not None
            and self.spare_session.is_mounted
            and not self._current(self.spare_session)
        ):
            # Written since (a visit left, a sync): dropped now, read again at the next
            # long pause. Dropped on « n », it cost more than no spare (0.17-0.28 s of the
            # processor against 0.14-0.19 s, headless, load 9).
            spare, self.spare_session = self.spare_session, None
            spare.remove()
        elif (
            self.spare_session is None
            and not self._session_asked
            and time.monotonic() - self.app.last_key_at >= LONG_IDLE_S
        ):
            self._read_new_session()

    def building(self) -> bool:
        """Whether a screen built ahead is still being composed and mounted (nothing else
        should hold the UI thread meanwhile: the app closing then would find it half made)."""
        from tpe_tui.ui.app import AGENDA

        agenda = self.app.get_screen(AGENDA) if self.app.is_screen_installed(AGENDA) else None
        return any(
            screen is not None and not screen.is_mounted
            for screen in (agenda, self.spare_file, self.spare_session)
        )

    def _read_new_session(self) -> None:
        """A new accompaniment's data read (off the UI thread), then its screen built, if the
        home is still idle and nothing was written meanwhile."""
        from tpe_tui.ui.screens.accompaniment.screen import AccompanimentData

        stamp = self.app.data_stamp()
        self._session_asked = True

        def build(data: AccompanimentData) -> None:
            self._session_asked = False
            app = self.app  # still idle (its own read is not finished yet: not `idle()`)
            if (
                self.spare_session is None
                and app.data_stamp() == stamp
                and self._home_shown()
                and time.monotonic() - app.last_key_at >= LONG_IDLE_S
            ):
                from tpe_tui.ui.screens.accompaniment.screen import AccompanimentScreen

                self.spare_session = AccompanimentScreen(data)
                self._session_stamp = stamp
                self._build(self.spare_session)

        self.app.read(lambda ws: AccompanimentData.load(ws, None), build)

    def _build(self, screen: Screen[Any]) -> None:
        """Compose and mount `screen` without showing it, its own CSS read first (what
        pushing it does: Textual has no public call for either). Read only when pushed, a
        screen's CSS made Textual parse every style sheet again and restyle every widget:
        0.1-0.2 s of an opening."""
        self.app._load_screen_css(screen)
        self.app._register(self.app, screen)

    def _lay_out(self, screen: ClientFileScreen) -> None:
        """Place the widgets of `screen` (built, not shown) for the terminal's size, as its
        first showing does (Textual has no public call for a screen not shown). Its first
        layout sized every widget, which then asked for a second layout: 35-55 ms of the
        processor at each opening of a business file, now spent while the person reads."""
        screen._refresh_layout(self.app.size)
        screen.laid_out_for = self.app.size

    def open_client_file(self, client_id: str) -> None:
        """The business file of `client_id`: the spare built ahead filled in before it is
        shown, else a new one (which reads its business once shown)."""
        from tpe_tui.ui.screens.client_file import ClientFileScreen

        spare, self.spare_file = self.spare_file, None
        if spare is None or not spare.is_mounted:  # still being built: a new one
            self.app.push_screen(ClientFileScreen(client_id))
        else:
            spare.open_ahead(client_id, self.app.from_here(self.app.push_screen))

    def take_new_session(self) -> AccompanimentScreen | None:
        """The new accompaniment built ahead, if it is built and still current (no write,
        same day, same mediator's name since it was read); else None, and it is dropped."""
        spare, self.spare_session = self.spare_session, None
        if spare is None:
            return None
        if spare.is_mounted and self._current(spare):
            return spare
        spare.remove()
        return None

    def _current(self, spare: AccompanimentScreen) -> bool:
        """Nothing written since it was read, same day, same mediator's name."""
        workspace = self.app.workspace
        return (
            self._session_stamp == self.app.data_stamp()
            and workspace is not None
            and spare.session.get("mediator") == workspace.config.mediator
        )
