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

An element of a `by_id` list (a solution, a contact) is itself a set of registers: its
presence `field/<id>` (value PRESENT, or ABSENT once removed; its dot carries its place in
the list) and one register per field, `field/<id>/<name>`, so that two laptops editing two
fields of one element merge with no conflict. A field's dot is the presence dot unless
`dots` holds one of its own: `[device, counter, millis, presence millis]`, the last item
being the millis of the presence dot it was saved beside — a laptop of the previous version
rewrites an element whole and moves only the presence dot, and such a field dot, stale, is
then ignored (the field takes the presence dot, as that version meant). Editing a field
re-asserts the element's presence, so an edit made while another laptop removed the element
is held beside the removal and, the present value ranking first, keeps the element shown.
A removed element stores no fields: a laptop holding it removed counts, in a merge, as
holding the removal at each of its fields. Files of the previous version (an element
register holding the whole element) read as per-field registers with the same dot.
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
# The value of an element's presence register (`field/<id>`) while it is in the list.
PRESENT = True

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
    if (
        kind == "by_id"
        and isinstance(element, dict)
        and isinstance(element.get("id"), str)
        and "/" not in element["id"]
    ):
        return str(element["id"])
    if kind == "set" and isinstance(element, str):
        return element
    return "~" + canonical(element).hex()[:32]


def split(path: str) -> tuple[str, str, str]:
    """`field/<key>/<name>` as (field, key, name); a shorter path leaves the rest empty."""
    name, _, rest = path.partition("/")
    key, _, sub = rest.partition("/")
    return name, key, sub


_BY_ID: dict[str, frozenset[str]] = {
    table: frozenset(name for name, kind in kinds.items() if kind == "by_id")
    for table, kinds in _KINDS.items()
}


def by_fields(table: str, name: str, key: str) -> bool:
    """Whether an element of `name` merges field by field: a by_id list, a real id."""
    return name in _BY_ID.get(table, ()) and bool(key) and not key.startswith("~")


# Both are asked of every path of every record merged: the common answer comes first.
def presence_of(table: str, path: str) -> str | None:
    """The presence path of the element a field path belongs to (None for other paths)."""
    first = path.find("/")
    if first < 0:
        return None
    second = path.find("/", first + 1)
    if second < 0 or not by_fields(table, path[:first], path[first + 1 : second]):
        return None
    return path[:second]


def is_presence(table: str, path: str) -> bool:
    first = path.find("/")
    if first < 0 or path.find("/", first + 1) >= 0:
        return False
    return by_fields(table, path[:first], path[first + 1 :])


def _splittable(kind: str, element: Any, key: str) -> bool:
    return kind == "by_id" and isinstance(element, dict) and not key.startswith("~")


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
    logs = _shown(table, record, values, values)
    return values, logs


def _shown(
    table: str, record: Mapping[str, Any], values: dict[str, Any], fields: dict[str, Any]
) -> dict[str, list[Any]]:
    """Fill `values` (and `fields`, the fields of elements); return the log fields."""
    logs: dict[str, list[Any]] = {}
    defaults = _DEFAULTS.get(table, {})
    for name, default in defaults.items():
        if name not in record:
            _add(table, name, default, values, logs, fields)
    for name, value in record.items():
        if name not in BOOKKEEPING:
            _add(table, name, value, values, logs, fields)
    values.setdefault("deleted", False)
    return logs


def _add(
    table: str,
    name: str,
    value: Any,
    values: dict[str, Any],
    logs: dict[str, Any],
    fields: dict[str, Any],
) -> None:
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
            key = element_key(kind, element)
            if _splittable(kind, element, key):
                values[f"{name}/{key}"] = PRESENT
                for sub, item in element.items():
                    if sub != "id":
                        fields[f"{name}/{key}/{sub}"] = item
            else:
                values[f"{name}/{key}"] = element


def registers(
    table: str, record: Mapping[str, Any]
) -> tuple[dict[str, list[Entry]], dict[str, Any]]:
    """Every register of a stored record with its surviving (dot, value) entries."""
    base = as_dot(record.get("dot"))
    dots = record.get("dots") or {}
    values: dict[str, Any] = {}
    fields: dict[str, Any] = {}  # field paths of elements: their shown value
    logs = _shown(table, record, values, fields)
    positions = _base_positions(table, record, dots)
    regs: dict[str, list[Entry]] = {}
    for path, value in values.items():
        raw = dots.get(path)
        dot = as_dot(raw) if raw is not None else positions.get(path, base)
        regs[path] = [(dot, value)]
    for path, raw in dots.items():
        if path in regs or path in fields:
            continue
        if presence_of(table, path):
            fields[path] = ABSENT  # a field its element does not hold (removed with it)
        else:
            regs[path] = [(as_dot(raw), ABSENT)]
    held: dict[str, list[Entry]] = {}  # other values of element fields
    for path, entries in (record.get("conflicts") or {}).items():
        for entry in entries if isinstance(entries, list) else []:
            if not isinstance(entry, list) or not entry:
                continue
            dot, value = as_dot(entry[0]), entry[1] if len(entry) > 1 else ABSENT
            if presence_of(table, path):
                held.setdefault(path, []).append((dot, value))
            elif value is not ABSENT and is_presence(table, path):
                regs.setdefault(path, []).append((dot, PRESENT))
                if isinstance(value, dict):  # the previous version held the whole element
                    for sub, item in value.items():
                        if sub != "id":
                            held.setdefault(f"{path}/{sub}", []).append((dot[:3], item))
            else:
                regs.setdefault(path, []).append((dot, value))
    for path, value in fields.items():  # `field/<id>/<name>`: its element is the path's head
        presence = regs.get(path.rpartition("/")[0])
        if presence and any(v is not ABSENT for _, v in presence):
            regs[path] = [(_field_dot(dots.get(path), presence[0][0]), value)]
    for path, entries in held.items():
        presence = regs.get(path.rpartition("/")[0])
        if presence and any(v is not ABSENT for _, v in presence):  # else removed: no fields
            regs[path] = _unique([*regs.get(path, ()), *entries])
    return regs, logs


def _field_dot(raw: Any, presence: Dot) -> Dot:
    """A field's own dot while it was saved beside this presence dot, else the presence's."""
    own = as_dot(raw)
    if len(own) > 3 and own[3] == presence[2]:
        return own[:3]
    return presence[:3]


def _unique(entries: list[Entry]) -> list[Entry]:
    seen_ids: set[tuple[str, int]] = set()
    out = []
    for dot, value in entries:
        if dot_id(dot) not in seen_ids:
            seen_ids.add(dot_id(dot))
            out.append((dot, value))
    return out


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


def rank(path: str, entry: Entry, present_first: bool = False) -> tuple[Any, ...]:
    """The order of the values of a register, the shown one first: a deletion or an
    erasure first; in an element (`present_first`) a value before a removal; then the
    clock, the device, the counter."""
    dot, value = entry
    first = (path in TRUE_FIRST and value is True) or (present_first and value is not ABSENT)
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
    _hold_removals(table, our_regs, their_regs)
    _hold_removals(table, their_regs, our_regs)
    our_vv, their_vv = ours.get("vv") or {}, theirs.get("vv") or {}
    regs: dict[str, list[Entry]] = {}
    kept_present: list[str] = []  # elements removed on one side only (see below)
    for path in {*our_regs, *their_regs}:
        mine, other = our_regs.get(path, []), their_regs.get(path, [])
        if mine == other:  # most registers: the join of a register with itself is itself
            regs[path] = mine
            continue
        entries = join_entries(mine, other, our_vv, their_vv)
        if entries:
            regs[path] = entries
            if _removed(mine) != _removed(other) and is_presence(table, path):
                kept_present.append(path)
    if kept_present:
        _restore_kept_elements(kept_present, regs, our_regs, their_regs)
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


def _hold_removals(
    table: str, regs: dict[str, list[Entry]], other: Mapping[str, list[Entry]]
) -> None:
    """A removed element stores no fields: it holds its removal at each field the other
    side holds (so a field value the removal had seen is superseded, a later one kept)."""
    removed = {
        path: entries
        for path, entries in regs.items()
        if entries
        and entries[0][1] is ABSENT
        and all(value is ABSENT for _, value in entries)
        and is_presence(table, path)
    }
    if not removed:
        return
    for path in other:
        entries = removed.get(path.rpartition("/")[0])
        if entries and path not in regs and presence_of(table, path):
            regs[path] = [(dot[:3], ABSENT) for dot, _ in entries]


def _removed(entries: list[Entry] | None) -> bool:
    """Whether a side holds an element removed (its presence register ABSENT only)."""
    return bool(entries) and all(value is ABSENT for _, value in entries or ())


def _restore_kept_elements(
    paths: list[str],
    regs: dict[str, list[Entry]],
    ours: Mapping[str, list[Entry]],
    theirs: Mapping[str, list[Entry]],
) -> None:
    """An element removed on one side and edited on the other (the edit re-asserted its
    presence, unseen by the removal) stays whole: its fields are those the editing side
    holds, not only the ones edited after the removal. A removed element stores no
    fields, so the removal cannot say which values it meant to drop: it is held on the
    presence register alone (the conflicts screen offers to remove the element)."""
    for path in paths:
        if _removed(regs[path]):
            continue  # the removal wins: the element holds no fields
        keeper = theirs if _removed(ours.get(path)) else ours
        head = path + "/"
        for field in [p for p in regs if p.startswith(head)]:
            kept = [e for e in keeper.get(field, ()) if e[1] is not ABSENT]
            if kept:
                regs[field] = kept
            else:
                del regs[field]
        for field, entries_held in keeper.items():
            if field.startswith(head) and field not in regs:
                kept = [e for e in entries_held if e[1] is not ABSENT]
                if kept:
                    regs[field] = kept


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
    elements = {p: e for p in regs if (e := presence_of(table, p))} if _BY_ID.get(table) else {}
    for path, entries in regs.items():
        present_first = path in elements or is_presence(table, path)
        if len(entries) == 1:
            shown[path] = entries[0]
            continue
        ordered = sorted(entries, key=lambda e: rank(path, e, present_first), reverse=True)
        shown[path] = ordered[0]
        others[path] = ordered[1:]
    for path, element in elements.items():
        presence = shown.get(element)
        if presence is None or presence[1] is ABSENT:  # a removed element holds no fields
            del shown[path]
            others.pop(path, None)
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
    dots: dict[str, list[Any]] = {}
    for path, (dot, value) in shown.items():
        owner = elements.get(path)
        if owner:
            at = shown[owner][0]
            if dot_id(dot) != dot_id(at) or value is ABSENT or path in others:
                dots[path] = [*dot[:3], at[2]]  # saved beside this presence dot
        elif dot_id(dot) != dot_id(base) or value is ABSENT:
            dots[path] = list(dot)
    if dots:
        record["dots"] = dots
    if others:
        record["conflicts"] = {
            path: [_stored_entry(table, path, d, v) for d, v in entries]
            for path, entries in sorted(others.items())
        }
    return record


def _stored_entry(table: str, path: str, dot: Dot, value: Any) -> list[Any]:
    if value is ABSENT:
        return [list(dot)]
    if is_presence(table, path):  # what the previous version reads as an element
        return [list(dot), {"id": split(path)[1]}]
    return [list(dot), value]


def _values(table: str, shown: Mapping[str, Entry], base: Dot) -> dict[str, Any]:
    """Top-level fields from the shown value of each register."""
    out: dict[str, Any] = {}
    elements: dict[str, list[tuple[Dot, Any]]] = {}
    for name, kind in _KINDS.get(table, {}).items():
        if kind in ("set", "by_id"):
            out[name] = []
        elif kind == "map":
            out[name] = {}
    built: dict[str, dict[str, Any]] = {}  # elements merged field by field, by presence
    for path, (dot, value) in shown.items():
        name, sep, key = path.partition("/")
        kind = kind_of(table, name) if sep else "value"
        if kind == "value":
            out[path] = value
        elif value is ABSENT or (kind == "by_id" and "/" in key):  # or a field of an element
            continue
        elif kind == "map":
            out.setdefault(name, {})[key] = value
        elif is_presence(table, path):
            built[path] = {"id": key}
            elements.setdefault(name, []).append((dot, built[path]))
        else:
            elements.setdefault(name, []).append((dot, value))
    if built:
        fields = [p for p in shown if p.rpartition("/")[0] in built]
        for path in sorted(fields, key=_field_order):
            value = shown[path][1]
            if value is not ABSENT:
                built[path.rpartition("/")[0]][split(path)[2]] = value
    for name, items in elements.items():
        keys = order_keys([dot for dot, _ in items], base)
        out[name] = [value for _, (_, value) in sorted(zip(keys, items, strict=True))]
    defaults = _DEFAULTS.get(table, {})
    ordered = {name: out.pop(name, default) for name, default in defaults.items()}
    ordered.update(sorted(out.items()))
    return ordered


# The order of an element's fields as the forms write them (others after, by name).
_FIELD_ORDER = (
    *("name", "role", "phone", "email"),  # a contact
    *("title", "area", "pros", "cons", "cost", "effort"),  # a solution
    *("structure_id", "label", "reason"),  # a redirection
)


def _field_order(path: str) -> tuple[int, str]:
    sub = split(path)[2]
    return (_FIELD_ORDER.index(sub) if sub in _FIELD_ORDER else len(_FIELD_ORDER), sub)


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
    conflicts = _split_elements(table, stored.get("conflicts") or {})
    dot = (device, counter, millis)
    indexes = _indexes(table, body)
    held_before, _ = registers(table, stored)
    changed.update(_fields_of(table, touched, {*before, *after, *conflicts}))
    for path in changed:
        dots[path] = [*dot, indexes[path]] if path in indexes else list(dot)
        conflicts.pop(path, None)
        presence = presence_of(table, path)
        if presence in indexes:  # an edit of a field keeps its element (see module doc)
            dots[presence] = [*dot, indexes[presence]]
            conflicts.pop(presence, None)
    for paths in _reordered(table, stored, body, dots, base).values():
        for path in paths:
            dots[path] = [*dot, indexes[path]]
            conflicts.pop(path, None)
    _field_dots(table, after, held_before, changed, dots, conflicts, base, indexes)
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


def _split_elements(table: str, conflicts: Mapping[str, Any]) -> dict[str, Any]:
    """`conflicts` with each whole element the previous version held in conflict split
    into its fields (so a write that settles the element's presence keeps them)."""
    out = dict(conflicts)
    for path, entries in conflicts.items():
        if not is_presence(table, path) or not isinstance(entries, list):
            continue
        kept = []
        for entry in entries:
            if isinstance(entry, list) and len(entry) > 1 and isinstance(entry[1], dict):
                for sub, item in entry[1].items():
                    if sub != "id":
                        field = out.setdefault(f"{path}/{sub}", [])
                        out[f"{path}/{sub}"] = [*field, [list(as_dot(entry[0])[:3]), item]]
                entry = [entry[0], {"id": split(path)[1]}]
            kept.append(entry)
        out[path] = kept
    return out


def _fields_of(table: str, touched: Iterable[str], paths: Iterable[str]) -> set[str]:
    """The field paths of the elements whose presence is `touched` (keeping an element
    settles each of its fields)."""
    elements = {path for path in touched if is_presence(table, path)}
    return {path for path in paths if presence_of(table, path) in elements}


def _field_dots(
    table: str,
    after: Mapping[str, Any],
    held_before: Mapping[str, list[Entry]],
    changed: set[str],
    dots: dict[str, Any],
    conflicts: dict[str, Any],
    base: Dot,
    indexes: Mapping[str, int],
) -> None:
    """Each field of an element keeps the dot of its last write, stored beside the
    element's presence dot (its own only when that differs); a removed element keeps none."""
    for path in [p for p in {*dots, *conflicts} if presence_of(table, p)]:
        element = presence_of(table, path) or ""
        held = any(len(e) > 1 for e in conflicts.get(element) or [] if isinstance(e, list))
        if after.get(element, ABSENT) is ABSENT and not held:
            dots.pop(path, None)
            conflicts.pop(path, None)
    for path in {*after, *dots, *conflicts}:
        presence = presence_of(table, path)
        if presence is None:
            continue
        if after.get(presence, ABSENT) is ABSENT:  # not shown: its values are in conflicts
            dots.pop(path, None)
            continue
        raw = dots.get(presence)
        at = as_dot(raw) if raw is not None else (*base[:3], indexes.get(presence, 0))
        if path in changed:
            own: Dot = as_dot(dots[path])
        elif path in held_before:
            own = held_before[path][0][0]
        else:
            own = at
        if dot_id(own) != dot_id(at) or path in conflicts or path not in after:
            dots[path] = [*own[:3], at[2]]
        else:
            dots.pop(path, None)


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
        key, _, sub = key.partition("/")
        at = next((i for i, e in enumerate(items) if element_key(kind, e) == key), None)
        if sub:  # one field of an element (a new element when it is not there)
            element = dict(items[at]) if at is not None else {"id": key}
            if value is ABSENT:
                element.pop(sub, None)
            else:
                element[sub] = value
            if at is not None:
                items[at] = element
            elif value is not ABSENT:
                items.append(element)
        elif value is PRESENT and is_presence(table, path):
            pass  # the element as it is: kept
        elif value is ABSENT:
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
    # A whole element held in conflict (the previous version's) holds each of its fields.
    whole = [p for p in conflicts if is_presence(table, p)]
    held = [p for p in regs if p not in conflicts and p.rpartition("/")[0] in whole]
    for path in [*conflicts, *held]:
        entries = regs.get(path) or []
        if presence_of(table, path):  # a removal of the element is settled at its presence
            entries = [(dot, value) for dot, value in entries if value is not ABSENT]
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
                conflicts.setdefault(path, []).append(_stored_entry(table, path, tuple(dot), value))
                if path not in head:  # the head's "no such element" is a value too
                    out.setdefault("dots", {})[path] = list(base)
    if conflicts:
        out["conflicts"] = conflicts
    return out
