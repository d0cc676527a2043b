"""The footer of every screen, rebuilt only when the keys it shows change, and never showing
a key cut in the middle: keys that do not fit are left out whole (the palette, Ctrl+P, which
lists every action, stays)."""

from __future__ import annotations

from typing import Any

from rich.cells import cell_len
from textual import events
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer as TextualFooter
from textual.widgets._footer import FooterKey, FooterLabel, KeyGroup

PALETTE_ACTIONS = ("command_palette", "app.command_palette")
GROUP = "group of keys"  # a unit of the footer that is a group, not one action
# The palette's key when keys of the screen do not fit: it lists them (NEW5-13: F6
# « Émargement » was left out at 80 columns, and nothing said where it had gone).
MORE_KEYS = "Autres touches"


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
        self._palette_name = ""  # the palette key's own name while it says MORE_KEYS

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

    def _units(self) -> list[tuple[str, list[Widget]]]:
        """What is shown or left out together, with its action: a key, or a group of keys
        with its label (« F3 F4 F5 F9 Onglets »: never the label without its keys)."""
        units: list[tuple[str, list[Widget]]] = []
        for child in self.children:
            if isinstance(child, FooterLabel) and units and units[-1][0] == GROUP:
                units[-1][1].append(child)
            elif isinstance(child, KeyGroup):
                units.append((GROUP, [child]))
            else:
                units.append((str(getattr(child, "action", "")), [child]))
        return units

    def _fit(self) -> None:
        """Leave out the keys that would be cut at this width (« ^q Quitt »): Ctrl+Q first
        (every screen has it), then the screen's own keys from the end, Échap (back) and
        the palette's key last of all: the palette lists every action."""
        units = self._units()
        widgets = [widget for _, members in units for widget in members]
        hidden = [widget for widget in widgets if not widget.display]
        for widget in hidden:
            widget.display = True  # measured again at this width
        palette = [w for a, m in units if a in PALETTE_ACTIONS for w in m]
        palette_keys = [w for w in palette if isinstance(w, FooterKey)]
        renamed = [key for key in palette_keys if key.description == MORE_KEYS]
        for key in renamed:  # measured again with its own name
            key.description = self._palette_name
            key.refresh(layout=True)
        if hidden or renamed or any(not widget.outer_size.width for widget in widgets):
            if self._fit_tries < 100:  # not laid out yet: measure once it is
                self._fit_tries += 1
                self.call_after_refresh(self._fit)
            return
        self._fit_tries = 0
        room = self.size.width

        def width(members: list[Widget]) -> int:
            return sum(w.outer_size.width + w.styles.margin.width for w in members)

        total = sum(width(members) for _, members in units)
        if not room or total <= room:
            return
        last = (*PALETTE_ACTIONS, "back", "quit", "app.quit")
        own = [m for action, m in units if action not in last][::-1]
        dropping = [m for action, m in units if action in ("quit", "app.quit")]  # known
        dropping += own
        dropping += [m for action, m in units if action == "back"]
        dropping += [m for action, m in units if action in PALETTE_ACTIONS]
        for members in dropping:
            if total <= room:
                break
            if members is (own[0] if own else None) and palette_keys:
                # A key of the screen goes: the palette's key says where it is.
                for key in palette_keys:
                    self._palette_name = key.description
                    total += cell_len(MORE_KEYS) - cell_len(key.description)
                    key.description = MORE_KEYS
                    key.refresh(layout=True)
            for widget in members:
                widget.display = False
            total -= width(members)
