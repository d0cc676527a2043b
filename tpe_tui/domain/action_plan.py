"""The digital action plan of a business (*plan d'actions numérique*). Pure.

Actions are built across visits; each has a status, and its due date reaches the agenda
through a follow-up of kind "action" kept in step with it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from tpe_tui.domain.accompaniment import average
from tpe_tui.domain.catalog import catalog
from tpe_tui.domain.records import (
    ACTION_PRIORITIES,
    ACTION_STATUSES,
    Record,
    ValidationError,
    french_date,
    new_record,
)

OPEN_STATUSES = ("todo", "in_progress")
FOLLOWUP_STATUS_OF = {  # action status -> status of its agenda follow-up
    "todo": "todo",
    "in_progress": "in_progress",
    "done": "done",
    "abandoned": "abandoned",
}


def ordered(actions: Iterable[Mapping[str, Any]]) -> list[Record]:
    """Open actions first (by priority, then due date), then done, then abandoned."""

    def key(action: Mapping[str, Any]) -> tuple[int, int, str, str]:
        status = action.get("status") or "todo"
        group = 0 if status in OPEN_STATUSES else 1 + ACTION_STATUSES.index(status) - 2
        priority = action.get("priority") or "normal"
        rank = ACTION_PRIORITIES.index(priority) if priority in ACTION_PRIORITIES else 1
        return group, rank, action.get("due_date") or "9999", str(action.get("title") or "")

    return sorted((dict(a) for a in actions if not a.get("deleted")), key=key)


@dataclass(frozen=True)
class Progress:
    done: int
    total: int  # abandoned actions do not count

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0

    def text(self) -> str:
        return f"{self.done}/{self.total} action(s) faite(s) ({self.percent} %)"


def progress(actions: Iterable[Mapping[str, Any]]) -> Progress:
    live = [a for a in actions if not a.get("deleted") and a.get("status") != "abandoned"]
    return Progress(sum(1 for a in live if a.get("status") == "done"), len(live))


def maturity_trail(sessions: Iterable[Mapping[str, Any]]) -> tuple[Record, Record] | None:
    """The digital maturity at the first visit that assessed it, and each axis at its last
    known level: an axis the last visit did not assess keeps the level of the visit that
    last did, whose date is in `dates` (« Présence en ligne 2→– » read as a loss and hid
    the 4 of a visit in between: NEW6-10)."""
    assessed = sorted(
        (s for s in sessions if not s.get("deleted") and average(s.get("maturity") or {})),
        key=lambda s: (s.get("date") or "", s.get("updated_at") or ""),
    )
    if not assessed:
        return None
    first, last = assessed[0], assessed[-1]
    latest: dict[str, Any] = {}
    dates: dict[str, str] = {}
    for session in assessed:
        for code, level in (session.get("maturity") or {}).items():
            if level is not None and level != "":
                latest[code], dates[code] = level, session.get("date") or ""
    return (
        {"date": first.get("date") or "", "maturity": dict(first.get("maturity") or {})},
        {"date": last.get("date") or "", "maturity": latest, "dates": dates},
    )


def level_at_end(trail_end: Mapping[str, Any], code: str) -> str | None:
    """An axis's last known level, with the day it was assessed when that is not the last
    visit's (« 4 (12/11) »); None when it never was."""
    level = trail_end["maturity"].get(code)
    if level is None:
        return None
    when = trail_end.get("dates", {}).get(code)
    return (
        f"{level} ({french_date(when)[:5]})" if when and when != trail_end["date"] else str(level)
    )


def maturity_text(trail: tuple[Record, Record] | None) -> str:
    """« Maturité (15/10/2026 → 28/11/2026) : Présence en ligne 2→4 (12/11) · Vente en ligne
    –→2 » on one line: each axis from the first visit to its last known level."""
    if trail is None:
        return "Maturité numérique : pas encore évaluée."
    first, last = trail
    parts = []
    for label, code in catalog().choices("maturity_dimensions"):
        before, after = first["maturity"].get(code), level_at_end(last, code)
        if before is None and after is None:
            continue
        parts.append(f"{label} {'–' if before is None else before}→{after or '–'}")
    dates = f"{french_date(first['date'])} → {french_date(last['date'])}"
    return f"Maturité ({dates}) : " + " · ".join(parts)


def set_status(action: Record, status: str, today: str) -> Record:
    if status not in ACTION_STATUSES:
        raise ValidationError(f"Statut inconnu : {status}.")
    out = dict(action)
    out["status"] = status
    out["done_at"] = today if status == "done" else None
    return out


def agenda_followup(action: Mapping[str, Any], existing: Record | None) -> Record | None:
    """The follow-up that puts an action's due date on the agenda, created or brought in
    step (None when nothing needs saving: no due date and no follow-up yet)."""
    due = action.get("due_date") or ""
    status = FOLLOWUP_STATUS_OF.get(action.get("status") or "todo", "todo")
    if existing is None:
        if not due or status not in OPEN_STATUSES:
            return None
        return new_record(
            "followups",
            client_id=action.get("client_id"),
            session_id=action.get("session_id"),
            action_id=action["id"],
            kind="action",
            due_date=due,
            reason=str(action.get("title") or ""),
            status=status,
        )
    if status in OPEN_STATUSES and existing.get("status") == "unreachable":
        # The person could not be reached: the action is still open, and the agenda's later
        # try (see agenda.mark_unreachable) stands unless the plan moved past it.
        status = "unreachable"
        due = max(due, str(existing.get("due_date") or ""))
    elif status not in OPEN_STATUSES and status == existing.get("status"):
        due = str(existing.get("due_date") or due)  # settled on both sides: its date is history
    wanted = {
        "due_date": due or existing.get("due_date") or "",
        "reason": str(action.get("title") or ""),
        "status": status if due or status not in OPEN_STATUSES else "abandoned",
        "deleted": bool(action.get("deleted")) or existing.get("deleted", False),
    }
    if all(existing.get(k) == v for k, v in wanted.items()):
        return None
    return {**existing, **wanted}


def needs_settling(action: Mapping[str, Any], followup: Mapping[str, Any]) -> bool:
    """Whether `action_after_followup` would change the action: a cheap test, run over
    every follow-up when a file is opened."""
    status = followup.get("status")
    if status == "done":
        return action.get("status") != "done" or not action.get("done_at")
    if status == "abandoned":
        return action.get("status") != "abandoned" or action.get("done_at") is not None
    return (
        status in OPEN_STATUSES
        and bool(followup.get("due_date"))
        and followup.get("due_date") != action.get("due_date")
    )


def action_after_followup(
    action: Mapping[str, Any], followup: Mapping[str, Any], today: str
) -> Record | None:
    """The action brought in step with its agenda follow-up after the agenda settled or
    moved it (done, abandoned, postponed), or None when the action already agrees.

    One thing, one state: « Fait » on the agenda is « Fait » in the plan, its summary and
    its statistics. « Injoignable » is about reaching the person, so it leaves the action
    open and its due date as planned."""
    out = dict(action)
    status = followup.get("status")
    if status == "done":
        out["status"] = "done"
        out["done_at"] = action.get("done_at") or followup.get("done_at") or today
    elif status == "abandoned":
        out["status"] = "abandoned"
        out["done_at"] = None
    elif status in OPEN_STATUSES and followup.get("due_date"):
        out["due_date"] = followup["due_date"]
    if all(out.get(k) == action.get(k) for k in ("status", "done_at", "due_date")):
        return None
    return out


def row_cells(action: Mapping[str, Any], aid_name: str = "") -> tuple[str, ...]:
    """Status, title, who, due date: the columns of a plan on screen."""
    cat = catalog()
    behind = aid_name or str(action.get("solution") or "")
    title = str(action.get("title") or "")
    return (
        cat.label("action_statuses", action.get("status"), "À faire"),
        f"{title} ({behind})" if behind else title,
        cat.label("action_owners", action.get("owner"), ""),
        french_date(action.get("due_date")),
    )
