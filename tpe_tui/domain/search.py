"""As-you-type search over businesses and sessions (and workshops, aids and actions),
accent- and case-insensitive.

Each record is reduced once to a folded text key (kept up to date as records are saved);
a keystroke then only scans those keys for every typed word. Pure.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from tpe_tui.domain.catalog import catalog
from tpe_tui.domain.text import fold

CLIENT_FIELDS = ("name", "commune", "trade", "siret", "postal_code")
# Records between two looks at whether the build was called off (or should wait: the app's
# look waits while a person types): ~10 ms of building at 100k sessions.
CHECK_EVERY = 500
SESSION_TEXTS = ("request_said", "request_rephrased", "needs_text", "synthesis", "notes")
# Tables found after businesses and sessions: (table, its texts, its lists of codes)
PROGRAMME_TABLES: dict[str, tuple[tuple[str, ...], tuple[tuple[str, str], ...]]] = {
    "workshops": (
        ("title", "place_label", "territory", "notes"),
        (("themes", "needs"), ("themes", "operational_topics"), ("level", "workshop_levels")),
    ),
    "aids": (
        ("name", "amount", "how_to_apply", "notes"),
        (("offers", "aid_offers"), ("needs", "needs")),
    ),
    "actions": (("title", "solution", "notes"), (("need", "needs"),)),
}
PROGRAMME_SHARE = 3  # at most limit // 3 of them when businesses and sessions fill the rest


@dataclass(frozen=True)
class Hit:
    table: str  # "clients" or "sessions"
    record_id: str
    sort_key: str  # sessions: the date, newest first


# A phone number as typed: digits with spaces, dots or dashes between, maybe "+33".
_NUMBER = re.compile(r"\+?\d[\d .\-]*\d")


def phone_digits(text: str) -> str:
    """Digits of a phone number in the French national form: "+33 3 39…" -> "0339…"."""
    digits = re.sub(r"\D", "", text)
    if text.lstrip().startswith("+33"):
        digits = "0" + digits[2:]
    elif digits.startswith("0033"):
        digits = "0" + digits[4:]
    return digits


def client_key(client: Mapping[str, Any]) -> str:
    """Name, place, trade, SIRET, and the people to ask for: the business's phone and its
    contacts' names and phones (digits only, so any spacing of a number finds them)."""
    parts = [str(client.get(k) or "") for k in CLIENT_FIELDS]
    phones = [str(client.get("phone") or "")]
    for contact in client.get("contacts") or []:
        if isinstance(contact, Mapping):
            parts.append(str(contact.get("name") or ""))
            phones.append(str(contact.get("phone") or ""))
    parts += [phone_digits(p) for p in phones if p]
    return fold(" ".join(parts))


def query_words(text: str) -> list[str]:
    """The folded words of a query, a number typed with spaces ("03 39 06") kept whole."""
    return fold(_NUMBER.sub(lambda m: phone_digits(m.group()), text)).split()


def session_key(session: Mapping[str, Any], client: Mapping[str, Any] | None) -> str:
    cat = catalog()
    parts = [str(session.get(k) or "") for k in SESSION_TEXTS]
    parts += [cat.label("needs", code, "") for code in session.get("needs") or []]
    parts += [
        str(s.get("title") or "") for s in session.get("solutions") or [] if isinstance(s, dict)
    ]
    if client:
        parts.append(client_key(client))
    return fold(" ".join(parts))


def linked_clients(table: str, record: Mapping[str, Any]) -> list[str]:
    """Ids of the businesses whose names are in a programme record's key: an action's
    business, a workshop's participants."""
    if table == "actions":
        return [str(record["client_id"])] if record.get("client_id") else []
    if table == "workshops":
        return list(
            dict.fromkeys(
                str(p["client_id"])
                for p in record.get("participants") or ()
                if isinstance(p, Mapping) and p.get("client_id")
            )
        )
    return []


def programme_key(
    table: str,
    record: Mapping[str, Any],
    clients: Iterable[Mapping[str, Any] | None] = (),
) -> str:
    """The folded text of a workshop, an aid or an action, with its businesses (an
    action's, a workshop's participants)."""
    cat = catalog()
    texts, coded = PROGRAMME_TABLES[table]
    parts = [str(record.get(k) or "") for k in texts]
    for name, kind in coded:
        value = record.get(name)
        for code in value if isinstance(value, list) else [value]:
            if code and cat.has(kind, str(code)):
                parts.append(cat.label(kind, str(code)))
    parts += [client_key(client) for client in clients if client]
    return fold(" ".join(parts))


class SearchIndex:
    """Folded keys of live clients and sessions, updated record by record."""

    def __init__(self) -> None:
        self.clients: dict[str, str] = {}
        self.sessions: dict[str, tuple[str, str]] = {}  # id -> (key, date)
        # Session ids per business: its name is in their keys, so a rename re-keys them.
        self._client_sessions: dict[str, set[str]] = {}
        self._session_client: dict[str, str] = {}
        # Scan orders (clients by key, sessions newest first), rebuilt after a change, so
        # that a keystroke stops as soon as it has enough results.
        self._client_order: tuple[list[str], list[str]] | None = None  # (ids, keys)
        self._session_order: tuple[list[str], list[str]] | None = None
        self.programmes: dict[str, dict[str, str]] = {t: {} for t in PROGRAMME_TABLES}
        self._programme_order: dict[str, tuple[list[str], list[str]]] = {}  # scan lists
        # (table, id) of the actions and workshops naming each business, and back.
        self._client_programmes: dict[str, set[tuple[str, str]]] = {}
        self._programme_clients: dict[tuple[str, str], list[str]] = {}

    @classmethod
    def build(
        cls,
        clients: Iterable[Mapping[str, Any]],
        sessions: Iterable[Mapping[str, Any]],
        client_of: Callable[[str | None], Mapping[str, Any] | None],
        cancelled: Callable[[], bool] = lambda: False,
        programmes: Mapping[str, Iterable[Mapping[str, Any]]] | None = None,
    ) -> SearchIndex | None:
        """The index of these records, or None if `cancelled` turned true meanwhile."""
        index = cls()
        for table, records in (programmes or {}).items():
            for n, record in enumerate(records):
                if n % CHECK_EVERY == 0 and cancelled():
                    return None
                index.put_programme(table, record, client_of)
        for n, client in enumerate(clients):
            if n % CHECK_EVERY == 0 and cancelled():
                return None
            index.put_client(client)
        for n, session in enumerate(sessions):
            if n % CHECK_EVERY == 0 and cancelled():
                return None
            index.put_session(session, client_of(session.get("client_id")))
        return index

    def put_client(self, client: Mapping[str, Any]) -> None:
        if client.get("deleted") or client.get("merged_into"):
            self.clients.pop(client["id"], None)
        else:
            self.clients[client["id"]] = client_key(client)
        self._client_order = None

    def put_session(self, session: Mapping[str, Any], client: Mapping[str, Any] | None) -> None:
        sid = session["id"]
        old_client = self._session_client.pop(sid, None)
        if old_client is not None:
            self._client_sessions[old_client].discard(sid)
        if session.get("deleted") or session.get("status") == "draft":
            self.sessions.pop(sid, None)
        else:
            self.sessions[sid] = (session_key(session, client), session.get("date") or "")
            if client_id := session.get("client_id"):
                self._session_client[sid] = client_id
                self._client_sessions.setdefault(client_id, set()).add(sid)
        self._session_order = None

    def put_programme(
        self,
        table: str,
        record: Mapping[str, Any],
        client_of: Callable[[str | None], Mapping[str, Any] | None] = lambda _: None,
    ) -> None:
        """Index (or drop, when deleted) a workshop, an aid or an action; `client_of`
        gives the businesses it names (an action's, a workshop's participants)."""
        slot = (table, str(record["id"]))
        for client_id in self._programme_clients.pop(slot, ()):
            self._client_programmes[client_id].discard(slot)
        if record.get("deleted"):
            self.programmes[table].pop(slot[1], None)
        else:
            linked = linked_clients(table, record)
            self.programmes[table][slot[1]] = programme_key(
                table, record, [client_of(cid) for cid in linked]
            )
            if linked:
                self._programme_clients[slot] = linked
                for client_id in linked:
                    self._client_programmes.setdefault(client_id, set()).add(slot)
        self._programme_order.pop(table, None)

    def sessions_of(self, client_id: str) -> list[str]:
        """Ids of the indexed sessions of a business (to re-key after it is renamed)."""
        return sorted(self._client_sessions.get(client_id, ()))

    def programmes_of(self, client_id: str) -> list[tuple[str, str]]:
        """(table, id) of the indexed actions and workshops naming a business (to re-key
        after it is renamed)."""
        return sorted(self._client_programmes.get(client_id, ()))

    def _orders(self) -> tuple[tuple[list[str], list[str]], tuple[list[str], list[str]]]:
        if self._client_order is None:
            pairs = sorted((key, cid) for cid, key in self.clients.items())
            self._client_order = ([c for _, c in pairs], [k for k, _ in pairs])
        if self._session_order is None:
            rows = sorted(
                ((when, sid, key) for sid, (key, when) in self.sessions.items()), reverse=True
            )
            self._session_order = ([s for _, s, _ in rows], [k for _, _, k in rows])
        return self._client_order, self._session_order

    def client_ids(self, text: str, limit: int) -> list[str]:
        """Ids of businesses matching every word, by name (for the pick-a-client list)."""
        words = query_words(text)
        if not words:
            return []
        (ids, keys), _ = self._orders()
        return _first(ids, keys, words, limit)

    def search(self, text: str, limit: int = 30) -> list[Hit]:
        """Businesses first (by name), then sessions (newest first), each matching every word.

        Half the room goes to each kind, the unused part of one going to the other.
        """
        words = query_words(text)
        if not words:
            return []
        clients, sessions = self._orders()
        client_ids = _first(*clients, words, limit)
        session_ids = _first(*sessions, words, limit)
        n_clients = min(len(client_ids), max(limit // 2, limit - len(session_ids)))
        hits = [Hit("clients", cid, self.clients[cid]) for cid in client_ids[:n_clients]] + [
            Hit("sessions", sid, self.sessions[sid][1]) for sid in session_ids[: limit - n_clients]
        ]
        room = max(limit - len(hits), limit // PROGRAMME_SHARE)
        for table, keys in self.programmes.items():
            if table not in self._programme_order:
                self._programme_order[table] = (list(keys), list(keys.values()))
            found = _first(*self._programme_order[table], words, room)
            hits += [Hit(table, record_id, "") for record_id in found]
            room -= len(found)
        return hits


def _first(ids: list[str], keys: list[str], words: list[str], limit: int) -> list[str]:
    """The first `limit` ids, in order, whose key contains every word."""
    found: list[str] = []
    for record_id, key in zip(ids, keys, strict=True):
        if all(w in key for w in words):
            found.append(record_id)
            if len(found) >= limit:
                break
    return found
