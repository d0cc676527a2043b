"""The client file (*fiche entreprise*): one business with its history, its probable
duplicates and its people's rights (access, erasure, retention). Thread workers call these."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from tpe_tui.domain import duplicates, personal_data
from tpe_tui.domain.plain_text import printable
from tpe_tui.domain.records import (
    FOLLOWUP_OPEN_STATUSES,
    Record,
    anonymise,
    short_reference,
    today,
)
from tpe_tui.domain.text import slug
from tpe_tui.services.workspace import Workspace
from tpe_tui.storage import paths


@dataclass
class ClientFile:
    client: Record
    sessions: list[Record] = field(default_factory=list)  # newest first
    followups: list[Record] = field(default_factory=list)  # by due date
    duplicates: list[Record] = field(default_factory=list)
    retention: str | None = None  # "soon" when an automatic anonymisation is near
    duplicates_known: bool = True  # False: not looked for yet (`load(with_duplicates=False)`)

    @classmethod
    def load(
        cls, workspace: Workspace, client_id: str, *, with_duplicates: bool = True
    ) -> ClientFile | None:
        """The file of a business. Looking for its duplicates compares it with every other
        business (0.75 s at 100k sessions): a screen may ask for them apart
        (`duplicates_of`), once the rest is shown."""
        client = workspace.client(client_id)
        if client is None or client.get("deleted"):
            return None
        sessions = sorted(
            workspace.client_sessions(client["id"]), key=lambda s: s.get("date") or "", reverse=True
        )
        followups = sorted(
            workspace.client_followups(client["id"]), key=lambda f: f.get("due_date") or ""
        )
        last = personal_data.last_activity(client, sessions, followups)
        state = personal_data.retention_state(last, today(), workspace.config.retention_days)
        return cls(
            client=client,
            sessions=[dict(s) for s in sessions],
            followups=[dict(f) for f in followups],
            duplicates=duplicates_of(workspace, client) if with_duplicates else [],
            retention=state if personal_data.has_personal_data(client) else None,
            duplicates_known=with_duplicates,
        )


def duplicates_of(workspace: Workspace, client: Record) -> list[Record]:
    """The businesses that are probably this one, entered again (from the index the
    workspace keeps by SIRET, name, phone, e-mail and commune)."""
    return workspace.client_index.duplicates_of(client)


def siret_owners(workspace: Workspace) -> dict[str, Record]:
    """The live businesses by SIRET (a SIRET names one business): what a form checks a
    typed SIRET against, so that a second file for the same business is not made without
    a word (acceptance finding NEW3-35). Only what names them is kept."""
    return {
        str(c["siret"]): {k: c.get(k) for k in ("id", "name", "commune", "siret")}
        for c in workspace.store.records("clients")
        if c.get("siret") and not c.get("merged_into") and not c.get("anonymised")
    }


def discard_unused(workspace: Workspace, client_id: str, session_id: str) -> bool:
    """Delete a business made moments ago in a visit's step 2 (`session_id`) when another
    file was picked instead: unless something else already refers to it."""
    store = workspace.store
    with store.locked():
        client = store.get("clients", client_id)
        if client is None or client.get("deleted"):
            return False
        for table in ("sessions", "followups", "actions"):
            for record in store.records(table):
                if record.get("client_id") == client_id and record.get("id") != session_id:
                    return False
        workspace.save_client({**client, "deleted": True})
    return True


def merge(workspace: Workspace, kept_id: str, other_id: str) -> Record:
    """Merge a duplicate into the kept business; its sessions and follow-ups follow.

    Every change is an ordinary saved edit, so a sync carries the merge to other laptops;
    sessions made there before it still find the business through `merged_into`.
    """
    store = workspace.store
    with store.locked():
        kept, other = store.get("clients", kept_id), store.get("clients", other_id)
        if kept is None or other is None:
            raise KeyError(other_id if kept else kept_id)
        new_kept, tombstone = duplicates.merge(kept, other)
        saved = workspace.save_client(new_kept)
        workspace.save_client(tombstone)
        for table in ("sessions", "followups"):
            for record in list(store.records(table)):
                if record.get("client_id") == other_id:
                    moved = {**record, "client_id": kept_id}
                    if table == "sessions":
                        workspace.save_session(moved)
                    else:
                        store.put(table, moved)
    return saved


def export_personal(
    workspace: Workspace, client_id: str, folder: Path | None = None
) -> tuple[Path, Path]:
    """Write all that is held about a business and its people (Markdown and JSON)."""
    from tpe_tui.storage.atomic import atomic_write

    file = ClientFile.load(workspace, client_id)
    if file is None:
        raise KeyError(client_id)
    from tpe_tui.services import action_plan, workshops

    held = personal_data.held_about(
        file.client,
        file.sessions,
        file.followups,
        action_plan.actions_of(workspace, file.client["id"]),
        # A workshop's other participants are not this business's data.
        [
            {k: v for k, v in w.items() if k != "participants"}
            for w in workshops.of_client(workspace, file.client["id"])
        ],
    )
    folder = paths.private_dir(folder or paths.documents_dir())
    # The business's reference in the name: two homonyms exported the same day, two files.
    name = slug(file.client.get("name") or "")
    stem = f"{today().isoformat()}-{name}-donnees-personnelles-{short_reference(file.client['id'])}"
    md, js = folder / f"{stem}.md", folder / f"{stem}.json"
    # Structures, aids and actions it refers to, by their names rather than their ids.
    names = {
        str(r["id"]): str(r.get("name") or r.get("title") or "")
        for table in ("structures", "aids", "actions")
        for r in workspace.store.records(table, deleted=True)
    }
    # The document a person reads: no control character (bidi ones included, NEW4-23); the
    # .json twin keeps every value as stored.
    document = printable(personal_data.as_markdown(held, today(), names))
    atomic_write(md, document.encode("utf-8"))
    atomic_write(js, personal_data.as_json(held))
    return md, js


class Holdings:
    """The records an erasure touches (tombstones included), read once and looked up by
    business: erasing 252 businesses at once (the retention rule at opening) scanned every
    table for each of them, most of the 45 s of that opening at 10k (NEW4-30)."""

    def __init__(self, workspace: Workspace) -> None:
        store = workspace.store
        clients = list(store.records("clients", deleted=True))
        self.merged = personal_data.merged_into_each(clients)
        self.by_owner: dict[str, dict[str, list[Record]]] = {
            table: {} for table in personal_data.ERASED_TABLES
        }
        for client in clients:
            self.by_owner["clients"].setdefault(client["id"], []).append(client)
        for table in personal_data.ERASED_TABLES[1:]:
            owned = self.by_owner[table]
            for record in store.records(table, deleted=True):
                owned.setdefault(record.get("client_id") or "", []).append(record)

    def family(self, client_id: str) -> set[str]:
        """The business's id and those of the duplicates merged into it."""
        return personal_data.family_in(self.merged, client_id)

    def records(self, ids: set[str]) -> dict[str, list[Record]]:
        """The records of the businesses `ids`, by table (the stored ones: read only)."""
        return {
            table: [r for owner in sorted(ids) for r in owned.get(owner, [])]
            for table, owned in self.by_owner.items()
        }


def erase(workspace: Workspace, client_id: str, holdings: Holdings | None = None) -> Record:
    """Erase a business's people: personal fields emptied in the file (not hidden), in the
    business, its sessions and follow-ups; the sessions stay, countable. `holdings`: the
    records read once for many erasures, under the store's lock held meanwhile."""
    store = workspace.store
    with store.locked():
        client = workspace.client(client_id)
        if client is None:
            raise KeyError(client_id)
        held = holdings or Holdings(workspace)
        ids = held.family(client["id"])
        rows = held.records(ids)
        saved = workspace.save_client(anonymise("clients", client))
        for tomb in rows["clients"]:
            if tomb["id"] != client["id"] and not tomb.get("anonymised"):
                store.put("clients", anonymise("clients", tomb))
        for session in rows["sessions"]:
            workspace.save_session(anonymise("sessions", session))
        for followup in rows["followups"]:
            erased = anonymise("followups", followup)
            if erased.get("status") in FOLLOWUP_OPEN_STATUSES:
                # Nobody left to call: off the agenda and out of « en retard » (NEW3-17).
                erased["status"] = "abandoned"
            store.put("followups", erased)
        for action in rows["actions"]:
            if action.get("notes"):
                workspace.save_programme("actions", anonymise("actions", action))
    return saved


def retention_due(workspace: Workspace) -> tuple[list[Record], list[Record]]:
    """Businesses whose people's data must be anonymised now, and those within the notice."""
    due, soon = [], []
    sessions: dict[str, list[Record]] = {}
    for s in workspace.store.records("sessions"):
        sessions.setdefault(s.get("client_id") or "", []).append(s)
    followups: dict[str, list[Record]] = {}
    for f in workspace.store.records("followups"):
        followups.setdefault(f.get("client_id") or "", []).append(f)
    for client in workspace.store.records("clients"):
        if client.get("merged_into") or not personal_data.has_personal_data(client):
            continue
        last = personal_data.last_activity(
            client, sessions.get(client["id"], []), followups.get(client["id"], [])
        )
        state = personal_data.retention_state(last, today(), workspace.config.retention_days)
        if state == "due":
            due.append(client)
        elif state == "soon":
            soon.append(client)
    return due, soon


def apply_retention(
    workspace: Workspace, starting: Callable[[int], object] | None = None
) -> tuple[int, int]:
    """Anonymise the businesses past the retention period; (done, coming within the notice).
    `starting` is told how many before the work starts (seconds at 10k: said on screen)."""
    due, soon = retention_due(workspace)
    if due:
        if starting is not None:
            starting(len(due))
        # The whole erasure, as F8 does it: the journal and the backups too. Imported here:
        # the erasure builds on this module.
        from tpe_tui.services import erasure

        erasure.erase_all(workspace, [client["id"] for client in due])
    return len(due), len(soon)
