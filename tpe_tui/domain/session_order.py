"""The sessions as the home lists them, kept in order: those in progress last touched
first, the closed ones latest first. Kept in step with each session saved
(`services/live.py`) rather than sorting the 100,000 sessions at each return home.

Pure: the sessions come in, in the store's order; sessions with the same dates keep that
order, as a stable sort of every session does (`latest_of`).
"""

from __future__ import annotations

from bisect import bisect_left, insort
from collections.abc import Iterable, Mapping
from typing import Any

from tpe_tui.domain.records import Record


def in_progress(session: Mapping[str, Any]) -> bool:
    return session.get("status") != "closed"


def sort_key(session: Mapping[str, Any]) -> tuple[str, ...]:
    """The home's order, reversed: sessions in progress by their last change, closed ones
    by their date then last change."""
    when = session.get("updated_at") or ""
    return (when,) if in_progress(session) else (session.get("date") or "", when)


def latest_of(sessions: Iterable[Record], open_: bool, limit: int) -> tuple[list[Record], int]:
    """The `limit` first sessions in progress (`open_`) or closed in the home's order, and
    how many there are, from every live session (in the store's order)."""
    chosen = [s for s in sessions if in_progress(s) == open_]
    chosen.sort(key=sort_key, reverse=True)
    return chosen[:limit], len(chosen)


LAST_PLACE = 10**12  # more sessions than a file will ever hold


class SessionOrder:
    """The live sessions in progress and closed, each list in the home's order (`sort_key`, then the place in the store)."""

    def __init__(self) -> None:
        self._keys: dict[bool, list[str]] = {True: [], False: []}  # in progress or not
        self._placed: dict[str, tuple[bool, str, Record]] = {}  # id -> (list, key, session)
        # Each session's place in the store (deleted ones too: one may come back), a new
        # one after the others, as the store appends it.
        self._place: dict[str, int] = {}

    def load(self, sessions: Iterable[Record]) -> None:
        """Every session of the store, deleted ones included, in the store's order."""
        for session in sessions:
            self._place[session["id"]] = len(self._place)
            if not session.get("deleted"):
                self._keys[self._add(session)].append(self._placed[session["id"]][1])
        for keys in self._keys.values():
            keys.sort()

    def put(self, session_id: str, session: Record | None) -> None:
        """The session as it is now saved (None or deleted: gone)."""
        placed = self._placed.pop(session_id, None)
        if placed is not None:
            keys = self._keys[placed[0]]
            at = bisect_left(keys, placed[1])
            if at < len(keys) and keys[at] == placed[1]:
                del keys[at]
        if session is not None and not session.get("deleted"):
            insort(self._keys[self._add(session)], self._placed[session_id][1])

    def _add(self, session: Record) -> bool:
        open_ = in_progress(session)
        place = self._place.setdefault(session["id"], len(self._place))
        # Ascending, read from the end: of two equal dates, the earlier in the store last.
        key = "\x00".join((*sort_key(session), f"{LAST_PLACE - place:013d}", session["id"]))
        self._placed[session["id"]] = (open_, key, session)
        return open_

    def latest(self, open_: bool, limit: int) -> tuple[list[Record], int]:
        """As `latest_of`: the first `limit` in the home's order, and how many in all."""
        keys = self._keys[open_]
        first = keys[: -limit - 1 : -1] if limit > 0 else []
        return [self._placed[k.rpartition("\x00")[2]][2] for k in first], len(keys)
