"""Merge of two laptops' records: pure functions, no Textual, no TinyDB, no I/O.

A record's state is the set of its versions that no other version supersedes (by version
vector). Merging takes the union of both sides' sets and keeps the maximal elements: a
join-semilattice, hence commutative, associative and idempotent, and a version disappears
only when a later one supersedes it. The version shown is a deterministic pick among the
survivors — a tombstone first (an erasure must win), then the hybrid clock, then the
version id — and the other survivors are stored as `conflicts` for the mediator to resolve.

Erasure is the one exception to "keep every version": when a survivor is anonymised, its
concurrent siblings lose their personal fields too.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import orjson

from tpe_tui.domain.records import SHARED_TABLES, strip_personal
from tpe_tui.sync.versions import descends, parse_hlc, version_id

Record = dict[str, Any]
Tables = Mapping[str, Iterable[Record]]


def versions_of(record: Mapping[str, Any]) -> list[Record]:
    """The versions a stored record holds: the shown one and its conflicts."""
    head = {k: v for k, v in record.items() if k != "conflicts"}
    return [
        head,
        *({k: v for k, v in c.items() if k != "conflicts"} for c in record.get("conflicts") or []),
    ]


def _canonical(version: Mapping[str, Any]) -> bytes:
    return orjson.dumps(version, option=orjson.OPT_SORT_KEYS)


def _personal_weight(table: str, version: Record) -> int:
    stripped = strip_personal(table, version)
    return sum(1 for key in version if version[key] != stripped.get(key))


def _same_version(table: str, a: Record, b: Record) -> Record:
    """Two copies of one version: equal, or one had its personal data erased. The erased
    copy wins, then a fixed order, so the choice does not depend on who merges."""
    if a == b:
        return a
    return min(a, b, key=lambda v: (_personal_weight(table, v), _canonical(v)))


def _rank(version: Record) -> tuple[bool, tuple[int, int], str, str]:
    return (
        bool(version.get("deleted")),
        parse_hlc(version.get("hlc")),
        str(version.get("device", "")),
        version_id(version),
    )


def merge_versions(table: str, versions: Iterable[Record]) -> Record:
    """The stored record for a set of versions: the winner with the others as conflicts."""
    by_id: dict[str, Record] = {}
    for version in versions:
        key = version_id(version)
        by_id[key] = _same_version(table, by_id[key], version) if key in by_id else version
    pool = list(by_id.values())
    survivors = [
        v for v in pool if not any(descends(w.get("vv", {}), v.get("vv", {})) for w in pool)
    ]
    if any(v.get("anonymised") for v in survivors):
        survivors = [v if v.get("anonymised") else strip_personal(table, v) for v in survivors]
    survivors.sort(key=_rank, reverse=True)
    winner = dict(survivors[0])
    winner["conflicts"] = sorted(survivors[1:], key=version_id)
    return winner


def merge_record(table: str, ours: Record | None, theirs: Record | None) -> Record:
    if ours is None or theirs is None:
        only = ours if theirs is None else theirs
        assert only is not None
        return merge_versions(table, versions_of(only))
    if ours == theirs:
        return ours
    return merge_versions(table, [*versions_of(ours), *versions_of(theirs)])


@dataclass
class TableReport:
    """What a merge did to one table, seen from our file."""

    new: int = 0
    updated: int = 0
    unchanged: int = 0
    conflicts: int = 0
    deletions: int = 0
    deletions_over_edits: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "new": self.new,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "conflicts": self.conflicts,
            "deletions": self.deletions,
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
        out: list[Record] = []
        for record_id in [*mine, *(k for k in other if k not in mine)]:
            before = mine.get(record_id)
            after = merge_record(table, before, other.get(record_id))
            out.append(after)
            _count(stats, before, after)
        merged[table] = out
    return merged, report


def _count(stats: TableReport, before: Record | None, after: Record) -> None:
    if before is None:
        stats.new += 1
    elif before is after or before == after:
        stats.unchanged += 1
        return
    else:
        stats.updated += 1
    held_before = {version_id(v) for v in versions_of(before)} if before else set()
    if after["conflicts"] and {version_id(v) for v in versions_of(after)} != held_before:
        stats.conflicts += 1
    if after.get("deleted") and not (before or {}).get("deleted"):
        stats.deletions += 1
        if any(not c.get("deleted") for c in after["conflicts"]):
            stats.deletions_over_edits.append(after["id"])


def tables_equal(a: Tables, b: Tables) -> bool:
    """Record-for-record equality of two sets of tables (order ignored)."""
    for table in SHARED_TABLES:
        left = {r["id"]: r for r in a.get(table, [])}
        right = {r["id"]: r for r in b.get(table, [])}
        if left != right:
            return False
    return True


TABLE_TITLES = {
    "clients": "Entreprises",
    "sessions": "Accompagnements",
    "followups": "Suivis",
    "structures": "Structures",
    "workshops": "Ateliers",
    "aids": "Aides",
    "actions": "Actions",
}


def format_report(report: MergeReport) -> list[str]:
    """The merge report in French, one line per table, then what needs attention."""
    lines = []
    for table, stats in report.tables.items():
        lines.append(
            f"{TABLE_TITLES[table]} : {stats.new} nouveau(x), {stats.updated} mis à jour, "
            f"{stats.unchanged} inchangé(s), {stats.conflicts} conflit(s), "
            f"{stats.deletions} suppression(s)"
        )
    for table, stats in report.tables.items():
        if stats.deletions_over_edits:
            lines.append(
                f"{TABLE_TITLES[table]} : {len(stats.deletions_over_edits)} suppression(s) "
                "l’ont emporté sur une modification faite en même temps ailleurs "
                "(la modification est gardée en conflit)."
            )
    conflicts = sum(s.conflicts for s in report.tables.values())
    if conflicts:
        lines.append(
            f"{conflicts} enregistrement(s) en conflit : ouvrez « Synchroniser » puis "
            "« Conflits » pour choisir la version à garder."
        )
    return lines
