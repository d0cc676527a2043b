"""As-you-type search over businesses and sessions, accent- and case-insensitive.

Each record is reduced once to a folded text key (kept up to date as records are saved);
a keystroke then only scans those keys for every typed word. Pure.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from tpe_tui.catalog import catalog
from tpe_tui.model import fold

Record = dict[str, Any]
CLIENT_FIELDS = ("name", "commune", "trade", "siret", "postal_code")
SESSION_TEXTS = ("request_said", "request_rephrased", "needs_text", "synthesis", "notes")


@dataclass(frozen=True)
class Hit:
    table: str  # "clients" or "sessions"
    record_id: str
    sort_key: str  # sessions: the date, newest first


def client_key(client: Mapping[str, Any]) -> str:
    return fold(" ".join(str(client.get(k) or "") for k in CLIENT_FIELDS))


def session_key(session: Mapping[str, Any], client: Mapping[str, Any] | None) -> str:
    cat = catalog()
    parts = [str(session.get(k) or "") for k in SESSION_TEXTS]
    parts += [cat.label("needs", code, "") for code in session.get("needs") or []]
    parts += [
        str(s.get("name") or "") for s in session.get("solutions") or [] if isinstance(s, dict)
    ]
    if client:
        parts.append(client_key(client))
    return fold(" ".join(parts))


class SearchIndex:
    """Folded keys of live clients and sessions, updated record by record."""

    def __init__(self) -> None:
        self.clients: dict[str, str] = {}
        self.sessions: dict[str, tuple[str, str]] = {}  # id -> (key, date)

    @classmethod
    def build(
        cls,
        clients: Iterable[Mapping[str, Any]],
        sessions: Iterable[Mapping[str, Any]],
        client_of: Callable[[str | None], Mapping[str, Any] | None],
    ) -> SearchIndex:
        index = cls()
        for client in clients:
            index.put_client(client)
        for session in sessions:
            index.put_session(session, client_of(session.get("client_id")))
        return index

    def put_client(self, client: Mapping[str, Any]) -> None:
        if client.get("deleted") or client.get("merged_into"):
            self.clients.pop(client["id"], None)
        else:
            self.clients[client["id"]] = client_key(client)

    def put_session(self, session: Mapping[str, Any], client: Mapping[str, Any] | None) -> None:
        if session.get("deleted") or session.get("status") == "draft":
            self.sessions.pop(session["id"], None)
        else:
            self.sessions[session["id"]] = (session_key(session, client), session.get("date") or "")

    def client_ids(self, text: str, limit: int) -> list[str]:
        """Ids of businesses matching every word, in index order (for the pick-a-client list)."""
        words = fold(text).split()
        found: list[str] = []
        if words:
            for cid, key in self.clients.items():
                if all(w in key for w in words):
                    found.append(cid)
                    if len(found) >= limit:
                        break
        return found

    def search(self, text: str, limit: int = 30) -> list[Hit]:
        """Businesses first (by name), then sessions (newest first), each matching every word."""
        words = fold(text).split()
        if not words:
            return []
        clients = [
            Hit("clients", cid, key)
            for cid, key in self.clients.items()
            if all(w in key for w in words)
        ]
        clients.sort(key=lambda h: h.sort_key)
        sessions = [
            Hit("sessions", sid, when)
            for sid, (key, when) in self.sessions.items()
            if all(w in key for w in words)
        ]
        sessions.sort(key=lambda h: h.sort_key, reverse=True)
        # Half the room for each kind, the unused part of one going to the other.
        n_clients = min(len(clients), max(limit // 2, limit - len(sessions)))
        return clients[:n_clients] + sessions[: limit - n_clients]
