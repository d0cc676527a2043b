"""The base of every screen: a guest of the app, reaching it through a typed handle.

Screens read and write through the app (`read`, `write`): the work runs off the UI thread,
writes in the one ordered queue, and the result comes back to the screen that asked, or is
dropped if that screen is gone. Where to go next is said with a message (`ui.messages`).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar, cast

from textual.dom import DOMNode
from textual.message import Message
from textual.screen import Screen

from tpe_tui.ui import messages

if TYPE_CHECKING:
    from tpe_tui.services.workspace import Workspace
    from tpe_tui.ui.app import TpeApp

ResultT = TypeVar("ResultT")
T = TypeVar("T")


def tpe_app(node: DOMNode) -> TpeApp:
    """The running TpeApp, typed, for widgets (screens have `self.app`)."""
    return cast("TpeApp", node.app)


class TpeScreen(Screen[ResultT]):
    _read_stamp: tuple[int, str] | None = None  # `app.data_stamp()` at the last read_current
    _awaiting = False  # the last read_current's answer has not come yet

    @property
    def app(self) -> TpeApp:  # type: ignore[override]
        """The running TpeApp (Textual types it as a plain App)."""
        return cast("TpeApp", super().app)

    def post_message(self, message: Message) -> bool:
        """Navigation asked from here says so (see `TpeApp._asked_by`)."""
        if isinstance(message, messages.Navigation) and message.origin is None:
            message.origin = self
        return super().post_message(message)

    def read(self, load: Callable[[Workspace], T], show: Callable[[T], Any]) -> None:
        """Run `load` off the UI thread, then `show` its result here if still shown."""
        self.app.read(load, show, owner=self)

    def read_current(self, load: Callable[[Workspace], T], show: Callable[[T], Any]) -> None:
        """`read`, remembering under which data stamp it was asked (`shows_current_data`)."""
        self._read_stamp = self.app.data_stamp()
        self._awaiting = True

        def arrived(value: T) -> Any:
            self._awaiting = False
            return show(value)

        self.read(load, arrived)

    def on_screen_suspend(self) -> None:
        # An answer still on its way is dropped if this screen leaves the stack meanwhile
        # (a screen kept to be shown again, as the agenda is): read again on its return.
        if self._awaiting:
            self._read_stamp = None

    def shows_current_data(self) -> bool:
        """No write and no new day since the last `read_current` was asked: a screen coming
        back (or shown for the first time, right after its mount) need not read again."""
        return self._read_stamp == self.app.data_stamp()

    def write(
        self,
        job: Callable[[Workspace], T],
        then: Callable[[T], Any] | None = None,
        *,
        key: str | None = None,
    ) -> None:
        """Queue `job` on the one write path (after every write asked before), then call
        `then` with its result here if this screen is still shown. Writes of one `key`
        still waiting are replaced by the newer one."""
        self.app.write(job, then, key=key, owner=self)

    def show_error(self, message: str) -> None:
        self.app.show_error(message)

    async def keys_typed_so_far(self) -> None:
        """Let the focused field take the keys typed before this one. A priority key (F9,
        Ctrl+Q) is handled by the app as it arrives, while the keys typed just before it
        may still wait in the field's own queue, which runs in order."""
        await settle_focused(self)


async def settle_focused(screen: Screen[Any]) -> None:
    focused = screen.focused
    if focused is not None:
        taken = asyncio.Event()
        focused.call_later(taken.set)
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(taken.wait(), timeout=2)
