"""The follow-ups agenda: what is due when, what to do with a follow-up, who to nudge.

Pure: takes records, returns records and rows; the workspace saves and the screens show.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from tpe_tui.domain.catalog import catalog
from tpe_tui.domain.records import FOLLOWUP_OPEN_STATUSES, Record, ValidationError, french_date

BUCKETS = {
    "overdue": "En retard",
    "today": "Aujourd’hui",
    "week": "Cette semaine",
    "later": "Plus tard",
}
# An unreachable person is tried again this many days later, unless rescheduled by hand.
RETRY_DAYS = 2
WORKED_CHOICES = (
    ("yes", "Oui"),
    ("partly", "En partie"),
    ("no", "Non"),
    ("unknown", "Ne sait pas"),
)


def bucket(due: str, today: date) -> str:
    """Overdue, today, this week (up to Sunday) or later."""
    day = date.fromisoformat(due)
    if day < today:
        return "overdue"
    if day == today:
        return "today"
    if day <= today + timedelta(days=6 - today.weekday()):
        return "week"
    return "later"


@dataclass
class AgendaItem:
    followup: Record
    client: Record | None
    session: Record | None
    bucket: str
    today: str

    @property
    def when(self) -> str:
        """The due date, with its year only when it is not this year's."""
        if self.bucket == "today":
            return BUCKETS["today"]
        due = self.followup["due_date"]
        shown = french_date(due)
        return shown if due[:4] != self.today[:4] else shown[:5]

    @property
    def described(self) -> str:
        """Which follow-up this is, for a dialog acting on it: a business often has several
        (« Boulangerie Girard · 12/12/2026 · Rappeler pour vérifier… »)."""
        name = str((self.client or {}).get("name") or "")
        reason = str(self.followup.get("reason") or "")
        due = french_date(self.followup.get("due_date"))
        return " · ".join(part for part in (name, due, reason) if part)

    @property
    def status_note(self) -> str:
        if self.followup.get("status") != "unreachable":
            return ""
        tries = sum(
            1 for h in self.followup.get("history") or [] if h.get("action") == "unreachable"
        )
        return f"injoignable ({tries} essais)" if tries > 1 else "injoignable"


def consented_contact(client: Mapping[str, Any] | None) -> str:
    """The name of the first contact who consented to be kept, else ""."""
    for contact in (client or {}).get("contacts") or []:
        if (contact.get("consent") or {}).get("given") and contact.get("name"):
            return str(contact["name"])
    return ""


def consented_phone(client: Mapping[str, Any] | None) -> str:
    """The phone to call: a contact who consented, else the business's own line."""
    if not client:
        return ""
    for contact in client.get("contacts") or []:
        if (contact.get("consent") or {}).get("given") and contact.get("phone"):
            return str(contact["phone"])
    return str(client.get("phone") or "")


def order_key(followup: Mapping[str, Any], client: Mapping[str, Any] | None) -> str:
    """Where a follow-up comes in the agenda: by due date, then business name, then id (one
    string: sorting 40,000 of them takes a third of the time tuples take)."""
    name = str((client or {}).get("name") or "").replace("\x00", "")
    return f"{followup['due_date']}\x00{name}\x00{followup['id']}"


def agenda(
    followups: Iterable[Mapping[str, Any]],
    client_of: Callable[[str | None], Record | None],
    session_of: Callable[[str], Record | None],
    today: date,
    days: int | None = None,
) -> list[AgendaItem]:
    """Open follow-ups (to do, in progress, unreachable) by due date; `days` caps the horizon."""
    limit = (today + timedelta(days=days)).isoformat() if days is not None else None
    items = []
    for followup in followups:
        due = followup.get("due_date")
        if followup.get("status") not in FOLLOWUP_OPEN_STATUSES or not due:
            continue
        if limit is not None and due > limit:
            continue
        session_id = followup.get("session_id")
        items.append(
            AgendaItem(
                dict(followup),
                client_of(followup.get("client_id")),
                session_of(session_id) if session_id else None,
                bucket(due, today),
                today.isoformat(),
            )
        )
    items.sort(key=lambda i: order_key(i.followup, i.client))
    return items


# ---------------------------------------------------------------------------- actions
def _log(followup: Record, action: str, today: date, **details: Any) -> None:
    entry = {"action": action, "date": today.isoformat(), **details}
    followup["history"] = [*(followup.get("history") or []), entry]


def complete(followup: Record, note: str, worked: str | None, today: date) -> Record:
    out = dict(followup)
    out.update(
        status="done", outcome_note=note.strip(), solution_worked=worked, done_at=today.isoformat()
    )
    _log(out, "done", today)
    return out


def reschedule(followup: Record, new_date: str, today: date) -> Record:
    if not new_date:
        raise ValidationError("Indiquez la nouvelle date (JJ/MM/AAAA).")
    if new_date < today.isoformat():
        raise ValidationError("La nouvelle date est déjà passée.")
    out = dict(followup)
    _log(out, "rescheduled", today, previous=followup.get("due_date"), to=new_date)
    out.update(due_date=new_date, status="todo" if out.get("status") == "todo" else out["status"])
    return out


def mark_unreachable(followup: Record, today: date) -> Record:
    out = dict(followup)
    _log(out, "unreachable", today)
    retry = (today + timedelta(days=RETRY_DAYS)).isoformat()
    out.update(status="unreachable", due_date=max(retry, out.get("due_date") or ""))
    return out


def unreachable_said(followup: Mapping[str, Any], today: date) -> str:
    """What « Injoignable » did to the follow-up's date (`mark_unreachable`), in words that
    match it (finding NEW5-7 said « dans 2 jours » and kept the date): a retry
    `RETRY_DAYS` later, or, for one due after that (called early), its own date kept — a
    check planned for a given day is not brought forward by an early call missed."""
    due = str(followup.get("due_date") or "")
    if due > (today + timedelta(days=RETRY_DAYS)).isoformat():
        return f"le suivi garde sa date, le {french_date(due)}."
    return f"nouvel essai prévu le {french_date(due)} (dans {RETRY_DAYS} jours)."


def abandon(followup: Record, note: str, today: date) -> Record:
    out = dict(followup)
    out.update(status="abandoned", outcome_note=note.strip() or out.get("outcome_note", ""))
    _log(out, "abandoned", today)
    return out


# ---------------------------------------------------------------------------- nudges
@dataclass
class Nudge:
    session: Record
    client: Record | None
    days: int

    @property
    def described(self) -> str:
        """Which closed visit this is, for a dialog acting on it, as a follow-up is
        described (« Boulangerie Girard · accompagnement du 02/11/2026 · Site internet »):
        at 80×24 the dialog hides the row (NEW5-15)."""
        name = str((self.client or {}).get("name") or "")
        when = self.session.get("date")
        needs = ", ".join(catalog().label("needs", n) for n in self.session.get("needs") or [])
        visit = f"accompagnement du {french_date(when)}" if when else ""
        return " · ".join(part for part in (name, visit, needs) if part)


def closed_day(session: Mapping[str, Any]) -> date | None:
    raw = str(session.get("closed_at") or session.get("date") or "")[:10]
    try:
        return date.fromisoformat(raw)
    except ValueError:
        return None


def nudges(
    sessions: Iterable[Mapping[str, Any]],
    followups: Iterable[Mapping[str, Any]],
    client_of: Callable[[str | None], Record | None],
    today: date,
    delays: Sequence[int],
) -> list[Nudge]:
    """Closed sessions without any follow-up, past the next delay not dismissed yet."""
    delays = sorted(delays)
    followed = {f.get("session_id") for f in followups}
    found = []
    for session in sessions:
        if session.get("status") != "closed" or session["id"] in followed:
            continue
        closed = closed_day(session)
        level = session.get("nudge_level") or 0
        if closed is None or level >= len(delays):
            continue
        days = (today - closed).days
        if days >= delays[level]:
            found.append(Nudge(dict(session), client_of(session.get("client_id")), days))
    # The longest waiting first (the same day: by id, the order `NudgeCandidates` keeps).
    found.sort(key=lambda n: (-n.days, n.session["id"]))
    return found


def dismiss_nudge(session: Record, days: int, delays: Sequence[int]) -> Record:
    """Nothing to do for now: the session comes back at the next delay not yet passed."""
    out = dict(session)
    out["nudge_level"] = sum(1 for d in sorted(delays) if d <= days)
    return out


def nudge_followup(session: Mapping[str, Any], due: str, reason: str) -> dict[str, Any]:
    """The values of a follow-up created from a nudge (the caller makes the record)."""
    return {
        "session_id": session["id"],
        "client_id": session.get("client_id"),
        "kind": "callback",
        "due_date": due,
        "reason": reason or "Prendre des nouvelles après l’accompagnement",
    }
