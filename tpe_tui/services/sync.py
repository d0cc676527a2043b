"""Import of another laptop's file: read and check it whole, merge, write once, log."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tpe_tui.domain import integrity
from tpe_tui.domain.errors import ImportFileError
from tpe_tui.domain.plain_text import plain_data
from tpe_tui.domain.records import new_record
from tpe_tui.services import erasure
from tpe_tui.services.config import Config
from tpe_tui.storage.backups import list_backups
from tpe_tui.storage.exchange import export_file, holds_controls, read_foreign
from tpe_tui.storage.store import Store
from tpe_tui.sync import conflicts
from tpe_tui.sync import merge as sync
from tpe_tui.sync.versions import utc_now


@dataclass
class ImportOutcome:
    report: sync.MergeReport
    lines: list[str] = field(default_factory=list)
    backup: str | None = None
    changed: bool = False
    # The merge would delete or erase many records: shown, not done, until confirmed.
    needs_confirmation: bool = False


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
    store: Store,
    source: Path,
    *,
    dry_run: bool = False,
    config: Config | None = None,
    confirmed: bool = False,
) -> ImportOutcome:
    """Merge `source` into `store`. Any problem with `source` raises before anything changes;
    a merge that deletes or erases many records is only done once `confirmed`."""
    foreign = read_foreign(source, store.device, store.path)
    ours = store.shared_tables()
    if foreign.written_here and _shares_records(ours, foreign.tables):
        # Our own file or a copy: its edits carry this laptop's name, as ours do, so the
        # two could not be told apart. Another file made here (other records) merges.
        raise ImportFileError(
            f"{source} a été écrit par cet ordinateur : c’est déjà votre fichier (ou une copie)."
        )
    # Texts that came in raw before files were cleaned at the door (F29): cleaned here the
    # same way, so that both laptops hold the same records and no sync sees a change twice.
    ours_cleaned = False
    if holds_controls(ours):  # a cheap byte search, then the real check
        cleaned = plain_data(ours)
        ours_cleaned = cleaned != ours
        ours = cleaned
    merged, report = sync.merge(ours, foreign.tables)
    broken = integrity.broken_references(merged) - integrity.broken_references(ours)
    if broken:
        # A record of theirs pointing nowhere (« Entreprise non renseignée » on its
        # summary): refused whole like any invalid record (NEW3-31).
        table, record_id, field, value = sorted(broken)[0]
        raise ImportFileError(
            f"{source} contient un enregistrement invalide dans « {table} » ({record_id} : "
            f"« {field} » désigne un enregistrement absent, {value}) : rien n’a été fusionné."
        )
    outcome = ImportOutcome(report=report, lines=sync.format_report(report))
    if foreign.journal_saves or foreign.journal_damaged:
        outcome.lines.append(
            journal_note(source.name, foreign.journal_saves, foreign.journal_damaged)
        )
    carried = _new_merged_away_edits(ours, merged)
    if carried:
        outcome.lines.append(
            f"Entreprises : {carried} champ(s) {conflicts.MERGED_AWAY_NOTE} (modification "
            "faite avant que la fusion des doublons soit connue) : ouvrez « Synchroniser » puis "
            "« Conflits » pour choisir la valeur à garder sur la fiche gardée."
        )
    if report.needs_confirmation():
        outcome.lines.insert(0, removals_warning(report))
        outcome.needs_confirmation = not confirmed
    if dry_run or outcome.needs_confirmation:
        return outcome
    if report.changed or ours_cleaned:
        store.replace_shared(merged, reason="before-merge")
        if any(stats.erasures for stats in report.tables.values()):
            # Erased on another laptop: erased here everywhere too, this merge's backup
            # included (it holds the person as this file had them).
            erased = erasure.erase_received(store, ours, merged)
            if erased is not None:
                outcome.lines.append(
                    "Effacement reçu : sauvegardes réécrites sans ces personnes : "
                    f"{len(erased.backups_rewritten) + len(erased.backups_removed)}."
                )
        backups = list_backups(store.path)
        outcome.backup = str(backups[0]) if backups else None
        outcome.changed = True
    else:
        outcome.lines.insert(0, "Rien de nouveau dans ce fichier : le vôtre est déjà à jour.")
    store.add_meta(
        {"kind": "sync_log", "at": utc_now(), "source": str(source), "report": report.as_dict()}
    )
    record_device(store, config)
    return outcome


def adds_nothing(store: Store, source: Path) -> bool:
    """Whether merging `source` would change nothing in ours (an earlier copy of our own
    file); a file that cannot be read is not one (it is never deleted unread)."""
    try:
        foreign = read_foreign(source, store.device, store.path)
    except ImportFileError:
        return False
    _, report = sync.merge(store.shared_tables(), foreign.tables)
    return not report.changed


def journal_note(name: str, saves: int, damaged: int) -> str:
    """The line saying another laptop's journal was read with its file `name` (a merge,
    the statistics of a team folder)."""
    note = (
        f"Journal trouvé à côté de {name} : {saves} enregistrement(s) "
        "récent(s) de l’autre ordinateur pris en compte (son application était ouverte ou "
        "s’est arrêtée brutalement) ; ses fichiers n’ont pas été modifiés."
    )
    if damaged:
        note += f" {damaged} ligne(s) abîmée(s) du journal ignorée(s)."
    return note


def _shares_records(ours: sync.Tables, theirs: sync.Tables) -> bool:
    """Whether the two hold a record of the same id (laptops' own `devices` records aside)."""
    for table in ours:
        if table == "devices":
            continue
        mine = {r["id"] for r in ours.get(table, [])}
        if any(r.get("id") in mine for r in theirs.get(table, [])):
            return True
    return False


def _new_merged_away_edits(ours: sync.Tables, merged: sync.Tables) -> int:
    """Fields edited on a merged-away business that this merge brings to light."""

    def found(tables: sync.Tables) -> set[tuple[str, str, Any]]:
        edits = conflicts.all_merged_away_edits(list(tables.get("clients", [])))
        return {
            (kept, field.path, choice.millis)
            for kept, fields in edits.items()
            for field in fields
            for choice in field.choices[1:]
        }

    return len({(k, p) for k, p, _ in found(merged) - found(ours)})


def removals_warning(report: sync.MergeReport) -> str:
    parts = [
        f"{stats.removals} sur {stats.live_before} ({sync.TABLE_TITLES.get(table, table).lower()})"
        for table, stats in report.tables.items()
        if stats.removals
    ]
    return (
        "Attention : cette fusion supprimerait ou effacerait des enregistrements de votre "
        f"fichier : {', '.join(parts)}."
    )


def export(db: Path, target: Path, device: str, inside: Path | None = None) -> Path:
    """A complete copy of the data file (journal included) for another laptop; with `inside`,
    only as a plain file of that folder (a link there is not followed)."""
    return export_file(db, target, device, inside=inside)
