"""Small builders shared by tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tpe_tui.domain.records import new_record
from tpe_tui.storage.store import Store


def open_store(path: Path, device: str = "laptop-a") -> Store:
    return Store.open(path, device)


def add_client(store: Store, name: str = "Boulangerie Martin", **fields: Any) -> dict[str, Any]:
    return store.put("clients", new_record("clients", name=name, **fields))


def add_session(store: Store, client_id: str | None = None, **fields: Any) -> dict[str, Any]:
    return store.put("sessions", new_record("sessions", client_id=client_id, **fields))
