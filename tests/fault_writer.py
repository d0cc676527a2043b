"""A writer process for the kill test: saves forever, prints each save once it is durable."""

from __future__ import annotations

import sys
from pathlib import Path

from tpe_tui.domain.records import new_record
from tpe_tui.storage.store import Store


def main(path: str, mode: str = "saves") -> None:
    """`saves`: one save after the other, a whole rewrite every 15; `rewrites`: only
    whole rewrites (a kill then almost always lands in the middle of one)."""
    store = Store.open(Path(path), "writer")
    counter = next((r for r in store.records("clients") if r["name"] == "compteur"), None)
    if counter is None:
        counter = store.put("clients", new_record("clients", name="compteur", employees=0))
    value = counter["employees"]
    while True:
        value += 1
        counter = store.put("clients", {**counter, "employees": value})
        if mode == "rewrites" or value % 15 == 0:
            store.compact()  # a full atomic rewrite, so kills also land in the middle of one
        print(value, flush=True)


if __name__ == "__main__":
    main(*sys.argv[1:3])
