"""A table read column by column, as the compact data file keeps it. Pure: no I/O.

Each row maps a field's key to an index in that field's list of distinct values; a field
missing from a row has its default. Reading a field of every row is then two C-level
passes (`dict.get`, `list.__getitem__`), and counting a field is counting small ints, each
distinct value decoded once however many rows hold it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from itertools import repeat
from typing import Any

Row = dict[str, Any]


@dataclass
class Columns:
    """`rows[i][keys[name]]` is an index in `values[name]`, whose last item is the field's
    default (index -1: what a row without the field holds). Only the fields asked for are
    there; nested values (maps, lists of dicts) hold only the sub-fields asked for."""

    rows: list[Row]
    keys: dict[str, str] = field(default_factory=dict)
    values: dict[str, list[Any]] = field(default_factory=dict)

    def indexes(self, name: str, rows: list[Row] | None = None) -> list[int]:
        """The index of each row's value of `name` (-1 for the default)."""
        chosen = self.rows if rows is None else rows
        key = self.keys.get(name)
        if key is None:  # no row holds anything but the default
            return [-1] * len(chosen)
        return list(map(dict.get, chosen, repeat(key), repeat(-1)))

    def decode(self, name: str, indexes: Iterable[int]) -> list[Any]:
        """The values the indexes stand for (shared objects: read them, do not change them)."""
        return list(map(self.values.get(name, [None]).__getitem__, indexes))

    def column(self, name: str, rows: list[Row] | None = None) -> list[Any]:
        """Each row's value of `name`."""
        return self.decode(name, self.indexes(name, rows))


class RecordsById(Mapping[str, Row]):
    """The rows of a `Columns` as records found by id (the last row wins, as a dict built
    from the records would), each decoded on first use with the fields there are."""

    def __init__(self, table: Columns) -> None:
        self._table = table
        self._row_of = dict(zip(table.column("id"), range(len(table.rows)), strict=True))
        self._decoded: dict[str, Row] = {}

    def __getitem__(self, record_id: str) -> Row:
        found = self._decoded.get(record_id)
        if found is None:
            row = self._table.rows[self._row_of[record_id]]
            table = self._table
            found = self._decoded[record_id] = {
                name: values[row.get(table.keys[name], -1) if name in table.keys else -1]
                for name, values in table.values.items()
            }
        return found

    def __contains__(self, record_id: object) -> bool:
        return record_id in self._row_of

    def __iter__(self) -> Iterator[str]:
        return iter(self._row_of)

    def __len__(self) -> int:
        return len(self._row_of)
