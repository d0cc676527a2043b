"""The rules of an accompaniment, independent of any screen: pure functions over records.

What closing requires, what is pre-filled, which follow-ups a session creates, which
structures to suggest, how a step counts as done.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from tpe_tui.domain.catalog import catalog
from tpe_tui.domain.clock import utc_now
from tpe_tui.domain.personal_data import consented
from tpe_tui.domain.records import (
    FIELDS,
    FOLLOWUP_OPEN_STATUSES,
    Record,
    new_record,
    today_iso,
)
from tpe_tui.domain.text import fold, shortened

# Fields each step fills: a step with any of them set counts as started.
STEP_FIELDS: dict[str, tuple[str, ...]] = {
    "welcome": ("date", "duration_min", "place_kind", "mediator", "equipment"),
    "client": ("client_id", "interlocutor_role"),
    "request": ("request_said", "request_rephrased"),
    "right_place": ("right_place",),
    "assessment": ("skills", "maturity"),
    "need": ("need_nature", "needs", "needs_text"),
    "missions": ("missions",),
    "solutions": ("solutions",),
    "check": ("answered",),
    "synthesis": ("synthesis", "other_questions", "to_find_out"),
    "followup": ("deadline", "callback_wanted", "callback_date"),
    "redirect": ("redirections",),
    "awareness": ("topics_raised",),
    "closing": ("satisfaction", "autonomy"),
}


def step_is_done(session: Mapping[str, Any], code: str) -> bool:
    """Marked done by the mediator, or all its fields filled in."""
    state = (session.get("steps") or {}).get(code) or {}
    if state.get("done"):
        return True
    fields = STEP_FIELDS.get(code, ())
    return bool(fields) and all(_filled(session.get(name)) for name in fields)


def _filled(value: Any) -> bool:
    if isinstance(value, dict):
        return any(v not in (None, "") for v in value.values())
    return value not in (None, "", [], False)


# What a new session starts with before anyone types (the day, the mediator, the first
# step, its status): these alone are no reason to save it.
PREFILLED_FIELDS = frozenset({"date", "mediator", "current_step", "status"})


def is_blank(session: Mapping[str, Any], started: Mapping[str, Any] | None = None) -> bool:
    """Nothing typed yet beyond what a new session starts with (see `PREFILLED_FIELDS`;
    `started`: the values it was opened with, such as the business of the file it was
    started from).

    Every other field of a session counts, whichever step shows it (a place label or a
    territory typed alone is worth keeping): a field is typed when it is filled in and
    differs from its default.
    """
    if session.get("vv"):
        return False  # saved before: every later state must be saved too
    started = started or {}
    for field in FIELDS["sessions"]:
        if field.name in PREFILLED_FIELDS or field.name == "steps":
            continue
        value = session.get(field.name, field.default)
        if field.name in started and value == started[field.name]:
            continue
        if _filled(value) and value != field.default:
            return False
    steps = (session.get("steps") or {}).values()
    return not any(state.get("done") or state.get("note") for state in steps)


def known_person(client: Mapping[str, Any] | None) -> Mapping[str, Any] | None:
    """The person a new visit to this business starts with: the first of its file with a
    name and her consent to be kept (one without keeps no name: nobody to recognise)."""
    for person in (client or {}).get("contacts") or []:
        if (
            isinstance(person, Mapping)
            and consented(person)
            and str(person.get("name") or "").strip()
        ):
            return person
    return None


def meet_known_person(session: Record, client: Mapping[str, Any] | None) -> None:
    """A new visit to a known business starts with its known person (`known_person`) and
    her role, whether the business was picked in step 2 or the visit started from its
    file (finding NEW5-6: from the file, nobody was offered)."""
    person = known_person(client)
    session["contact_id"] = person.get("id") if person else None
    session["interlocutor_role"] = person.get("role") if person else None


def title_line(name: str, day: str, status: str, count: str, width: int) -> str:
    """The accompaniment's title in `width` columns: the count of steps (« 7/14 étapes »)
    always whole; the business's name, then its commune, cut first with « … » (finding
    NEW5-2: at 80 columns « étapes » was cut as soon as the business had a commune)."""
    head, tail = " Accompagnement · ", f" · {day} · {status} · {count}"
    room = width - len(head) - len(tail)
    if room < len(name):
        name = shortened(name, max(room, 4))
    return head + name + tail


def mark_step(session: Record, code: str, done: bool) -> None:
    steps = session.setdefault("steps", {})
    state = steps.setdefault(code, {"done": False, "note": ""})
    state["done"] = done


def progress(session: Mapping[str, Any]) -> tuple[int, int]:
    steps = catalog().steps
    return sum(1 for s in steps if step_is_done(session, s.code)), len(steps)


def missing_to_close(session: Mapping[str, Any]) -> list[str]:
    """What must be filled before closing, in French. Only three things are required:
    forced fields breed wrong data, and mediators fill in late."""
    missing = []
    if not session.get("date"):
        missing.append("la date")
    if not session.get("duration_min"):
        missing.append("la durée")
    if not session.get("needs") and session.get("close_reason") != "redirected":
        missing.append("au moins un besoin")
    return missing


def solution_reminders(session: Mapping[str, Any]) -> list[str]:
    """Gentle reminders on the solutions step."""
    solutions = [s for s in session.get("solutions") or [] if (s.get("title") or "").strip()]
    notes = []
    if len(solutions) < 2:
        notes.append(
            "Au moins deux solutions sont attendues, chacune avec ses avantages et inconvénients."
        )
    notes.append(
        "Restez neutre : présentez plusieurs possibilités, sans promouvoir un fournisseur."
    )
    return notes


def prefill_synthesis(session: Mapping[str, Any]) -> str:
    """A synthesis to start from: needs expressed, solutions identified."""
    cat = catalog()
    parts = []
    request = (session.get("request_rephrased") or session.get("request_said") or "").strip()
    if request:
        parts.append(f"Demande : {request}")
    needs = [cat.label("needs", code) for code in session.get("needs") or []]
    if session.get("needs_text"):
        needs.append(session["needs_text"].strip())
    if needs:
        said = " ; ".join(needs).rstrip(" ;")
        # One final stop: the typed precision may already end with one.
        parts.append(
            "Besoins exprimés : " + said + ("" if said.endswith((".", "!", "?", "…")) else ".")
        )
    solutions = [s for s in session.get("solutions") or [] if s.get("title")]
    if solutions:
        parts.append("Solutions identifiées :")
        for solution in solutions:
            line = f"- {solution['title']}"
            if solution.get("pros"):
                line += f" (+ {solution['pros']})"
            if solution.get("cons"):
                line += f" (– {solution['cons']})"
            parts.append(line)
    return "\n".join(parts)


@dataclass(frozen=True)
class SynthesisPrefill:
    """What « Pré-remplir » does to the synthesis box: `text` replaces the whole box
    (`replace`) or is added at its end; `said` tells the mediator what was done."""

    text: str
    replace: bool
    said: str


def synthesis_prefill(written: str, generated: str, shown_untouched: str = "") -> SynthesisPrefill:
    """Never a typed word lost (finding NEW5-5): the generated text fills an empty box, or
    one still holding only the text generated earlier (`shown_untouched`: nobody wrote in
    it); below anything written it is added after a blank line, so the mediator keeps her
    words and can cut what she does not want (asking instead would cost a dialog on a
    button meant to save typing). Nothing to generate, or already there: nothing changes."""
    if not generated.strip():
        return SynthesisPrefill(
            "", False, "Rien à reprendre : la demande, les besoins et les solutions sont vides."
        )
    if not written.strip() or written.strip() == shown_untouched.strip():
        return SynthesisPrefill(generated, True, "Synthèse pré-remplie.")
    if generated.strip() in written:
        return SynthesisPrefill("", False, "La synthèse contient déjà ces éléments.")
    separator = "\n" if written.endswith("\n") else "\n\n"
    return SynthesisPrefill(
        separator + generated,
        False,
        "Ajouté sous votre texte, qui est gardé (Ctrl+Z pour retirer l’ajout).",
    )


def close(session: Record, reason: str = "completed") -> Record:
    """The session closed; the caller has checked `missing_to_close`."""
    session["status"] = "closed"
    session["close_reason"] = reason
    session["closed_at"] = utc_now()
    return session


def followups_for(
    session: Mapping[str, Any], existing: Iterable[Mapping[str, Any]]
) -> list[Record]:
    """Follow-ups the session asks for and that do not exist yet (by kind and session).

    A callback date gives a callback; a deadline a reminder the day before is not ours to
    guess, so the deadline itself is the due date; each "to find out" item gives one too.
    """
    have = {
        (f.get("kind"), f.get("reason")) for f in existing if f.get("session_id") == session["id"]
    }
    have_kinds = {kind for kind, _ in have}
    out = []

    def add(kind: str, due: str, reason: str) -> None:
        out.append(
            new_record(
                "followups",
                session_id=session["id"],
                client_id=session.get("client_id"),
                kind=kind,
                due_date=due,
                reason=reason,
            )
        )

    if (
        session.get("callback_wanted")
        and session.get("callback_date")
        and "callback" not in have_kinds
    ):
        add(
            "callback",
            session["callback_date"],
            "Rappeler pour vérifier que la solution a fonctionné",
        )
    if session.get("deadline") and "deadline" not in have_kinds:
        note = (session.get("deadline_note") or "").strip()
        add(
            "deadline",
            session["deadline"],
            f"Échéance : {note}" if note else "Échéance de la démarche",
        )
    due = (
        session.get("callback_date")
        or session.get("deadline")
        or session.get("date")
        or today_iso()
    )
    for item in session.get("to_find_out") or []:
        reason = f"À vérifier : {item}"
        if item.strip() and ("to_find_out", reason) not in have:
            add("to_find_out", due, reason)
    return out


def callback_followup(
    session: Mapping[str, Any], followups: Iterable[Mapping[str, Any]]
) -> Mapping[str, Any] | None:
    """The follow-up that carries the session's callback in the agenda: its first callback
    (a nudge's, created later, is another call)."""
    ours = [
        f
        for f in followups
        if f.get("session_id") == session.get("id")
        and f.get("kind") == "callback"
        and not f.get("deleted")
    ]
    return min(ours, key=lambda f: str(f.get("created_at") or ""), default=None)


def promised_callback(session: Mapping[str, Any], followups: Iterable[Mapping[str, Any]]) -> str:
    """The callback date the client is told: the agenda's once the callback is in it
    (postponed there, it moves here too: one date for one thing), else the one typed."""
    if not session.get("callback_wanted"):
        return ""
    followup = callback_followup(session, followups)
    if followup is not None and followup.get("due_date"):
        return str(followup["due_date"])
    return str(session.get("callback_date") or "")


def moved_callback(
    session: Mapping[str, Any], followups: Iterable[Mapping[str, Any]]
) -> Record | None:
    """The session's callback follow-up moved to the callback date just typed in the session,
    while it is still to do; None when nothing moves."""
    new = session.get("callback_date")
    if not new:
        return None
    followup = callback_followup(session, followups)
    if followup is None or followup.get("status") not in FOLLOWUP_OPEN_STATUSES:
        return None
    if followup.get("due_date") == new:
        return None
    return {**followup, "due_date": new}


def suggest_structures(
    client: Mapping[str, Any] | None,
    structures: Iterable[Mapping[str, Any]],
    territory: str = "",
) -> list[Mapping[str, Any]]:
    """Structures to redirect to, likeliest first: the kind the activity calls for
    (craft → CMA, commerce → CCI), then the territory; every structure stays choosable."""
    kinds = catalog().redirect_kinds((client or {}).get("activity_kind"))
    place = fold(territory or (client or {}).get("territory") or "")

    def score(structure: Mapping[str, Any]) -> tuple[int, int, str]:
        kind = str(structure.get("kind") or "")
        kind_rank = kinds.index(kind) if kind in kinds else len(kinds)
        local = 0 if place and fold(structure.get("territory") or "") == place else 1
        return (kind_rank, local, fold(structure.get("name") or ""))

    live = [s for s in structures if not s.get("deleted")]
    return sorted(live, key=score)


def previous_assessments(
    client_id: str | None, sessions: Iterable[Mapping[str, Any]], current_id: str
) -> list[Mapping[str, Any]]:
    """The client's earlier sessions that hold an assessment, newest first."""
    if not client_id:
        return []
    found = [
        s
        for s in sessions
        if s.get("client_id") == client_id
        and s.get("id") != current_id
        and (_filled(s.get("skills")) or _filled(s.get("maturity")))
    ]
    return sorted(found, key=lambda s: s.get("date") or "", reverse=True)


def bar(level: int | None, maximum: int = 4, width: int = 8) -> str:
    """A text bar for a score: readable without colour, in any terminal."""
    if level is None:
        return "·" * width + " non évalué"
    filled = round(width * level / maximum)
    return "█" * filled + "░" * (width - filled) + f" {level}/{maximum}"


def average(scores: Mapping[str, Any]) -> float | None:
    values = [v for v in scores.values() if isinstance(v, int)]
    return sum(values) / len(values) if values else None
