"""A table read column by column, as the compact data file keeps it. Pure: no I/O.

In the file each row maps a field's key to an index in that field's list of distinct
values; a field missing from a row has its default. The reader keeps, of each field
counted, the index of every row (a list of small ints), and lets the rows go: counting a
field is then counting ints, each distinct value decoded once however many rows hold it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import chain, compress, repeat
from operator import add, floordiv, mod, not_
from typing import Any

Row = dict[str, Any]


@dataclass
class Nested:
    """The distinct values of a map or list-of-dicts field, kept as the file packs them:
    each entry either `{"p": packed}` (a dict of sub-field keys to indexes in the
    sub-fields' values, or a list of such dicts) or `{"v": value}` (any other value).
    Only the sub-fields asked for are there. `sub_values[name]` ends with None: the index
    -1 a packed dict without that sub-field stands for."""

    entries: list[dict[str, Any]]
    sub_keys: dict[str, str] = field(default_factory=dict)
    sub_values: dict[str, list[Any]] = field(default_factory=dict)

    def packed(self, index: int) -> Any:
        """The packed dict or list of dicts of a value; None when it is kept as it is."""
        return self.entries[index].get("p")

    def plain(self, index: int) -> Any:
        """A value kept as it is (`{"v": …}` entries only)."""
        return self.entries[index]["v"]

    def decode(self, index: int) -> Any:
        """The value, with the sub-fields there are (a new object each time)."""
        entry = self.entries[index]
        if "p" not in entry:
            return entry["v"]
        packed = entry["p"]
        if type(packed) is list:
            return [self._dict(p) for p in packed]
        return self._dict(packed)

    def _dict(self, packed: Mapping[str, int]) -> dict[str, Any]:
        return {
            name: self.sub_values[name][packed[key]]
            for name, key in self.sub_keys.items()
            if key in packed
        }

    def split(self, indexes: list[int], kind: type) -> tuple[list[int], list[Any], list[int]]:
        """(the indexes whose value is packed as `kind` — dict or list —, their packed
        values, the other indexes)."""
        packed = list(map(dict.get, map(self.entries.__getitem__, indexes), repeat("p")))
        if list(map(type, packed)).count(kind) == len(packed):
            return indexes, packed, []
        kept = [type(p) is kind for p in packed]
        odd = [i for i, keep in zip(indexes, kept, strict=True) if not keep]
        return list(compress(indexes, kept)), list(compress(packed, kept)), odd

    def value_counts(
        self, packed_lists: Sequence[list[Row]], weights: Sequence[int], name: str
    ) -> Counter[Any]:
        """How many lists hold each value of `name` (None for a dict without it), each
        value once per list and each list `weights[i]` times, as counting
        `{d.get(name) for d in value}` of the decoded lists would — in C, with one int per
        (list, value) pair: the list's place times the column's size, plus the value's."""
        key = self.sub_keys.get(name, "")
        column = self.sub_values.get(name, [None])
        size = len(column)
        # By value, not by index: a dict without the sub-field and one holding None are
        # the same value, so each index stands for the first index of its value.
        first: dict[Any, int] = {}
        canon = [first.setdefault(value, i) for i, value in enumerate(column)]
        starts = range(0, size * len(packed_lists), size)
        owners = chain.from_iterable(map(repeat, starts, map(len, packed_lists)))
        indexes = map(dict.get, chain.from_iterable(packed_lists), repeat(key), repeat(-1))
        pairs = set(map(add, owners, map(canon.__getitem__, indexes)))
        held: Iterator[int] = map(mod, pairs, repeat(size))
        if weights.count(1) != len(weights):
            times = map(weights.__getitem__, map(floordiv, pairs, repeat(size)))
            held = chain.from_iterable(map(repeat, held, times))
        return Counter({column[index]: n for index, n in Counter(held).items()})

    def value_tuples(
        self, packed_maps: Sequence[Row], names: Sequence[str]
    ) -> list[tuple[Any, ...]]:
        """For each packed dict, its values of `names` in order (None where missing), as
        `tuple(map(value.get, names))` on the decoded dicts — a sub-field at a time, in C."""
        columns = [
            map(
                self.sub_values.get(name, [None]).__getitem__,
                map(dict.get, packed_maps, repeat(self.sub_keys.get(name, "")), repeat(-1)),
            )
            for name in names
        ]
        return list(zip(*columns, strict=True))

    def set_counts(self, packed_maps: Sequence[Row], weights: Sequence[int]) -> Counter[str]:
        """How many of the packed dicts, each `weights[i]` times, have each sub-field set (a
        value other than None), as `[k for k, v in value.items() if v is not None]` on the
        decoded dicts — a few passes in C per sub-field."""
        out: Counter[str] = Counter()
        for name, key in self.sub_keys.items():
            column = self.sub_values[name]
            indexes = list(map(dict.get, packed_maps, repeat(key), repeat(-1)))
            if indexes and max(indexes) >= len(column):
                raise IndexError(f"{name}: an index off its column")
            # -1: a dict without the sub-field (the column ends with None).
            unset = {i for i, value in enumerate(column) if value is None}
            unset.update([i - len(column) for i in unset])
            held = sum(compress(weights, map(not_, map(unset.__contains__, indexes))))
            if held:
                out[name] = held
        return out


@dataclass
class Columns:
    """A table of `size` rows read a field at a time: `found[name][i]` is row i's index in
    `values[name]`, whose last item is the field's default (index -1: what a row without
    the field holds). Only the fields asked for are there; a field no row holds but with
    its default has no `found` column. A nested field's values are in `nested` (its
    `values` are then its entries)."""

    size: int
    found: dict[str, list[int]] = field(default_factory=dict)
    values: dict[str, list[Any]] = field(default_factory=dict)
    nested: dict[str, Nested] = field(default_factory=dict)

    def indexes(self, name: str, keep: list[bool] | None = None) -> Sequence[int]:
        """The index of each row's value of `name` (-1 for the default); of the rows
        `keep` marks, all of them for None (a shared list: read it, do not change it)."""
        found = self.found.get(name)
        if found is None:  # no row holds anything but the default
            return [-1] * (self.size if keep is None else sum(keep))
        return found if keep is None else list(compress(found, keep))

    def decode(self, name: str, indexes: Iterable[int]) -> list[Any]:
        """The values the indexes stand for (shared objects: read them, do not change them)."""
        return list(map(self.values.get(name, [None]).__getitem__, indexes))

    def column(self, name: str, keep: list[bool] | None = None) -> list[Any]:
        """Each row's value of `name` (not for nested fields: see `nested`)."""
        return self.decode(name, self.indexes(name, keep))

    def value(self, name: str, index: int) -> Any:
        """One value of a field, nested ones decoded."""
        nested = self.nested.get(name)
        return nested.decode(index) if nested is not None else self.values[name][index]


class RecordsById(Mapping[str, Row]):
    """The rows of a `Columns` as records found by id (the last row wins, as a dict built
    from the records would), each decoded on first use with the fields there are."""

    def __init__(self, table: Columns) -> None:
        self._table = table
        self._row_of = dict(zip(table.column("id"), range(table.size), strict=True))
        self._decoded: dict[str, Row] = {}

    def __getitem__(self, record_id: str) -> Row:
        found = self._decoded.get(record_id)
        if found is None:
            row = self._row_of[record_id]
            table = self._table
            found = self._decoded[record_id] = {
                name: table.value(name, table.found[name][row] if name in table.found else -1)
                for name in table.values
            }
        return found

    def __contains__(self, record_id: object) -> bool:
        return record_id in self._row_of

    def __iter__(self) -> Iterator[str]:
        return iter(self._row_of)

    def __len__(self) -> int:
        return len(self._row_of)
