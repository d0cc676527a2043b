"""The agenda kept in step with the file: the open follow-ups in due order, and the closed
sessions that may call for a nudge. Built once, then told of each record written
(`services/live.py`), instead of scanning every follow-up and session at each visit (over a
second at 100,000 sessions).

Pure: the records come in, lookups are given; what is today is asked at each reading.
"""

from __future__ import annotations

from bisect import bisect_left, insort
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, TypeVar, overload

from tpe_tui.domain import personal_data
from tpe_tui.domain.agenda import BUCKETS, AgendaItem, Nudge, closed_day, order_key
from tpe_tui.domain.records import FOLLOWUP_OPEN_STATUSES, Record

T = TypeVar("T")

# A client id -> the client shown (merges followed) and every id the lookup went through:
# a change to any of them may change the name a follow-up is sorted and shown under.
Resolve = Callable[[str | None], tuple[Record | None, tuple[str, ...]]]


class MadeWhenRead(Sequence[T]):
    """A list whose elements are made when read (`_at`): a table shows a page of them."""

    def _at(self, index: int) -> T:
        raise NotImplementedError

    @overload
    def __getitem__(self, index: int) -> T: ...

    @overload
    def __getitem__(self, index: slice) -> list[T]: ...

    def __getitem__(self, index: int | slice) -> T | list[T]:
        if isinstance(index, slice):
            return [self._at(i) for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        return self._at(index)


def listed(followup: Mapping[str, Any] | None) -> bool:
    """Whether a follow-up is on the agenda: open, with a due date, not deleted."""
    return bool(
        followup is not None
        and not followup.get("deleted")
        and followup.get("status") in FOLLOWUP_OPEN_STATUSES
        and followup.get("due_date")
    )


@dataclass(frozen=True)
class Listed:
    key: str  # `order_key`: the due date first
    followup: Record
    client: Record | None
    chain: tuple[str, ...]


class OpenFollowups:
    """The open follow-ups sorted by `order_key`, with the client each is shown under."""

    def __init__(self, resolve: Resolve) -> None:
        self._resolve = resolve
        self._order: list[str] = []  # sorted keys
        self._listed: dict[str, Listed] = {}  # by follow-up id
        self._by_client: dict[str, set[str]] = {}  # any id of a chain -> follow-up ids

    def load(self, followups: Iterable[Mapping[str, Any]], resolve: Resolve | None = None) -> None:
        """Every follow-up at once (one sort rather than one insertion each); `resolve`
        instead of the one given for later changes (a quicker one for the whole file)."""
        for followup in followups:
            if listed(followup):
                self._order.append(self._add(followup, resolve).key)
        self._order.sort()

    def put(self, followup_id: str, followup: Mapping[str, Any] | None) -> None:
        """The follow-up as it is now saved (None: gone)."""
        self._remove(followup_id)
        if listed(followup):
            assert followup is not None
            insort(self._order, self._add(followup).key)

    def client_changed(self, client_id: str) -> None:
        """A business renamed or merged: its follow-ups are sorted and shown anew."""
        for followup_id in list(self._by_client.get(client_id, ())):
            entry = self._listed[followup_id]
            self.put(followup_id, entry.followup)

    def _add(self, followup: Mapping[str, Any], resolve: Resolve | None = None) -> Listed:
        client, chain = (resolve or self._resolve)(followup.get("client_id"))
        # The stored record itself: the store replaces a record on each save, never changes it.
        entry = Listed(order_key(followup, client), followup, client, chain)  # type: ignore[arg-type]
        self._listed[followup["id"]] = entry
        for client_id in chain:
            self._by_client.setdefault(client_id, set()).add(followup["id"])
        return entry

    def _remove(self, followup_id: str) -> None:
        entry = self._listed.pop(followup_id, None)
        if entry is None:
            return
        at = bisect_left(self._order, entry.key)
        if at < len(self._order) and self._order[at] == entry.key:
            del self._order[at]
        for client_id in entry.chain:
            ids = self._by_client.get(client_id)
            if ids is not None:
                ids.discard(followup_id)
                if not ids:
                    del self._by_client[client_id]

    def view(self, today: date, session_of: Callable[[str], Record | None]) -> AgendaView:
        """What the agenda shows now: a copy, which later saves do not change."""
        return AgendaView(list(self._order), dict(self._listed), today, session_of)


def key_id(key: str) -> str:
    """The follow-up id at the end of an `order_key`."""
    return key.rpartition("\x00")[2]


class AgendaView(MadeWhenRead[AgendaItem]):
    """The open follow-ups by due date, each item made when asked for: the counts and the
    first page need not build the 40,000 others."""

    def __init__(
        self,
        order: list[str],
        entries: dict[str, Listed],
        today: date,
        session_of: Callable[[str], Record | None],
    ) -> None:
        self._order = order
        self._entries = entries
        self._session_of = session_of
        self.today = today
        iso = today.isoformat()
        sunday = (today + timedelta(days=6 - today.weekday())).isoformat()
        # Where each bucket ends in the order (keys begin with their due date).
        self.ends = {
            "overdue": bisect_left(order, iso),
            "today": bisect_left(order, iso + "\x01"),
            "week": bisect_left(order, sunday + "\x01"),
            "later": len(order),
        }

    def until(self, day: date) -> AgendaView:
        """Only the follow-ups due on `day` or before."""
        end = bisect_left(self._order, day.isoformat() + "\x01")
        return AgendaView(self._order[:end], self._entries, self.today, self._session_of)

    def counts(self) -> dict[str, int]:
        """How many follow-ups in each bucket that has any."""
        counts, start = {}, 0
        for name in BUCKETS:
            if self.ends[name] > start:
                counts[name] = self.ends[name] - start
            start = self.ends[name]
        return counts

    def bucket_at(self, index: int) -> str:
        return next(name for name in BUCKETS if index < self.ends[name])

    def id_at(self, index: int) -> str:
        return key_id(self._order[index])

    def position(self, followup_id: str) -> int | None:
        """Where a follow-up is in this view, if it is listed."""
        entry = self._entries.get(followup_id)
        if entry is None:
            return None
        at = bisect_left(self._order, entry.key)
        return at if at < len(self._order) and self._order[at] == entry.key else None

    def get(self, followup_id: str) -> AgendaItem | None:
        """The item of a follow-up listed here, wherever it is."""
        at = self.position(followup_id)
        return None if at is None else self[at]

    def _item(self, entry: Listed, bucket: str) -> AgendaItem:
        session_id = entry.followup.get("session_id")
        return AgendaItem(
            dict(entry.followup),
            entry.client,
            self._session_of(session_id) if session_id else None,
            bucket,
            self.today.isoformat(),
        )

    def __len__(self) -> int:
        return len(self._order)

    def _at(self, index: int) -> AgendaItem:
        entry = self._entries[key_id(self._order[index])]
        return self._item(entry, self.bucket_at(index))


class NudgeCandidates:
    """Closed sessions that no follow-up (deleted ones included) refers to, by the day
    they were closed; which of them call for a nudge today is decided at each reading,
    from the nudge delays and the level each session was dismissed to."""

    def __init__(self) -> None:
        self._order: list[str] = []  # closed day + NUL + session id, sorted
        self._sessions: dict[str, tuple[str, Record]] = {}  # id -> (its key, the session)
        self._followed: dict[str, int] = {}  # session id -> follow-ups referring to it
        self._session_of_followup: dict[str, str] = {}

    def load(
        self, sessions: Iterable[Mapping[str, Any]], followups: Iterable[Mapping[str, Any]]
    ) -> None:
        for followup in followups:
            self._follow(followup["id"], followup)
        for session in sessions:
            self._consider(session["id"], session, sort=False)
        self._order.sort()

    def put_session(self, session_id: str, session: Mapping[str, Any] | None) -> None:
        self._consider(session_id, session)

    def put_followup(
        self,
        followup_id: str,
        followup: Mapping[str, Any] | None,
        session_of: Callable[[str], Mapping[str, Any] | None],
    ) -> None:
        before = self._session_of_followup.get(followup_id)
        after = self._follow(followup_id, followup)
        for session_id in {before, after} - {None}:
            assert session_id is not None
            self._consider(session_id, session_of(session_id))

    def _follow(self, followup_id: str, followup: Mapping[str, Any] | None) -> str | None:
        before = self._session_of_followup.pop(followup_id, None)
        if before is not None:
            self._followed[before] -= 1
            if not self._followed[before]:
                del self._followed[before]
        after = (followup or {}).get("session_id")
        if after:
            self._session_of_followup[followup_id] = after
            self._followed[after] = self._followed.get(after, 0) + 1
        return after

    def _consider(
        self, session_id: str, session: Mapping[str, Any] | None, sort: bool = True
    ) -> None:
        known = self._sessions.pop(session_id, None)
        if known is not None:
            at = bisect_left(self._order, known[0])
            if at < len(self._order) and self._order[at] == known[0]:
                del self._order[at]
        if (
            session is None
            or session.get("deleted")
            or session.get("status") != "closed"
            or session_id in self._followed
        ):
            return
        closed = closed_day(session)
        if closed is None:
            return
        key = f"{closed.isoformat()}\x00{session_id}"
        self._sessions[session_id] = (key, session)  # type: ignore[assignment]
        if sort:
            insort(self._order, key)
        else:
            self._order.append(key)

    def due(
        self,
        today: date,
        delays: Sequence[int],
        client_of: Callable[[str | None], Record | None],
    ) -> Nudges:
        """The sessions past the next delay not dismissed yet, the longest waiting first."""
        delays = sorted(delays)
        if not delays:
            return Nudges([], client_of, today)
        found = []
        # The latest closing day past each level's delay (ISO dates compare as strings).
        cutoffs = [(today - timedelta(days=d)).isoformat() for d in delays]
        for key in self._order:
            closed = key[:10]
            if closed > cutoffs[0]:
                break  # later ones are not even past the first delay
            session = self._sessions[key[11:]][1]
            level = session.get("nudge_level") or 0
            if level < len(cutoffs) and closed <= cutoffs[level]:
                found.append(session)
        return Nudges(found, client_of, today)


class Nudges(MadeWhenRead[Nudge]):
    """The sessions to nudge, each `Nudge` (its business looked up) made when asked for."""

    def __init__(
        self,
        sessions: list[Record],
        client_of: Callable[[str | None], Record | None],
        today: date,
    ) -> None:
        self._sessions = sessions
        self._client_of = client_of
        self._today = today
        self._positions: dict[str, int] | None = None

    def position(self, session_id: str) -> int | None:
        """Where a session is in the list, if it is listed."""
        if self._positions is None:
            self._positions = {s["id"]: at for at, s in enumerate(self._sessions)}
        return self._positions.get(session_id)

    def __len__(self) -> int:
        return len(self._sessions)

    def _at(self, index: int) -> Nudge:
        session = self._sessions[index]
        closed = closed_day(session)
        assert closed is not None  # only sessions with a closed day are candidates
        return Nudge(
            dict(session), self._client_of(session.get("client_id")), (self._today - closed).days
        )


class LastContacts:
    """When each business's people were last in touch (`personal_data.last_activity`), for
    the businesses holding personal data: which of them will be anonymised within the
    notice is then a range of this order, whatever the day."""

    def __init__(self) -> None:
        self._dates: dict[str, dict[str, str]] = {}  # client id -> record id -> its date
        self._client_of: dict[str, str] = {}  # session or follow-up id -> client id
        self._clients: dict[str, Record] = {}  # the businesses holding personal data
        self._order: list[str] = []  # last contact + NUL + client id, sorted
        self._key: dict[str, str] = {}

    def load(
        self,
        clients: Iterable[Mapping[str, Any]],
        sessions: Iterable[Mapping[str, Any]],
        followups: Iterable[Mapping[str, Any]],
    ) -> None:
        for table, rows in (("sessions", sessions), ("followups", followups)):
            for row in rows:
                self._note(table, row["id"], row)
        for client in clients:
            if _keeps_people(client):
                self._clients[client["id"]] = client  # type: ignore[assignment]
        for client_id in self._clients:
            self._place(client_id, sort=False)
        self._order.sort()

    def put(self, table: str, record_id: str, record: Mapping[str, Any] | None) -> None:
        if table == "clients":
            self._clients.pop(record_id, None)
            if record is not None and _keeps_people(record):
                self._clients[record_id] = record  # type: ignore[assignment]
            self._place(record_id)
            return
        before = self._client_of.get(record_id)
        after = self._note(table, record_id, record)
        for client_id in {before, after} - {None}:
            assert client_id is not None
            self._place(client_id)

    def _note(self, table: str, record_id: str, record: Mapping[str, Any] | None) -> str | None:
        """Remember the record's date under its business; returns the business's id."""
        before = self._client_of.pop(record_id, None)
        if before is not None:
            dates = self._dates[before]
            dates.pop(record_id, None)
            if not dates:
                del self._dates[before]
        if record is None or record.get("deleted") or not record.get("client_id"):
            return None
        if table == "sessions":
            day = str(record.get("date") or "")
        else:
            day = str(record.get("done_at") or record.get("due_date") or "")[:10]
        client_id = str(record["client_id"])
        self._client_of[record_id] = client_id
        self._dates.setdefault(client_id, {})[record_id] = day
        return client_id

    def _place(self, client_id: str, sort: bool = True) -> None:
        known = self._key.pop(client_id, None)
        if known is not None:
            at = bisect_left(self._order, known)
            if at < len(self._order) and self._order[at] == known:
                del self._order[at]
        client = self._clients.get(client_id)
        if client is None:
            return
        days = [str(client.get("created_at") or "")[:10], *self._dates.get(client_id, {}).values()]
        last = max((d for d in days if d), default="")
        if not last:
            return
        key = f"{last}\x00{client_id}"
        self._key[client_id] = key
        if sort:
            insort(self._order, key)
        else:
            self._order.append(key)

    def soon(self, today: date, retention_days: int, notice_days: int) -> list[Record]:
        """The businesses to be anonymised within the notice (not yet due), soonest first."""
        after = (today - timedelta(days=retention_days)).isoformat()
        until = (today + timedelta(days=notice_days - retention_days)).isoformat()
        start = bisect_left(self._order, after + "\x01")
        end = bisect_left(self._order, until + "\x01")
        return [self._clients[key.rpartition("\x00")[2]] for key in self._order[start:end]]


def _keeps_people(client: Mapping[str, Any]) -> bool:
    return (
        not client.get("deleted")
        and not client.get("merged_into")
        and personal_data.has_personal_data(client)
    )
