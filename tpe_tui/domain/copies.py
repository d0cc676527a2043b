"""Which copy of a record counts when several files of a team folder hold it. Pure: no I/O.

A coordinator's folder holds each laptop's file; a visit is in every file that has synced
it, and the copies differ when a laptop edited or deleted it since. The figures of a folder
must be those of the merged file: each record counted once, from its newest copy, and not
at all when it was deleted. The copies are told apart by their version vector (`vv`: every
write changes it) and their deletion mark:

- while the files are counted, the version of each record met is kept (one int per id) and
  the ids met again with another version are noted (`Versions`): the usual folder — disjoint
  files, or copies all synced alike — has none, and nothing more is done;
- when some differ, each one's copies are compared (`newest`): a copy superseded by
  another (whose version has seen its edits and more) loses; between the others,
  concurrent, as the merge shows them, a deletion first, then the latest write, then the
  newest file. Every file is then counted again, each skipping the records
  whose winning copy is in another file (`skips`).

Concurrent edits of different fields of one visit on two laptops are merged field by field
by `sync`; here the winning copy is taken whole.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

# The tables whose records are counted once across files: the visits, the workshops, the
# plans' actions. (Follow-ups are counted with their visit, from the same file.)
COUNTED_ONCE = ("sessions", "workshops", "actions")


def version_key(vv: Any) -> int:
    """An int standing for a version vector: equal vectors give equal keys."""
    return hash(tuple(sorted(vv.items())) if isinstance(vv, dict) else repr(vv))


# (id, version vector, deleted mark, last write's time) of a record.
VersionRow = tuple[Any, Any, Any, Any]


def keys_of(rows: Iterable[VersionRow]) -> tuple[list[int], list[int]]:
    """(hash of each record's id, a key for its version: its version vector's
    `version_key` twice, plus 1 when deleted)."""
    ids: list[int] = []
    keys: list[int] = []
    for record_id, vv, deleted, _updated_at in rows:
        ids.append(hash(record_id))
        keys.append(version_key(vv) * 2 + (1 if deleted else 0))
    return ids, keys


@dataclass
class Repeats:
    """Whether some record is in more than one file of a folder: the counting notes a
    record met again (`ActivityStats.repeated`); a deleted copy, never counted, is told by
    its id, kept here (a few per file) and looked for among the records counted."""

    deleted: dict[str, set[int]] = field(default_factory=dict)
    found: bool = False

    def add_deleted(self, table: str, ids: Iterable[int]) -> None:
        self.deleted.setdefault(table, set()).update(ids)


@dataclass
class Versions:
    """The version met of each record of the counted tables (by id hash), and the ids met
    with two different versions."""

    met: dict[str, dict[int, int]] = field(default_factory=dict)
    differing: dict[str, set[int]] = field(default_factory=dict)

    def add(self, table: str, ids: Sequence[int], keys: Sequence[int]) -> None:
        """One file's records of `table`: ids hashes and their version keys."""
        met = self.met.setdefault(table, {})
        # The usual folder has disjoint files: one pass in C over this file's ids finds
        # none met before (`met.keys() & ids` would copy every id met so far).
        if not met.keys().isdisjoint(ids):
            common = set(ids).intersection(met)
            here = dict(zip(ids, keys, strict=True))
            differing = {i for i in common if met[i] != here[i]}
            if differing:
                self.differing.setdefault(table, set()).update(differing)
        met.update(zip(ids, keys, strict=True))

    @property
    def any_differ(self) -> bool:
        return any(self.differing.values())


@dataclass(frozen=True)
class Copy:
    """One file's copy of a record: the file's place in the reading order (0 = newest
    file), its version vector, deletion mark and last write's time."""

    file: int
    vv: Mapping[str, int]
    deleted: bool
    updated_at: str


def _descends(a: Mapping[str, int], b: Mapping[str, int]) -> bool:
    """True when version a has seen every edit of b, and more."""
    return all(a.get(device, 0) >= count for device, count in b.items()) and dict(a) != dict(b)


def newest(copies: Sequence[Copy]) -> Copy:
    """The copy counted: of the copies no other one has superseded (a copy left behind
    loses to the laptop that went on editing), a deletion first, as the merge shows
    concurrent ones, then the latest write, then the newest file."""
    latest = [c for c in copies if not any(_descends(other.vv, c.vv) for other in copies)]
    return min(latest, key=lambda c: (not c.deleted, _negated(c.updated_at), c.file))


def _negated(stamp: str) -> tuple[int, ...]:
    """A key that sorts later times first."""
    return tuple(-ord(char) for char in stamp)


Plan = list[dict[str, tuple[set[str], set[str]]]]


def skips(copies: Mapping[str, Mapping[str, Sequence[Copy]]], files: int) -> Plan:
    """For each file, per table: (the ids it must skip — another file holds the copy
    counted —, the ids it must count — its copy is the one counted)."""
    out: Plan = [{} for _ in range(files)]
    for table, by_id in copies.items():
        for record_id, held in by_id.items():
            winner = newest(held).file
            for copy in held:
                skip, take = out[copy.file].setdefault(table, (set(), set()))
                (take if copy.file == winner else skip).add(record_id)
    return out
