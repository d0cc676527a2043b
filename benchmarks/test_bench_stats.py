"""Activity figures over one 10k-session file and over a team folder of 20 such files,
against orjson alone parsing the same files; peak memory against parsing the largest file.

Budgets (issue 16): time 1.5x the parse, peak memory 1.5x the largest single file parsed.
The ratios are printed and kept in the benchmark's extra_info, in wall time and in this
process's CPU time (steadier on a shared machine), against orjson with the collector off
(as stats reads) and on; the memory budget is checked (it is a property of the design: one
file in memory at a time).
"""

from __future__ import annotations

import gc
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import orjson
import pytest

from benchmarks.conftest import PEAK_MIB, demo_file
from tpe_tui.domain.stats import Filters
from tpe_tui.services import stats as service

SESSIONS = int(os.environ.get("BENCH_STATS_SESSIONS", "10000"))
FILES = int(os.environ.get("BENCH_STATS_FILES", "20"))
_timings: dict[str, float] = {}


@pytest.fixture(scope="session")
def team_folder(bench_dir: Path) -> Path:
    """FILES demo files of SESSIONS sessions (seeds 1..FILES), made once per run."""
    folder = bench_dir / "team"
    folder.mkdir(exist_ok=True)
    for seed in range(1, FILES + 1):
        target = folder / f"laptop-{seed:02d}.json"
        if not target.exists():
            made = demo_file(bench_dir, SESSIONS, seed)
            try:
                os.link(made, target)  # the other benchmarks keep their copy
            except OSError:
                shutil.copyfile(made, target)
    return folder


def _parse_all(files: list[Path], collect: bool) -> None:
    was_on = gc.isenabled()
    if not collect:
        gc.disable()
    try:
        for path in files:
            data = orjson.loads(path.read_bytes())
            del data
    finally:
        if was_on:
            gc.enable()


def _ratio(benchmark, name: str, floor: str) -> None:
    _timings[name] = benchmark.stats.stats.mean
    if floor in _timings:
        ratio = _timings[name] / _timings[floor]
        benchmark.extra_info["ratio_to_orjson"] = round(ratio, 2)
        print(f"\n{name}: {ratio:.2f}x orjson alone ({floor})")


@pytest.mark.parametrize("collect", [True, False], ids=["gc-on", "gc-off"])
def test_floor_orjson_parse_one_file(benchmark, team_folder: Path, collect: bool) -> None:
    files = sorted(team_folder.glob("*.json"))[:1]
    benchmark.pedantic(_parse_all, args=(files, collect), rounds=3, iterations=1)
    _timings[f"parse-one-{'on' if collect else 'off'}"] = benchmark.stats.stats.mean


def test_stats_one_file(benchmark, team_folder: Path) -> None:
    files = sorted(team_folder.glob("*.json"))[:1]
    benchmark.pedantic(service.gather, args=(files, Filters()), rounds=3, iterations=1)
    _ratio(benchmark, "stats-one", "parse-one-off")
    if "parse-one-on" in _timings:
        print(f"  ({_timings['stats-one'] / _timings['parse-one-on']:.2f}x orjson with gc on)")


@pytest.mark.parametrize("collect", [True, False], ids=["gc-on", "gc-off"])
def test_floor_orjson_parse_folder(benchmark, team_folder: Path, collect: bool) -> None:
    files = service.data_files(team_folder)
    benchmark.pedantic(_parse_all, args=(files, collect), rounds=1, iterations=1)
    _timings[f"parse-folder-{'on' if collect else 'off'}"] = benchmark.stats.stats.mean


def test_stats_folder(benchmark, team_folder: Path) -> None:
    files = service.data_files(team_folder)
    figures = benchmark.pedantic(
        lambda: service.gather(files, Filters()).figures, rounds=1, iterations=1
    )
    assert int(figures.total("accompaniments").value) > SESSIONS  # every file counted
    _ratio(benchmark, "stats-folder", "parse-folder-off")
    if "parse-folder-on" in _timings:
        ratio = _timings["stats-folder"] / _timings["parse-folder-on"]
        print(f"  ({ratio:.2f}x orjson with gc on)")


def _peak(code: str, *args: str) -> float:
    out = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, check=True
    )
    return float(out.stderr.strip().splitlines()[-1])


def test_peak_memory_of_stats_over_the_folder(benchmark, team_folder: Path) -> None:
    """Peak RSS of `tpe-tui stats --folder` in a fresh process, against a fresh process
    that only parses the largest file with orjson."""
    largest = max(service.data_files(team_folder), key=lambda p: p.stat().st_size)
    floor = _peak(
        "import sys, orjson, pathlib;" + PEAK_MIB + ";"
        "data = orjson.loads(pathlib.Path(sys.argv[1]).read_bytes());"
        "print(peak_mib(), file=sys.stderr)",
        str(largest),
    )
    code = (
        "import sys; from tpe_tui.cli.main import main;" + PEAK_MIB + ";"
        "assert main(['stats', '--folder', sys.argv[1], '--output', sys.argv[2]]) == 0;"
        "print(peak_mib(), file=sys.stderr)"
    )
    report = team_folder.parent / "bilan.md"
    peak = benchmark.pedantic(
        _peak, args=(code, str(team_folder), str(report)), rounds=1, iterations=1
    )
    ratio = peak / floor
    benchmark.extra_info.update(
        peak_rss_mib=round(peak, 1), orjson_largest_mib=round(floor, 1), ratio=round(ratio, 2)
    )
    print(
        f"\npeak RSS of stats --folder: {peak:.0f} MiB; orjson of the largest file: {floor:.0f} MiB ({ratio:.2f}x)"
    )
    assert ratio <= 1.5


def _cpu_seconds(job, *args) -> float:
    """Processor time of this process for one run of `job` (what the machine's other
    work changes least: wall time on a shared machine swings by tens of percent)."""
    started = time.process_time()
    job(*args)
    return time.process_time() - started


def _cpu_ratios(files: list[Path]) -> dict[str, float]:
    """Stats against orjson alone, both with the collector off (as stats reads), then
    against orjson with it on; the best of 3 runs each (1 for a folder)."""
    runs = 3 if len(files) == 1 else 1
    stats = min(_cpu_seconds(service.gather, files, Filters()) for _ in range(runs))
    off = min(_cpu_seconds(_parse_all, files, False) for _ in range(runs))
    on = min(_cpu_seconds(_parse_all, files, True) for _ in range(runs))
    return {
        "stats_cpu_s": round(stats, 3),
        "orjson_gc_off_cpu_s": round(off, 3),
        "orjson_gc_on_cpu_s": round(on, 3),
        "ratio_gc_off": round(stats / off, 2),
        "ratio_gc_on": round(stats / on, 2),
    }


@pytest.mark.parametrize("how_many", ["one", "folder"])
def test_cpu_time_against_orjson(benchmark, team_folder: Path, how_many: str) -> None:
    files = service.data_files(team_folder)
    if how_many == "one":
        files = files[:1]
    ratios = benchmark.pedantic(_cpu_ratios, args=(files,), rounds=1, iterations=1)
    benchmark.extra_info.update(ratios)
    print(
        f"\nCPU, {len(files)} file(s): stats {ratios['stats_cpu_s']} s; "
        f"{ratios['ratio_gc_off']}x orjson with the collector off on both sides, "
        f"{ratios['ratio_gc_on']}x orjson with it on"
    )
    assert ratios["stats_cpu_s"] > 0
