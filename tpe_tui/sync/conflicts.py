"""Fields held with several values after a sync, and how to show and settle them.

Pure: the screen lists what this module finds; keeping a value is an ordinary write
(`Store.resolve`) that supersedes every value held at that field, on every laptop.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from tpe_tui.domain.homonyms import telling
from tpe_tui.domain.labels import field_label, show_value
from tpe_tui.domain.records import Record, french_date, short_reference
from tpe_tui.sync.registers import (
    ABSENT,
    PRESENT,
    is_presence,
    kind_of,
    registers,
    set_path,
    shown_paths,
    split,
    visible_conflicts,
)

TABLE_NAMES = {
    "clients": "Entreprise",
    "sessions": "Accompagnement",
    "followups": "Suivi",
    "structures": "Structure",
    "workshops": "Atelier",
    "aids": "Aide",
    "actions": "Action",
    "devices": "Ordinateur",
}


@dataclass(frozen=True)
class Conflict:
    """A record with at least one field held with several values."""

    table: str
    record_id: str
    title: str
    fields: int


@dataclass(frozen=True)
class Choice:
    """One value held at a field, and who wrote it."""

    value: Any
    text: str
    device: str
    millis: int


@dataclass(frozen=True)
class FieldConflict:
    path: str
    label: str
    choices: tuple[Choice, ...]


def title_of(table: str, record: Mapping[str, Any], names: Mapping[str, str] | None = None) -> str:
    """What a person recognises a record by; a visit by its business (`names`: business
    names by id) and its date in French."""
    if table in ("workshops", "actions"):
        return str(record.get("title") or "(sans titre)")
    if table in ("clients", "structures", "aids"):
        return str(record.get("name") or "(sans nom)")
    if table == "sessions":
        business = (names or {}).get(str(record.get("client_id") or ""), "")
        when = f"du {french_date(record.get('date'))}" if record.get("date") else "sans date"
        return f"{business} · {when}" if business else when
    return str(record.get("reason") or record.get("due_date") or record.get("laptop") or "?")


# ---------------------------------------------------------------- edits on a merged-away record
MERGED_AWAY_NOTE = "modifié sur une fiche fusionnée"
# An element removed on one laptop while another edited it: the edit keeps it shown.
REMOVED_AND_EDITED = "retiré sur un ordinateur, modifié sur un autre : gardé en attendant"
_NOT_CARRIED = frozenset(("deleted", "merged_into", "anonymised", "created_at", "updated_at"))


def _latest_millis(entries: Sequence[tuple[Any, Any]]) -> int:
    return max((int(dot[2]) for dot, _ in entries), default=0)


def merged_away_edits(
    kept: Mapping[str, Any], tombstones: Iterable[Mapping[str, Any]]
) -> list[FieldConflict]:
    """Fields edited on a business after another laptop merged it into `kept` (made on a
    laptop that had not seen the merge yet): each a choice between the kept business's value
    and the edited one, so no edit is lost silently. Only the field's wall-clock time tells
    « after the merge »: an edit made earlier but synced only later is not found.

    A pure function of the stored records, so every laptop shows the same; it is settled by
    an ordinary write of the kept business's field (`settled`), which is newer than the edit.
    """
    kept_regs, _ = registers("clients", kept)
    kept_values, _ = shown_paths("clients", kept)
    out = []
    for tomb in tombstones:
        if tomb.get("merged_into") != kept.get("id") or tomb.get("anonymised"):
            continue
        regs, _ = registers("clients", tomb)
        merge = (regs.get("merged_into") or [(("", 0, 0), None)])[0][0]
        for path, entries in sorted(regs.items()):
            if path.partition("/")[0] in _NOT_CARRIED or is_presence("clients", path):
                continue  # an element's fields carry its edits
            ours = kept_values.get(path, ABSENT)
            since = _latest_millis(kept_regs.get(path, []))
            edits = [
                (dot, value)
                for dot, value in entries
                if value is not ABSENT
                and value not in (None, "", [], {})
                and dot[0] != merge[0]
                and int(dot[2]) > int(merge[2])
                and int(dot[2]) > since
                and value != ours
            ]
            if not edits:
                continue
            latest = max(kept_regs.get(path, []), key=lambda e: int(e[0][2]), default=None)
            device = str(latest[0][0]) if latest else ""
            choices = [Choice(ours, value_text("clients", path, ours), device, since)]
            choices += [
                Choice(value, value_text("clients", path, value), str(dot[0]), int(dot[2]))
                for dot, value in edits
            ]
            label = f"{path_label('clients', path, tomb)} ({MERGED_AWAY_NOTE})"
            out.append(FieldConflict(path, label, tuple(choices)))
    return out


def _tombstones_by_kept(
    clients: Iterable[Mapping[str, Any]],
) -> dict[str, list[Mapping[str, Any]]]:
    out: dict[str, list[Mapping[str, Any]]] = {}
    for client in clients:
        if client.get("merged_into"):
            out.setdefault(str(client["merged_into"]), []).append(client)
    return out


def all_merged_away_edits(
    clients: Sequence[Mapping[str, Any]],
) -> dict[str, list[FieldConflict]]:
    """`merged_away_edits` of every kept business that has some, by its id."""
    tombs = _tombstones_by_kept(clients)
    found = {}
    for client in clients:
        if client.get("id") in tombs and not client.get("deleted"):
            edits = merged_away_edits(client, tombs[client["id"]])
            if edits:
                found[str(client["id"])] = edits
    return found


def in_conflict(tables: Mapping[str, Sequence[Mapping[str, Any]]]) -> list[Conflict]:
    """Every record holding another value than the shown one at some field (a business
    also when a field of a duplicate merged into it was edited after the merge). A business
    with namesakes in the file is titled with what tells it apart (NEW4-26)."""
    listed = []
    clients = tables.get("clients", ())
    merged_away = all_merged_away_edits(clients)
    for table, records in tables.items():
        for record in records:
            extra = len(merged_away.get(record["id"], ())) if table == "clients" else 0
            if record.get("conflicts") or extra:
                fields = len(visible_conflicts(table, record)) + extra
                if fields:
                    listed.append((table, record, fields))
    businesses = {
        str(record["id"] if table == "clients" else record.get("client_id"))
        for table, record, _ in listed
        if table in ("clients", "sessions")
    }
    told = namesakes_told(clients, businesses)
    names = {
        str(c.get("id")): str(c.get("name") or "")
        + (f" — {told[str(c.get('id'))]}" if str(c.get("id")) in told else "")
        for c in clients
    }
    found = []
    for table, record, fields in listed:
        title = title_of(table, record, names)
        if table == "clients" and record["id"] in told:
            title = f"{title} — {told[record['id']]}"
        found.append(Conflict(table, record["id"], title, fields))
    order = list(TABLE_NAMES)
    found.sort(key=lambda c: (order.index(c.table) if c.table in order else 99, c.title.casefold()))
    return found


def namesakes_told(clients: Iterable[Mapping[str, Any]], wanted: set[str]) -> dict[str, str]:
    """What tells each business of `wanted` (ids) apart from the others of its name in the
    file (case aside): the details that differ (commune, SIRET, address…), else the day it
    was created, else the start of its id. Nothing for a business without namesake."""

    def name(client: Mapping[str, Any]) -> str:
        return str(client.get("name") or "").strip().casefold()

    clients = list(clients)
    names = {name(c) for c in clients if str(c.get("id")) in wanted}
    groups: dict[str, list[Mapping[str, Any]]] = {}
    for client in clients:
        shown = not client.get("deleted") and not client.get("merged_into")
        if name(client) in names and (shown or str(client.get("id")) in wanted):
            groups.setdefault(name(client), []).append(client)
    out: dict[str, str] = {}
    for group in groups.values():
        if len(group) < 2:
            continue
        details = telling(group)
        created = {str(c.get("created_at") or "")[:10] for c in group}
        for client in group:
            key = str(client.get("id"))
            if key not in wanted:
                continue
            day = str(client.get("created_at") or "")[:10]
            if details.get(key):
                out[key] = details[key]
            elif day and len(created) == len(group):
                out[key] = f"créée le {french_date(day)}"
            else:
                out[key] = f"réf. {short_reference(key)}"
    return out


def path_label(table: str, path: str, record: Mapping[str, Any]) -> str:
    """« Interlocuteurs › Loïc Caron » for an element, the field's name otherwise."""
    name, sep, key = path.partition("/")
    if not sep:
        return field_label(name)
    kind = kind_of(table, name)
    if kind == "set":
        return f"{field_label(name)} › {show_value(table, name, [key])}"
    if kind == "map":
        return f"{field_label(name)} › {key}"
    key, _, sub = key.partition("/")
    label = f"{field_label(name)} › {element_title(table, record, name, key)}"
    return f"{label} › {field_label(sub)}" if sub else label


def element_title(table: str, record: Mapping[str, Any], name: str, key: str) -> str:
    """What an element of a list is recognised by: its name, title or label (the shown
    one, else one it holds in conflict), else the start of its id."""
    values, _ = shown_paths(table, record)
    element = values.get(f"{name}/{key}")
    if not isinstance(element, dict):
        element = next(
            (e for e in record.get(name) or [] if isinstance(e, dict) and e.get("id") == key),
            {},
        )
    regs, _ = registers(table, record)
    for sub in ("name", "title", "label"):
        held = [element.get(sub), *(v for _, v in regs.get(f"{name}/{key}/{sub}", []))]
        title = next((v for v in held if isinstance(v, str) and v), None)
        if title:
            return title
    return key[:8]


def element_text(table: str, record: Mapping[str, Any], path: str) -> str:
    """An element of a list as shown in `record`, in full."""
    name, key, _ = split(path)
    element = next(
        (e for e in record.get(name) or [] if isinstance(e, dict) and e.get("id") == key), None
    )
    return value_text(table, path, element) if element is not None else "(retiré)"


def value_text(table: str, path: str, value: Any) -> str:
    """A value in full, for a person to compare (nothing cut: the screen wraps it)."""
    name, sep, _ = path.partition("/")
    if value is ABSENT:
        return "(retiré)"
    if sep and kind_of(table, name) == "set":
        return "présent"
    sub = split(path)[2]
    if sub:  # one field of an element
        return show_value(table, sub, value)
    if isinstance(value, dict):
        parts = [
            f"{field_label(k)} : {show_value(table, k, v)}"
            for k, v in value.items()
            if k != "id" and v not in (None, "", [], {})
        ]
        return " ; ".join(parts) or "(vide)"
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return show_value(table, name, value) if name == "needs" else ", ".join(value)
    return show_value(table, name, value)


def field_conflicts(
    table: str, record: Mapping[str, Any], tombstones: Iterable[Mapping[str, Any]] = ()
) -> list[FieldConflict]:
    """The conflicting fields of a record, each with every value held (the shown one first);
    for a business, then the fields edited on duplicates merged into it (`tombstones`)."""
    out = []
    for path, entries in sorted(visible_conflicts(table, record).items()):
        removed = is_presence(table, path)
        choices = tuple(
            Choice(
                value,
                element_text(table, record, path)
                if removed and value is PRESENT
                else value_text(table, path, value),
                str(dot[0]),
                int(dot[2]),
            )
            for dot, value in entries
        )
        label = path_label(table, path, record)
        if removed:  # what happened, and that the element is still shown for now
            label += f" ({REMOVED_AND_EDITED})"
        out.append(FieldConflict(path, label, choices))
    if table == "clients":
        out += merged_away_edits(record, tombstones)
    return out


def choice_heading(choice: Choice, devices: Mapping[str, Mapping[str, Any]]) -> str:
    """« mediator · laptop · date of the edit » (the laptop's clock may be wrong)."""
    device = devices.get(choice.device) or {}
    mediator = str(device.get("mediator") or "Médiateur inconnu")
    laptop = str(device.get("laptop") or f"ordinateur {choice.device[:8] or '?'}")
    when = "date inconnue"
    if choice.millis > 0:
        with_tz = datetime.fromtimestamp(choice.millis / 1000, UTC).astimezone()
        when = with_tz.strftime("%d/%m/%Y %H:%M")
    return f"{mediator} · {laptop} · {when}"


def settled(table: str, record: Mapping[str, Any], path: str, value: Any) -> Record:
    """The record showing `value` at `path`: save it with `path` touched to settle it
    (keeping an element keeps it with the values it holds, shown or not)."""
    if value is PRESENT and is_presence(table, path):
        regs, _ = registers(table, record)
        element: dict[str, Any] = {"id": split(path)[1]}
        for field_path, entries in regs.items():
            held = [v for _, v in entries if v is not ABSENT]
            if held and field_path.rpartition("/")[0] == path:
                element[split(field_path)[2]] = held[0]
        value = element
    return set_path(table, record, path, value)


def compare(table: str, a: Mapping[str, Any], b: Mapping[str, Any]) -> list[tuple[str, str, str]]:
    """(field label, value in a, value in b) for the fields two records differ in."""
    from tpe_tui.domain.labels import HIDDEN

    rows = []
    names = [n for n in a if n not in HIDDEN] + [n for n in b if n not in a and n not in HIDDEN]
    for name in names:
        if name in ("dot", "dots") or a.get(name) == b.get(name):
            continue
        rows.append(
            (
                field_label(name),
                show_value(table, name, a.get(name)),
                show_value(table, name, b.get(name)),
            )
        )
    return rows
