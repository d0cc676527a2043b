"""Small builders shared by tests."""

from __future__ import annotations

import json
import stat
from collections.abc import Iterable
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


def fake_lp(folder: Path, exit_code: int = 0) -> Path:
    """A folder holding an `lp` that records its arguments and answers as CUPS' lp does."""
    folder.mkdir(parents=True, exist_ok=True)
    script = folder / "lp"
    script.write_text(
        f'#!/bin/sh\necho "$@" > "{folder}/printed-args"\n'
        f'echo "request id is bureau-42 (1 file(s))"\nexit {exit_code}\n'
    )
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return folder


def files_holding(folder: Path, values: Iterable[str]) -> list[tuple[str, str]]:
    """(file under `folder`, value) for each value a file holds, as typed or as JSON writes
    it with \\u escapes: what must be found nowhere after an erasure."""
    wanted = list(values)
    found = []
    for path in folder.rglob("*"):
        if path.is_file() and not path.is_symlink():
            raw = path.read_bytes()
            found += [
                (str(path.relative_to(folder)), value)
                for value in wanted
                if value.encode("utf-8") in raw or json.dumps(value)[1:-1].encode("ascii") in raw
            ]
    return found
