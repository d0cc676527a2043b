"""Indexes kept in step with the data file: built once (off the UI thread, a slice at a
time), then told of each record written since, from the store's change log. Whoever
reads one brings it up to date first, so what it answers is never older than the file.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Generic, TypeVar

from tpe_tui.domain import duplicates
from tpe_tui.domain.agenda_index import (
    AgendaView,
    LastContacts,
    NudgeCandidates,
    Nudges,
    OpenFollowups,
)
from tpe_tui.domain.client_links import ClientLinks
from tpe_tui.domain.duplicates import DuplicateIndex
from tpe_tui.domain.personal_data import NOTICE_DAYS, merged_family
from tpe_tui.domain.records import Record
from tpe_tui.domain.session_order import SessionOrder, latest_of
from tpe_tui.storage.collection import collection_paused
from tpe_tui.storage.store import Store

T = TypeVar("T")
S = TypeVar("S")  # the state an index keeps
SLICE = 2_000  # records between two looks at `cancelled` while building


class Cancelled(Exception):
    """The build was called off (the app quits); the next reading builds again."""


def in_slices(rows: Iterable[T], cancelled: Callable[[], bool]) -> Iterator[T]:
    """`rows`, asking `cancelled` between slices (it may wait there while a person types)."""
    for count, row in enumerate(rows, 1):
        yield row
        if not count % SLICE and cancelled():
            raise Cancelled


class KeptInStep(Generic[S]):
    """Base of an index fed by `Store.changes_since`: `build` reads every record into a new
    state, `apply` brings a state in step with one record written (None: gone).

    Locks: the state's own lock is held only to apply changes and answer questions (store
    lookups there take no lock). A build holds the build lock and takes the store's lock a
    moment per table; a thread holding the store's lock (a write in progress) never waits
    for a build: it gets its answer from a scan (`ask`)."""

    TABLES: frozenset[str] = frozenset()

    def __init__(self, store: Store) -> None:
        self.store = store
        self._lock = threading.RLock()
        self._build_lock = threading.Lock()
        self._state: S | None = None
        self._position = 0  # in the change log, of the state

    @property
    def built(self) -> bool:
        return self._state is not None

    def up_to_date(self, cancelled: Callable[[], bool] = lambda: False, wait: bool = False) -> bool:
        """Build it or apply what was written since. False when the build was called off,
        or is being made by another thread and `wait` is false (a save or a screen then
        reads without the index rather than wait for a build that pauses while a person
        types), or cannot be made here (this thread holds the store's lock)."""
        while True:
            with self._lock:
                if self._state is not None:
                    position, changes = self.store.changes_since(self._position)
                    if changes is not None:
                        for table, record_id in changes:
                            if table in self.TABLES:
                                record = self.store.peek(table, record_id)
                                self.apply(self._state, table, record_id, record)
                        self._position = position
                        return True
                    self._state = None  # replaced wholesale: built again
            if self.store.held_here() or not self._build_lock.acquire(blocking=wait):
                return False
            try:
                with self._lock:
                    if self._state is not None:
                        continue  # built by another thread meanwhile
                # Taken before reading: what is written during the build is applied after.
                position = self.store.change_position()
                try:
                    # Tens of thousands of new objects, none in a cycle: a collection on the
                    # way would walk every record of the file again (most of a build's time).
                    with collection_paused():
                        state = self.build(cancelled)
                except Cancelled:
                    return False
                with self._lock:
                    self._state, self._position = state, position
            finally:
                self._build_lock.release()

    def replaced(self) -> bool:
        """Built, but the records were replaced wholesale since (a sync): the next reading
        would build it again."""
        with self._lock:
            if self._state is None:
                return False
            return self.store.changes_since(self._position)[1] is None

    def ask(self, question: Callable[[S], T], scan: Callable[[], T] | None = None) -> T:
        """`question` answered from the state brought up to date; when it cannot be built
        here, by `scan` (the same answer from every record), else from a state read afresh
        and not kept."""
        if self.up_to_date():
            with self._lock:
                if self._state is not None:
                    return question(self._state)
        return scan() if scan is not None else question(self.build(lambda: False))

    def build(self, cancelled: Callable[[], bool]) -> S:
        raise NotImplementedError

    def apply(self, state: S, table: str, record_id: str, record: Record | None) -> None:
        raise NotImplementedError


class AgendaIndex(KeptInStep[OpenFollowups]):
    """The agenda's open follow-ups in order, each with the business it is shown under."""

    TABLES = frozenset({"followups", "clients"})

    def _resolve(
        self, client_id: str | None, clients: Mapping[str, Record] | None = None
    ) -> tuple[Record | None, tuple[str, ...]]:
        """The client shown for `client_id` (merges followed, as `Workspace.client_view`)
        and every id the lookup went through; from `clients` when given (a build: a dict
        is ten times quicker than the store's lookup)."""
        chain: list[str] = []
        while client_id and client_id not in chain:
            chain.append(client_id)
            if clients is not None:
                client = clients.get(client_id)
            else:
                client = self.store.peek("clients", client_id)
            if client is None or not client.get("merged_into"):
                return client, tuple(chain)
            client_id = client["merged_into"]
        return None, tuple(chain)

    def build(self, cancelled: Callable[[], bool]) -> OpenFollowups:
        store = self.store
        clients = {c["id"]: c for c in in_slices(store.records("clients", deleted=True), cancelled)}
        followups = in_slices(store.records("followups"), cancelled)
        open_ = OpenFollowups(self._resolve)
        open_.load(followups, functools.partial(self._resolve, clients=clients))
        return open_

    def apply(
        self, state: OpenFollowups, table: str, record_id: str, record: Record | None
    ) -> None:
        if table == "followups":
            state.put(record_id, record)
        else:
            state.client_changed(record_id)

    def view(self, today: date) -> AgendaView:
        session_of = functools.partial(self.store.peek, "sessions")
        return self.ask(lambda state: state.view(today, session_of))


@dataclass
class ExtrasState:
    nudges: NudgeCandidates
    last: LastContacts


class AgendaExtrasIndex(KeptInStep[ExtrasState]):
    """The lists under the agenda's follow-ups: the closed sessions that may call for a
    nudge, and when each business was last in touch (those soon anonymised)."""

    TABLES = frozenset({"followups", "sessions", "clients"})

    def build(self, cancelled: Callable[[], bool]) -> ExtrasState:
        store = self.store
        followups = list(in_slices(store.records("followups", deleted=True), cancelled))
        sessions = list(in_slices(store.records("sessions"), cancelled))
        nudges = NudgeCandidates()
        nudges.load(sessions, in_slices(followups, cancelled))
        last = LastContacts()
        last.load(
            in_slices(store.records("clients"), cancelled),
            in_slices(sessions, cancelled),
            in_slices((f for f in followups if not f.get("deleted")), cancelled),
        )
        return ExtrasState(nudges, last)

    def apply(self, state: ExtrasState, table: str, record_id: str, record: Record | None) -> None:
        state.last.put(table, record_id, record)
        if table == "followups":
            state.nudges.put_followup(
                record_id, record, lambda sid: self.store.peek("sessions", sid)
            )
        elif table == "sessions":
            state.nudges.put_session(record_id, record)

    def nudges(
        self, today: date, delays: Iterable[int], client_of: Callable[[str | None], Any]
    ) -> Nudges:
        return self.ask(lambda state: state.nudges.due(today, list(delays), client_of))

    def retention_soon(self, today: date, retention_days: int) -> list[Record]:
        """The businesses whose people's data will be anonymised within the notice."""
        return self.ask(lambda state: state.last.soon(today, retention_days, NOTICE_DAYS))


@dataclass
class ClientState:
    links: ClientLinks
    duplicates: DuplicateIndex


class ClientIndex(KeptInStep[ClientState]):
    """What a business's file asks: its records, its merged family, its duplicates."""

    TABLES = frozenset({"clients", "sessions", "followups"})

    def build(self, cancelled: Callable[[], bool]) -> ClientState:
        store = self.store
        clients = list(in_slices(store.records("clients", deleted=True), cancelled))
        links = ClientLinks()
        links.load(
            clients,
            in_slices(store.records("sessions"), cancelled),
            in_slices(store.records("followups"), cancelled),
        )
        duplicates = DuplicateIndex()
        duplicates.load(in_slices(clients, cancelled))
        return ClientState(links, duplicates)

    def apply(self, state: ClientState, table: str, record_id: str, record: Record | None) -> None:
        state.links.put(table, record_id, record)
        if table == "clients":
            state.duplicates.put(record_id, record)

    def family(self, client_id: str) -> set[str]:
        return self.ask(
            lambda state: state.links.family(client_id), lambda: self._family_scan(client_id)
        )

    def _family_scan(self, client_id: str) -> set[str]:
        return merged_family(self.store.records("clients", deleted=True), client_id)

    def records_of(self, table: str, client_id: str) -> tuple[set[str], list[str]]:
        """The business's merged family, and the ids of its live records of `table`."""

        def question(state: ClientState) -> tuple[set[str], list[str]]:
            family = state.links.family(client_id)
            return family, state.links.records_of(table, family)

        def scan() -> tuple[set[str], list[str]]:
            family = self._family_scan(client_id)
            rows = self.store.records(table)
            return family, [r["id"] for r in rows if r.get("client_id") in family]

        return self.ask(question, scan)

    def duplicates_of(self, client: Record) -> list[Record]:
        return self.ask(
            lambda state: state.duplicates.duplicates_of(client),
            lambda: duplicates.duplicates_of(client, self.store.records("clients")),
        )


class SessionsIndex(KeptInStep[SessionOrder]):
    """The home's lists of sessions: in progress, last touched first; closed, latest
    first (each return home sorted every session: a third of its 0.45 s at 100k)."""

    TABLES = frozenset({"sessions"})

    def build(self, cancelled: Callable[[], bool]) -> SessionOrder:
        order = SessionOrder()
        order.load(in_slices(self.store.records("sessions", deleted=True), cancelled))
        return order

    def apply(self, state: SessionOrder, table: str, record_id: str, record: Record | None) -> None:
        state.put(record_id, record)

    def latest(self, open_: bool, limit: int) -> tuple[list[Record], int]:
        """The first `limit` sessions in progress (`open_`) or closed, and how many."""
        return self.ask(
            lambda state: state.latest(open_, limit),
            lambda: latest_of(self.store.records("sessions"), open_, limit),
        )
