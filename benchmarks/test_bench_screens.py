"""Screens switch fast: each step of home -> agenda -> client file -> agenda -> home ->
search -> home timed from the key to the screen drawn with its data (`screen_probe`, a
fresh process per size), p95 and best of BENCH_SCREEN_ROUNDS rounds, wall and CPU."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.conftest import SIZES, demo_file
from benchmarks.screen_probe import STEPS

REPO = Path(__file__).resolve().parent.parent
ROUNDS = int(os.environ.get("BENCH_SCREEN_ROUNDS", "10"))


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


@pytest.mark.parametrize("ahead", [False, True], ids=["on_the_key", "built_ahead"])
@pytest.mark.parametrize("size", SIZES, ids=lambda n: f"{n}")
def test_screen_switches(benchmark, bench_dir, size, ahead) -> None:
    """`built_ahead`: each round starts once the screens built at idle moments are ready
    (a person who read the home for a couple of seconds); `on_the_key`: keys follow each
    other as fast as the screens allow, so the first agenda is built on its key."""
    db = demo_file(bench_dir, size)
    rounds = ROUNDS if size < 100_000 else max(3, ROUNDS // 3)
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks.screen_probe",
            str(db),
            str(rounds),
            *(["--ahead"] if ahead else []),
        ],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        timeout=3600,
    ).stdout
    lines = [line.split() for line in out.splitlines() if line.strip()]
    load = os.getloadavg()[0]
    mode = "built ahead" if ahead else "on the key"
    report = f"\n{size} sessions, {mode}, {len(lines)} rounds (load {load:.1f}), p95 wall/cpu s:"
    for index, step in enumerate(STEPS):
        walls = [float(line[index].split("/")[0]) for line in lines]
        cpus = [float(line[index].split("/")[1]) for line in lines]
        benchmark.extra_info[f"{step}_p95_wall_s"] = round(p95(walls), 3)
        benchmark.extra_info[f"{step}_p95_cpu_s"] = round(p95(cpus), 3)
        benchmark.extra_info[f"{step}_best_wall_s"] = round(min(walls), 3)
        report += f" {step} {p95(walls):.3f}/{p95(cpus):.3f};"
    benchmark.extra_info["load"] = load
    print(report)
    benchmark.pedantic(lambda: None, rounds=1, iterations=1)
