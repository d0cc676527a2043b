"""Shared data sets for the benchmarks: demo files of 1k, 10k and 100k sessions, built once
per run (set BENCH_SIZES=1000,10000 to skip the largest)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

# Peak memory of the child process itself. Not ru_maxrss: Linux carries it across exec, so a
# child of a big pytest process would report pytest's own peak.
PEAK_MIB = (
    "peak_mib = lambda: next(int(l.split()[1]) for l in open('/proc/self/status') "
    "if l.startswith('VmHWM:')) / 1024"
)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """Benchmarks run in this one process: pyproject's `-n auto` would start workers, and
    pytest-benchmark switches itself off under xdist (and timings would share the cores)."""
    return 0


SIZES = [int(s) for s in os.environ.get("BENCH_SIZES", "1000,10000,100000").split(",")]


@pytest.fixture(scope="session")
def bench_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("bench")
    os.environ["XDG_CONFIG_HOME"] = str(folder / "config")
    os.environ["XDG_STATE_HOME"] = str(folder / "state")
    os.environ["XDG_DOCUMENTS_DIR"] = str(folder / "docs")
    return folder


_made: dict[tuple[int, int], Path] = {}


def demo_file(folder: Path, sessions: int, seed: int = 1) -> Path:
    """A demo file, made by `tpe-tui demo` in a process of its own: made in this one, its
    millions of short-lived objects left the heap scattered, and what was measured next in
    this process cost 5-13% more CPU than in a fresh one (a person's `tpe-tui stats`)."""
    key = (sessions, seed)
    if key not in _made:
        path = folder / f"demo-{sessions}-{seed}.json"
        made = subprocess.run(
            [sys.executable, "-m", "tpe_tui", "demo", "--db", str(path), *_sizes(sessions, seed)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert made.returncode == 0, made.stderr
        _made[key] = path
    return _made[key]


def _sizes(sessions: int, seed: int) -> list[str]:
    return ["--sessions", str(sessions), "--seed", str(seed)]
