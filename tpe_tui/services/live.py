"""Indexes kept in step with the data file: built once (off the UI thread, a slice at a
time), then told of each record written since, from the store's change log. Whoever
reads one brings it up to date first, so what it answers is never older than the file.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from typing import Any, TypeVar

from tpe_tui.domain.agenda_index import (
    AgendaView,
    LastContacts,
    NudgeCandidates,
    Nudges,
    OpenFollowups,
)
from tpe_tui.domain.personal_data import NOTICE_DAYS
from tpe_tui.domain.records import Record
from tpe_tui.storage.store import Store

T = TypeVar("T")
SLICE = 2_000  # records between two looks at `cancelled` while building


class Cancelled(Exception):
    """The build was called off (the app quits); the next reading builds again."""


def in_slices(rows: Iterable[T], cancelled: Callable[[], bool]) -> Iterator[T]:
    """`rows`, asking `cancelled` between slices (it may wait there while a person types)."""
    for count, row in enumerate(rows, 1):
        yield row
        if not count % SLICE and cancelled():
            raise Cancelled


class KeptInStep:
    """Base of an index fed by `Store.changes_since`: `build` reads every record, `apply`
    takes one record written (None: gone)."""

    TABLES: frozenset[str] = frozenset()

    def __init__(self, store: Store) -> None:
        self.store = store
        self._lock = threading.RLock()  # one reader brings it up to date at a time
        self._position: int | None = None  # in the change log; None: not built

    def up_to_date(self, cancelled: Callable[[], bool] = lambda: False) -> bool:
        """Build it or apply what was written since; False when the build was called off."""
        with self._lock:
            while True:
                if self._position is not None:
                    position, changes = self.store.changes_since(self._position)
                    if changes is not None:
                        for table, record_id in changes:
                            if table in self.TABLES:
                                self.apply(table, record_id, self.store.peek(table, record_id))
                        self._position = position
                        return True
                # Taken before reading: what is written during the build is applied after.
                position = self.store.change_position()
                try:
                    self.build(cancelled)
                except Cancelled:
                    self._position = None
                    return False
                self._position = position

    def build(self, cancelled: Callable[[], bool]) -> None:
        raise NotImplementedError

    def apply(self, table: str, record_id: str, record: Record | None) -> None:
        raise NotImplementedError


class AgendaIndex(KeptInStep):
    """The agenda's open follow-ups in order, its candidates for a nudge, and when each
    business was last in touch (the businesses soon anonymised)."""

    TABLES = frozenset({"followups", "sessions", "clients"})

    def __init__(self, store: Store) -> None:
        super().__init__(store)
        self._open = OpenFollowups(self._resolve)
        self._nudges = NudgeCandidates()
        self._last = LastContacts()

    def _resolve(self, client_id: str | None) -> tuple[Record | None, tuple[str, ...]]:
        """The client shown for `client_id` (merges followed, as `Workspace.client_view`)
        and every id the lookup went through."""
        chain: list[str] = []
        while client_id and client_id not in chain:
            chain.append(client_id)
            client = self.store.peek("clients", client_id)
            if client is None or not client.get("merged_into"):
                return client, tuple(chain)
            client_id = client["merged_into"]
        return None, tuple(chain)

    def build(self, cancelled: Callable[[], bool]) -> None:
        store = self.store
        followups = list(store.records("followups", deleted=True))
        open_ = OpenFollowups(self._resolve)
        open_.load(in_slices(followups, cancelled))
        sessions = list(in_slices(store.records("sessions"), cancelled))
        nudges = NudgeCandidates()
        nudges.load(sessions, in_slices(followups, cancelled))
        last = LastContacts()
        last.load(
            in_slices(store.records("clients"), cancelled),
            in_slices(sessions, cancelled),
            in_slices((f for f in followups if not f.get("deleted")), cancelled),
        )
        self._open, self._nudges, self._last = open_, nudges, last

    def apply(self, table: str, record_id: str, record: Record | None) -> None:
        self._last.put(table, record_id, record)
        if table == "followups":
            self._open.put(record_id, record)
            self._nudges.put_followup(
                record_id, record, lambda sid: self.store.peek("sessions", sid)
            )
        elif table == "sessions":
            self._nudges.put_session(record_id, record)
        else:
            self._open.client_changed(record_id)

    def view(self, today: date) -> AgendaView:
        with self._lock:
            self.up_to_date()
            return self._open.view(today, lambda sid: self.store.peek("sessions", sid))

    def nudges(
        self, today: date, delays: Iterable[int], client_of: Callable[[str | None], Any]
    ) -> Nudges:
        with self._lock:
            self.up_to_date()
            return self._nudges.due(today, list(delays), client_of)

    def retention_soon(self, today: date, retention_days: int) -> list[Record]:
        """The businesses whose people's data will be anonymised within the notice."""
        with self._lock:
            self.up_to_date()
            return self._last.soon(today, retention_days, NOTICE_DAYS)
