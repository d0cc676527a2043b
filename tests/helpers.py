"""Small builders shared by tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tpe_tui.domain.records import new_record
from tpe_tui.storage.file_format import Data, dump, load_snapshot
from tpe_tui.storage.store import Store


def read_data(path: Path) -> Data:
    """A data file's tables as the app sees them (journal applied, records whole)."""
    return load_snapshot(path)


def write_data(path: Path, data: Data) -> None:
    """Write tables as the app writes them (compact from schema 3 on)."""
    path.write_bytes(dump(data))


def open_store(path: Path, device: str = "laptop-a") -> Store:
    return Store.open(path, device)


def add_client(store: Store, name: str = "Boulangerie Martin", **fields: Any) -> dict[str, Any]:
    return store.put("clients", new_record("clients", name=name, **fields))


def add_place(
    store: Store, name: str, commune: str, postal_code: str, insee_code: str = ""
) -> dict[str, Any]:
    """A place of the directory, with its commune's codes (as the national import has them)."""
    return store.put(
        "structures",
        new_record(
            "structures",
            name=name,
            commune=commune,
            postal_code=postal_code,
            insee_code=insee_code,
        ),
    )


def add_session(store: Store, client_id: str | None = None, **fields: Any) -> dict[str, Any]:
    return store.put("sessions", new_record("sessions", client_id=client_id, **fields))
