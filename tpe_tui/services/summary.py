"""Gather one session's records and turn them into files: Markdown, HTML, PDF."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tpe_tui.documents import summary
from tpe_tui.domain.errors import TpeError
from tpe_tui.domain.records import short_reference
from tpe_tui.services.lookup import by_id_prefix
from tpe_tui.services.workspace import Workspace
from tpe_tui.storage import paths


class UnknownSession(TpeError):
    """No session, or several, match what was typed."""


def find_session(workspace: Workspace, prefix: str) -> dict[str, Any]:
    """The session whose id starts with `prefix` (a unique prefix is enough)."""
    return by_id_prefix(
        workspace, "sessions", prefix, "Aucun accompagnement", "accompagnements", UnknownSession
    )


@dataclass
class SummarySource:
    """One session with what its summary shows."""

    session: dict[str, Any]
    client: dict[str, Any] | None
    structures: list[dict[str, Any]]
    followups: list[dict[str, Any]]
    mediator: dict[str, str] | None = None  # how the client reaches the mediator
    aids: list[dict[str, Any]] = field(default_factory=list)  # attached to the session
    plan: list[dict[str, Any]] = field(default_factory=list)  # the business's open actions

    @classmethod
    def of(cls, workspace: Workspace, session: dict[str, Any]) -> SummarySource:
        """The session with its business (merged duplicates followed by the workspace, the
        one place that does it), the directory and the session's follow-ups."""
        return cls(
            session=session,
            client=workspace.client(session.get("client_id")),
            structures=list(workspace.store.records("structures")),
            followups=[
                f
                for f in workspace.store.records("followups")
                if f.get("session_id") == session["id"]
            ],
            mediator=workspace.config.mediator_contact(),
            aids=[
                a
                for a in (workspace.store.peek("aids", i) for i in session.get("aids") or [])
                if a is not None and not a.get("deleted")
            ],
            plan=_plan_of(workspace, session),
        )

    def render(self, template: str = "summary.md.j2") -> summary.Rendered:
        context = summary.build_context(
            self.session,
            self.client,
            self.structures,
            self.followups,
            self.mediator,
            aids=self.aids,
            plan=self.plan,
        )
        return summary.render(template, context, paths.user_templates_dir())

    def title(self) -> str:
        name = (self.client or {}).get("name") or "entreprise"
        return f"Accompagnement numérique — {name}"

    def stem(self, kind: str = "compte-rendu") -> str:
        reference = short_reference(self.session.get("id"))
        return summary.file_stem(self.session, self.client, kind, reference)


def _plan_of(workspace: Workspace, session: dict[str, Any]) -> list[dict[str, Any]]:
    """The action plan shown with a visit: its business's open actions, and those this
    visit brought to an end."""
    from tpe_tui.domain.action_plan import OPEN_STATUSES, ordered

    client_id = session.get("client_id")
    if not client_id:
        return []
    ids = workspace.merged_ids(client_id)
    return ordered(
        a
        for a in workspace.store.records("actions")
        if a.get("client_id") in ids
        and (a.get("status") in OPEN_STATUSES or a.get("session_id") == session["id"])
    )


def save_summary(
    source: SummarySource,
    fmt: str,
    target: Path | None = None,
    template: str = "summary.md.j2",
    protected: Path | None = None,
) -> tuple[Path, list[str]]:
    """Write the summary as md, html or pdf (atomically); returns the path and warnings.

    `protected` is the data file in use: a target that is it (or one of its files) is refused.
    """
    kind = "fiche" if template.startswith("record") else "compte-rendu"
    rendered = source.render(template)
    path = save_as(rendered.text, source.title(), fmt, source.stem(kind), target, protected)
    return path, rendered.warnings


def save_as(
    markdown: str,
    title: str,
    fmt: str,
    stem: str,
    target: Path | None = None,
    protected: Path | None = None,
) -> Path:
    """Write a document named `stem`.`fmt` in the documents folder, or at `target` (a file,
    or a folder to put it in), never over the data file in use (`protected`) or one of its
    files; returns where it was written."""
    from tpe_tui.storage.guard import output_path

    name = f"{stem}.{fmt}"
    if target is None:
        target = paths.private_dir(paths.documents_dir()) / name
    return write_document(markdown, title, fmt, output_path(target, [protected], name))


def write_document(markdown: str, title: str, fmt: str, target: Path) -> Path:
    """Markdown written as md, a printable html page or an A4 pdf (atomically).

    The target is checked first (never the data file or one of its files, never a device or
    a pipe; a symbolic link is written through), whichever document calls it."""
    from tpe_tui.storage.atomic import atomic_write
    from tpe_tui.storage.guard import output_path

    target = output_path(target)
    if fmt == "md":
        atomic_write(target, markdown.encode("utf-8"))
    elif fmt == "html":
        atomic_write(target, summary.html_page(markdown, title).encode("utf-8"))
    elif fmt == "pdf":
        from tpe_tui.documents.pdf import write_pdf

        write_pdf(markdown, title, target)
    else:
        raise ValueError(fmt)
    return target
