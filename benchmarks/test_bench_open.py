"""Opening the data file as the app does (`Store.open`), in a fresh process: elapsed and
processor time, peak memory (VmHWM), and where the time goes (parse, unpacking the compact
layout). Budget (issue 17) at 100k sessions: 4 s and 1 GiB."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from benchmarks.conftest import PEAK_MIB, SIZES, demo_file

CHILD = (
    "import gc, json, sys, time; from pathlib import Path;" + PEAK_MIB + ";"
    "gc.disable();"  # as the app does while it opens its file
    "from tpe_tui.storage import compact, file_format; from tpe_tui.storage.store import Store;"
    "path = Path(sys.argv[1]); out = {};"
    "t, c = time.perf_counter(), time.process_time();"
    "store = Store.open(path, 'bench', backup=False);"
    "out['open_s'], out['open_cpu_s'] = time.perf_counter() - t, time.process_time() - c;"
    "out['peak_mib'] = peak_mib(); store.close(); del store;"
    "raw = path.read_bytes(); c = time.process_time();"
    "data = file_format.loads_lines(raw); out['parse_cpu_s'] = time.process_time() - c;"
    "c = time.process_time(); compact.unpack(data, 'bench');"
    "out['unpack_cpu_s'] = time.process_time() - c;"
    "print(json.dumps(out))"
)


@pytest.mark.parametrize("size", SIZES, ids=lambda n: f"{n}")
def test_open_time_and_peak_memory(benchmark, bench_dir, size) -> None:
    path = demo_file(bench_dir, size)

    def run() -> dict[str, float]:
        done = subprocess.run(
            [sys.executable, "-c", CHILD, str(path)], capture_output=True, text=True, check=True
        )
        return dict(json.loads(done.stdout))

    figures = benchmark.pedantic(run, rounds=1, iterations=1)
    benchmark.extra_info.update({k: round(v, 2) for k, v in figures.items()})
    benchmark.extra_info["file_mb"] = round(path.stat().st_size / 1e6, 1)
    print(
        f"\nopen {size} sessions: {figures['open_s']:.2f} s ({figures['open_cpu_s']:.2f} s cpu: "
        f"parse {figures['parse_cpu_s']:.2f}, unpack {figures['unpack_cpu_s']:.2f}), "
        f"peak {figures['peak_mib']:.0f} MiB, file {path.stat().st_size / 1e6:.1f} MB"
    )
