"""Full garbage collections run while the person reads (`ui/collector.py`), not in the
middle of a screen switch: the allocator's own are a hundred times rarer."""

from __future__ import annotations

import gc
import time
import weakref
from collections.abc import Callable
from typing import Any

from tpe_tui.ui import collector
from tpe_tui.ui.collector import IdleCollector


class Ahead:
    def __init__(self) -> None:
        self.mounting = False

    def building(self) -> bool:
        return self.mounting


class Reader:
    """The app as the collector sees it: when the last key was pressed, whether a screen
    is being built ahead, and its timers."""

    def __init__(self) -> None:
        self.last_key_at = 0.0
        self.ahead = Ahead()
        self.timers: list[Callable[[], Any]] = []

    def set_interval(self, _every: float, callback: Callable[[], Any], name: str = "") -> None:
        self.timers.append(callback)


class Node:
    other: Node | None = None


def old_garbage() -> weakref.ref[Node]:
    """Two objects in a cycle, kept long enough to reach the oldest generation, then
    dropped: only a full collection frees them."""
    first, second = Node(), Node()
    first.other, second.other = second, first
    gc.collect()
    return weakref.ref(first)


def test_a_full_collection_waits_for_a_moment_without_keys() -> None:
    before = gc.get_threshold()
    reader = Reader()
    idle = IdleCollector(reader)  # type: ignore[arg-type]
    idle.start()
    try:
        assert gc.get_threshold()[2] == collector.BACKSTOP
        assert reader.timers == [idle.when_idle]
        garbage = old_garbage()
        for _ in range(collector.WORTH_IT):
            gc.collect(1)  # young collections: the old cycle stays
        assert garbage() is not None

        reader.last_key_at = time.monotonic()  # a key just pressed
        assert not idle.when_idle()
        assert garbage() is not None

        reader.last_key_at = time.monotonic() - collector.IDLE_S - 0.1  # reading
        reader.ahead.mounting = True  # a screen half made: the app may be closing
        assert not idle.when_idle()
        assert garbage() is not None

        reader.ahead.mounting = False
        assert idle.when_idle()
        assert garbage() is None
        assert not idle.when_idle()  # nothing due since
    finally:
        idle.stop()
    assert gc.get_threshold() == before
