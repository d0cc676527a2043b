"""Start as a person sees it: time until « Nouvel accompagnement » is on the screen of a real
terminal (a pty of 100x30), against a bare Textual app printing the same words, both
spawned fresh in the same run, best of N. With the home picture a normal close leaves, and
without it (the first start after `demo`, or after a crash)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.conftest import SIZES, demo_file
from benchmarks.pty_probe import bare_argv, environment, run_to_words, tpe_argv
from tpe_tui.storage import home_picture

REPO = Path(__file__).resolve().parent.parent
TRIES = int(os.environ.get("BENCH_START_TRIES", "5"))


def _leave_home_picture(db: Path, env: dict[str, str]) -> None:
    """Open and close the app normally once (headless): the close writes the picture."""
    subprocess.run(
        [sys.executable, "-m", "benchmarks.start_probe", "tpe", str(db)],
        check=True,
        capture_output=True,
        env=env,
        timeout=600,
    )


@pytest.mark.parametrize("size", SIZES, ids=lambda n: f"{n}")
def test_start_in_a_terminal_vs_bare_app(benchmark, bench_dir, size) -> None:
    db = demo_file(bench_dir, size)
    env = environment(REPO)
    picture = home_picture.path_for(db)
    bare, cold, warm = [], [], []
    for _ in range(TRIES):  # interleaved, so that a burst of load hits all three alike
        bare.append(run_to_words(bare_argv(), env))
        picture.unlink(missing_ok=True)
        cold.append(run_to_words(tpe_argv(db), env))
        if not picture.exists():
            _leave_home_picture(db, env)
        warm.append(run_to_words(tpe_argv(db), env))
    load = os.getloadavg()[0]
    line = f"\n{size} sessions, best of {TRIES} (load {load:.1f}):"
    for index, what in ((0, "wall"), (1, "cpu")):
        b, c, w = (min(r[index] for r in runs) for runs in (bare, cold, warm))
        benchmark.extra_info.update(
            {
                f"bare_{what}_s": round(b, 3),
                f"no_picture_{what}_s": round(c, 3),
                f"picture_{what}_s": round(w, 3),
                f"ratio_no_picture_{what}": round(c / b, 2),
                f"ratio_picture_{what}": round(w / b, 2),
            }
        )
        line += (
            f" {what}: bare {b:.3f} s, no picture {c:.3f} s ({c / b:.2f}x),"
            f" picture {w:.3f} s ({w / b:.2f}x);"
        )
    benchmark.extra_info["load"] = load
    print(line)
    benchmark.pedantic(lambda: None, rounds=1, iterations=1)
