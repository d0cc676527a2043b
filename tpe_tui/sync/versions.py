"""Clocks and version vectors: what lets sync tell newer from concurrent.

Every write of a record field carries a dot (device, counter, millis): the device that
wrote it, that device's edit count for the record, and a hybrid clock reading. The record's
version vector `vv` ({device: edits seen from that device}) says which dots it has seen.
Version vectors order edits without trusting clocks (laptops' clocks are wrong); the clock
only breaks ties between concurrent values deterministically.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Mapping
from typing import Any

from tpe_tui.domain.clock import utc_now

__all__ = ["HybridClock", "descends", "dominates", "join", "parse_hlc", "utc_now"]


VersionVector = Mapping[str, int]

# Fields of a stored record that describe its versions rather than the business data.
REVISION_FIELDS = ("updated_at", "vv", "dot", "dots", "from_schema1", "superseded")


def dominates(a: VersionVector, b: VersionVector) -> bool:
    """True when a has seen every edit b has seen (a >= b pointwise)."""
    return all(a.get(device, 0) >= count for device, count in b.items())


def descends(a: VersionVector, b: VersionVector) -> bool:
    """True when a is strictly newer than b."""
    return dominates(a, b) and dict(a) != dict(b)


def join(vectors: Iterable[VersionVector]) -> dict[str, int]:
    """The pointwise maximum: a version that has seen all of these."""
    out: dict[str, int] = {}
    for vector in vectors:
        for device, count in vector.items():
            if count > out.get(device, 0):
                out[device] = count
    return out


def parse_hlc(value: str | None) -> tuple[int, int]:
    """(milliseconds, counter) of a schema-1 clock value; an absent one sorts first."""
    if not value or not isinstance(value, str):
        return (0, 0)
    try:
        millis, counter = value.split("-", 1)
        return (int(millis), int(counter))
    except ValueError:
        return (0, 0)


class HybridClock:
    """Milliseconds that never go backwards, even if the wall clock does, and that pass
    every value seen (so an edit always reads later than what it replaces)."""

    def __init__(self, wall_millis: Any = None) -> None:
        self._wall = wall_millis or (lambda: int(time.time() * 1000))
        self._last = 0
        self._lock = threading.Lock()

    def tick(self, seen: Iterable[int] = ()) -> int:
        with self._lock:
            latest = max([self._last, *seen])
            wall = self._wall()
            self._last = wall if wall > latest else latest + 1
            return self._last
