"""Collective workshops (*ateliers collectifs*): participants, attendance, counts. Pure.

A participant is a business of the client files with the person who came (a contact of
that business, kept under the same consent rule as in a visit) and whether they attended,
ticked on the day (None until then).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, cast

from tpe_tui.domain import types
from tpe_tui.domain.homonyms import telling_by_name
from tpe_tui.domain.personal_data import consented
from tpe_tui.domain.records import Record, client_display_name


def add_participant(
    workshop: Record, client_id: str, contact_id: str | None = None
) -> types.Participant:
    """The participant of this business (and person) in the workshop, added if new."""
    for participant in workshop.get("participants") or []:
        if participant.get("client_id") == client_id and (
            contact_id is None or participant.get("contact_id") in (None, contact_id)
        ):
            if contact_id and not participant.get("contact_id"):
                participant["contact_id"] = contact_id
            return cast(types.Participant, dict(participant))
    added = types.participant(client_id, contact_id)
    workshop["participants"] = [*(workshop.get("participants") or []), added]
    return added


def set_attendance(workshop: Record, participant_id: str, attended: bool | None) -> Record:
    """A copy of the workshop with one participant's attendance ticked (or reset)."""
    out = dict(workshop)
    out["participants"] = [
        {**p, "attended": attended} if p.get("id") == participant_id else p
        for p in workshop.get("participants") or []
    ]
    return out


def remove_participant(workshop: Record, participant_id: str) -> Record:
    out = dict(workshop)
    out["participants"] = [
        p for p in workshop.get("participants") or [] if p.get("id") != participant_id
    ]
    return out


@dataclass(frozen=True)
class Attendance:
    registered: int  # named participants
    attended: int  # named participants ticked present
    anonymous: int  # counted without a name

    @property
    def present(self) -> int:
        """Everyone in the room: ticked participants and anonymous ones."""
        return self.attended + self.anonymous

    def text(self) -> str:
        out = f"{self.attended}/{self.registered} présent(s)"
        if self.anonymous:
            out += f" + {self.anonymous} anonyme(s)"
        return out


def attendance(workshop: Mapping[str, Any]) -> Attendance:
    participants = [p for p in workshop.get("participants") or [] if isinstance(p, dict)]
    return Attendance(
        registered=len(participants),
        attended=sum(1 for p in participants if p.get("attended") is True),
        anonymous=int(workshop.get("anonymous_count") or 0),
    )


def person_of(client: Mapping[str, Any] | None, contact_id: str | None) -> Record:
    """The contact who came, or an empty one; without consent, no name is shown."""
    for contact in (client or {}).get("contacts") or []:
        if isinstance(contact, dict) and contact.get("id") == contact_id:
            return dict(contact) if consented(contact) else {**contact, "name": ""}
    return {}


@dataclass(frozen=True)
class ParticipantRow:
    participant_id: str
    client_id: str
    business: str
    person: str
    role: str  # interlocutor role code
    attended: bool | None


def participant_rows(workshop: Mapping[str, Any], client_of: Any) -> list[ParticipantRow]:
    """One row per participant, by business name; `client_of(id)` finds a business."""
    rows = []
    found = [
        (participant, client_of(participant.get("client_id")))
        for participant in workshop.get("participants") or []
        if isinstance(participant, dict)
    ]
    # Namesakes among the participants get what tells them apart (who signs where).
    told = telling_by_name([c for _, c in found if c], keys=("siret", "address", "commune"))
    for participant, client in found:
        person = person_of(client, participant.get("contact_id"))
        apart = told.get(str((client or {}).get("id")), "")
        rows.append(
            ParticipantRow(
                participant_id=participant["id"],
                client_id=(client or {}).get("id") or participant.get("client_id") or "",
                business=client_display_name(client) + (f" — {apart}" if apart else ""),
                person=person.get("name") or "",
                role=person.get("role") or "",
                attended=participant.get("attended"),
            )
        )
    rows.sort(key=lambda r: r.business.casefold())
    return rows


def attended_by(workshops: Iterable[Mapping[str, Any]], client_ids: set[str]) -> list[Record]:
    """Workshops one of these businesses took part in (registered or present), newest first."""
    found = [
        dict(w)
        for w in workshops
        if not w.get("deleted")
        and any(
            isinstance(p, dict) and p.get("client_id") in client_ids
            for p in w.get("participants") or []
        )
    ]
    found.sort(key=lambda w: w.get("date") or "", reverse=True)
    return found


def participation_of(workshop: Mapping[str, Any], client_ids: set[str]) -> bool | None:
    """Whether one of these businesses was present at the workshop (None: not ticked)."""
    ticks = [
        p.get("attended")
        for p in workshop.get("participants") or []
        if isinstance(p, dict) and p.get("client_id") in client_ids
    ]
    if any(t is True for t in ticks):
        return True
    if ticks and all(t is False for t in ticks):
        return False
    return None
