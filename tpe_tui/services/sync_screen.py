"""What the sync and conflicts screens read and do, over the workspace (no Textual)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tpe_tui.domain.records import Record
from tpe_tui.services import sync as sync_service
from tpe_tui.services import team_folder
from tpe_tui.services.workspace import Workspace
from tpe_tui.storage import removable
from tpe_tui.storage.exchange import export_file
from tpe_tui.sync import conflicts


def sync_log(workspace: Workspace, limit: int = 5) -> list[str]:
    """The last merges, newest first, one French line each."""
    entries = [d for d in workspace.store.records("meta") if d.get("kind") == "sync_log"]
    entries.sort(key=lambda d: str(d.get("at") or ""), reverse=True)
    lines = []
    for entry in entries[:limit]:
        report = entry.get("report") or {}
        totals = {
            key: sum(int(t.get(key, 0)) for t in report.values() if isinstance(t, dict))
            for key in ("new", "updated", "conflicts", "deletions")
        }
        when = str(entry.get("at") or "")[:16].replace("T", " ")
        lines.append(
            f"{when} · {Path(str(entry.get('source') or '?')).name} : {totals['new']} nouveau(x), "
            f"{totals['updated']} mis à jour, {totals['conflicts']} conflit(s), "
            f"{totals['deletions']} suppression(s)"
        )
    return lines


def merge_file(
    workspace: Workspace, path: Path, dry_run: bool, confirmed: bool = False
) -> sync_service.ImportOutcome:
    outcome = sync_service.import_file(
        workspace.store, path, dry_run=dry_run, config=workspace.config, confirmed=confirmed
    )
    if outcome.changed:
        workspace.forget_caches()
    return outcome


def merge_team_folder(workspace: Workspace, folder: Path, dry_run: bool) -> list[str]:
    """The team-folder routine from the screen: merge every file there, leave ours; the
    report as French lines."""
    outcome = team_folder.sync_folder(workspace.store, folder, dry_run=dry_run)
    if outcome.merged:
        workspace.forget_caches()
    lines = []
    for name, said in outcome.merged:
        lines += [f"{name} :", *(f"  {line}" for line in said)]
    lines += [f"Ignoré — {reason}" for reason in outcome.skipped]
    if not outcome.merged:
        lines.append("Aucun fichier d’un autre ordinateur à fusionner dans ce dossier.")
    if outcome.written:
        lines.append(f"Notre fichier est déposé : {outcome.written}")
    return lines


def export(workspace: Workspace, target: Path) -> Path:
    """Our file, complete and atomic, where the mediator asked (a folder or a file)."""
    store = workspace.store
    sync_service.record_device(store, workspace.config)
    with store.locked():
        store.compact()  # the journal folded in: the copy is the latest state
        return export_file(store.path, target, store.device)


def candidates() -> list[Path]:
    return removable.json_files()


def in_conflict(workspace: Workspace) -> list[conflicts.Conflict]:
    with workspace.store.locked():
        return conflicts.in_conflict(workspace.store.shared_tables())


def field_conflicts(
    workspace: Workspace, table: str, record_id: str
) -> tuple[list[conflicts.FieldConflict], dict[str, Record]]:
    """The conflicting fields of one record, and the laptops' names for their labels."""
    record = workspace.store.get(table, record_id)
    tombstones = []
    if table == "clients":
        tombstones = [
            c
            for c in workspace.store.records("clients", deleted=True)
            if c.get("merged_into") == record_id
        ]
    found = conflicts.field_conflicts(table, record, tombstones) if record else []
    devices = {d["id"]: d for d in workspace.store.records("devices")}
    return found, devices


def keep_value(workspace: Workspace, table: str, record_id: str, path: str, value: Any) -> Record:
    """Keep one value of a field (or a combined one typed by the mediator): a new edit of
    that field that supersedes every value held there, and syncs like any other."""
    record = workspace.store.get(table, record_id)
    if record is None:
        raise KeyError(record_id)
    chosen = conflicts.settled(table, record, path, value)
    kept = workspace.store.resolve(table, record_id, chosen, [path])
    workspace.forget_caches()
    return kept


def short_name(path: Path) -> str:
    """How a file on removable media is named in the list (its medium and name)."""
    return removable.short_name(path)
