"""The agenda's and the business file's data, from the indexes kept in step with the file
(`services/live.py`): built once (after the search index, at start), then each opening
reads them and each save updates them.

    BENCH_SIZES=10000,100000 .venv/bin/pytest benchmarks/test_bench_agenda.py \
        --benchmark-only --benchmark-timer time.process_time
"""

from __future__ import annotations

import shutil

import pytest

from benchmarks.conftest import SIZES, demo_file
from tpe_tui.services import agenda as agenda_service
from tpe_tui.services import clients
from tpe_tui.services.workspace import Workspace
from tpe_tui.storage.store import Store
from tpe_tui.ui.screens.agenda import AgendaData, AgendaExtras


@pytest.fixture(params=SIZES, ids=lambda n: f"{n}")
def workspace(request, bench_dir):
    path = bench_dir / f"agenda-{request.param}.json"
    shutil.copyfile(demo_file(bench_dir, request.param), path)
    store = Store.open(path, "bench", backup=False)
    ws = Workspace(store)
    ws.prepare_agenda()
    yield ws
    store.close()


def test_build_agenda_indexes(benchmark, workspace) -> None:
    """Once per start (or after a sync): the follow-ups' index, then the lists under them,
    then the business files' one."""

    def build() -> None:
        for index in (workspace.agenda, workspace.agenda_extras, workspace.client_index):
            index._state = None  # what a sync's wholesale replacement does
        workspace.prepare_agenda()

    benchmark.pedantic(build, rounds=3, iterations=1)
    assert workspace.agenda.built and workspace.client_index.built


def test_open_agenda(benchmark, workspace) -> None:
    """What an opening reads: the counts and the first page of rows, then the lists."""

    def open_agenda() -> int:
        data = AgendaData.load(workspace)
        extras = AgendaExtras.load(workspace)
        return len(data.rows[:50]) + len(extras.nudges[:20])

    assert benchmark(open_agenda) > 0


def test_agenda_after_a_followup_done(benchmark, workspace) -> None:
    """A follow-up postponed (a save), then the agenda read again."""
    followup_id = agenda_service.items(workspace).id_at(0)
    days = iter(range(1, 10_000))

    def postpone_and_read() -> int:
        agenda_service.reschedule(workspace, followup_id, f"2099-{next(days) % 12 + 1:02d}-01")
        return len(AgendaData.load(workspace).rows)

    assert benchmark(postpone_and_read) > 0


def test_open_client_file(benchmark, workspace) -> None:
    """A business's file: its sessions and follow-ups, then its probable duplicates."""
    client_id = next(
        s["client_id"]
        for s in workspace.store.records("sessions")
        if s.get("client_id") and workspace.client(s["client_id"])
    )

    def open_file() -> int:
        found = clients.ClientFile.load(workspace, client_id)
        assert found is not None
        return len(found.sessions)

    assert benchmark(open_file) > 0
