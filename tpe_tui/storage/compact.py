"""The compact layout of a schema-3 data file: sparse records that refer to shared values.

Records live in memory as plain dicts with every field (what the domain, sync and the
screens read); only the file is compact, and this module is the one place that knows it.
Each record of a shared table is written as `{code: index}`:

- `code` is the field's place in its table's list of field names (`"0"`, `"1"` …), so a
  field name is written once per file, not once per record;
- `index` is the value's place in that field's list of values: a value held by many records
  (a status, a territory, a catalogue solution, the steps of a closed session, a version
  vector) is written once, and read back as one shared object (the stored records are
  read-only: writes swap whole documents, see `record_table.py`);
- a field whose value is its default is not written at all, and fields this program does
  not know (written by a newer one) are kept as they are under `"+"`.

The names, the defaults used and the values are in a last table, `~layout`, in documents
of at most `CHUNK` values (the file is parsed a slice of documents at a time, see
`file_format.loads_lines`). It is still plain TinyDB JSON: `tinydb.TinyDB(path)` opens it
(and sees the packed documents). The journal keeps whole records: replaying it needs no
layout. A file whose layout does not add up is refused as damaged.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from hashlib import blake2b
from itertools import compress, repeat
from operator import getitem, is_, itemgetter
from typing import Any, cast

import orjson

from tpe_tui.domain.errors import DataFileError
from tpe_tui.domain.records import BOOKKEEPING_FIELDS, FIELDS

Data = dict[str, dict[str, Any]]

LAYOUT_TABLE = "~layout"
EXTRA = "+"  # fields this program does not know, kept as they are
CHUNK = 64  # values per layout document: a slice of documents stays quick to parse
FIRST_COMPACT_SCHEMA = 3


def field_names(table: str) -> list[str]:
    """The fields of a table in the order they are coded."""
    names = list(BOOKKEEPING_FIELDS)
    names.extend(f.name for f in FIELDS[table] if f.name not in names)
    return names


def defaults(table: str) -> dict[str, Any]:
    """The values a record of `table` has when the file does not say otherwise."""
    out = {f.name: f.default for f in FIELDS[table]}
    out["deleted"] = False
    return out


def _content_key(value: Any, kind: type) -> Any:
    """What tells two values apart: a str itself, a list or a dict its JSON (digested),
    another scalar with its type (so that 1, 1.0 and true stay apart)."""
    if kind is str or value is None:  # None: its own key, see `Packer.pack_rows`
        return value
    if kind is dict or kind is list:
        # A digest of its JSON, not the JSON itself: a list of solutions is ~1.5 KB, and
        # the keys of a write held 9 MB at 10k sessions (~180 MB when two 100k files
        # merge). 160 bits, as git names its objects: two different values do not meet
        # the same digest in practice.
        return blake2b(orjson.dumps(value), digest_size=20).digest()
    return (kind, value)


class _Columns:
    """Values collected per field: each distinct value once, found again by identity (records
    read from a compact file share their values), else by content."""

    def __init__(self, names: list[str] | None = None) -> None:
        self.names: list[str] = list(names or [])
        self.codes = {name: str(i) for i, name in enumerate(self.names)}
        self.positions = {name: i for i, name in enumerate(self.names)}
        self.columns: list[list[Any]] = [[] for _ in self.names]
        self.by_content: list[dict[Any, int]] = [{} for _ in self.names]
        # id of a value met -> its index. The values are the records' own, and the records
        # outlive the write (`dump_lines` is given tables that do not change meanwhile), so
        # an id is never reused for another value during one write.
        self.known: list[dict[int, int]] = [{} for _ in self.names]

    def position(self, name: str) -> int:
        """The place of a name, given one when it is new (nested keys are not known ahead)."""
        position = self.positions.get(name)
        if position is None:
            position = self.positions[name] = len(self.names)
            self.codes[name] = str(position)
            self.names.append(name)
            self.columns.append([])
            self.by_content.append({})
            self.known.append({})
        return position

    def index(self, position: int, value: Any) -> tuple[int, bool]:
        """The value's index in its column, and whether it was just added."""
        known = self.known[position]
        found = known.get(id(value))
        if found is not None:
            return found, False
        key = _content_key(value, type(value))
        by_content = self.by_content[position]
        found = by_content.get(key)
        added = found is None
        if found is None:
            found = by_content[key] = len(self.columns[position])
            self.columns[position].append(value)
        if type(value) is not str:
            # Texts are found by their content (their hash is kept): an entry by identity
            # for each would cost memory (≈ 100 MiB when two 100k files merge).
            known[id(value)] = found
        return found, added

    def pack_dict(self, value: Mapping[str, Any]) -> dict[str, int]:
        out = {}
        positions, known, codes = self.positions, self.known, self.codes
        for name, item in value.items():
            position = positions.get(name)
            if position is None:
                position = self.position(name)
            found = known[position].get(id(item))
            if found is None:
                found = self.index(position, item)[0]
            out[codes[name]] = found
        return out

    def chunks(self, head: dict[str, Any]) -> Iterator[dict[str, Any]]:
        for position, column in enumerate(self.columns):
            for start in range(0, len(column), CHUNK):
                yield {
                    **head,
                    "sub": str(position),
                    "at": start,
                    "values": column[start : start + CHUNK],
                }


class Packer:
    """Packs the records of one table and collects the values they refer to.

    The values of one whole write: made anew for each, so a value no record holds any more
    is not carried forward. Maps (steps, skills …) and lists of dicts (solutions,
    contacts …) are packed one level deeper: each of their keys is a column of its own,
    so that a catalogue solution's texts are written (and held in memory) once."""

    def __init__(self, table: str) -> None:
        self.table = table
        self.names = field_names(table)
        self._name_set = frozenset(self.names)
        self._getter = itemgetter(*self.names)
        self.defaults = defaults(table)
        self._values = _Columns(self.names)
        for known, by_content in zip(self._values.known, self._values.by_content, strict=True):
            known[id(_ABSENT)] = -1  # a field the record does not have: nothing written
            by_content[_ABSENT] = -1
        # Values each record has its own of: appended, never looked for (an index of them
        # would cost as much memory as they do).
        self._own = {self._values.positions["id"], self._values.positions["dot"]}
        self.names_codes = [str(i) for i in range(len(self.names))]
        kinds = {f.name: f.merge for f in FIELDS[table]}
        self._nested = {
            position: _Columns()
            for position, name in enumerate(self.names)
            if kinds.get(name) in ("map", "by_id")
        }

    def pack(self, record: Mapping[str, Any]) -> dict[str, Any]:
        """One record packed (see `pack_rows`)."""
        return self.pack_rows([record])[0]

    def pack_rows(self, records: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
        """The records packed, a field at a time across all of them: a few passes in C per
        field (the indices of its values, found by identity) where a loop per field per
        record ran Python for each of the millions of values. Only a value met for the
        first time takes the slower path. Each record is read once, all its fields at once:
        reading one field across 20,000 records, then the next, waited on memory."""
        count = len(records)
        indices: list[list[int]] = []
        for position, (name, values) in enumerate(
            zip(self.names, self._columns_of(records), strict=True)
        ):
            if position in self._own and _ABSENT not in values:
                column = self._values.columns[position]
                found: list[int] = list(range(len(column), len(column) + count))
                column.extend(values)
            else:
                found = self._indices(name, position, values)
            indices.append(found)
        codes = self.names_codes
        # A record's fields at their default (index -1) are not written.
        packed = [
            dict(compress(zip(codes, row, strict=True), map(_NOT_DEFAULT, row)))
            for row in zip(*indices, strict=True)
        ]
        names = self._name_set
        if not all(map(names.issuperset, records)):
            for out, record in zip(packed, records, strict=True):
                if not names.issuperset(record):
                    out[EXTRA] = {k: v for k, v in record.items() if k not in names}
        return packed

    def _indices(self, name: str, position: int, values: tuple[Any, ...]) -> list[int]:
        """The indices of one field's values: texts (and None) by content, other values
        (lists, dicts: shared objects) by identity; one pass in C either way."""
        by_identity = not set(map(type, values)) <= _TEXT_KINDS
        table = self._values.known[position] if by_identity else self._values.by_content[position]
        looked: list[int | None] = list(map(table.get, map(id, values) if by_identity else values))
        if None in looked:  # met for the first time in this slice (maybe twice)
            for i in compress(range(len(values)), map(is_, looked, repeat(None))):
                value = values[i]
                index = table.get(id(value) if by_identity else value)
                looked[i] = self._first_meeting(name, position, value) if index is None else index
        return cast(list[int], looked)

    def _columns_of(self, records: Sequence[Mapping[str, Any]]) -> list[tuple[Any, ...]]:
        """Each field's values across the records (`_ABSENT` where a record lacks it)."""
        if not records:
            return [() for _ in self.names]
        try:
            rows = list(map(self._getter, records))
        except KeyError:  # some record lacks a field (most are whole: read with defaults)
            names = self.names
            rows = [tuple(map(record.get, names, repeat(_ABSENT))) for record in records]
        return list(zip(*rows, strict=True))

    def _first_meeting(self, name: str, position: int, value: Any) -> int:
        default = self.defaults.get(name, _NO_DEFAULT)
        kind = type(value)
        if kind is type(default) and value == default:
            if kind is str or value is None:
                self._values.by_content[position][value] = -1
            self._values.known[position][id(value)] = -1
            return -1
        if position in self._own:
            column = self._values.columns[position]
            column.append(value)
            return len(column) - 1
        index, added = self._values.index(position, value)
        if added and position in self._nested:
            column = self._values.columns[position]
            column[index] = _nest(self._nested[position], value)
        return index

    def layout(self) -> Iterator[dict[str, Any]]:
        """The documents of `~layout` for this table: its names and defaults, then values."""
        yield {"table": self.table, "fields": self.names, "defaults": self.defaults}
        for position, nested in self._nested.items():
            if self._values.columns[position]:  # its values are wrapped: say so
                head = {"table": self.table, "field": str(position)}
                yield {**head, "fields": nested.names}
                yield from nested.chunks(head)
        for position, column in enumerate(self._values.columns):
            for start in range(0, len(column), CHUNK):
                yield {
                    "table": self.table,
                    "field": str(position),
                    "at": start,
                    "values": column[start : start + CHUNK],
                }


_NOT_DEFAULT = (-1).__ne__


def _nest(nested: _Columns, value: Any) -> dict[str, Any]:
    """A map or a list of dicts packed one level deeper (`p`), anything else as is (`v`)."""
    if type(value) is dict:
        return {"p": nested.pack_dict(value)}
    if type(value) is list and all(type(e) is dict for e in value):
        return {"p": [nested.pack_dict(e) for e in value]}
    return {"v": value}


class _NoDefault:
    __slots__ = ()


_NO_DEFAULT = _NoDefault()
_ABSENT = _NoDefault()  # what a record without the field gives
_TEXT_KINDS = frozenset({str, type(None), _NoDefault})


def packers_for(data: Data, schema: int) -> dict[str, Packer]:
    """A packer per shared table of `data`, when its schema writes the compact layout."""
    if schema < FIRST_COMPACT_SCHEMA:
        return {}
    return {table: Packer(table) for table, rows in data.items() if table in FIELDS and rows}


def layout_rows(packers: Mapping[str, Packer]) -> dict[str, Any]:
    """The `~layout` table of a write, once every record was packed."""
    docs = (doc for packer in packers.values() for doc in packer.layout())
    return {str(n): doc for n, doc in enumerate(docs, 1)}


# ---------------------------------------------------------------------------- reading
def unpack(data: Data, source: str) -> None:
    """Turn the packed records of `data` back into whole ones, in place; drop `~layout`.

    A file without `~layout` holds whole records already (an empty file, one written
    by hand): it is left as it is."""
    layout = data.pop(LAYOUT_TABLE, None)
    if layout is None:
        return
    try:
        for table, found in _read_layout(layout).items():
            rows = data.get(table)
            if rows:
                _unpack_rows(rows, found)
    except (KeyError, IndexError, TypeError, ValueError, AttributeError):
        raise DataFileError(
            f"{source} est abîmé : ses enregistrements ne correspondent plus à leurs valeurs."
        ) from None


class _Found:
    """What `~layout` says of one table."""

    def __init__(self, names: list[str], template: dict[str, Any]) -> None:
        if not all(isinstance(n, str) for n in names) or not isinstance(template, dict):
            raise ValueError("layout")
        self.names = {str(i): n for i, n in enumerate(names)}
        self.template = dict(template)
        self.columns: dict[str, list[Any]] = {}
        self.nested: dict[str, tuple[dict[str, str], dict[str, list[Any]]]] = {}


def _read_layout(layout: Mapping[str, Any]) -> dict[str, _Found]:
    tables: dict[str, _Found] = {}
    for _, doc in sorted(layout.items(), key=lambda item: int(item[0])):
        table = doc["table"]
        if "field" not in doc:
            tables[table] = _Found(doc["fields"], doc["defaults"])
            continue
        found = tables[table]
        if "fields" in doc:
            names = doc["fields"]
            if not all(isinstance(n, str) for n in names):
                raise ValueError("layout")
            found.nested[doc["field"]] = ({str(i): n for i, n in enumerate(names)}, {})
            continue
        if "sub" in doc:
            column = found.nested[doc["field"]][1].setdefault(doc["sub"], [])
        else:
            column = found.columns.setdefault(doc["field"], [])
        values = doc["values"]
        if doc["at"] != len(column) or not isinstance(values, list):
            raise ValueError("layout")
        column.extend(values)
    for found in tables.values():
        for code, (names, columns) in found.nested.items():
            _unnest(found.columns.get(code, []), names, columns)
    return tables


def _unnest(column: list[Any], names: dict[str, str], columns: dict[str, list[Any]]) -> None:
    """The values of a map or list-of-dicts field, rebuilt once each from their keys' columns."""
    name_of, column_of = names.__getitem__, columns.__getitem__

    def build(packed: dict[str, int]) -> dict[str, Any]:
        return dict(
            zip(
                map(name_of, packed),
                map(getitem, map(column_of, packed), packed.values()),
                strict=True,
            )
        )

    for i, entry in enumerate(column):
        if "p" not in entry:
            column[i] = entry["v"]
        elif type(entry["p"]) is list:
            column[i] = [build(e) for e in entry["p"]]
        else:
            column[i] = build(entry["p"])


def _unpack_rows(rows: dict[str, Any], found: _Found) -> None:
    name_of, column_of = found.names.__getitem__, found.columns.__getitem__
    template = found.template
    for key, packed in rows.items():
        extra = packed.pop(EXTRA, None)
        record = template.copy()
        # All in C: each code becomes its name, each index the value it refers to.
        record.update(
            zip(
                map(name_of, packed),
                map(getitem, map(column_of, packed), packed.values()),
                strict=True,
            )
        )
        if extra is not None:
            record.update(extra)
        rows[key] = record
