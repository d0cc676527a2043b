"""The action plan of a business over the workspace: its actions, their agenda follow-ups,
and the plan as a document."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from tpe_tui.documents import summary
from tpe_tui.documents.workshop_documents import plan_context
from tpe_tui.domain import action_plan
from tpe_tui.domain.plain_text import printable
from tpe_tui.domain.records import (
    Record,
    ValidationError,
    client_display_name,
    new_record,
    short_reference,
    today,
    today_iso,
    with_defaults,
)
from tpe_tui.domain.text import fold
from tpe_tui.services.lookup import UnknownRecord, by_id_prefix
from tpe_tui.services.summary import save_as
from tpe_tui.services.workspace import Workspace
from tpe_tui.storage import paths


def actions_of(workspace: Workspace, client_id: str) -> list[Record]:
    """The plan of a business (and of duplicates merged into it), in plan order."""
    ids = workspace.merged_ids(client_id)
    return action_plan.ordered(
        a for a in workspace.store.records("actions") if a.get("client_id") in ids
    )


def save(workspace: Workspace, action: Record) -> Record:
    """Save an action and bring its agenda follow-up in step with its due date and status."""
    record = (
        with_defaults("actions", action) if action.get("id") else new_record("actions", **action)
    )
    if not str(record.get("title") or "").strip():
        raise ValidationError("Le titre de l’action est obligatoire.")
    if record.get("status") == "done" and not record.get("done_at"):
        record["done_at"] = today_iso()
    store = workspace.store
    with store.locked():
        saved = workspace.save_programme("actions", record)
        existing = next(
            (
                f
                for f in store.records("followups", deleted=True)
                if f.get("action_id") == saved["id"]
            ),
            None,
        )
        followup = action_plan.agenda_followup(saved, dict(existing) if existing else None)
        if followup is not None:
            store.put("followups", followup)
    return saved


def settle_from_agenda(workspace: Workspace) -> int:
    """Bring in step the actions whose follow-up the agenda settled or moved while the two
    were not kept in step (files from before they were): run once the file is open, it
    writes only what disagrees, as ordinary edits that sync. The number of actions changed."""
    store = workspace.store
    late = []
    for followup in store.records("followups"):
        action_id = followup.get("action_id")
        action = store.peek("actions", action_id) if action_id else None
        if (
            action is not None
            and not action.get("deleted")
            and action_plan.needs_settling(action, followup)
        ):
            late.append((action, followup))
    for action, followup in late:
        in_step = action_plan.action_after_followup(action, followup, today_iso())
        if in_step is not None:
            save(workspace, in_step)
    return len(late)


def set_status(workspace: Workspace, action_id: str, status: str) -> Record:
    action = workspace.store.get("actions", action_id)
    if action is None:
        raise ValidationError("Cette action n’existe plus.")
    return save(workspace, action_plan.set_status(action, status, today_iso()))


def delete(workspace: Workspace, action_id: str) -> None:
    action = workspace.store.get("actions", action_id)
    if action is None:
        return
    save(workspace, {**action, "deleted": True})


@dataclass
class Plan:
    """What the client file shows of the plan."""

    actions: list[Record] = field(default_factory=list)
    aid_names: dict[str, str] = field(default_factory=dict)
    progress: action_plan.Progress = field(default_factory=lambda: action_plan.Progress(0, 0))
    maturity: tuple[Record, Record] | None = None

    @classmethod
    def load(cls, workspace: Workspace, client_id: str) -> Plan:
        actions = actions_of(workspace, client_id)
        aid_ids = {str(a["aid_id"]) for a in actions if a.get("aid_id")}
        names = {
            aid_id: str((workspace.store.peek("aids", aid_id) or {}).get("name") or "")
            for aid_id in aid_ids
        }
        return cls(
            actions=actions,
            aid_names=names,
            progress=action_plan.progress(actions),
            maturity=action_plan.maturity_trail(workspace.client_sessions(client_id)),
        )


def find_business(workspace: Workspace, named: str) -> Record:
    """The business named on the command line, following a merge into another business:
    by the start of its id (a unique one is enough), else by its name, whole or the start
    of one of its words (finding NEW5-7: the id is shown nowhere in the app). Several
    names match: they are listed with the start of their id, to give instead."""
    try:
        found = by_id_prefix(workspace, "clients", named, "Aucune entreprise", "entreprises")
    except UnknownRecord as by_id:
        found = _by_name(workspace, named, by_id)
    return workspace.client(found["id"]) or found


def _by_name(workspace: Workspace, named: str, by_id: UnknownRecord) -> Record:
    wanted = fold(named.strip())
    at_word_start = re.compile(r"(?:^|\W)" + re.escape(wanted)) if wanted else None
    found = [
        c
        for c in workspace.store.records("clients")
        if at_word_start and at_word_start.search(fold(str(c.get("name") or "")))
    ]
    if len(found) == 1:
        return found[0]
    shown = printable(named.strip())
    if not found:
        raise UnknownRecord(
            f"Aucune entreprise ne correspond à « {shown} », ni par son nom ni par le début"
            " de son identifiant."
        ) from by_id
    listed = "\n".join(
        f"  {short_reference(c['id'])}  {printable(client_display_name(c))}"
        for c in sorted(found, key=lambda c: fold(client_display_name(c)))
    )
    raise UnknownRecord(
        f"« {shown} » correspond à {len(found)} entreprises ; donnez l’identifiant (ou son"
        f" début) de celle voulue :\n{listed}"
    ) from by_id


def render(workspace: Workspace, client: Record) -> summary.Rendered:
    context = plan_context(
        client,
        actions_of(workspace, client["id"]),
        workspace.client_sessions(client["id"]),
        workspace.store.records("aids", deleted=True),
        workspace.store.records("structures", deleted=True),
        today(),
    )
    return summary.render("plan.md.j2", context, paths.user_templates_dir())


def title(client: Record) -> str:
    return f"Plan d’actions numérique — {client.get('name') or 'entreprise'}"


@dataclass
class PlanDocument:
    """The plan of one business as a document: rendered once, then previewed, saved in any
    format or printed (as a summary is)."""

    client: Record
    rendered: summary.Rendered
    protected: Path | None = None  # the data file in use: never written over

    @classmethod
    def of(cls, workspace: Workspace, client: Record) -> PlanDocument:
        return cls(client, render(workspace, client), workspace.store.path)

    def title(self) -> str:
        return title(self.client)

    def reference(self) -> str:
        return short_reference(self.client.get("id"))

    def save(self, fmt: str, target: Path | None = None) -> Path:
        """Written to the documents folder, or to `target` (a file, or a folder)."""
        stem = summary.file_stem(
            {"date": today_iso()}, self.client, "plan-d-actions", self.reference()
        )
        return save_as(self.rendered.text, self.title(), fmt, stem, target, self.protected)


def save_document(
    workspace: Workspace, client: Record, fmt: str = "pdf", target: Path | None = None
) -> tuple[Path, list[str]]:
    document = PlanDocument.of(workspace, client)
    return document.save(fmt, target), document.rendered.warnings
