"""Saving one record as the file grows, against the floor of a full rewrite."""

from __future__ import annotations

import shutil
import threading
import time

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


def _longest_stall(work) -> float:  # type: ignore[no-untyped-def]
    """The longest a thread that wakes every millisecond (a person typing) waited for the
    GIL while `work` ran, in seconds."""
    stalls: list[float] = []
    running = True

    def tick() -> None:
        last = time.perf_counter()
        while running:
            time.sleep(0.001)
            now = time.perf_counter()
            stalls.append(now - last)
            last = now

    ticker = threading.Thread(target=tick)
    ticker.start()
    time.sleep(0.05)
    try:
        work()
    finally:
        running = False
        ticker.join()
    return max(stalls)


def test_journal_fold_longest_stall(benchmark, store) -> None:
    """Folding the journal into the file: at once (close, merges) against in slices in the
    background (while the app runs). What a person typing meanwhile would wait."""
    session = next(iter(store.records("sessions")))
    store.put("sessions", {**session, "notes": "journalled"})

    def sliced() -> None:
        store._storage._start_fold()
        store._storage.wait_for_fold()

    whole = min(_longest_stall(store.compact) for _ in range(2))
    store.put("sessions", {**session, "notes": "journalled again"})
    stall = min(_longest_stall(sliced) for _ in range(2))
    benchmark.extra_info.update(
        whole_stall_ms=round(whole * 1000), sliced_stall_ms=round(stall * 1000)
    )
    print(f"\nlongest stall: whole rewrite {whole * 1000:.0f} ms, in slices {stall * 1000:.0f} ms")
    benchmark.pedantic(lambda: None, rounds=1, iterations=1)
