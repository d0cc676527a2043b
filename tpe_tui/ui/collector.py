"""Garbage collected while the person reads, not while a screen is drawn.

Every screen closed leaves its widgets as garbage in reference cycles (an accompaniment:
≈ 520 widgets), which only Python's full collection frees. That collection walks every
object of the app not frozen and holds the GIL meanwhile: 0.1-0.2 s of the processor at
10,000 sessions (0.4-1.1 s wall on the loaded machine), started by the allocator every
few seconds of use, in the middle of whatever screen switch was being drawn (the p95
spikes of the screen benchmark). Here the full collection runs once the person has not
pressed a key for a moment; the allocator's own full collections are kept as a
backstop, a hundred times rarer.
"""

from __future__ import annotations

import gc
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tpe_tui.ui.app import TpeApp

IDLE_S = 2.0  # no key for this long: a full collection may hold the UI thread (0.05-0.2 s)
CHECK_EVERY_S = 0.5
# The allocator's full collection after this many young ones (Python's default: 10).
BACKSTOP = 1_000
# Young collections since the last full one before one is worth it at an idle moment.
WORTH_IT = 2


class IdleCollector:
    def __init__(self, app: TpeApp) -> None:
        self.app = app
        self._thresholds: tuple[int, int, int] | None = None

    def start(self) -> None:
        self._thresholds = gc.get_threshold()
        young, middle, _ = self._thresholds
        gc.set_threshold(young, middle, BACKSTOP)
        self.app.set_interval(CHECK_EVERY_S, self.when_idle, name="idle collection")

    def stop(self) -> None:
        """Python's thresholds as they were (the app may run inside a longer process)."""
        if self._thresholds is not None:
            gc.set_threshold(*self._thresholds)
            self._thresholds = None

    def when_idle(self) -> bool:
        """A full collection if the person is reading and one is due; whether it ran."""
        if (
            not gc.isenabled()  # a file being read: collections are off on purpose
            or gc.get_count()[2] < WORTH_IT
            or time.monotonic() - self.app.last_key_at < IDLE_S
            or self.app.ahead.building()
        ):
            return False
        gc.collect()
        return True
