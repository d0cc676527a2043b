"""Every test runs with its own config, data, state and documents folders."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

REPO = Path(__file__).resolve().parent.parent

# Hypothesis fails an example slower than 200 ms, and a data draw slower than its budget:
# on a machine busy with other work (or with the other test worker) that is the machine,
# not the code. Every example still runs; CI's own profile (derandomized) stays the parent.
settings.register_profile(
    "busy-machine",
    settings.default,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile("busy-machine")

MAX_WORKERS = 4


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_auto_num_workers(config: pytest.Config) -> int | None:
    """How many workers `-n auto` (pyproject's addopts) starts: one per core this process
    may use, at most 4 (a laptop keeps cores for the person and for the apps the system
    tests drive in their own processes); none when the run names only test files, since
    starting workers costs a few seconds that a handful of tests does not win back.
    PYTEST_XDIST_AUTO_NUM_WORKERS still decides when set."""
    if os.environ.get("PYTEST_XDIST_AUTO_NUM_WORKERS"):
        return None  # xdist reads it
    named = [arg.split("::")[0] for arg in config.args]
    if named and all(arg.endswith(".py") for arg in named):
        return 0
    return max(1, min(len(os.sched_getaffinity(0)), MAX_WORKERS))


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    for name, sub in (
        ("XDG_CONFIG_HOME", "config"),
        ("XDG_DATA_HOME", "data"),
        ("XDG_STATE_HOME", "state"),
        ("XDG_CACHE_HOME", "cache"),
        ("XDG_DOCUMENTS_DIR", "documents"),
    ):
        monkeypatch.setenv(name, str(home / sub))
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("TPE_TUI_DB", raising=False)
    return home


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "donnees.json"


def subprocess_env() -> dict[str, str]:
    """The environment for a child process: the isolated folders, this interpreter's path."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO)
    return env


PYTHON = sys.executable


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A real disk of 2 MiB (a tmpfs) mounted for the test, to fill up or make read-only;
    skipped where this process may not mount one."""
    mount = tmp_path / "disque"
    mount.mkdir()
    result = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=2m,mode=0700", "tmpfs", str(mount)],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        pytest.skip(f"no tmpfs can be mounted here: {result.stderr.strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True)


def fill_disk(folder: Path) -> Path:
    """Write a file in `folder` until the disk refuses a single byte more: 100 % full."""
    filler = folder / "remplissage.bin"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        for size in (1 << 20, 4096, 1):
            try:
                while True:
                    os.write(fd, b"\0" * size)
            except OSError as exc:
                assert exc.errno == errno.ENOSPC
    finally:
        os.close(fd)
    return filler


def remount(folder: Path, mode: str) -> None:
    """Make the small disk read-only (`ro`) or writable again (`rw`)."""
    subprocess.run(["mount", "-o", f"remount,{mode}", str(folder)], check=True)
