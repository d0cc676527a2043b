"""A record as a set of registers keyed by path, each holding the values that survive.

Pure: no Textual, no TinyDB, no I/O. A record stores its shown values at the top level (so
every reader sees a plain dict) and its field-level bookkeeping beside them:

- `vv`: the record's causal context, edits seen per device;
- `dot`: `[device, counter, millis]` of the write that created it (or of its migration);
- `dots`: `{path: [device, counter, millis(, index)]}` for the paths whose last write is
  not the creation one (the index is the element's place in the list that write saved);
- `conflicts`: `{path: [[dot, value], [dot]]}`: the other values that survive at a path
  (`[dot]` alone: the element was removed there), absent when there are none;
- `from_schema1`: for a record migrated from record-level versions, the `[device, counter]`
  of those versions (every path then carries one of them), and `superseded`:
  `{path: [digest of a value]}` for the values from those versions later overwritten here.
  An old laptop's file, migrated in memory, gives every path its last version's dot, also
  the paths it never changed: a value of such a path that we superseded is recognised by
  its digest and not taken for a concurrent edit (see `_drop_superseded`).

A path is a top-level field, or for fields declared `set`, `by_id` or `map` in `records.py`,
`field/<element key>`: each element is its own register. `log` fields (follow-up history)
are not registers: their entries are merged by union.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from typing import Any

import orjson

from tpe_tui.domain.records import (
    BOOKKEEPING_FIELDS,
    FIELDS,
    Record,
    strip_personal,
    strip_personal_value,
)
from tpe_tui.sync.versions import join

Dot = tuple[Any, ...]  # (device, counter, millis) or (device, counter, millis, index)
Entry = tuple[Dot, Any]  # (dot, value); value ABSENT for a removed element


class _Absent:
    __slots__ = ()

    def __repr__(self) -> str:
        return "ABSENT"


ABSENT: Any = _Absent()

# Keys of a stored record that are bookkeeping, not registers.
BOOKKEEPING = frozenset(BOOKKEEPING_FIELDS) - {"deleted"}  # a deletion is a register
# Registers where one value must win whatever the clocks say: a deletion, an erasure.
TRUE_FIRST = frozenset(("deleted", "anonymised"))
NO_DOT: Dot = ("", 0, 0)

_KINDS: dict[str, dict[str, str]] = {
    table: {f.name: f.merge for f in fields} for table, fields in FIELDS.items()
}
_DEFAULTS: dict[str, dict[str, Any]] = {
    table: {f.name: f.default for f in fields} for table, fields in FIELDS.items()
}


def kind_of(table: str, name: str) -> str:
    return _KINDS.get(table, {}).get(name, "value")


def canonical(value: Any) -> bytes:
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS)


def element_key(kind: str, element: Any) -> str:
    """The key of a list element: its id (by_id), itself (set), or its content."""
    if kind == "by_id" and isinstance(element, dict) and isinstance(element.get("id"), str):
        return str(element["id"])
    if kind == "set" and isinstance(element, str):
        return element
    return "~" + canonical(element).hex()[:32]


def as_dot(raw: Any) -> Dot:
    if isinstance(raw, list | tuple) and len(raw) >= 3:
        return tuple(raw)
    return NO_DOT


def latest_millis(record: Mapping[str, Any]) -> int:
    """The clock reading of the latest write a record holds (a new write must pass it)."""
    readings = [as_dot(record.get("dot"))[2]]
    readings.extend(as_dot(d)[2] for d in (record.get("dots") or {}).values())
    for entries in (record.get("conflicts") or {}).values():
        readings.extend(as_dot(e[0])[2] for e in entries if isinstance(e, list) and e)
    return max(r for r in readings if isinstance(r, int))


def dot_id(dot: Dot) -> tuple[str, int]:
    return (dot[0], dot[1])


def seen(vv: Mapping[str, int], dot: Dot) -> bool:
    return bool(vv.get(dot[0], 0) >= dot[1])


# ---------------------------------------------------------------------------- reading
def shown_paths(
    table: str, record: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, list[Any]]]:
    """The shown value of every register of a record, and its log fields."""
    values: dict[str, Any] = {}
    logs: dict[str, list[Any]] = {}
    defaults = _DEFAULTS.get(table, {})
    for name, default in defaults.items():
        if name not in record:
            _add(table, name, default, values, logs)
    for name, value in record.items():
        if name not in BOOKKEEPING:
            _add(table, name, value, values, logs)
    values.setdefault("deleted", False)
    return values, logs


def _add(table: str, name: str, value: Any, values: dict[str, Any], logs: dict[str, Any]) -> None:
    kind = kind_of(table, name)
    if kind == "value":
        values[name] = value
    elif kind == "log":
        logs[name] = value if isinstance(value, list) else []
    elif kind == "map":
        for key, item in (value if isinstance(value, dict) else {}).items():
            values[f"{name}/{key}"] = item
    else:
        for element in value if isinstance(value, list) else []:
            values[f"{name}/{element_key(kind, element)}"] = element


def registers(
    table: str, record: Mapping[str, Any]
) -> tuple[dict[str, list[Entry]], dict[str, Any]]:
    """Every register of a stored record with its surviving (dot, value) entries."""
    base = as_dot(record.get("dot"))
    dots = record.get("dots") or {}
    values, logs = shown_paths(table, record)
    positions = _base_positions(table, record, dots)
    regs: dict[str, list[Entry]] = {}
    for path, value in values.items():
        raw = dots.get(path)
        dot = as_dot(raw) if raw is not None else positions.get(path, base)
        regs[path] = [(dot, value)]
    for path, raw in dots.items():
        if path not in regs:
            regs[path] = [(as_dot(raw), ABSENT)]
    for path, entries in (record.get("conflicts") or {}).items():
        held = regs.setdefault(path, [])
        for entry in entries if isinstance(entries, list) else []:
            if isinstance(entry, list) and entry:
                held.append((as_dot(entry[0]), entry[1] if len(entry) > 1 else ABSENT))
    return regs, logs


def _base_positions(
    table: str, record: Mapping[str, Any], dots: Mapping[str, Any]
) -> dict[str, Dot]:
    """Elements written by the creation carry its dot and their place in the stored list."""
    base = as_dot(record.get("dot"))[:3]
    out: dict[str, Dot] = {}
    for name, kind in _KINDS.get(table, {}).items():
        if kind in ("set", "by_id") and isinstance(record.get(name), list):
            for index, element in enumerate(record[name]):
                path = f"{name}/{element_key(kind, element)}"
                if path not in dots:
                    out[path] = (*base, index)
    return out


# ---------------------------------------------------------------------------- merging
def _same_dot(a: Any, b: Any) -> Any:
    """Two copies of one write: equal, or one had its personal data erased since. The
    emptier copy wins, then a fixed order, so the choice does not depend on who merges."""
    if a == b:
        return a
    if a is ABSENT or b is ABSENT:
        return ABSENT
    return min(a, b, key=lambda v: (len(canonical(v)), canonical(v)))


def join_entries(
    ours: list[Entry], theirs: list[Entry], our_vv: Mapping[str, int], their_vv: Mapping[str, int]
) -> list[Entry]:
    """The dot-kernel join of one register: values both hold, plus each side's values the
    other has not seen."""
    mine = {dot_id(d): (d, v) for d, v in ours}
    other = {dot_id(d): (d, v) for d, v in theirs}
    out: list[Entry] = []
    for key, (dot, value) in mine.items():
        if key in other:
            their_dot = other[key][0]
            out.append((min(dot, their_dot), _same_dot(value, other[key][1])))
        elif not seen(their_vv, dot):
            out.append((dot, value))
    out.extend(
        (dot, value)
        for key, (dot, value) in other.items()
        if key not in mine and not seen(our_vv, dot)
    )
    return out


def rank(path: str, entry: Entry) -> tuple[Any, ...]:
    dot, value = entry
    first = path in TRUE_FIRST and value is True
    return (first, dot[2], str(dot[0]), dot[1], value is not ABSENT, canonical_or_empty(value))


def canonical_or_empty(value: Any) -> bytes:
    return b"" if value is ABSENT else canonical(value)


def join_logs(a: list[Any], b: list[Any]) -> list[Any]:
    """Union of log entries, in time order (then content, so every laptop agrees)."""
    unique = {canonical(e): e for e in [*a, *b]}
    return [unique[k] for k in sorted(unique, key=lambda k: (_log_time(unique[k]), k))]


def _log_time(entry: Any) -> str:
    if isinstance(entry, dict):
        return str(entry.get("at") or entry.get("date") or "")
    return ""


def digest(value: Any) -> str:
    """A short fingerprint of a value (equal values, equal digests)."""
    return hashlib.blake2b(canonical(value), digest_size=8).hexdigest()


def _schema1_versions(record: Mapping[str, Any]) -> set[tuple[Any, ...]]:
    return {tuple(v) for v in record.get("from_schema1") or [] if isinstance(v, list)}


def _drop_superseded(
    regs: dict[str, list[Entry]], record: Mapping[str, Any], other: Mapping[str, Any]
) -> None:
    """Drop the values `record` holds from its old record-level versions that `other` has
    since overwritten: such a value is the old one, not a concurrent edit (its dot, the
    old version's, says when the record was last saved, not when that path was)."""
    overwritten = other.get("superseded") or {}
    versions = _schema1_versions(record)
    if not overwritten or not versions:
        return
    for path, digests in overwritten.items():
        entries = regs.get(path)
        if entries:
            regs[path] = [
                (dot, value)
                for dot, value in entries
                if value is ABSENT or dot_id(dot) not in versions or digest(value) not in digests
            ]


def _schema1_trace(records: Iterable[Mapping[str, Any]], erased: bool = False) -> dict[str, Any]:
    """The union of the records' `from_schema1` and `superseded` (none once erased: a
    digest of a phone number is still one)."""
    records = list(records)
    versions = sorted({v for r in records for v in _schema1_versions(r)})
    out: dict[str, Any] = {}
    if versions:
        out["from_schema1"] = [list(v) for v in versions]
    superseded: dict[str, set[str]] = {}
    for record in records:
        for path, digests in (record.get("superseded") or {}).items():
            superseded.setdefault(path, set()).update(digests)
    if superseded and not erased:
        out["superseded"] = {p: sorted(d) for p, d in sorted(superseded.items())}
    return out


def merge_records(table: str, ours: Mapping[str, Any], theirs: Mapping[str, Any]) -> Record:
    """The join of two copies of one record."""
    our_regs, our_logs = registers(table, ours)
    their_regs, their_logs = registers(table, theirs)
    _drop_superseded(our_regs, ours, theirs)
    _drop_superseded(their_regs, theirs, ours)
    our_vv, their_vv = ours.get("vv") or {}, theirs.get("vv") or {}
    regs: dict[str, list[Entry]] = {}
    for path in {*our_regs, *their_regs}:
        entries = join_entries(our_regs.get(path, []), their_regs.get(path, []), our_vv, their_vv)
        if entries:
            regs[path] = entries
    logs = {
        name: join_logs(our_logs.get(name, []), their_logs.get(name, []))
        for name in {*our_logs, *their_logs}
    }
    base = max(as_dot(ours.get("dot"))[:3], as_dot(theirs.get("dot"))[:3])
    created = [str(r["created_at"]) for r in (ours, theirs) if r.get("created_at")]
    meta = {
        "id": ours.get("id"),
        "created_at": min(created, default=""),
        "updated_at": max(str(ours.get("updated_at") or ""), str(theirs.get("updated_at") or "")),
    }
    erased = any(v is True for _, v in regs.get("anonymised", []))
    meta.update(_schema1_trace((ours, theirs), erased))
    return compose(table, meta, regs, logs, base, join([our_vv, their_vv]))


# ---------------------------------------------------------------------------- writing back
def compose(
    table: str,
    meta: Mapping[str, Any],
    regs: Mapping[str, list[Entry]],
    logs: Mapping[str, list[Any]],
    base: Dot,
    vv: Mapping[str, int],
) -> Record:
    """The stored record for a set of registers: each shows its highest-ranked value."""
    shown: dict[str, Entry] = {}
    others: dict[str, list[Entry]] = {}
    for path, entries in regs.items():
        ordered = sorted(entries, key=lambda e: rank(path, e), reverse=True)
        shown[path] = ordered[0]
        if len(ordered) > 1:
            others[path] = ordered[1:]
    erased = any(v is True for _, v in [shown.get("anonymised", (NO_DOT, False))]) or any(
        v is True for _, v in others.get("anonymised", [])
    )
    if erased:
        shown = {p: (d, strip_personal_value(table, p, v)) for p, (d, v) in shown.items()}
        others = {
            p: [(d, strip_personal_value(table, p, v)) for d, v in entries]
            for p, entries in others.items()
        }
    record: Record = dict(meta)
    record.update(_values(table, shown, base))
    record.update(logs)
    record["vv"] = dict(vv)
    record["dot"] = list(base[:3])
    dots = {
        path: list(dot)
        for path, (dot, value) in shown.items()
        if dot_id(dot) != dot_id(base) or value is ABSENT
    }
    if dots:
        record["dots"] = dots
    if others:
        record["conflicts"] = {
            path: [[list(d), v] if v is not ABSENT else [list(d)] for d, v in entries]
            for path, entries in sorted(others.items())
        }
    return record


def _values(table: str, shown: Mapping[str, Entry], base: Dot) -> dict[str, Any]:
    """Top-level fields from the shown value of each register."""
    out: dict[str, Any] = {}
    elements: dict[str, list[tuple[Dot, Any]]] = {}
    for name, kind in _KINDS.get(table, {}).items():
        if kind in ("set", "by_id"):
            out[name] = []
        elif kind == "map":
            out[name] = {}
    for path, (dot, value) in shown.items():
        name, sep, key = path.partition("/")
        kind = kind_of(table, name) if sep else "value"
        if kind == "value":
            out[path] = value
        elif value is ABSENT:
            continue
        elif kind == "map":
            out.setdefault(name, {})[key] = value
        else:
            elements.setdefault(name, []).append((dot, value))
    for name, items in elements.items():
        keys = order_keys([dot for dot, _ in items], base)
        out[name] = [value for _, (_, value) in sorted(zip(keys, items, strict=True))]
    defaults = _DEFAULTS.get(table, {})
    ordered = {name: out.pop(name, default) for name, default in defaults.items()}
    ordered.update(sorted(out.items()))
    return ordered


def order_keys(dots: list[Dot], base: Dot) -> list[tuple[Any, ...]]:
    """The place of each element of a list, from the dots of its elements alone (so every
    laptop orders a merged list the same way): the index each had in the list its write
    saved — elements still from the creation take their rank among themselves — and on a
    tie the newer write first (an insertion lands before what was there)."""
    created = sorted(
        (d[3] if len(d) > 3 else 0, i) for i, d in enumerate(dots) if dot_id(d) == dot_id(base)
    )
    rank = {i: r for r, (_, i) in enumerate(created)}
    keys = []
    for i, dot in enumerate(dots):
        if i in rank:
            keys.append((rank[i], 1, 0, "", 0))
        else:
            index = dot[3] if len(dot) > 3 else 0
            keys.append((index, 0, -dot[2], str(dot[0]), -dot[1]))
    return keys


def stamp(
    table: str,
    stored: Mapping[str, Any] | None,
    new: Mapping[str, Any],
    device: str,
    millis: int,
    now: str,
    touched: Iterable[str] = (),
) -> Record | None:
    """`new` saved over `stored`: the paths whose value changed (and `touched` ones) get
    the dot of this write; None when nothing changed."""
    body = {k: v for k, v in new.items() if k not in BOOKKEEPING}
    if body.get("anonymised") is True:  # an erased record takes no personal data back
        body = strip_personal(table, body)
    if stored is None:
        vv = join([new.get("vv") or {}])
        counter = vv.get(device, 0) + 1
        vv[device] = counter
        record: Record = {"id": new["id"], "created_at": new.get("created_at") or now}
        record["updated_at"] = now
        record.update(body)
        record.setdefault("deleted", False)
        for name, kind in _KINDS.get(table, {}).items():
            if kind == "log" and isinstance(record.get(name), list):
                record[name] = join_logs(record[name], [])
        record["vv"] = vv
        record["dot"] = [device, counter, millis]
        return record
    before, _ = shown_paths(table, stored)
    after, logs = shown_paths(table, body)
    changed = {p for p in {*before, *after} if before.get(p, ABSENT) != after.get(p, ABSENT)}
    changed.update(touched)
    logs = {name: join_logs(entries, []) for name, entries in logs.items()}
    old_logs = shown_paths(table, stored)[1]
    if not changed and all(old_logs.get(n) == v for n, v in logs.items()):
        return None
    trace = _schema1_trace(
        [stored, _overwritten(table, stored, changed)], body.get("anonymised") is True
    )
    vv = dict(stored.get("vv") or {})
    counter = vv.get(device, 0) + 1
    vv[device] = counter
    base = as_dot(stored.get("dot"))
    dots = dict(stored.get("dots") or {})
    conflicts = dict(stored.get("conflicts") or {})
    dot = (device, counter, millis)
    indexes = _indexes(table, body)
    for path in changed:
        dots[path] = [*dot, indexes[path]] if path in indexes else list(dot)
        conflicts.pop(path, None)
    for paths in _reordered(table, stored, body, dots, base).values():
        for path in paths:
            dots[path] = [*dot, indexes[path]]
            conflicts.pop(path, None)
    record = {"id": stored["id"], "created_at": stored.get("created_at") or now}
    record["updated_at"] = now
    record.update(body)
    record.update(logs)
    record.update(trace)
    record.setdefault("deleted", False)
    record["vv"] = vv
    record["dot"] = list(base[:3])
    if dots:
        record["dots"] = dots
    if conflicts and body.get("anonymised") is True:
        # An erasure empties the other laptops' values too (same writes, emptier values:
        # a merge keeps the emptier copy of a write, so they never come back).
        conflicts = {
            path: [
                [e[0], strip_personal_value(table, path, e[1])] if len(e) > 1 else e
                for e in entries
            ]
            for path, entries in conflicts.items()
        }
    if conflicts:
        record["conflicts"] = conflicts
    return record


def _overwritten(table: str, stored: Mapping[str, Any], changed: Iterable[str]) -> Record:
    """`superseded` for the values of old record-level versions this write overwrites."""
    versions = _schema1_versions(stored)
    if not versions:
        return {}
    regs, _ = registers(table, stored)
    out: dict[str, list[str]] = {}
    for path in changed:
        for dot, value in regs.get(path, []):
            if value is not ABSENT and dot_id(dot) in versions:
                out.setdefault(path, []).append(digest(value))
    return {"superseded": out} if out else {}


def _indexes(table: str, body: Mapping[str, Any]) -> dict[str, int]:
    out: dict[str, int] = {}
    for name, kind in _KINDS.get(table, {}).items():
        if kind in ("set", "by_id") and isinstance(body.get(name), list):
            for index, element in enumerate(body[name]):
                out[f"{name}/{element_key(kind, element)}"] = index
    return out


def _reordered(
    table: str,
    stored: Mapping[str, Any],
    body: Mapping[str, Any],
    dots: Mapping[str, Any],
    base: Dot,
) -> dict[str, list[str]]:
    """List fields whose order as saved is not the order their dots give: every element
    is then rewritten, so that the order saved is the order every laptop shows."""
    out: dict[str, list[str]] = {}
    for name, kind in _KINDS.get(table, {}).items():
        items = body.get(name)
        if kind not in ("set", "by_id") or not isinstance(items, list) or len(items) < 2:
            continue
        paths = [f"{name}/{element_key(kind, e)}" for e in items]
        stored_items = stored.get(name)
        before: list[Any] = stored_items if isinstance(stored_items, list) else []
        was_at = {f"{name}/{element_key(kind, e)}": i for i, e in enumerate(before)}
        created = [p for p in paths if p not in dots]
        if any(p not in was_at for p in created) or created != sorted(
            created, key=lambda p: was_at[p]
        ):
            out[name] = paths  # elements from the creation moved among themselves
            continue
        keys = order_keys(
            [as_dot(dots[p]) if p in dots else (*base[:3], i) for i, p in enumerate(paths)], base
        )
        if keys != sorted(keys):
            out[name] = paths
    return out


def set_path(table: str, record: Mapping[str, Any], path: str, value: Any) -> Record:
    """A copy of `record` showing `value` at `path` (ABSENT removes an element)."""
    out = dict(record)
    name, sep, key = path.partition("/")
    kind = kind_of(table, name) if sep else "value"
    if kind == "value":
        out[path] = value
    elif kind == "map":
        mapping = dict(out.get(name) or {})
        if value is ABSENT:
            mapping.pop(key, None)
        else:
            mapping[key] = value
        out[name] = mapping
    else:
        items = list(out.get(name) or [])
        at = next((i for i, e in enumerate(items) if element_key(kind, e) == key), None)
        if value is ABSENT:
            if at is not None:
                del items[at]
        elif at is not None:
            items[at] = value
        else:
            items.append(value)
        out[name] = items
    return out


def visible_conflicts(table: str, record: Mapping[str, Any]) -> dict[str, list[Entry]]:
    """Paths holding another value than the one shown: the shown entry first."""
    conflicts = record.get("conflicts") or {}
    if not conflicts:
        return {}
    regs, _ = registers(table, record)
    out = {}
    for path in conflicts:
        entries = regs.get(path) or []
        if entries and any(v != entries[0][1] for _, v in entries[1:]):
            out[path] = entries
    return out


# ---------------------------------------------------------------------------- schema 1
_SCHEMA1_REVISION = ("device", "rev", "hlc", "conflicts")


def _schema1_dot(version: Mapping[str, Any]) -> Dot:
    from tpe_tui.sync.versions import parse_hlc

    device = str(version.get("device") or "")
    raw_vv = version.get("vv")
    vv: dict[str, Any] = raw_vv if isinstance(raw_vv, dict) else {}
    counter = vv.get(device, 0)
    return (device, counter if isinstance(counter, int) else 0, parse_hlc(version.get("hlc"))[0])


def migrate_record(table: str, record: Mapping[str, Any]) -> Record:
    """A schema-1 record (head version + whole sibling versions) as a field-level one."""
    if "dot" in record:
        return dict(record)  # already field-level
    siblings = [s for s in record.get("conflicts") or [] if isinstance(s, dict)]
    vectors = [
        v for v in (record.get("vv"), *(s.get("vv") for s in siblings)) if isinstance(v, dict)
    ]
    out: Record = {k: v for k, v in record.items() if k not in _SCHEMA1_REVISION}
    out["vv"] = join(vectors)
    base = _schema1_dot(record)
    out["dot"] = list(base)
    versions = {dot_id(base), *(dot_id(_schema1_dot(s)) for s in siblings)}
    out["from_schema1"] = [list(v) for v in sorted(versions)]
    head, _ = shown_paths(table, out)
    conflicts: dict[str, list[Any]] = {}
    for sibling in siblings:
        dot = list(_schema1_dot(sibling))
        body = {k: v for k, v in sibling.items() if k not in _SCHEMA1_REVISION and k != "vv"}
        values, _ = shown_paths(table, body)
        for path in {*head, *values}:
            value = values.get(path, ABSENT)
            if value != head.get(path, ABSENT):
                conflicts.setdefault(path, []).append([dot] if value is ABSENT else [dot, value])
                if path not in head:  # the head's "no such element" is a value too
                    out.setdefault("dots", {})[path] = list(base)
    if conflicts:
        out["conflicts"] = conflicts
    return out
