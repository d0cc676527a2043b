"""`tpe-tui demo` itself, and the peak memory of loading each size (in a fresh process)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from benchmarks.conftest import PEAK_MIB, SIZES, demo_file
from tpe_tui.cli.main import main


def test_demo_10k_sessions(benchmark, bench_dir) -> None:
    counter = iter(range(100))

    def run() -> None:
        assert (
            main(["demo", "--db", str(bench_dir / f"d{next(counter)}.json"), "--sessions", "10000"])
            == 0
        )

    benchmark.pedantic(run, rounds=2, iterations=1)


@pytest.mark.parametrize("size", SIZES, ids=lambda n: f"{n}")
def test_peak_memory_of_opening(benchmark, bench_dir, size) -> None:
    """Peak RSS (MiB) of a process that opens the file for writing, as the app does."""
    path = demo_file(bench_dir, size)
    code = (
        "import sys; from pathlib import Path; from tpe_tui.storage.store import Store;"
        + PEAK_MIB
        + ";"
        "s = Store.open(Path(sys.argv[1]), 'bench', backup=False); s.close();"
        "print(peak_mib())"
    )

    def run() -> float:
        out = subprocess.run(
            [sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=True
        )
        return float(out.stdout)

    peak = benchmark.pedantic(run, rounds=1, iterations=1)
    benchmark.extra_info["peak_rss_mib"] = round(peak, 1)
    print(f"\npeak RSS opening {size} sessions: {peak:.0f} MiB")
