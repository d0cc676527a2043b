"""Collective workshops over the workspace: list, save, participants, documents.

Thread workers call these; every write is an ordinary saved edit, so sync carries it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tpe_tui.documents import summary
from tpe_tui.documents.workshop_documents import workshop_context
from tpe_tui.domain import homonyms, types, workshops
from tpe_tui.domain.errors import TpeError
from tpe_tui.domain.personal_data import keep_consented_only
from tpe_tui.domain.records import (
    CONSENT_WORDING,
    WORKSHOP_FIELDS,
    Record,
    ValidationError,
    clean_email,
    clean_phone,
    client_display_name,
    new_record,
    short_reference,
    today_iso,
    with_defaults,
)
from tpe_tui.domain.text import compact
from tpe_tui.services.lookup import by_id_prefix
from tpe_tui.services.summary import save_as
from tpe_tui.services.workspace import Workspace
from tpe_tui.storage import paths

DOCUMENTS = {"sheet": "attendance.md.j2", "recap": "workshop_recap.md.j2"}
DOCUMENT_KINDS = {"sheet": "emargement", "recap": "recapitulatif"}
# What the workshop form edits; participants change only through the functions below.
DETAIL_FIELDS = frozenset(f.name for f in WORKSHOP_FIELDS) - {"participants"}


class UnknownWorkshop(TpeError):
    """The workshop being changed is gone (deleted, here or by a sync)."""


def listing(workspace: Workspace) -> list[Record]:
    """Live workshops, newest first."""
    found = list(workspace.store.records("workshops"))
    found.sort(key=lambda w: (w.get("date") or "", w.get("created_at") or ""), reverse=True)
    return found


def new_workshop(workspace: Workspace, title: str = "Nouvel atelier") -> Record:
    mediator = workspace.config.mediator
    return new_record(
        "workshops", title=title, date=today_iso(), mediators=[mediator] if mediator else []
    )


def save(workspace: Workspace, workshop: Record) -> Record:
    record = with_defaults("workshops", workshop)
    if not str(record.get("title") or "").strip():
        raise ValidationError("Le titre de l’atelier est obligatoire.")
    return workspace.save_programme("workshops", record)


def save_details(workspace: Workspace, edited: Record) -> Record:
    """Save what the workshop form edits, leaving the participants as stored: a roll call
    made meanwhile (another worker) is not undone by a form save queued before it."""
    store = workspace.store
    with store.locked():
        current = store.get("workshops", edited["id"])
        if current is None:
            return save(workspace, edited)
        details = {k: v for k, v in edited.items() if k in DETAIL_FIELDS}
        return save(workspace, {**current, **details})


def delete(workspace: Workspace, workshop_id: str) -> Record | None:
    return workspace.delete_programme("workshops", workshop_id)


def find(workspace: Workspace, prefix: str) -> Record:
    """The workshop whose id starts with `prefix` (a unique prefix is enough)."""
    return by_id_prefix(workspace, "workshops", prefix, "Aucun atelier", "ateliers")


# ---------------------------------------------------------------------------- participants
@dataclass
class Newcomer:
    """A business met for the first time at the workshop, and the person who came."""

    business: str
    person: str = ""
    phone: str = ""
    email: str = ""
    role: str | None = None
    consent: bool = False


def _person(newcomer: Newcomer) -> types.Contact:
    """The contact of the person who came, under the consent rule of a visit."""
    return types.contact(
        role=newcomer.role,
        name=newcomer.person.strip(),
        phone=clean_phone(newcomer.phone),
        email=clean_email(newcomer.email),
        agreed=types.consent(newcomer.consent, CONSENT_WORDING, today_iso()),
    )


def add_newcomer(workspace: Workspace, workshop_id: str, newcomer: Newcomer) -> Record:
    """Create the business on the spot (with its person) and register it; the workshop."""
    if not newcomer.business.strip():
        raise ValidationError("Le nom de l’entreprise est obligatoire.")
    store = workspace.store
    with store.locked():
        workshop = store.get("workshops", workshop_id)
        if workshop is None:
            raise UnknownWorkshop("Cet atelier n’existe plus.")
        contact = _person(newcomer)
        client = new_record(
            "clients",
            name=newcomer.business.strip(),
            territory=workshop.get("territory") or "",
            contacts=[contact] if newcomer.person.strip() or newcomer.role else [],
        )
        saved_client = workspace.save_client(keep_consented_only(client))
        workshops.add_participant(
            workshop, saved_client["id"], contact["id"] if saved_client["contacts"] else None
        )
        return workspace.save_programme("workshops", workshop)


def _known_contact(client: Record, person: str) -> dict[str, Any] | None:
    """The business's contact of that name (accents, case and spacing aside), if any."""
    wanted = compact(person)
    if not wanted:
        return None
    for contact in client.get("contacts") or []:
        if isinstance(contact, dict) and compact(str(contact.get("name") or "")) == wanted:
            return contact
    return None


def add_client(
    workspace: Workspace, workshop_id: str, client_id: str, newcomer: Newcomer | None = None
) -> Record:
    """Register a business of the client files; `newcomer` names the person who came
    (added to its contacts under the consent rule). The workshop."""
    store = workspace.store
    with store.locked():
        workshop = store.get("workshops", workshop_id)
        client = workspace.client(client_id)
        if workshop is None or client is None:
            raise UnknownWorkshop("Cet atelier ou cette entreprise n’existe plus.")
        contact_id = None
        known = _known_contact(client, newcomer.person if newcomer else "")
        if known is not None:  # the person already in the file (with her consent, or not)
            contact_id = str(known["id"])
        elif newcomer is not None and (newcomer.person.strip() or newcomer.role):
            contact = _person(newcomer)
            client["contacts"] = [*(client.get("contacts") or []), contact]
            workspace.save_client(keep_consented_only(client))
            contact_id = contact["id"]
        workshops.add_participant(workshop, client["id"], contact_id)
        return workspace.save_programme("workshops", workshop)


def namesakes(workspace: Workspace, business: str) -> list[tuple[Record, str]]:
    """The client files of that name (accents, case and punctuation aside), each with a
    label that tells it apart from the others (commune, SIRET, contact, phone…)."""
    wanted = compact(business)
    if not wanted:
        raise ValidationError("Le nom de l’entreprise est obligatoire.")
    found = [
        c
        for c in workspace.store.records("clients")
        if not c.get("merged_into") and compact(c.get("name") or "") == wanted
    ]
    found.sort(key=lambda c: (compact(c.get("commune") or ""), c.get("created_at") or ""))
    details = homonyms.telling(found, ("siret", "contact", "phone", "address", "email"))
    return [
        (
            dict(c),
            " — ".join(x for x in (client_display_name(c), details[str(c["id"])]) if x),
        )
        for c in found
    ]


def register(
    workspace: Workspace, workshop_id: str, newcomer: Newcomer, client_id: str | None = None
) -> Record:
    """Register the business the person picked among its namesakes (`client_id`), or
    create it on the spot (None)."""
    if client_id is not None:
        return add_client(workspace, workshop_id, client_id, newcomer)
    return add_newcomer(workspace, workshop_id, newcomer)


def set_attendance(
    workspace: Workspace, workshop_id: str, participant_id: str, attended: bool | None
) -> Record:
    store = workspace.store
    with store.locked():
        workshop = store.get("workshops", workshop_id)
        if workshop is None:
            raise UnknownWorkshop("Cet atelier n’existe plus.")
        return workspace.save_programme(
            "workshops", workshops.set_attendance(workshop, participant_id, attended)
        )


def remove_participant(workspace: Workspace, workshop_id: str, participant_id: str) -> Record:
    store = workspace.store
    with store.locked():
        workshop = store.get("workshops", workshop_id)
        if workshop is None:
            raise UnknownWorkshop("Cet atelier n’existe plus.")
        return workspace.save_programme(
            "workshops", workshops.remove_participant(workshop, participant_id)
        )


def followup_for(workspace: Workspace, workshop: Record, client_id: str, due: str) -> Record:
    """A follow-up of a participant after the workshop, on the agenda at `due`."""
    if not due:
        raise ValidationError("La date du suivi est obligatoire.")
    title = workshop.get("title") or "l’atelier"
    followup = new_record(
        "followups",
        client_id=client_id,
        workshop_id=workshop["id"],
        kind="workshop",
        due_date=due,
        reason=f"Suite de l’atelier « {title} »",
    )
    return workspace.store.put("followups", followup)


def rows(workspace: Workspace, workshop: Record) -> list[workshops.ParticipantRow]:
    return workshops.participant_rows(workshop, workspace.client_view)


def of_client(workspace: Workspace, client_id: str) -> list[Record]:
    """Workshops a business (or a duplicate merged into it) took part in, newest first."""
    return workshops.attended_by(
        workspace.store.records("workshops"), workspace.merged_ids(client_id)
    )


# ---------------------------------------------------------------------------- documents
def render(workspace: Workspace, workshop: Record, document: str) -> summary.Rendered:
    """The attendance sheet ("sheet") or the recap ("recap") in Markdown."""
    context = workshop_context(
        workshop,
        workspace.client_view,
        workspace.structures(),
        workspace.config.mediator_contact(),
    )
    return summary.render(DOCUMENTS[document], context, paths.user_templates_dir())


def file_stem(workshop: Record, document: str) -> str:
    slug = summary.file_stem({"date": workshop.get("date")}, {"name": workshop.get("title")}, "")
    # Its reference in the name: two workshops of one title on one day, two files.
    return f"{slug.rstrip('-')}-{DOCUMENT_KINDS[document]}-{short_reference(workshop.get('id'))}"


def save_document(
    workspace: Workspace,
    workshop: Record,
    document: str,
    fmt: str = "pdf",
    target: Path | None = None,
) -> tuple[Path, list[str]]:
    """Write the sheet or the recap as md, html or pdf (atomically), in the documents
    folder or at `target` (a file, or a folder), never over the data file in use or one of
    its files; where it was written, and the warnings."""
    rendered = render(workspace, workshop, document)
    heading = "Feuille d’émargement" if document == "sheet" else "Atelier"
    title = f"{heading} — {workshop.get('title') or ''}"
    stem = file_stem(workshop, document)
    written = save_as(rendered.text, title, fmt, stem, target, workspace.store.path)
    return written, rendered.warnings
