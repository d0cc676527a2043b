"""Read-only, for the statistics: the columns they count, straight from a compact file.

The ordinary read (`file_format.open_readonly`) parses the whole file and rebuilds every
record whole (`compact.unpack`): most of the time of a statistics run. The statistics look
at a few fields of each record, so this reader leaves the records packed (each row
`{code: index}`, each distinct value decoded once: `domain.columns.Columns`) and parses of
`~layout` only the lines of the fields counted: the file ends with that table written one
document per line (`file_format.dump_lines`), each line saying which table and field its
values belong to before them. Small tables (places, workshops, aids) are unpacked whole
with `compact.unpack`.

It reads only files it can read exactly as the ordinary way would: a file of another
schema, with a journal beside it (an open app's saves), with fields this program does not
know, not in that layout or whose layout does not add up gives None, and the caller reads
it the ordinary way (which also gives the French message for a damaged file). The lines
of `~layout` it skips (texts, bookkeeping) are not parsed, so not checked either.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from itertools import repeat
from pathlib import Path
from typing import Any

import orjson

from tpe_tui.domain import records as model
from tpe_tui.domain.columns import Columns, Nested
from tpe_tui.storage import compact, migrations
from tpe_tui.storage.journal import journal_path

Data = dict[str, dict[str, Any]]
# table -> field -> the sub-fields wanted of a nested field ("*": all); () for the others.
Wanted = Mapping[str, Mapping[str, tuple[str, ...]]]

_LAYOUT_HEAD = b'\n"' + compact.LAYOUT_TABLE.encode() + b'":{\n'
# The head of a table: its name, then « :{ » and the end of the line.
_TABLE_HEAD = re.compile(rb'"([A-Za-z_][A-Za-z0-9_]*)":\{\n')
# Bytes of records parsed at a time (measured: 16-128 KB alike, 512 KB 15% slower).
_SLICE = 64 * 1024
# The start of a `~layout` line: its table, the field its values belong to, the sub-field.
_LAYOUT_LINE = re.compile(
    rb'"\d+":\{"table":"([A-Za-z_~]+)"(?:,"field":"(\d+)")?(?:,"sub":"(\d+)")?'
)


class _Unreadable(Exception):
    """Not a file this reader takes as it is: the ordinary read decides."""


def read_columns(
    path: Path, wanted: Wanted, whole: tuple[str, ...]
) -> tuple[dict[str, Columns], Data] | None:
    """(the `wanted` tables as columns, the `whole` tables as records), or None when the
    file must be read the ordinary way."""
    journal = journal_path(path)
    try:
        if journal.exists() and journal.stat().st_size:
            return None
        return _read(_read_file(path), wanted, whole)
    except (OSError, _Unreadable, orjson.JSONDecodeError, KeyError, IndexError, TypeError):
        return None
    except ValueError:  # a layout that does not add up, a schema not read here
        return None


def _read_file(path: Path) -> bytearray:
    """The file's bytes, in a buffer that can be changed (see `_read`)."""
    with path.open("rb") as file:
        raw = bytearray(os.fstat(file.fileno()).st_size)
        if file.readinto(raw) != len(raw) or file.read(1):
            raise _Unreadable  # written meanwhile: the ordinary read takes it
    return raw


def _read(
    raw: bytearray, wanted: Wanted, whole: tuple[str, ...]
) -> tuple[dict[str, Columns], Data]:
    # The tables of records, then `~layout` last, one document per line.
    head_end = _layout_head(raw)
    if head_end < 0 or raw[head_end - 2 : head_end] != b"},":
        raise _Unreadable
    if not raw.endswith(b"\n}\n}\n") or not raw.startswith(b"{\n"):
        raise _Unreadable
    start = head_end + len(_LAYOUT_HEAD)
    end = len(raw) - len(b"\n}\n}\n")
    small_layout, layouts = _layout(raw, start, end, wanted, set(wanted), set(whole))
    columns = {table: Columns(0) for table in wanted}
    small: Data = {}
    # The tables one after the other up to `~layout`: « "name":{ », the records one per
    # line, « } » alone on its line and a comma. A newline never occurs inside a JSON
    # string, so a line « } » ends a table; the records read as columns find their end
    # themselves (looking for it would read the megabytes of records once more).
    pos, find, head = 2, raw.find, _TABLE_HEAD.match
    met: set[str] = set()
    ints: list[int] = []  # 0, 1, 2 … made once for the file (see `_Table.columns`)
    while pos < head_end:
        found = head(raw, pos)
        if found is None:
            raise _Unreadable
        table = found.group(1).decode()
        if table in met:
            raise _Unreadable  # a table twice: the ordinary read keeps the last one
        met.add(table)
        opening = found.end() - 2
        if table in wanted and raw[opening + 2] != ord("}"):  # « {\n} »: no records
            if table not in layouts:
                raise _Unreadable  # records without their layout
            columns[table], closing = layouts[table].columns(
                raw, opening, head_end + 1, wanted[table], ints
            )
        else:
            closing = find(b"\n}", opening, head_end) + 2
            if closing < 2:
                raise _Unreadable
            if table == "meta" or table in whole:
                small[table] = _table(raw, opening, closing)
        if raw[closing : closing + 2] != b",\n":
            raise _Unreadable
        pos = closing + 2
    if pos != head_end + 1:
        raise _Unreadable
    if migrations.schema_of({"meta": small.pop("meta", {})}) != model.SCHEMA_VERSION:
        raise _Unreadable
    small[compact.LAYOUT_TABLE] = small_layout
    compact.unpack(small, "stats")
    return columns, small


def _layout_head(raw: bytearray) -> int:
    """Where the head of `~layout` starts, -1 if nowhere. Looked for by its « ~ », a byte
    packed records do not hold (digits only; a text of `meta` may), with
    memchr: 0.04 ms against 2 ms for `rfind` of the whole head over the 8 MB of `~layout`
    of a 10k file. The first head, where `rfind` found the last: a file with two is
    refused either way (the walk of the tables or of `~layout` meets the other one)."""
    find, starts = raw.find, raw.startswith
    tilde = find(b"~")
    while tilde >= 0:
        if tilde >= 2 and starts(_LAYOUT_HEAD, tilde - 2):
            return tilde - 2
        tilde = find(b"~", tilde + 1)
    return -1


def _table(raw: bytearray, opening: int, closing: int) -> dict[str, Any]:
    """A table parsed whole, where it lies (no copy)."""
    found = orjson.loads(memoryview(raw)[opening:closing])
    if type(found) is not dict:
        raise _Unreadable
    return found


def _index_columns(
    raw: bytearray, opening: int, bound: int, codes: list[str], ints: list[list[int] | None]
) -> tuple[int, list[list[int]], int]:
    """(how many records the table at `opening` holds, each record's index for each of
    `codes` (-1 where it has none), just after its closing « } »), a slice of lines at a
    time: each slice of records is parsed, read and let go while it is in the processor's
    cache (the whole table parsed at once, then read, then freed, took 60% longer: 36 ms
    against 21 for 10,000 sessions). A slice is parsed where it lies: its first byte (the
    table's « { » or the comma ending the line before) becomes « { » and the comma ending
    its last line « } », then both are put back. A slice that reaches past the table's end
    does not parse (a comma follows the table): that slice then stops at the end.

    `ints[i]`, when given, holds the int objects the indexes of `codes[i]` are swapped for
    (see `_Table.columns`); an index off it raises IndexError."""
    columns: list[list[int]] = [[] for _ in codes]
    adding = [column.extend for column in columns]
    ids: set[str] = set()
    size, start, find = 0, opening, raw.find
    while True:
        cut = find(b",\n", start + _SLICE, bound)
        found = None if cut < 0 else _slice(raw, start, cut)
        closing = -1
        if found is None:  # the table ends before `cut`
            closing = find(b"\n}", start, bound if cut < 0 else cut) + 2
            if closing < 2:
                raise _Unreadable
            found = _slice(raw, start, closing - 1, last=True)
        if type(found) is not dict:
            raise _Unreadable
        rows = list(found.values())
        # A row that is not a dict raises TypeError here.
        if any(map(dict.__contains__, rows, repeat(compact.EXTRA))):
            raise _Unreadable  # fields this program does not know: merged in by unpack
        ids.update(found)
        size += len(rows)
        for code, add, swap in zip(codes, adding, ints, strict=True):
            if swap is None:
                add(map(dict.get, rows, repeat(code), repeat(-1)))
            else:
                add(map(swap.__getitem__, map(dict.get, rows, repeat(code), repeat(-1))))
        del found, rows
        if closing >= 0:
            break
        start = cut
    if len(ids) != size:
        raise _Unreadable  # a record written twice: the ordinary read keeps one
    return size, columns, closing


def _slice(raw: bytearray, start: int, stop: int, last: bool = False) -> Any:
    """The records from `start` (a « { » or a comma) to `stop` (the comma ending a line;
    for the `last` slice, the table's « } »); None when they do not parse as one object."""
    first = raw[start]
    raw[start] = ord("{")
    if not last:
        raw[stop] = ord("}")
    try:
        return orjson.loads(memoryview(raw)[start : stop + 1])
    except orjson.JSONDecodeError:
        if last:
            raise
        return None
    finally:
        raw[start] = first
        if not last:
            raw[stop] = ord(",")


class _Table:
    """What `~layout` says of one table read as columns."""

    def __init__(self, names: list[str], defaults: dict[str, Any]) -> None:
        if not all(isinstance(n, str) for n in names) or not isinstance(defaults, dict):
            raise _Unreadable
        self.codes = {name: str(i) for i, name in enumerate(names)}
        self.defaults = defaults
        self.values: dict[str, list[Any]] = {}
        self.sub_names: dict[str, list[str]] = {}
        self.sub_values: dict[tuple[str, str], list[Any]] = {}

    def add(self, field: str, sub: str | None, doc: dict[str, Any]) -> None:
        if sub is None:
            column = self.values.setdefault(field, [])
        else:
            column = self.sub_values.setdefault((field, sub), [])
        values = doc["values"]
        if doc["at"] != len(column) or not isinstance(values, list):
            raise _Unreadable
        column.extend(values)

    def columns(
        self,
        raw: bytearray,
        opening: int,
        bound: int,
        wanted: Mapping[str, tuple[str, ...]],
        ints: list[int],
    ) -> tuple[Columns, int]:
        """The table's records (from its « { » at `opening`) read as columns, and where the
        table ends (see `_index_columns`): only the `wanted` fields some record holds with
        a value other than its default are read from the records."""
        out = Columns(0)
        held: dict[str, str] = {}  # name -> code
        for name, subs in wanted.items():
            code = self.codes.get(name)
            default = self.defaults.get(name, False if name == "deleted" else None)
            if code is None:
                out.values[name] = [{"v": default}] if subs else [default]
                if subs:
                    out.nested[name] = Nested(out.values[name])
                continue
            values = [*self.values.get(code, []), default]
            if len(values) > 1:  # else every record holds the default
                held[name] = code
            if not subs:
                out.values[name] = values
                continue
            values[-1] = {"v": default}
            if not all(type(e) is dict and ("p" in e or "v" in e) for e in values):
                raise _Unreadable
            out.values[name] = values
            out.nested[name] = self._nested(code, values, subs)
        # An index above 256 is an int object of its own in each record parsed (Python
        # shares the small ones only), lying among the records: counting then reads them
        # scattered over memory and frees them one by one at the end. Each is swapped for
        # the same int of a run made once per file (`ints`); the record's own goes with its
        # slice, while in the caches: 5-7 ms less for a 10k file (3-6% of the statistics,
        # A/B at load 7-9). The index of the default at the end of `values` becomes -1,
        # the same value; an index off the column raises IndexError here.
        swaps: list[list[int] | None] = []
        for code in held.values():
            size = len(self.values[code])  # the values in the file: the default not counted
            if size <= 256:
                swaps.append(None)  # ints up to 256 are shared objects already
                continue
            if len(ints) < size:
                ints.extend(range(len(ints), size))
            swaps.append([*ints[:size], -1])
        out.size, found, closing = _index_columns(raw, opening, bound, list(held.values()), swaps)
        out.found = dict(zip(held, found, strict=True))
        return out, closing

    def _nested(self, code: str, entries: list[dict[str, Any]], subs: tuple[str, ...]) -> Nested:
        nested = Nested(entries)
        for i, name in enumerate(self.sub_names.get(code, [])):
            if name in subs or "*" in subs:
                nested.sub_keys[name] = str(i)
                nested.sub_values[name] = [*self.sub_values.get((code, str(i)), []), None]
        return nested


def _layout(
    raw: bytes | bytearray,
    start: int,
    end: int,
    wanted: Wanted,
    as_columns: set[str],
    as_records: set[str],
) -> tuple[dict[str, Any], dict[str, _Table]]:
    """The `~layout` documents of the tables read whole, and the columns of the others
    (only the lines of the fields and sub-fields they need are parsed)."""
    small: dict[str, Any] = {}
    tables: dict[str, _Table] = {}
    match, loads, find, view = _LAYOUT_LINE.match, orjson.loads, raw.find, memoryview(raw)
    codes: dict[str, dict[str, tuple[str, ...]]] = {}  # table -> wanted code -> sub names
    sub_codes: dict[tuple[str, str], set[str]] = {}  # (table, code) -> wanted sub codes

    def document(pos: int, line_end: int) -> Any:
        """The document of a line `"key":{…},`, parsed where it lies (no copy: some
        lines are megabytes long, and most are skipped)."""
        stop = line_end - 1 if raw[line_end - 1] == ord(",") else line_end
        return loads(view[find(b":", pos, stop) + 1 : stop])

    pos = start
    while pos < end:
        line_end = find(b"\n", pos, end)
        if line_end < 0:
            line_end = end
        found = match(raw, pos, line_end)
        if found is None:
            raise _Unreadable
        table, field, sub = found.group(1).decode(), found.group(2), found.group(3)
        line_start, pos = pos, line_end + 1
        if table in as_records:
            key_end = find(b":", line_start, line_end)
            small[loads(view[line_start:key_end])] = document(line_start, line_end)
            continue
        if table not in as_columns:
            continue
        if field is None:  # the table's names and defaults: always first
            head = document(line_start, line_end)
            layout = tables[table] = _Table(head["fields"], head["defaults"])
            codes[table] = {
                layout.codes[n]: s for n, s in wanted[table].items() if n in layout.codes
            }
            continue
        code = field.decode()
        subs = codes[table].get(code)
        if subs is None:
            continue
        layout = tables[table]
        if sub is None:
            doc = document(line_start, line_end)
            if "fields" in doc:  # the sub-field names of a nested field
                names = doc["fields"]
                if not all(isinstance(n, str) for n in names):
                    raise _Unreadable
                layout.sub_names[code] = names
                sub_codes[(table, code)] = {
                    str(i) for i, n in enumerate(names) if n in subs or "*" in subs
                }
            else:
                layout.add(code, None, doc)
            continue
        if sub.decode() in sub_codes[(table, code)]:
            layout.add(code, sub.decode(), document(line_start, line_end))
    return small, tables
