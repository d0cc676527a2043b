"""The footer of every screen, rebuilt only when the keys it shows change."""

from __future__ import annotations

from typing import Any

from textual.screen import Screen
from textual.widgets import Footer as TextualFooter


class Footer(TextualFooter):
    """Textual's footer rebuilds all its keys (a dozen widgets and their styles) after
    every change of bindings — each focus move, each `refresh_bindings` — several times
    in one screen switch: about a third of the CPU of opening the agenda. This one
    rebuilds once per burst of changes, and only when what it would show differs."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._keys_shown: tuple[tuple[Any, ...], ...] | None = None
        self._rebuild_pending = False

    def bindings_changed(self, screen: Screen[Any]) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen and not self._rebuild_pending:
            self._rebuild_pending = True
            self.call_after_refresh(self._rebuild_if_changed)

    async def _rebuild_if_changed(self) -> None:
        self._rebuild_pending = False
        if not self.is_attached:
            return
        shown = tuple(
            (binding.key, binding.action, binding.description, binding.key_display, on, tip)
            for (_, binding, on, tip) in self.screen.active_bindings.values()
            if binding.show
        )
        if shown != self._keys_shown:
            self._keys_shown = shown
            await self.recompose()
