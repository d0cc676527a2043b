"""Saving one record as the file grows, against the floor of a full rewrite."""

from __future__ import annotations

import shutil

import orjson
import pytest

from benchmarks.conftest import SIZES, demo_file
from tpe_tui.storage.store import Store


@pytest.fixture(params=SIZES, ids=lambda n: f"{n}")
def store(request, bench_dir):
    path = bench_dir / f"store-{request.param}.json"
    shutil.copyfile(demo_file(bench_dir, request.param), path)
    opened = Store.open(path, "bench", backup=False)
    yield opened
    opened.close()


def test_save_one_session(benchmark, store) -> None:
    """One step saved: a journal line, fsync'd."""
    session = next(iter(store.records("sessions")))
    counter = iter(range(10**9))

    def save() -> None:
        store.put("sessions", {**session, "notes": f"note {next(counter)}"})

    benchmark(save)


def test_floor_serialise_whole_data(benchmark, store) -> None:
    """The floor of any full rewrite: orjson of the whole data, once."""
    benchmark(orjson.dumps, store.data)


def test_full_atomic_rewrite(benchmark, store) -> None:
    """Compaction (close, journal growth, merges): serialise, write, fsync, rename."""
    store._storage.owe_whole_write()
    benchmark.pedantic(store.compact, rounds=3, iterations=1)
