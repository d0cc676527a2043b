"""What the screens ask of the data: one service object over the store, no Textual.

Screens call it from thread workers; the store serialises access with its own lock.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from copy import deepcopy
from pathlib import Path
from typing import Any

from tpe_tui.domain import accompaniment, aids
from tpe_tui.domain.errors import SaveError, UnsavedError
from tpe_tui.domain.insee import CommuneCodes, with_insee_code
from tpe_tui.domain.records import (
    Record,
    ValidationError,
    new_record,
    today,
    today_iso,
)
from tpe_tui.domain.search import PROGRAMME_TABLES, Hit, SearchIndex
from tpe_tui.domain.territories import with_territory
from tpe_tui.domain.text import fold
from tpe_tui.services import rescue
from tpe_tui.services.config import Config
from tpe_tui.services.live import (
    AgendaExtrasIndex,
    AgendaIndex,
    ClientIndex,
    KeptInStep,
    SessionsIndex,
)
from tpe_tui.storage import paths
from tpe_tui.storage.atomic import leftovers, remove_leftovers
from tpe_tui.storage.store import Store


class Workspace:
    def __init__(self, store: Store, config: Config | None = None) -> None:
        self.store = store
        self.config = config or Config()
        self._search: SearchIndex | None = None
        # Screens search from workers while the save thread updates the index.
        self._search_lock = threading.RLock()
        # The index is built without the lock (seconds at 100k sessions: saves must not
        # wait for it); what is saved meanwhile is applied to it once built.
        self._index_built = threading.Condition(self._search_lock)
        self._building = False
        self._saved_while_building: list[Callable[[SearchIndex], None]] = []
        self._index_generation = 0  # a build begun before `forget_caches` is not kept
        # The agenda kept in step with the file (`prepare_agenda`, services/agenda.py).
        self.agenda = AgendaIndex(store)
        self.agenda_extras = AgendaExtrasIndex(store)
        # A business's records, merged family and duplicates (`prepare_agenda`).
        self.client_index = ClientIndex(store)
        # The home's sessions in progress and latest closed (built on the home's first
        # reading, at opening).
        self.session_order = SessionsIndex(store)

    @classmethod
    def open(
        cls, db: Path, device: str, config: Config | None = None, *, create: bool = True
    ) -> Workspace:
        """The data file open for writing: the lock taken, a crash journal replayed, a
        backup made (see `Store.open`). Temporary files that writes killed midway left
        beside it and among the exported documents are removed."""
        workspace = cls(Store.open(db, device, create=create), config or Config.load())
        remove_leftovers(leftovers(paths.documents_dir()))
        return workspace

    @classmethod
    def snapshot(cls, db: Path, config: Config | None = None) -> Workspace:
        """The data file as it is now, read-only and without the lock: what the commands
        that only read use, even while the app has the file open."""
        return cls(Store.snapshot(db), config or Config.load())

    def close(self) -> None:
        """Close the file; what a full disk kept from being saved goes to an emergency copy,
        and the SaveError then says where (see services/rescue.py)."""
        try:
            self.store.close()
        except UnsavedError as exc:
            kept = rescue.keep(self.store.path, exc.entries)
            raise SaveError(rescue.quit_message(str(exc), len(exc.entries), kept)) from None

    def take_back(self, copy: Path) -> int:
        """Merge an emergency copy's documents back into the file, then delete the copy."""
        count = self.store.take_back(rescue.read(copy))
        self.forget_caches()
        copy.unlink(missing_ok=True)
        return count

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def forget_caches(self) -> None:
        """After the records were replaced wholesale (a sync): rebuild indexes on next use."""
        with self._search_lock:
            self._search = None
            self._index_generation += 1

    # ------------------------------------------------------------------ lookups
    def client(self, client_id: str | None) -> Record | None:
        """A copy of a client to edit, following `merged_into` when duplicates were merged."""
        found = self.client_view(client_id)
        return deepcopy(found) if found is not None else None

    def client_view(self, client_id: str | None) -> Record | None:
        """The stored client itself, for lists and lookups: never mutate it."""
        seen = set()
        while client_id and client_id not in seen:
            seen.add(client_id)
            client = self.store.peek("clients", client_id)
            if client is None or not client.get("merged_into"):
                return client
            client_id = client["merged_into"]
        return None

    def session(self, session_id: str) -> Record | None:
        return self.store.get("sessions", session_id)

    def structures(self) -> list[Record]:
        return sorted(self.store.records("structures"), key=lambda s: fold(s.get("name", "")))

    def _sessions_with_clients(self, sessions: list[Record]) -> list[tuple[Record, Record | None]]:
        return [(s, self.client_view(s.get("client_id"))) for s in sessions]

    def sessions_in_progress(self, limit: int = 50) -> list[tuple[Record, Record | None]]:
        return self.open_sessions(limit)[0]

    def open_sessions(self, limit: int = 50) -> tuple[list[tuple[Record, Record | None]], int]:
        """The `limit` sessions not closed that were touched last (with their business),
        and how many there are in all."""
        sessions, total = self.session_order.latest(True, limit)
        return self._sessions_with_clients(sessions), total

    def recent_sessions(self, limit: int = 20) -> list[tuple[Record, Record | None]]:
        """The `limit` closed sessions of the latest dates (last changed first)."""
        return self._sessions_with_clients(self.session_order.latest(False, limit)[0])

    def merged_ids(self, client_id: str) -> set[str]:
        """The client's id and those of the duplicates merged into it (sessions made on
        another laptop before the merge still point to those)."""
        return self.client_index.family(client_id)

    def client_sessions(self, client_id: str) -> Iterator[Record]:
        return self._client_records("sessions", client_id)

    def client_followups(self, client_id: str) -> Iterator[Record]:
        return self._client_records("followups", client_id)

    def _client_records(self, table: str, client_id: str) -> Iterator[Record]:
        """The live records of `table` of the business and those merged into it, in the
        file's order (from the index kept in step: no scan)."""
        family, ids = self.client_index.records_of(table, client_id)
        for record_id in ids:
            record = self.store.peek(table, record_id)
            # Saved again since the index answered: still this business's, still live?
            if (
                record is not None
                and not record.get("deleted")
                and record.get("client_id") in family
            ):
                yield record

    def search(self, text: str, limit: int = 30) -> list[Hit]:
        """Businesses and sessions matching every typed word (accents and case ignored)."""
        with self._search_lock:
            return self._index().search(text, limit)

    def search_clients(self, text: str, limit: int = 8) -> list[Record]:
        """Businesses whose name, commune, trade or SIRET contain every typed word."""
        with self._search_lock:
            ids = self._index().client_ids(text, limit)
        return [c for c in (self.store.get("clients", cid) for cid in ids) if c]

    def prepare_search(self, cancelled: Callable[[], bool] = lambda: False) -> None:
        """Build the search index ahead of the first keystroke (0.33 s at 10,000 sessions),
        without holding the index's lock: saves go on meanwhile (and are applied to it once
        built), searches wait for it. Given up when `cancelled` turns true (the app is
        quitting): the next search builds it. `cancelled` is called between slices of the
        build, and may wait there (the app does while a person types)."""
        with self._search_lock:
            if self._search is not None or self._building:
                return
            self._building = True
            generation = self._index_generation
            self._saved_while_building = []
        index = None
        try:
            index = self._build_index(cancelled)
        finally:
            with self._search_lock:
                self._building = False
                if index is not None and generation == self._index_generation:
                    for saved in self._saved_while_building:
                        saved(index)
                    self._search = index
                self._saved_while_building = []
                self._index_built.notify_all()

    def prepare_agenda(self, cancelled: Callable[[], bool] = lambda: False) -> None:
        """Build the agenda's indexes ahead of its first opening (a second at 100,000
        sessions), then the business files' one, a slice at a time; called off when
        `cancelled` turns true."""
        for index in self._kept_indexes():
            if not index.up_to_date(cancelled, wait=True):
                return

    def _kept_indexes(self) -> tuple[KeptInStep[Any], ...]:
        return (self.agenda, self.agenda_extras, self.client_index, self.session_order)

    def indexes_outdated(self) -> bool:
        """Whether an index must be built again from every record (the records were
        replaced wholesale: a sync), and no build is under way."""
        with self._search_lock:
            if self._search is None and not self._building:
                return True
        return any(index.replaced() for index in self._kept_indexes())

    def _index(self) -> SearchIndex:
        """The index (called holding `_search_lock`): the one being built, once it is."""
        while self._search is None and self._building:
            self._index_built.wait()
        if self._search is None:
            self._search = self._build_index()
        assert self._search is not None  # a build that is never called off gives an index
        return self._search

    def _in_step(self, update: Callable[[SearchIndex], None]) -> None:
        """A save applied to the search index: now, or once the one being built is."""
        with self._search_lock:
            if self._search is not None:
                update(self._search)
            elif self._building:
                self._saved_while_building.append(update)

    def _build_index(self, cancelled: Callable[[], bool] = lambda: False) -> SearchIndex | None:
        # Without the store lock: records() hands out a snapshot.
        return SearchIndex.build(
            self.store.records("clients"),
            self.store.records("sessions"),
            self.client_view,
            cancelled,
            programmes={t: self.store.records(t) for t in PROGRAMME_TABLES},
        )

    def commune_code(self, commune: str, postal_code: str = "") -> str:
        """The INSEE code of a commune as the directory knows it ("" when it does not)."""
        return CommuneCodes.of(self.store.records("structures")).code_of(commune, postal_code)

    # ------------------------------------------------------------------ writes
    def new_session(self, client_id: str | None = None) -> Record:
        """A draft session, not saved until something is typed in it (an empty one left at
        once would only clutter the list of sessions in progress)."""
        return new_record(
            "sessions",
            client_id=client_id,
            status="in_progress" if client_id else "draft",
            date=today_iso(),
            mediator=self.config.mediator,
        )

    def save_session(self, session: Record) -> Record:
        if session.get("mediator") and not self.config.mediator:
            # A name typed in a visit before « Mes coordonnées » was filled in is remembered;
            # one set there is never changed from a visit (editing a colleague's visit must
            # not put their name on this laptop's summaries and figures).
            self.config.mediator = session["mediator"]
            # The name is a convenience; the session itself is what must be saved.
            with contextlib.suppress(OSError):
                self.config.save()
        stored = self.store.peek("sessions", session["id"]) if session.get("id") else None
        before = None if stored is None else str(stored.get("callback_date") or "")
        saved = self.store.put("sessions", session)
        # A callback date changed in the visit moves its callback in the agenda (and a
        # postponement there shows on the summary): one date for one thing.
        if before is not None and before != (saved.get("callback_date") or ""):
            followups = self.store.records("followups")
            moved = accompaniment.moved_callback(saved, followups)
            if moved is not None:
                self.store.put("followups", moved)
        self._in_step(
            lambda index: index.put_session(saved, self.client_view(saved.get("client_id")))
        )
        return saved

    def save_programme(self, table: str, record: Record) -> Record:
        """Save a workshop, an aid or an action, and keep the search index in step."""
        saved = self.store.put(table, record)
        self._in_step(lambda index: index.put_programme(table, saved, self.client_view))
        return saved

    def delete_programme(self, table: str, record_id: str) -> Record | None:
        """A tombstone for a workshop, an aid or an action (the deletion syncs)."""
        current = self.store.get(table, record_id)
        if current is None:
            return None
        return self.save_programme(table, {**current, "deleted": True})

    def save_client(self, client: Record) -> Record:
        """Save a business; its commune's INSEE code is filled in from the directory when
        the directory knows the commune (see domain/insee.py), and its territory from the
        commune when none was typed (see domain/territories.py)."""
        previous = self.store.peek("clients", client["id"]) if client.get("id") else None
        client = with_insee_code(client, previous, self.commune_code)
        client = with_territory(client, previous, self.config.territory_areas())
        saved = self.store.put("clients", client)

        def in_step(index: SearchIndex) -> None:
            index.put_client(saved)
            # Its sessions, actions and workshops are found by its name and commune too:
            # keep them in step.
            shown = self.client_view(saved["id"])
            for sid in index.sessions_of(saved["id"]):
                session = self.store.peek("sessions", sid)
                if session is not None:
                    index.put_session(session, shown)
            for table, record_id in index.programmes_of(saved["id"]):
                record = self.store.peek(table, record_id)
                if record is not None:
                    index.put_programme(table, record, self.client_view)

        self._in_step(in_step)
        return saved

    def close_session(
        self, session: Record, reason: str = "completed"
    ) -> tuple[Record, list[Record]]:
        """Close and create the follow-ups it asks for; refuses when something required is missing."""
        if reason != "redirected":
            missing = accompaniment.missing_to_close(session)
            if missing:
                raise ValidationError("Pour clôturer, il manque : " + ", ".join(missing) + ".")
        accompaniment.close(session, reason)
        created = self.ensure_followups(session)
        return self.save_session(session), created

    def ensure_followups(self, session: Record) -> list[Record]:
        existing = [
            f
            for f in self.store.records("followups", deleted=True)
            if f.get("session_id") == session["id"]
        ]
        names = {a["id"]: a.get("name") or "" for a in self.store.records("aids", deleted=True)}
        wanted = [
            *accompaniment.followups_for(session, existing),
            *aids.filed_followups(session, existing, names, today()),
        ]
        return [self.store.put("followups", f) for f in wanted]

    def last_interrupted(self) -> Record | None:
        """The session being typed when the app last stopped without closing."""
        in_progress = self.sessions_in_progress(limit=1)
        return in_progress[0][0] if in_progress else None
