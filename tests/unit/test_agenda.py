"""Agenda rules: buckets, actions on a follow-up, nudges of closed sessions; `tpe-tui agenda`."""

from __future__ import annotations

import subprocess
from datetime import date
from pathlib import Path

import pytest

from tests.conftest import PYTHON, subprocess_env
from tests.helpers import add_client, add_session, open_store
from tpe_tui.domain import agenda
from tpe_tui.domain.records import ValidationError, new_record

TODAY = date(2026, 11, 24)  # a Tuesday


@pytest.mark.parametrize(
    ("due", "expected"),
    [
        ("2026-11-23", "overdue"),
        ("2026-11-24", "today"),
        ("2026-11-25", "week"),
        ("2026-11-29", "week"),  # Sunday ends the week
        ("2026-11-30", "later"),
    ],
)
def test_buckets(due: str, expected: str) -> None:
    assert agenda.bucket(due, TODAY) == expected


def _followup(**values: object) -> dict:
    return new_record("followups", **{"due_date": "2026-11-20", "reason": "Rappeler", **values})


def test_agenda_lists_open_followups_by_date_with_the_consented_phone() -> None:
    client = new_record(
        "clients",
        name="Garage Caron",
        phone="03 21 00 00 00",
        contacts=[{"phone": "06 11 22 33 44", "consent": {"given": True}}],
    )
    rows = [
        _followup(due_date="2026-12-10", client_id=client["id"]),
        _followup(due_date="2026-11-02", client_id=client["id"]),
        _followup(status="done"),
        _followup(status="abandoned"),
        _followup(status="unreachable", due_date="2026-11-24"),
    ]
    items = agenda.agenda(
        rows, lambda cid: client if cid == client["id"] else None, lambda _: None, TODAY
    )
    assert [i.followup["due_date"] for i in items] == ["2026-11-02", "2026-11-24", "2026-12-10"]
    assert [i.bucket for i in items] == ["overdue", "today", "later"]
    assert agenda.consented_phone(items[0].client) == "06 11 22 33 44"
    assert items[1].status_note == "injoignable"
    capped = agenda.agenda(rows, lambda _: None, lambda _: None, TODAY, days=7)
    assert [i.followup["due_date"] for i in capped] == ["2026-11-02", "2026-11-24"]


def test_actions_change_status_and_keep_a_history() -> None:
    f = _followup()
    done = agenda.complete(f, " Site en ligne ", "yes", TODAY)
    assert (done["status"], done["outcome_note"], done["solution_worked"]) == (
        "done",
        "Site en ligne",
        "yes",
    )
    assert done["done_at"] == "2026-11-24" and done["history"][-1]["action"] == "done"
    moved = agenda.reschedule(f, "2026-12-01", TODAY)
    assert moved["due_date"] == "2026-12-01" and moved["history"][-1]["previous"] == "2026-11-20"
    with pytest.raises(ValidationError, match="passée"):
        agenda.reschedule(f, "2026-11-01", TODAY)
    once = agenda.mark_unreachable(f, TODAY)
    twice = agenda.mark_unreachable(once, date(2026, 11, 26))
    assert once["status"] == "unreachable" and once["due_date"] == "2026-11-26"
    assert twice["due_date"] == "2026-11-28"
    assert (
        agenda.unreachable_said(once, TODAY) == "nouvel essai prévu le 26/11/2026 (dans 2 jours)."
    )
    later = agenda.mark_unreachable({**f, "due_date": "2026-12-19"}, TODAY)
    assert later["due_date"] == "2026-12-19"  # called early: the date it was planned for
    assert agenda.unreachable_said(later, TODAY) == "le suivi garde sa date, le 19/12/2026."
    item = agenda.AgendaItem(twice, None, None, "later", TODAY.isoformat())
    assert item.status_note == "injoignable (2 essais)"
    assert agenda.abandon(f, "ne souhaite plus", TODAY)["status"] == "abandoned"
    assert f["status"] == "todo" and f["history"] == []  # the original is untouched


def test_closed_sessions_without_followup_are_nudged_at_each_delay() -> None:
    session = new_record(
        "sessions", status="closed", date="2026-11-01", closed_at="2026-11-01T10:00:00Z"
    )
    followed = new_record("sessions", status="closed", date="2026-10-01", closed_at="2026-10-01")
    followups = [_followup(session_id=followed["id"])]

    def found(today: date, s: dict) -> list[int]:
        return [
            n.days
            for n in agenda.nudges([s, followed], followups, lambda _: None, today, [9, 21, 45])
        ]

    assert found(date(2026, 11, 9), session) == []  # 8 days
    assert found(date(2026, 11, 10), session) == [9]
    dismissed = agenda.dismiss_nudge(session, 9, [9, 21, 45])
    assert found(date(2026, 11, 21), dismissed) == []
    assert found(date(2026, 11, 22), dismissed) == [21]
    # Dismissed long after: every delay already passed counts, it comes back at the next one.
    late = agenda.dismiss_nudge(session, 30, [9, 21, 45])
    assert late["nudge_level"] == 2 and found(date(2026, 12, 16), late) == [45]
    assert found(date(2027, 6, 1), agenda.dismiss_nudge(session, 45, [9, 21, 45])) == []


def test_agenda_command_prints_sections_even_while_the_app_holds_the_file(db: Path) -> None:
    with open_store(db) as store:
        client = add_client(store, "Fleuriste Roussel", phone="03 21 00 00 00")
        session = add_session(
            store, client["id"], status="closed", date="2026-10-01", closed_at="2026-10-01"
        )
        store.put(
            "followups",
            _followup(client_id=client["id"], session_id=session["id"], due_date="2026-11-20"),
        )
        store.put(
            "followups",
            _followup(client_id=client["id"], due_date="2026-11-26", reason="Échéance devis"),
        )
        add_session(store, client["id"], status="closed", date="2026-10-01", closed_at="2026-10-01")
        env = {**subprocess_env(), "TPE_TUI_TODAY": "2026-11-24"}
        # The store above still holds the lock: agenda reads without it.
        out = subprocess.run(
            [PYTHON, "-m", "tpe_tui", "agenda", "--db", str(db), "--days", "3"],
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
    assert out.returncode == 0, out.stderr
    text = out.stdout
    assert (
        "EN RETARD" in text
        and "20/11 · Fleuriste Roussel" in text
        and "tél. 03 21 00 00 00" in text
    )
    assert "CETTE SEMAINE" in text and "Échéance devis" in text
    assert "À RELANCER" in text and "clôturé il y a 54 jours" in text
    bad = subprocess.run(
        [PYTHON, "-m", "tpe_tui", "agenda", "--db", str(db), "--days", "-1"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert bad.returncode == 2 and "positif" in bad.stderr


def test_the_summary_promises_the_callback_date_the_agenda_holds(db: Path) -> None:
    """Third acceptance pass (NEW3-9): the callback postponed on the agenda (05/12 → 12/12)
    and the summary still promised « le 5 décembre »; and the reverse: a date changed in
    the visit moves the callback in the agenda."""
    from tpe_tui.services import agenda as agenda_service
    from tpe_tui.services.summary import SummarySource
    from tpe_tui.services.workspace import Workspace

    with open_store(db) as store, Workspace(store) as workspace:
        client = add_client(store, "Boulangerie Girard")
        session = add_session(
            store,
            client["id"],
            date="2030-11-28",
            callback_wanted=True,
            callback_date="2030-12-05",
            solutions=[{"title": "Site vitrine"}],
        )
        workspace.ensure_followups(session)
        callback = next(f for f in store.records("followups") if f["kind"] == "callback")
        text = SummarySource.of(workspace, session).render().text
        assert "Nous vous rappellerons le **5 décembre 2030**" in text
        agenda_service.reschedule(workspace, callback["id"], "2030-12-12")
        text = SummarySource.of(workspace, session).render().text
        assert "Nous vous rappellerons le **12 décembre 2030**" in text
        assert "5 décembre 2030" not in text
        # The date typed again in the visit moves the callback in the agenda.
        session = workspace.save_session(
            {**store.get("sessions", session["id"]), "callback_date": "2030-12-19"}
        )
        assert store.get("followups", callback["id"])["due_date"] == "2030-12-19"
        assert "le **19 décembre 2030**" in SummarySource.of(workspace, session).render().text
        # Done in the agenda: it stays where it was done, the visit's date no longer moves it.
        done = agenda_service.update_followup(
            workspace, callback["id"], lambda f: {**f, "status": "done"}
        )
        workspace.save_session({**session, "callback_date": "2030-12-26"})
        assert store.get("followups", done["id"])["due_date"] == "2030-12-19"
