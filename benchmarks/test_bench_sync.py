"""Merging two laptops' files, against reading both with json and writing their union."""

from __future__ import annotations

import json

import pytest

from benchmarks.conftest import SIZES, demo_file
from tpe_tui import sync
from tpe_tui.store import dump, open_readonly, read_foreign


@pytest.fixture(params=SIZES, ids=lambda n: f"{n}")
def pair(request, bench_dir):
    return demo_file(bench_dir, request.param, seed=1), demo_file(bench_dir, request.param, seed=2)


def test_floor_json_read_both_write_union(benchmark, pair, bench_dir) -> None:
    ours, theirs = pair
    out = bench_dir / "union.json"

    def floor() -> None:
        a = json.loads(ours.read_bytes())
        b = json.loads(theirs.read_bytes())
        union = {t: {**a.get(t, {}), **{f"b{k}": v for k, v in b.get(t, {}).items()}} for t in a}
        out.write_text(json.dumps(union))

    benchmark.pedantic(floor, rounds=3, iterations=1)


def test_merge_read_check_merge_write(benchmark, pair, bench_dir) -> None:
    """What `tpe-tui sync` does minus the lock and backup: read ours, read and check
    theirs, merge, write the result."""
    ours, theirs = pair
    out = bench_dir / "merged.json"

    def merge() -> None:
        data = open_readonly(ours)
        foreign = read_foreign(theirs, "bench", ours)
        merged, _ = sync.merge({t: list(data[t].values()) for t in sync.SHARED_TABLES}, foreign)
        result = {"meta": data["meta"]} | {
            t: {str(i): r for i, r in enumerate(rows, 1)} for t, rows in merged.items()
        }
        out.write_bytes(dump(result))

    benchmark.pedantic(merge, rounds=3, iterations=1)
