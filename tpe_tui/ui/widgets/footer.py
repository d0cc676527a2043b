"""The footer of every screen, rebuilt only when the keys it shows change, and never showing
a key cut in the middle: keys that do not fit are left out whole (the palette, Ctrl+P, which
lists every action, stays)."""

from __future__ import annotations

from typing import Any

from textual import events
from textual.screen import Screen
from textual.widgets import Footer as TextualFooter
from textual.widgets._footer import FooterKey

PALETTE_ACTIONS = ("command_palette", "app.command_palette")


class Footer(TextualFooter):
    """Textual's footer rebuilds all its keys (a dozen widgets and their styles) after
    every change of bindings — each focus move, each `refresh_bindings` — several times
    in one screen switch: about a third of the CPU of opening the agenda. This one
    rebuilds once per burst of changes, and only when what it would show differs."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._keys_shown: tuple[tuple[Any, ...], ...] | None = None
        self._rebuild_pending = False
        self._fit_tries = 0

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
            self._fit_tries = 0
            self.call_after_refresh(self._fit)

    def on_resize(self, event: events.Resize) -> None:
        self._fit_tries = 0
        self.call_after_refresh(self._fit)

    def _fit(self) -> None:
        """Leave out the keys that would be cut at this width (« ^q Quitt »): Ctrl+Q first
        (every screen has it), then the screen's own keys from the end, Échap (back) and
        the palette's key last of all: the palette lists every action."""
        keys = list(self.query(FooterKey))
        hidden = [key for key in keys if not key.display]
        for key in hidden:
            key.display = True  # measured again at this width
        if hidden or any(not key.outer_size.width for key in keys):
            if self._fit_tries < 100:  # not laid out yet: measure once it is
                self._fit_tries += 1
                self.call_after_refresh(self._fit)
            return
        self._fit_tries = 0
        room = self.size.width
        widths = {key: key.outer_size.width + key.styles.margin.width for key in keys}
        if not room or sum(widths.values()) <= room:
            return
        last = (*PALETTE_ACTIONS, "back", "quit", "app.quit")
        dropping = [k for k in keys if k.action in ("quit", "app.quit")]  # Ctrl+Q is known
        dropping += [k for k in keys if k.action not in last][::-1]
        dropping += [k for k in keys if k.action == "back"]
        dropping += [k for k in keys if k.action in PALETTE_ACTIONS]
        total = sum(widths.values())
        for key in dropping:
            if total <= room:
                break
            key.display = False
            total -= widths[key]
