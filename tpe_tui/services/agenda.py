"""The agenda's reads and writes over the workspace (thread workers call these)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import timedelta

from tpe_tui.domain import action_plan as domain_plan
from tpe_tui.domain import agenda
from tpe_tui.domain.agenda_index import AgendaView
from tpe_tui.domain.records import Record, new_record, today, today_iso
from tpe_tui.services import action_plan as plan
from tpe_tui.services.workspace import Workspace


def items(workspace: Workspace, days: int | None = None) -> AgendaView:
    """The open follow-ups by due date (`days`: due within that many days), from the index
    kept in step with the file; each item is made when read."""
    day = today()
    view = workspace.agenda.view(day)
    return view if days is None else view.until(day + timedelta(days=days))


def nudges(workspace: Workspace) -> Sequence[agenda.Nudge]:
    """Closed sessions without follow-up past their next nudge delay, longest waiting first."""
    return workspace.agenda_extras.nudges(
        today(), workspace.config.nudge_days, workspace.client_view
    )


def retention_soon(workspace: Workspace) -> list[Record]:
    """The businesses whose people's data will be anonymised within the notice, soonest
    first (`clients.retention_due`'s second list, from the index kept in step)."""
    return workspace.agenda_extras.retention_soon(today(), workspace.config.retention_days)


def update_followup(
    workspace: Workspace, followup_id: str, change: Callable[[Record], Record]
) -> Record:
    """Change one follow-up; a plan action's follow-up carries its change to the action."""
    store = workspace.store
    with store.locked():
        current = store.get("followups", followup_id)
        if current is None:
            raise KeyError(followup_id)
        saved = store.put("followups", change(current))
        action = store.get("actions", saved["action_id"]) if saved.get("action_id") else None
        if action is not None:
            in_step = domain_plan.action_after_followup(action, saved, today_iso())
            if in_step is not None:
                plan.save(workspace, in_step)
    return saved


def complete(workspace: Workspace, followup_id: str, note: str, worked: str | None) -> Record:
    return update_followup(
        workspace, followup_id, lambda f: agenda.complete(f, note, worked, today())
    )


def reschedule(workspace: Workspace, followup_id: str, new_date: str) -> Record:
    return update_followup(
        workspace, followup_id, lambda f: agenda.reschedule(f, new_date, today())
    )


def unreachable(workspace: Workspace, followup_id: str) -> Record:
    return update_followup(workspace, followup_id, lambda f: agenda.mark_unreachable(f, today()))


def abandon(workspace: Workspace, followup_id: str, note: str = "") -> Record:
    return update_followup(workspace, followup_id, lambda f: agenda.abandon(f, note, today()))


def dismiss_nudge(workspace: Workspace, session_id: str) -> Record | None:
    session = workspace.session(session_id)
    if session is None:
        return None
    days = next((n.days for n in nudges(workspace) if n.session["id"] == session_id), 0)
    return workspace.save_session(agenda.dismiss_nudge(session, days, workspace.config.nudge_days))


def add_followup(workspace: Workspace, session_id: str, due: str, reason: str = "") -> Record:
    session = workspace.session(session_id)
    if session is None:
        raise KeyError(session_id)
    return workspace.store.put(
        "followups", new_record("followups", **agenda.nudge_followup(session, due, reason))
    )
