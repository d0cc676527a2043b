"""Read-only, for the statistics: the columns they count, straight from a compact file.

The ordinary read (`file_format.open_readonly`) parses the whole file and rebuilds every
record whole (`compact.unpack`): most of the time of a statistics run. The statistics look
at a few fields of each record, so this reader parses only the lines they need (the file
is written one document per line, see `file_format.dump_lines`: a line of `~layout` says
which table and field its values belong to before them) and leaves the records packed:
each row `{code: index}`, each distinct value decoded once (`domain.columns.Columns`).
Small tables (places, workshops, aids) are unpacked whole with `compact.unpack`.

It reads only files it can read exactly as the ordinary way would: a file not in the line
layout, of another schema, with a journal beside it (an open app's saves), with fields
this program does not know, or whose layout does not add up gives None, and the caller
reads it the ordinary way (which also gives the French message for a damaged file). Lines
it skips (notes, texts, bookkeeping) are not parsed, so not checked either.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from operator import getitem
from pathlib import Path
from typing import Any

import orjson

from tpe_tui.domain import records as model
from tpe_tui.domain.columns import Columns
from tpe_tui.storage import compact, migrations
from tpe_tui.storage.journal import journal_path

Data = dict[str, dict[str, Any]]
# table -> field -> the sub-fields wanted of a nested field (maps, lists of dicts); () else.
Wanted = Mapping[str, Mapping[str, tuple[str, ...]]]

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
        raw = path.read_bytes()
        return _read(raw, wanted, whole)
    except (
        OSError,
        _Unreadable,
        orjson.JSONDecodeError,
        KeyError,
        IndexError,
        TypeError,
        ValueError,
    ):
        return None


def _tables(raw: bytes) -> dict[str, tuple[int, int]]:
    """Each table's byte range of document lines, in the layout of `dump_lines`."""
    if not raw.startswith(b"{\n"):
        raise _Unreadable
    found: dict[str, tuple[int, int]] = {}
    pos = 2
    while True:
        end = raw.find(b"\n", pos)
        if end < 0:
            raise _Unreadable
        line = raw[pos:end]
        if line == b"}":
            break
        if not line.endswith(b":{"):
            raise _Unreadable
        name = orjson.loads(line[:-2])
        if not isinstance(name, str) or name in found:
            raise _Unreadable
        start = end + 1
        close = raw.find(b"\n}", start - 1)  # the table's closing line
        if close < 0:
            raise _Unreadable
        found[name] = (start, max(start, close))
        pos = raw.find(b"\n", close + 1)
        if pos < 0 or raw[close + 1 : pos] not in (b"}", b"},"):
            raise _Unreadable
        pos += 1
    if raw[end + 1 :].strip():
        raise _Unreadable
    return found


def _documents(raw: bytes, span: tuple[int, int]) -> dict[str, Any]:
    start, end = span
    if start == end:
        return {}
    docs = orjson.loads(b"{" + raw[start:end] + b"}")
    if not isinstance(docs, dict) or not all(type(d) is dict for d in docs.values()):
        raise _Unreadable
    return docs


def _read(raw: bytes, wanted: Wanted, whole: tuple[str, ...]) -> tuple[dict[str, Columns], Data]:
    spans = _tables(raw)
    meta = _documents(raw, spans["meta"]) if "meta" in spans else {}
    if migrations.schema_of({"meta": meta}) != model.SCHEMA_VERSION:
        raise _Unreadable
    layout_span = spans.get(compact.LAYOUT_TABLE)
    if layout_span is None:
        raise _Unreadable  # not compact (a file written by hand): the ordinary read takes it
    rows: dict[str, dict[str, Any]] = {}
    for table in wanted:
        if table in spans:
            start, end = spans[table]
            if raw.find(b'"' + compact.EXTRA.encode() + b'":', start, end) >= 0:
                raise _Unreadable  # fields this program does not know: kept whole by unpack
            rows[table] = _documents(raw, spans[table])
    small: Data = {table: _documents(raw, spans[table]) for table in whole if table in spans}
    small_layout, layouts = _layout(
        raw, layout_span, wanted, {t for t in wanted if rows.get(t)}, set(small)
    )
    small[compact.LAYOUT_TABLE] = small_layout
    compact.unpack(small, "stats")
    columns = {
        table: layouts[table].columns(list(rows[table].values()), wanted[table])
        if table in layouts
        else Columns([])
        for table in wanted
        if table in rows
    }
    if set(rows) - set(layouts) and any(rows[t] for t in set(rows) - set(layouts)):
        raise _Unreadable
    return columns, small


class _Table:
    """What `~layout` says of one table read as columns."""

    def __init__(self, names: list[str], defaults: dict[str, Any]) -> None:
        if not all(isinstance(n, str) for n in names) or not isinstance(defaults, dict):
            raise _Unreadable
        self.codes = {name: str(i) for i, name in enumerate(names)}
        self.names = names
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

    def columns(self, rows: list[dict[str, Any]], wanted: Mapping[str, tuple[str, ...]]) -> Columns:
        out = Columns(rows)
        for name, subs in wanted.items():
            code = self.codes.get(name)
            default = self.defaults.get(name, False if name == "deleted" else None)
            if code is None:
                out.values[name] = [default]
                continue
            values = self.values.get(code, [])
            if code in self.sub_names:
                values = self._nested(code, values, subs)
            out.keys[name] = code
            out.values[name] = [*values, default]
        return out

    def _nested(self, code: str, values: list[Any], subs: tuple[str, ...]) -> list[Any]:
        """The values of a map or list-of-dicts field, with only the sub-fields `subs`."""
        names = self.sub_names[code]
        kept = {str(i): name for i, name in enumerate(names) if name in subs or "*" in subs}
        name_of = kept.__getitem__
        sub_columns = {c: self.sub_values.get((code, c), []) for c in kept}
        column_of = sub_columns.__getitem__
        every = len(kept) == len(names)

        def build(packed: dict[str, int]) -> dict[str, Any]:
            if not every:
                packed = {c: i for c, i in packed.items() if c in kept}
            return dict(
                zip(
                    map(name_of, packed),
                    map(getitem, map(column_of, packed), packed.values()),
                    strict=True,
                )
            )

        out: list[Any] = []
        for entry in values:
            if "p" not in entry:
                out.append(entry["v"])
            elif type(entry["p"]) is list:
                out.append([build(e) for e in entry["p"]])
            else:
                out.append(build(entry["p"]))
        return out


def _layout(
    raw: bytes, span: tuple[int, int], wanted: Wanted, as_columns: set[str], as_records: set[str]
) -> tuple[dict[str, Any], dict[str, _Table]]:
    """The `~layout` documents of the tables read whole, and the columns of the others
    (only the lines of the fields and sub-fields they need are parsed)."""
    start, end = span
    small: dict[str, Any] = {}
    tables: dict[str, _Table] = {}
    match, loads, find = _LAYOUT_LINE.match, orjson.loads, raw.find
    codes: dict[str, dict[str, tuple[str, ...]]] = {}  # table -> wanted code -> sub names
    sub_codes: dict[tuple[str, str], set[str]] = {}  # (table, code) -> wanted sub codes
    pos = start
    while pos < end:
        line_end = find(b"\n", pos, end)
        if line_end < 0:
            line_end = end
        found = match(raw, pos, line_end)
        if found is None:
            raise _Unreadable
        table, field, sub = found.group(1).decode(), found.group(2), found.group(3)
        line = raw[pos:line_end]
        pos = line_end + 1
        if table in as_records:
            key, _, doc = line.rstrip(b",").partition(b":")
            small[loads(key)] = loads(doc)
            continue
        if table not in as_columns:
            continue
        if field is None:  # the table's names and defaults: always first
            head = loads(line.rstrip(b",").partition(b":")[2])
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
            doc = loads(line.rstrip(b",").partition(b":")[2])
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
        sub_code = sub.decode()
        if sub_code in sub_codes[(table, code)]:
            layout.add(code, sub_code, loads(line.rstrip(b",").partition(b":")[2]))
    return small, tables
