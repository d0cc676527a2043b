"""The agenda kept in step with the file equals the agenda computed afresh from every
record, after any sequence of saves: follow-ups done, moved or deleted, sessions closed or
dismissed, businesses renamed or merged, and the file replaced wholesale (a sync)."""

from __future__ import annotations

import tempfile
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.helpers import open_store
from tpe_tui.domain import agenda, duplicates
from tpe_tui.domain.personal_data import merged_family
from tpe_tui.domain.records import new_record
from tpe_tui.services import agenda as agenda_service
from tpe_tui.services import clients as client_files
from tpe_tui.services.config import Config
from tpe_tui.services.workspace import Workspace

TODAY = date(2026, 11, 24)  # a Tuesday
DAYS = [(TODAY + timedelta(days=d)).isoformat() for d in (-40, -30, -9, -7, -1, 0, 3, 5, 6, 30)]
NAMES = ["Garage Caron", "Atelier", "Atelier B", "", "Zoé Fleurs"]
STATUSES = ["todo", "todo", "in_progress", "unreachable", "done", "abandoned"]
CREATED = [(TODAY + timedelta(days=d)).isoformat() + "T09:00:00Z" for d in (-60, -30, -15, -14)]
# Kept 45 days: a business last in touch 16 to 45 days ago is anonymised within the notice.
CONFIG = {"nudge_days": [7, 30], "retention_days": 45}


Shown = tuple[list[tuple[str, str, str]], list[tuple[str, int, str]], list[str]]


def fresh(ws: Workspace) -> Shown:
    """The follow-ups, nudges and businesses soon anonymised computed from every record."""
    store = ws.store
    items = agenda.agenda(
        store.records("followups"), ws.client_view, lambda s: store.peek("sessions", s), TODAY
    )
    nudges = agenda.nudges(
        store.records("sessions"),
        store.records("followups", deleted=True),
        ws.client_view,
        TODAY,
        ws.config.nudge_days,
    )
    soon = sorted(client_files.retention_due(ws)[1], key=lambda c: c["id"])
    return _shown(items, nudges, soon)


def kept(ws: Workspace) -> Shown:
    soon = sorted(agenda_service.retention_soon(ws), key=lambda c: c["id"])
    return _shown(list(agenda_service.items(ws)), list(agenda_service.nudges(ws)), soon)


def _shown(
    items: list[agenda.AgendaItem], nudges: list[agenda.Nudge], soon: list[dict[str, Any]]
) -> Shown:
    return (
        [(i.followup["id"], i.bucket, (i.client or {}).get("name", "?")) for i in items],
        [(n.session["id"], n.days, (n.client or {}).get("name", "?")) for n in nudges],
        [c["id"] for c in soon],
    )


SEED = [
    ("client", "Garage Caron", CREATED[1], True),
    ("client", "Atelier", CREATED[0], True),
    ("client", "Zoé Fleurs", CREATED[2], False),
    ("session", 0, DAYS[0], True),
    ("session", 1, DAYS[1], True),
    ("session", 2, DAYS[0], False),
    ("followup", 0, 2, DAYS[2], "todo"),
    ("followup", 1, 2, DAYS[5], "todo"),
]

op = st.one_of(
    st.tuples(st.just("client"), st.sampled_from(NAMES), st.sampled_from(CREATED), st.booleans()),
    st.tuples(st.just("rename"), st.integers(0, 50), st.sampled_from(NAMES), st.booleans()),
    st.tuples(st.just("merge"), st.integers(0, 50), st.integers(0, 50)),
    st.tuples(
        st.just("followup"),
        st.integers(0, 50),
        st.integers(0, 50),
        st.sampled_from(DAYS),
        st.sampled_from(STATUSES),
    ),
    st.tuples(
        st.just("change_followup"),
        st.integers(0, 50),
        st.sampled_from(DAYS),
        st.sampled_from([*STATUSES, "deleted"]),
    ),
    st.tuples(st.just("session"), st.integers(0, 50), st.sampled_from(DAYS), st.booleans()),
    st.tuples(
        st.just("change_session"),
        st.integers(0, 50),
        st.sampled_from(["closed", "in_progress", "deleted"]),
        st.integers(0, 3),
    ),
    st.tuples(
        st.just("move"),
        st.integers(0, 50),
        st.sampled_from(["sessions", "followups"]),
        st.integers(0, 50),
    ),
    st.tuples(st.just("sync"), st.integers(0, 50)),
)


def _pick(store: Any, table: str, index: int) -> dict[str, Any] | None:
    rows = list(store.records(table, deleted=True))
    return store.get(table, rows[index % len(rows)]["id"]) if rows else None


def apply(ws: Workspace, step: tuple[Any, ...]) -> None:
    store = ws.store
    kind = step[0]
    client = _pick(store, "clients", step[1]) if len(step) > 1 and kind != "client" else None
    client_id = client["id"] if client else "missing-client"
    if kind == "client":
        phone = "03 23 00 00 00" if step[3] else ""
        commune, siret = ("Laon", "") if step[3] else ("Soissons", "82345678900012")
        ws.save_client(
            new_record(
                "clients",
                name=step[1],
                created_at=step[2],
                phone=phone,
                commune=commune,
                siret=siret if step[1] == "Atelier" else "",
            )
        )
    elif kind == "rename" and client:
        ws.save_client({**client, "name": step[2], "phone": "03 23" if step[3] else ""})
    elif kind == "merge" and client:
        other = _pick(store, "clients", step[2])
        if other and other["id"] != client["id"]:
            ws.save_client({**client, "merged_into": other["id"], "deleted": True})
    elif kind == "followup":
        session = _pick(store, "sessions", step[2])
        store.put(
            "followups",
            new_record(
                "followups",
                client_id=client_id,
                session_id=session["id"] if session else None,
                due_date=step[3],
                status=step[4],
                reason="Rappeler",
            ),
        )
    elif kind == "change_followup":
        followup = _pick(store, "followups", step[1])
        if followup:
            change = {"deleted": True} if step[3] == "deleted" else {"status": step[3]}
            store.put("followups", {**followup, "due_date": step[2], **change})
    elif kind == "session":
        ws.save_session(
            new_record(
                "sessions",
                client_id=client_id,
                status="closed" if step[3] else "in_progress",
                date=step[2],
                closed_at=step[2] + "T10:00:00Z",
            )
        )
    elif kind == "change_session":
        session = _pick(store, "sessions", step[1])
        if session:
            change = {"deleted": True} if step[2] == "deleted" else {"status": step[2]}
            ws.save_session({**session, "nudge_level": step[3], **change})
    elif kind == "move":  # to another business (or one no longer there)
        moved = _pick(store, step[2], step[3])
        if moved:
            store.put(step[2], {**moved, "client_id": client_id})
    elif kind == "sync":
        tables = store.shared_tables()
        followups = tables["followups"]
        if followups:
            changed = dict(followups[step[1] % len(followups)])
            changed["status"] = "done" if changed.get("status") != "done" else "todo"
            followups[step[1] % len(followups)] = changed
        store.replace_shared(tables, "sync")


def client_files_fresh(ws: Workspace) -> list[tuple[Any, ...]]:
    """For each business: its family, records and duplicates, found by scanning."""
    store = ws.store
    found = []
    for client in store.records("clients", deleted=True):
        family = merged_family(store.records("clients", deleted=True), client["id"])
        found.append(
            (
                family,
                [s["id"] for s in store.records("sessions") if s.get("client_id") in family],
                [f["id"] for f in store.records("followups") if f.get("client_id") in family],
                [c["id"] for c in duplicates.duplicates_of(client, store.records("clients"))],
            )
        )
    return found


def client_files_kept(ws: Workspace) -> list[tuple[Any, ...]]:
    return [
        (
            ws.merged_ids(client["id"]),
            [s["id"] for s in ws.client_sessions(client["id"])],
            [f["id"] for f in ws.client_followups(client["id"])],
            [c["id"] for c in client_files.duplicates_of(ws, client)],
        )
        for client in ws.store.records("clients", deleted=True)
    ]


HOME_LIMIT = 3  # fewer than the sessions of most examples: the cut is checked too


def home_sessions_fresh(ws: Workspace) -> tuple[Any, ...]:
    """The home's sessions in progress (last touched first) and closed (latest first),
    sorted from every session (equal dates in the store's order, as a stable sort)."""
    live = list(ws.store.records("sessions"))
    open_ = sorted(
        (s for s in live if s.get("status") != "closed"),
        key=lambda s: s.get("updated_at") or "",
        reverse=True,
    )
    closed = sorted(
        (s for s in live if s.get("status") == "closed"),
        key=lambda s: (s.get("date") or "", s.get("updated_at") or ""),
        reverse=True,
    )
    shown = [_session_shown(s) for s in open_[:HOME_LIMIT]]
    return shown, len(open_), [_session_shown(s) for s in closed[:HOME_LIMIT]]


def home_sessions_kept(ws: Workspace) -> tuple[Any, ...]:
    open_, total = ws.open_sessions(HOME_LIMIT)
    recent = ws.recent_sessions(HOME_LIMIT)
    return [_session_shown(s) for s, _ in open_], total, [_session_shown(s) for s, _ in recent]


def _session_shown(session: dict[str, Any]) -> tuple[Any, ...]:
    return session["id"], session.get("status"), session.get("date"), session.get("updated_at")


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(op, min_size=1, max_size=25), read_every=st.integers(1, 4))
def test_kept_agenda_equals_a_fresh_one_after_any_saves(
    steps: list[tuple[Any, ...]], read_every: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TPE_TUI_TODAY", TODAY.isoformat())
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(Path(folder) / "data.json")
        ws = Workspace(store, Config(**CONFIG))
        try:
            for start in SEED:  # a few of each, so that most steps change something
                apply(ws, start)
            for count, step in enumerate(steps, 1):
                apply(ws, step)
                # Read now and then: changes pile up in the log between two readings.
                if not count % read_every or count == len(steps):
                    assert kept(ws) == fresh(ws)
                    assert client_files_kept(ws) == client_files_fresh(ws)
                    assert home_sessions_kept(ws) == home_sessions_fresh(ws)
        finally:
            store.close()


def test_a_followup_marked_done_leaves_the_kept_agenda(tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.setenv("TPE_TUI_TODAY", TODAY.isoformat())
    store = open_store(tmp_path / "data.json")
    ws = Workspace(store, Config())
    client = ws.save_client(new_record("clients", name="Garage Caron"))
    ids = [
        store.put("followups", new_record("followups", client_id=client["id"], due_date=day))["id"]
        for day in DAYS[:6]
    ]
    view = agenda_service.items(ws)
    assert [i.followup["id"] for i in view] == ids
    assert view.counts() == {"overdue": 5, "today": 1}
    agenda_service.complete(ws, ids[1], "", "yes")
    assert [i.followup["id"] for i in agenda_service.items(ws)] == [ids[0], *ids[2:]]
    # The view already handed out is a copy: what a screen shows does not shift under it.
    assert [i.followup["id"] for i in view] == ids
    store.close()


def test_a_write_in_progress_is_answered_without_waiting_for_a_build(
    tmp_path: Path, monkeypatch: Any
) -> None:
    """A thread holding the store's lock (a write) never waits for a build, which needs
    that lock: it gets the same answers from a scan, and nothing is built."""
    monkeypatch.setenv("TPE_TUI_TODAY", TODAY.isoformat())
    store = open_store(tmp_path / "data.json")
    ws = Workspace(store, Config(**CONFIG))
    for start in SEED:
        apply(ws, start)
    with store.locked():
        assert kept(ws) == fresh(ws)
        assert client_files_kept(ws) == client_files_fresh(ws)
    assert not (ws.client_index.built or ws.agenda.built or ws.agenda_extras.built)
    store.close()


def test_a_build_called_off_builds_again_on_the_next_reading(tmp_path: Path) -> None:
    store = open_store(tmp_path / "data.json")
    ws = Workspace(store, Config())
    for day in DAYS:
        store.put("followups", new_record("followups", due_date=day))
    from tpe_tui.services import live

    monkey_slice = live.SLICE
    live.SLICE = 2
    try:
        assert not ws.agenda.up_to_date(lambda: True)
        assert not ws.agenda.built
    finally:
        live.SLICE = monkey_slice
    assert len(agenda_service.items(ws)) == len(DAYS)
    store.close()


def test_agenda_rows_put_a_heading_before_each_bucket_and_find_each_row(
    tmp_path: Path, monkeypatch: Any
) -> None:
    from tpe_tui.ui.screens.agenda import AgendaRows

    monkeypatch.setenv("TPE_TUI_TODAY", TODAY.isoformat())
    store = open_store(tmp_path / "data.json")
    ws = Workspace(store, Config())
    for day in [*DAYS, DAYS[0]]:
        store.put("followups", new_record("followups", due_date=day))
    view = agenda_service.items(ws)
    rows = AgendaRows(view)
    expected: list[str] = []
    for item in view:  # what a plain list of headings and rows would be
        if (
            not expected
            or view.get(expected[-1]) is None
            or (
                view.get(expected[-1]).bucket != item.bucket  # type: ignore[union-attr]
            )
        ):
            expected.append(f"section:{item.bucket}")
        expected.append(item.followup["id"])
    assert [rows[i][0] for i in range(len(rows))] == expected
    assert [rows.key(i) for i in range(len(rows))] == expected
    assert [rows.index_of(key) for key in expected] == list(range(len(expected)))
    assert rows[-1][0] == expected[-1] and rows.index_of("unknown") is None
    store.close()


def test_a_reading_does_not_wait_for_a_build_paused_by_typing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The build waits while a person types (its `cancelled` sleeps): a screen or a save
    asking meanwhile gets its answer from the records, at once, rather than wait."""
    import threading

    from tpe_tui.services import live

    monkeypatch.setenv("TPE_TUI_TODAY", TODAY.isoformat())
    monkeypatch.setattr(live, "SLICE", 1)
    store = open_store(tmp_path / "data.json")
    ws = Workspace(store, Config(**CONFIG))
    for start in SEED:
        apply(ws, start)
    paused, typing_over = threading.Event(), threading.Event()

    def person_typing() -> bool:
        paused.set()
        assert typing_over.wait(60)
        return False

    builder = threading.Thread(target=ws.prepare_agenda, args=(person_typing,))
    builder.start()
    try:
        assert paused.wait(60)
        assert kept(ws) == fresh(ws)
        assert client_files_kept(ws) == client_files_fresh(ws)
        assert not ws.agenda.built
    finally:
        typing_over.set()
        builder.join(60)
    assert ws.agenda.built and ws.agenda_extras.built and ws.client_index.built
    assert kept(ws) == fresh(ws)
    store.close()
