"""The shape of every stored record and of the dicts nested in them, for the type checker.

One `TypedDict` per table, `total=False`: a record read from a file may lack a field (a
tombstone, an older laptop's file) or hold one this program does not know (a newer
laptop's), which passes through untouched — at run time a record stays a plain dict.
`records.FIELDS` holds each field's default and check; a test keeps both lists in step.
The constructors build the nested shapes (a person, a consent, a redirection, a solution, a
workshop participant) wherever they are made, so each is spelled once.
"""

from __future__ import annotations

from typing import Any, TypedDict

from tpe_tui.domain.records import new_id, today_iso


# ---------------------------------------------------------------------------- nested shapes
class Consent(TypedDict, total=False):
    """A person's agreement that their details be kept: when, and the words agreed to."""

    given: bool
    date: str
    wording: str


class Contact(TypedDict, total=False):
    """A person of a business (owner, employee, secretary…), an element of `contacts`."""

    id: str
    role: str | None
    role_note: str
    name: str
    phone: str
    email: str
    consent: Consent


class Solution(TypedDict, total=False):
    """One solution brought during a session, with its advantages and drawbacks."""

    id: str
    title: str
    area: str | None
    pros: str
    cons: str
    cost: str
    effort: str | None


class Redirection(TypedDict, total=False):
    """Where the person was sent: a structure of the directory, or a name typed."""

    structure_id: str | None
    label: str
    reason: str


class StepState(TypedDict, total=False):
    """What became of one step of an accompaniment."""

    done: bool
    note: str


class HistoryEntry(TypedDict, total=False):
    """One thing done about a follow-up (more keys may say what, e.g. the new date)."""

    action: str
    date: str


class Participant(TypedDict, total=False):
    """A business (and the person who came) registered to a workshop."""

    id: str
    client_id: str
    contact_id: str | None
    attended: bool | None  # None until ticked on the day
    added_on: str


# ---------------------------------------------------------------------------- tables
class Stamped(TypedDict, total=False):
    """What every shared record carries besides its fields (see sync/registers.py)."""

    id: str
    created_at: str
    updated_at: str
    deleted: bool
    vv: dict[str, int]
    dot: list[Any]
    dots: dict[str, list[Any]]
    conflicts: dict[str, list[Any]]


class Client(Stamped, total=False):
    name: str
    trade: str
    activity_kind: str | None
    size: str | None
    employees: int | None
    siret: str
    address: str
    commune: str
    postal_code: str
    insee_code: str
    territory: str
    phone: str
    email: str
    contacts: list[Contact]
    notes: str
    anonymised: bool
    merged_into: str | None


class Session(Stamped, total=False):
    client_id: str | None
    contact_id: str | None
    interlocutor_role: str | None
    status: str
    close_reason: str | None
    current_step: str
    steps: dict[str, StepState]
    date: str
    duration_min: int | None
    place_kind: str | None
    place_structure_id: str | None
    place_label: str
    territory: str
    mediator: str
    equipment: list[str]
    request_said: str
    request_rephrased: str
    right_place: bool | None
    skills: dict[str, str]
    maturity: dict[str, str]
    need_nature: str | None
    needs: list[str]
    needs_text: str
    missions: list[str]
    solutions: list[Solution]
    answered: str | None
    synthesis: str
    other_questions: str
    to_find_out: list[str]
    deadline: str
    deadline_note: str
    callback_wanted: bool
    callback_date: str
    redirections: list[Redirection]
    topics_raised: list[str]
    satisfaction: str | None
    autonomy: str | None
    notes: str
    closed_at: str | None
    nudge_level: int | None
    anonymised: bool
    aids: list[str]


class Followup(Stamped, total=False):
    session_id: str | None
    client_id: str | None
    kind: str
    due_date: str
    reason: str
    status: str
    outcome_note: str
    solution_worked: str | None
    done_at: str | None
    history: list[HistoryEntry]
    anonymised: bool
    aid_id: str | None
    action_id: str | None
    workshop_id: str | None


class Structure(Stamped, total=False):
    name: str
    kind: str
    territory: str
    commune: str
    postal_code: str
    insee_code: str
    address: str
    address_extra: str
    latitude: float | None
    longitude: float | None
    phone: str
    emails: str
    websites: str
    opening_hours: str
    helps_with: str
    services: str
    notes: str
    siret: str
    source_id: str
    source_updated: str


class Workshop(Stamped, total=False):
    title: str
    themes: list[str]
    level: str | None
    date: str
    duration_min: int | None
    place_structure_id: str | None
    place_label: str
    territory: str
    mediators: list[str]
    participants: list[Participant]
    anonymous_count: int | None
    notes: str


class Aid(Stamped, total=False):
    name: str
    structure_id: str | None
    offers: list[str]
    activity_kinds: list[str]
    headcount_bands: list[str]
    territories: list[str]
    needs: list[str]
    amount: str
    how_to_apply: str
    source_url: str
    verified_on: str
    example: bool
    notes: str


class Action(Stamped, total=False):
    client_id: str | None
    session_id: str | None
    title: str
    need: str | None
    solution: str
    aid_id: str | None
    owner: str
    owner_structure_id: str | None
    due_date: str
    priority: str
    status: str
    done_at: str | None
    notes: str


class Device(Stamped, total=False):
    laptop: str
    mediator: str


TABLE_TYPES: dict[str, type] = {
    "clients": Client,
    "sessions": Session,
    "followups": Followup,
    "structures": Structure,
    "workshops": Workshop,
    "aids": Aid,
    "actions": Action,
    "devices": Device,
}


# ---------------------------------------------------------------------------- constructors
def consent(given: bool, wording: str, today: str) -> Consent:
    """What is stored about a consent: given or not, when, and the words agreed to (both
    left empty when it was not given)."""
    return {"given": given, "date": today if given else "", "wording": wording if given else ""}


def contact(
    *,
    role: str | None = None,
    name: str = "",
    phone: str = "",
    email: str = "",
    agreed: Consent | None = None,
    contact_id: str | None = None,
) -> Contact:
    """A person of a business; no consent yet unless `agreed` says so."""
    return {
        "id": contact_id or new_id(),
        "role": role,
        "name": name,
        "phone": phone,
        "email": email,
        "consent": agreed or {"given": False, "date": "", "wording": ""},
    }


def redirection(label: str, reason: str = "", structure_id: str | None = None) -> Redirection:
    """Where the person was sent (`structure_id` when it is a structure of the directory)."""
    return {"structure_id": structure_id, "label": label, "reason": reason}


def solution(
    *,
    solution_id: str | None = None,
    title: str = "",
    area: str | None = None,
    pros: str = "",
    cons: str = "",
    cost: str = "",
    effort: str | None = None,
) -> Solution:
    """A solution brought to the business (blank until the mediator fills it in)."""
    return {
        "id": solution_id or new_id(),
        "title": title,
        "area": area,
        "pros": pros,
        "cons": cons,
        "cost": cost,
        "effort": effort,
    }


def participant(client_id: str, contact_id: str | None = None) -> Participant:
    """A business (and the person who came) newly registered to a workshop."""
    return {
        "id": new_id(),
        "client_id": client_id,
        "contact_id": contact_id,
        "attended": None,
        "added_on": today_iso(),
    }
