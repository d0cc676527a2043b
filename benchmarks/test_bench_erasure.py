"""Erasing one business with five backups, as the save queue runs it (the saves wait); the
retention rule anonymising every business past 400 days at opening (252 of the 10k demo).

Five start backups of one content (a file opened several times unchanged: five names of
one file) cost one rewrite; five distinct ones cost five (a parse and a pack each)."""

from __future__ import annotations

import shutil
import time

import pytest

from benchmarks.conftest import SIZES, demo_file
from tpe_tui.services import clients, erasure
from tpe_tui.services.config import Config
from tpe_tui.services.workspace import Workspace
from tpe_tui.storage.backups import make_backup


@pytest.mark.parametrize("sessions", [n for n in SIZES if n <= 10_000])
@pytest.mark.parametrize("linked", [True, False], ids=["one-content", "distinct"])
def test_erase_one_business_with_five_backups(benchmark, bench_dir, sessions, linked) -> None:
    def setup():  # type: ignore[no-untyped-def]
        folder = bench_dir / f"erase-{sessions}-{linked}-{time.monotonic_ns()}"
        folder.mkdir()
        db = folder / "donnees.json"
        shutil.copyfile(demo_file(bench_dir, sessions), db)
        workspace = Workspace.open(db, "bench", Config())
        clients = list(workspace.store.records("clients"))
        for index in range(5):
            if index == 0 or not linked:
                record = clients[index]
                workspace.store.put("clients", {**record, "notes": f"note {index}"})
                workspace.store.compact()
            make_backup(db, "start")
        return (workspace, clients[-1]["id"]), {}

    def erase(workspace: Workspace, client_id: str) -> None:
        erasure.erase(workspace, client_id)
        workspace.close()

    benchmark.pedantic(erase, setup=setup, rounds=2, iterations=1)


@pytest.mark.parametrize("sessions", [n for n in SIZES if n <= 10_000])
def test_retention_anonymises_at_opening(benchmark, bench_dir, sessions) -> None:
    def setup():  # type: ignore[no-untyped-def]
        folder = bench_dir / f"retention-{sessions}-{time.monotonic_ns()}"
        folder.mkdir()
        db = folder / "donnees.json"
        shutil.copyfile(demo_file(bench_dir, sessions), db)
        return (Workspace.open(db, "bench", Config(retention_days=400)),), {}

    def apply(workspace: Workspace) -> None:
        erased, _ = clients.apply_retention(workspace)
        workspace.close()
        assert erased

    benchmark.pedantic(apply, setup=setup, rounds=2, iterations=1)
