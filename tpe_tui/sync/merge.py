"""Merge of two laptops' records: pure functions, no Textual, no TinyDB, no I/O.

Field by field (see registers.py): each path of a record is a multi-value register of an
observed-remove map. Merging keeps, per path, the values both sides hold plus each side's
values the other has not seen (by the record's version vector): a join-semilattice, hence
commutative, associative and idempotent, and a value disappears only when a later write of
that path, made after seeing it, replaces it. Several surviving values are a conflict of
that path alone; the one shown is a deterministic pick (a deletion or an erasure first,
then the clock, then the device), the others are kept in `conflicts`. An element of an
id-keyed list (solution, contact, redirection) is a register per field, plus its presence:
an element removed on one laptop and edited on another stays shown, its removal held as a
conflict of the element to settle.

Erasure is the one exception to "keep every value": when any surviving value says the
record is anonymised, every personal value of the record, conflicts included, is emptied.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from tpe_tui.domain.records import SHARED_TABLES, Record
from tpe_tui.sync.registers import merge_records, visible_conflicts

Tables = Mapping[str, Iterable[Record]]


def merge_record(table: str, ours: Record | None, theirs: Record | None) -> Record:
    if ours is None or theirs is None:
        only = ours if theirs is None else theirs
        assert only is not None
        return only
    if ours == theirs:
        return ours
    return merge_records(table, ours, theirs)


@dataclass
class TableReport:
    """What a merge did to one table, seen from our file."""

    new: int = 0
    updated: int = 0
    unchanged: int = 0
    conflicts: int = 0
    deletions: int = 0
    erasures: int = 0
    deletions_over_edits: list[str] = field(default_factory=list)
    # Live records of ours before the merge: the base of the "too many removals" share.
    live_before: int = 0

    @property
    def removals(self) -> int:
        return self.deletions + self.erasures

    def as_dict(self) -> dict[str, Any]:
        return {
            "new": self.new,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "conflicts": self.conflicts,
            "deletions": self.deletions,
            "erasures": self.erasures,
            "deletions_over_edits": list(self.deletions_over_edits),
        }


@dataclass
class MergeReport:
    tables: dict[str, TableReport] = field(
        default_factory=lambda: {t: TableReport() for t in SHARED_TABLES}
    )

    @property
    def changed(self) -> bool:
        return any(r.new or r.updated or r.conflicts or r.deletions for r in self.tables.values())

    @property
    def removals(self) -> int:
        """Records this merge deletes or erases in our file."""
        return sum(r.removals for r in self.tables.values())

    def needs_confirmation(self, most: int = 20, share: float = 0.10, least: int = 3) -> bool:
        """A merge that deletes or erases many records of one kind is shown before it is
        done: more than `most`, or more than `share` of our live ones — but not one or two
        (erasing one business, with its visit and follow-up, is ordinary work)."""
        return any(
            r.removals > most or (r.removals >= least and r.removals > share * r.live_before)
            for r in self.tables.values()
        )

    def as_dict(self) -> dict[str, Any]:
        return {table: report.as_dict() for table, report in self.tables.items()}


def merge(ours: Tables, theirs: Tables) -> tuple[dict[str, list[Record]], MergeReport]:
    """Merge `theirs` into `ours`: the merged tables and a report relative to ours.

    The merged records do not depend on the order of the arguments; the list order keeps
    our records first so their places in our file do not move.
    """
    report = MergeReport()
    merged: dict[str, list[Record]] = {}
    for table in SHARED_TABLES:
        mine = {r["id"]: r for r in ours.get(table, [])}
        other = {r["id"]: r for r in theirs.get(table, [])}
        stats = report.tables[table]
        stats.live_before = sum(1 for r in mine.values() if not r.get("deleted"))
        out: list[Record] = []
        for record_id in [*mine, *(k for k in other if k not in mine)]:
            before = mine.get(record_id)
            after = merge_record(table, before, other.get(record_id))
            out.append(after)
            _count(table, stats, before, after)
        merged[table] = out
    return merged, report


def _count(table: str, stats: TableReport, before: Record | None, after: Record) -> None:
    if before is None:
        stats.new += 1
    elif before is after or before == after:
        stats.unchanged += 1
        return
    else:
        stats.updated += 1
    held_before = _conflict_keys(table, before) if before else set()
    if _conflict_keys(table, after) - held_before:
        stats.conflicts += 1
    if before is None:
        return
    if after.get("deleted") and not before.get("deleted"):
        stats.deletions += 1
        if any(
            len(e) > 1 and e[1] is False for e in (after.get("conflicts") or {}).get("deleted", [])
        ):
            stats.deletions_over_edits.append(after["id"])
    elif after.get("anonymised") and not before.get("anonymised"):
        stats.erasures += 1


def _conflict_keys(table: str, record: Record) -> set[tuple[str, str, int]]:
    return {
        (path, str(dot[0]), dot[1])
        for path, entries in visible_conflicts(table, record).items()
        for dot, _ in entries
    }


TABLE_TITLES = {
    "clients": "Entreprises",
    "sessions": "Accompagnements",
    "followups": "Suivis",
    "structures": "Structures",
    "workshops": "Ateliers",
    "aids": "Aides",
    "actions": "Actions",
    "devices": "Ordinateurs",
}


def format_report(report: MergeReport) -> list[str]:
    """The merge report in French, one line per table, then what needs attention."""
    lines = []
    for table, stats in report.tables.items():
        line = (
            f"{TABLE_TITLES.get(table, table)} : {stats.new} nouveau(x), "
            f"{stats.updated} mis à jour, {stats.unchanged} inchangé(s), "
            f"{stats.conflicts} conflit(s), {stats.deletions} suppression(s)"
        )
        if stats.erasures:
            line += f", {stats.erasures} effacement(s)"
        lines.append(line)
    for table, stats in report.tables.items():
        if stats.deletions_over_edits:
            lines.append(
                f"{TABLE_TITLES.get(table, table)} : {len(stats.deletions_over_edits)} "
                "suppression(s) l’ont emporté sur une modification faite en même temps "
                "ailleurs (la modification est gardée en conflit)."
            )
    conflicts = sum(s.conflicts for s in report.tables.values())
    if conflicts:
        lines.append(
            f"{conflicts} enregistrement(s) en conflit : ouvrez « Synchroniser » puis "
            "« Conflits » pour choisir, champ par champ, la valeur à garder."
        )
    return lines
