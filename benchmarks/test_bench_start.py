"""Start to the home screen ready, against a bare Textual app (header, label, footer)
started in the same run. Each start is a fresh process; both are measured the same way:
the wall-clock time from spawning the process to the first screen filled."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from benchmarks.conftest import SIZES, demo_file


def _start(args: list[str], env: dict[str, str]) -> list[float]:
    began = time.time()
    out = subprocess.run(
        [sys.executable, "-m", "benchmarks.start_probe", *args],
        capture_output=True,
        text=True,
        check=True,
        env=env,
        timeout=300,
    )
    return [float(t) - began for t in out.stdout.split()]


@pytest.mark.parametrize("size", SIZES, ids=lambda n: f"{n}")
def test_start_to_home_vs_bare_app(benchmark, bench_dir, size) -> None:
    db = demo_file(bench_dir, size)
    env = {**os.environ, "PYTHONPATH": os.getcwd()}
    _start(["tpe", str(db)], env)  # leaves the home cache a normal close leaves
    bare = min(_start(["bare"], env)[0] for _ in range(3))
    runs = [_start(["tpe", str(db)], env) for _ in range(3)]
    shown = min(r[0] for r in runs)
    loaded = min(r[1] for r in runs)
    benchmark.extra_info.update(
        bare_s=round(bare, 3),
        home_shown_s=round(shown, 3),
        file_loaded_s=round(loaded, 3),
        ratio_shown=round(shown / bare, 2),
        ratio_loaded=round(loaded / bare, 2),
    )
    print(
        f"\n{size} sessions: bare {bare:.2f} s, home shown {shown:.2f} s "
        f"({shown / bare:.1f}x), file loaded {loaded:.2f} s ({loaded / bare:.1f}x)"
    )
    benchmark.pedantic(lambda: None, rounds=1, iterations=1)
