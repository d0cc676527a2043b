"""Merging two laptops' files, against reading both with json and writing their union."""

from __future__ import annotations

import json

import pytest

from benchmarks.conftest import PEAK_MIB, SIZES, demo_file
from tpe_tui.storage.exchange import export_file, read_foreign
from tpe_tui.storage.file_format import dump, open_readonly
from tpe_tui.sync import merge as sync


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
        tables = {t: list(data[t].values()) for t in sync.SHARED_TABLES}
        merged, _ = sync.merge(tables, foreign.tables)
        result = {"meta": data["meta"]} | {
            t: {str(i): r for i, r in enumerate(rows, 1)} for t, rows in merged.items()
        }
        out.write_bytes(dump(result))

    benchmark.pedantic(merge, rounds=3, iterations=1)


def test_peak_memory_of_sync(benchmark, pair, bench_dir, tmp_path) -> None:
    """Peak RSS (MiB) of `tpe-tui sync` in a fresh process (lock, backup, merge, write)."""
    import shutil
    import subprocess
    import sys

    ours, theirs = pair
    code = (
        "import sys; from tpe_tui.cli.main import main;" + PEAK_MIB + ";"
        "assert main(['sync', sys.argv[2], '--db', sys.argv[1]]) == 0;"
        "print(peak_mib(), file=sys.stderr)"
    )
    copy = tmp_path / "ours.json"
    carried = export_file(theirs, tmp_path / "from-other-laptop.json", "other-laptop")

    def run() -> float:
        shutil.copyfile(ours, copy)
        out = subprocess.run(
            [sys.executable, "-c", code, str(copy), str(carried)],
            capture_output=True,
            text=True,
            check=True,
        )
        return float(out.stderr.strip().splitlines()[-1])

    peak = benchmark.pedantic(run, rounds=1, iterations=1)
    benchmark.extra_info["peak_rss_mib"] = round(peak, 1)
    print(f"\npeak RSS of sync: {peak:.0f} MiB")
