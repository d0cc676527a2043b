"""Revision data carried by every shared record, so sync can tell newer from concurrent.

Each version of a record carries a version vector `vv` ({device: edits seen from that
device}), the device that wrote it, `rev` (the number of edits it descends from) and a
hybrid logical clock `hlc`. Version vectors order edits without trusting clocks (laptops'
clocks are wrong); the clock only breaks ties between concurrent versions deterministically.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Mapping
from typing import Any

from tpe_tui.domain.clock import utc_now

# Fields that describe a version rather than the business data.
REVISION_FIELDS = ("device", "rev", "vv", "hlc", "updated_at")

VersionVector = Mapping[str, int]


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


def version_id(record: Mapping[str, Any]) -> str:
    """Identity of a version: its writer and that writer's edit count."""
    device = record.get("device", "")
    return f"{device}:{record.get('vv', {}).get(device, 0)}"


def parse_hlc(value: str | None) -> tuple[int, int]:
    """(milliseconds, counter) of a clock value; an absent one sorts first."""
    if not value:
        return (0, 0)
    try:
        millis, counter = value.split("-", 1)
        return (int(millis), int(counter))
    except ValueError:
        return (0, 0)


def format_hlc(millis: int, counter: int) -> str:
    return f"{millis:013d}-{counter:04d}"


class HybridClock:
    """A hybrid logical clock: never goes backwards, even if the wall clock does."""

    def __init__(self, wall_millis: Any = None) -> None:
        self._wall = wall_millis or (lambda: int(time.time() * 1000))
        self._last = (0, 0)
        self._lock = threading.Lock()

    def tick(self, seen: Iterable[str | None] = ()) -> str:
        """A value greater than the last one given and than every value seen."""
        with self._lock:
            latest = max([self._last, *(parse_hlc(value) for value in seen)])
            wall = self._wall()
            self._last = (wall, 0) if wall > latest[0] else (latest[0], latest[1] + 1)
            return format_hlc(*self._last)


def next_version(
    record: Mapping[str, Any],
    parents: Iterable[Mapping[str, Any]],
    device: str,
    clock: HybridClock,
    now: str | None = None,
    siblings: Iterable[Mapping[str, Any]] = (),
) -> dict[str, Any]:
    """Stamp `record` as a new version that supersedes every one of `parents`.

    `siblings` are versions the record also holds (its conflicts) that this edit does not
    supersede: our counter must still pass theirs, or two versions would share one id.
    """
    parents = list(parents)
    vv = join(parent.get("vv", {}) for parent in parents)
    used = max((s.get("vv", {}).get(device, 0) for s in siblings), default=0)
    vv[device] = max(vv.get(device, 0), used) + 1
    new = dict(record)
    new["vv"] = vv
    new["rev"] = sum(vv.values())
    new["device"] = device
    new["hlc"] = clock.tick(parent.get("hlc") for parent in parents)
    new["updated_at"] = now or utc_now()
    return new
