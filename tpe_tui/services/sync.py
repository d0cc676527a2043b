"""Import of another laptop's file: read and check it whole, merge, write once, log."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from tpe_tui.domain.records import new_record
from tpe_tui.services.config import Config
from tpe_tui.storage.backups import list_backups
from tpe_tui.storage.exchange import export_file, read_foreign
from tpe_tui.storage.store import Store
from tpe_tui.sync import merge as sync
from tpe_tui.sync.versions import utc_now


@dataclass
class ImportOutcome:
    report: sync.MergeReport
    lines: list[str] = field(default_factory=list)
    backup: str | None = None
    changed: bool = False


def record_device(store: Store, config: Config | None) -> None:
    """Our laptop's and mediator's names in the shared `devices` table, so that the other
    laptops can label the values we wrote (only written when they changed)."""
    if config is None:
        return
    current = store.get("devices", store.device)
    names = {"laptop": config.laptop_name, "mediator": config.mediator}
    if current is None:
        store.put("devices", new_record("devices", id=store.device, **names))
    elif any(current.get(k) != v for k, v in names.items()):
        store.put("devices", {**current, **names})


def import_file(
    store: Store, source: Path, *, dry_run: bool = False, config: Config | None = None
) -> ImportOutcome:
    """Merge `source` into `store`. Any problem with `source` raises before anything changes."""
    theirs = read_foreign(source, store.device, store.path)
    if not dry_run:
        record_device(store, config)
    merged, report = sync.merge(store.shared_tables(), theirs)
    outcome = ImportOutcome(report=report, lines=sync.format_report(report))
    if dry_run:
        return outcome
    if report.changed:
        store.replace_shared(merged, reason="before-merge")
        backups = list_backups(store.path)
        outcome.backup = str(backups[0]) if backups else None
        outcome.changed = True
    else:
        outcome.lines.insert(0, "Rien de nouveau dans ce fichier : le vôtre est déjà à jour.")
    store.add_meta(
        {"kind": "sync_log", "at": utc_now(), "source": str(source), "report": report.as_dict()}
    )
    return outcome


def export(db: Path, target: Path, device: str) -> Path:
    """A complete copy of the data file (journal included) for another laptop."""
    return export_file(db, target, device)
