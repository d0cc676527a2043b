"""One keystroke of the home search, on an index already built (as after the first one)."""

from __future__ import annotations

import shutil

import pytest

from benchmarks.conftest import SIZES, demo_file
from tpe_tui.services.workspace import Workspace
from tpe_tui.storage.store import Store


@pytest.fixture(params=SIZES, ids=lambda n: f"{n}")
def workspace(request, bench_dir):
    path = bench_dir / f"search-{request.param}.json"
    shutil.copyfile(demo_file(bench_dir, request.param), path)
    store = Store.open(path, "bench", backup=False)
    ws = Workspace(store)
    ws.search("x")  # builds the index, as the first keystroke does
    yield ws
    store.close()


@pytest.mark.parametrize("typed", ["e", "ecole", "boulangerie site"])
def test_search_keystroke(benchmark, workspace, typed) -> None:
    hits = benchmark(workspace.search, typed)
    assert hits or typed == "e"


def test_build_index(benchmark, workspace) -> None:
    """The first keystroke of a session pays for the index once."""

    def build() -> None:
        workspace.forget_caches()
        workspace.search("x")

    benchmark.pedantic(build, rounds=3, iterations=1)
