"""One validator for whole data files: what sync import, `check` and open trust.

A record is checked against the same model the app writes (`records.FIELDS`, the merge
kinds of `sync/registers.py`): its bookkeeping (version vector, dots, conflicts by field),
every field, and the shapes inside lists and maps (contacts, solutions, steps,
redirections, history). Sizes, depths and counters are bounded, so that nothing a file
brings can later break a summary, a write (orjson refuses deep nesting) or an edit
(a counter past 2**53). Pure: no I/O; messages are French.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

import orjson

from tpe_tui.domain.records import FIELDS, MAX_COUNTER, SCHEMA_VERSION, SHARED_TABLES, problems

MAX_DEPTH = 16  # deepest nesting of a record the app writes: 5 (conflicts of an element)
MAX_RECORD_BYTES = 1024 * 1024  # one record as JSON (a demo session is ~3 KB)
MAX_ITEMS = 5_000  # elements of one list or map
MAX_FILE_BYTES = 1024 * 1024 * 1024  # a 100k-session file is ~350 MB

Check = Callable[[Any], str | None]


# ---------------------------------------------------------------------------- shapes
def _text(value: Any) -> bool:
    return isinstance(value, str)


def _opt_text(value: Any) -> bool:
    return value is None or isinstance(value, str)


def _scalar(value: Any) -> bool:
    return value is None or isinstance(value, str | bool | int | float)


def _item(required: Mapping[str, Callable[[Any], bool]], kind: str) -> Check:
    """A dict element of a list: the keys the app reads, of the types it expects; any
    other key holds a plain value (or a small dict of them, like a contact's consent)."""

    def check(value: Any) -> str | None:
        if not isinstance(value, dict):
            return f"{kind} : objet attendu"
        for key, ok in required.items():
            if key in value and not ok(value[key]):
                return f"{kind} : « {key} » de type inattendu"
        for key, item in value.items():
            if not isinstance(key, str):
                return f"{kind} : clé invalide"
            if isinstance(item, dict):
                if not all(_scalar(v) for v in item.values()):
                    return f"{kind} : « {key} » de forme inattendue"
            elif not _scalar(item):
                return f"{kind} : « {key} » de forme inattendue"
        return None

    return check


_ID = {"id": _text}
_CONTACT = _item({**_ID, "name": _opt_text, "phone": _opt_text, "email": _opt_text}, "contact")
_SOLUTION = _item(
    {**_ID, "title": _opt_text, "area": _opt_text, "pros": _opt_text, "cons": _opt_text},
    "solution",
)
_REDIRECTION = _item(
    {"structure_id": _opt_text, "label": _opt_text, "reason": _opt_text}, "orientation"
)
_HISTORY = _item({"action": _opt_text, "date": _opt_text}, "historique")
_STEP = _item({"done": lambda v: isinstance(v, bool), "note": _opt_text}, "étape")


def _code(value: Any) -> str | None:
    return None if isinstance(value, str) else "code texte attendu"


def _score(value: Any) -> str | None:
    ok = value is None or (isinstance(value, int) and not isinstance(value, bool))
    return None if ok else "note entière attendue"


# (table, field) -> check of one element (lists) or one value (maps)
ELEMENT_CHECKS: dict[tuple[str, str], Check] = {
    ("clients", "contacts"): _CONTACT,
    ("sessions", "solutions"): _SOLUTION,
    ("sessions", "redirections"): _REDIRECTION,
    ("sessions", "steps"): _STEP,
    ("sessions", "skills"): _score,
    ("sessions", "maturity"): _score,
    ("sessions", "equipment"): _code,
    ("sessions", "needs"): _code,
    ("sessions", "missions"): _code,
    ("sessions", "topics_raised"): _code,
    ("sessions", "to_find_out"): _code,
    ("followups", "history"): _HISTORY,
}


# Fields of each table whose elements are checked.
_CHECKED: dict[str, tuple[str, ...]] = {}
for _table, _name in ELEMENT_CHECKS:
    _CHECKED[_table] = (*_CHECKED.get(_table, ()), _name)


def _elements(table: str, name: str, value: Any) -> Iterator[tuple[str, Any]]:
    if isinstance(value, list):
        yield from ((f"{name}[{i}]", v) for i, v in enumerate(value))
    elif isinstance(value, dict):
        yield from ((f"{name}.{k}", v) for k, v in value.items())


def field_problems(table: str, name: str, value: Any) -> list[str]:
    """What is wrong inside one field's value (its elements), in French."""
    check = ELEMENT_CHECKS.get((table, name))
    if check is None:
        return []
    found = []
    for where, element in _elements(table, name, value):
        issue = check(element)
        if issue:
            found.append(f"{where} : {issue}")
    return found


# ---------------------------------------------------------------------------- bounds
def bounds_problem(value: Any, sound: set[int] | None = None) -> str | None:
    """Too deep, too big or too long: its size from one serialisation (orjson also refuses
    integers past 64 bits and nesting past 255 levels), then a walk of its containers only,
    without recursion (a hostile file may nest thousands of levels).

    `sound`: ids of the values of fields already walked and found sound, kept by the
    caller while those values are alive. A value that is the very same object in another
    record (records read from a compact file share them: the steps of a closed session,
    a version vector) is not walked again — a quarter of the containers of a 10k file."""
    try:
        size = len(orjson.dumps(value))
    except orjson.JSONEncodeError:
        return "imbrication trop profonde ou nombre hors limites"
    if size > MAX_RECORD_BYTES:
        return f"enregistrement trop gros ({size // 1024} Ko)"
    if not isinstance(value, dict | list):
        return None
    if len(value) > MAX_ITEMS:
        return f"liste trop longue ({len(value)} éléments)"
    for child in value.values() if isinstance(value, dict) else value:
        if not isinstance(child, dict | list) or not child:
            continue
        if sound is not None and id(child) in sound:
            continue
        issue = _walk(child, 2)
        if issue:
            return issue
        if sound is not None:
            sound.add(id(child))  # only once its whole content was found sound
    return None


def _walk(value: dict[Any, Any] | list[Any], depth: int) -> str | None:
    """The depth and lengths of a container found `depth` levels down."""
    stack: list[tuple[Any, int]] = [(value, depth)]
    while stack:
        item, depth = stack.pop()
        if depth > MAX_DEPTH:
            return f"imbrication trop profonde (plus de {MAX_DEPTH} niveaux)"
        if len(item) > MAX_ITEMS:
            return f"liste trop longue ({len(item)} éléments)"
        children = item.values() if isinstance(item, dict) else item
        for child in children:
            if isinstance(child, dict | list) and child:
                stack.append((child, depth + 1))
    return None


# ---------------------------------------------------------------------------- records
def _conflict_problems(table: str, conflicts: Any) -> list[str]:
    if not isinstance(conflicts, dict):
        return ["conflits : objet attendu (valeurs par champ)"]
    checks = {f.name: f.check for f in FIELDS[table]}
    kinds = {f.name: f.merge for f in FIELDS[table]}
    found = []
    for path, entries in conflicts.items():
        if not isinstance(entries, list) or not entries:
            found.append(f"conflits de « {path} » : liste attendue")
            continue
        name, sep, rest = str(path).partition("/")
        key, _, sub = rest.partition("/")
        for entry in entries:
            if not isinstance(entry, list) or len(entry) not in (1, 2):
                found.append(f"conflits de « {path} » : valeur de forme inattendue")
                break
            if not _is_dot(entry[0]):
                found.append(f"conflits de « {path} » : version invalide")
                break
            if len(entry) == 1:
                continue
            value = entry[1]
            if not sep:
                check = checks.get(name)
                issue = check(value) if check else None
                issue = issue or next(iter(field_problems(table, name, value)), None)
            elif kinds.get(name, "value") == "value":
                issue = "chemin inconnu"
            else:
                element = ELEMENT_CHECKS.get((table, name))
                if element and sub:  # one field of an element: checked as inside it
                    value = {"id": key, sub: value}
                issue = element(value) if element else None
            if issue:
                found.append(f"conflits de « {path} » : {issue}")
                break
    return found


def _is_dot(value: Any) -> bool:
    return (
        isinstance(value, list)
        and len(value) in (3, 4)
        and isinstance(value[0], str)
        and all(
            isinstance(p, int) and not isinstance(p, bool) and 0 <= p <= MAX_COUNTER
            for p in value[1:]
        )
    )


class Checked:
    """What was already checked during one check of a file, by the identity of the values
    (records read from a compact file share them); valid while those values are alive."""

    def __init__(self) -> None:
        self.sound: set[int] = set()  # field values walked by `bounds_problem`
        # (table, field) -> ids of its values whose elements are sound; those that are not
        # are few and checked again (sets of ids: a dict of results per value cost 60 MiB
        # at 100k sessions).
        self.fields: dict[tuple[str, str], set[int]] = {}


def record_problems(table: str, record: Any, checked: Checked | None = None) -> list[str]:
    """Everything wrong with one stored record, in French; empty when it is sound.

    `checked`: kept across the records of one file (see `Checked`), so that a value many
    records share is checked once."""
    if not isinstance(record, dict):
        return ["enregistrement : objet attendu"]
    bound = bounds_problem(record, checked.sound if checked is not None else None)
    if bound:
        return [bound]
    found = problems(table, record)
    for name in record:
        if "/" in name:
            found.append(f"nom de champ invalide « {name} »")
    if not record.get("deleted"):
        for name in _CHECKED.get(table, ()):
            value = record.get(name)
            if not value:
                continue
            if checked is None:
                found.extend(field_problems(table, name, value))
                continue
            sound = checked.fields.setdefault((table, name), set())
            if id(value) in sound:
                continue
            issues = field_problems(table, name, value)
            if issues:
                found.extend(issues)
            else:
                sound.add(id(value))
    if "conflicts" in record:
        found.extend(_conflict_problems(table, record["conflicts"]))
        found.extend(_impossible_conflicts(record))
    return found


# A deletion or an erasure is always the value shown when one is held (sync/registers.py
# ranks it first): a record showing « not deleted » while holding « deleted » as a conflict
# was made by hand, not by a merge, and would delete or erase one of our records.
_SHOWN_FIRST = ("deleted", "anonymised")


def _impossible_conflicts(record: Mapping[str, Any]) -> list[str]:
    conflicts = record.get("conflicts")
    if not isinstance(conflicts, dict):
        return []
    return [
        f"conflits de « {name} » : valeur impossible (elle serait la valeur affichée)"
        for name in _SHOWN_FIRST
        if record.get(name) is not True
        and any(
            isinstance(entry, list) and len(entry) == 2 and entry[1] is True
            for entry in conflicts.get(name) or []
        )
    ]


def schema_problem(data: Mapping[str, Any]) -> str | None:
    for doc in (data.get("meta") or {}).values():
        if isinstance(doc, dict) and "schema_version" in doc:
            version = doc["schema_version"]
            if not isinstance(version, int) or isinstance(version, bool) or version < 1:
                return f"version de schéma invalide ({version!r})"
            if version > SCHEMA_VERSION:
                return f"schéma {version} plus récent que celui de ce programme"
    return None


def data_problems(data: Mapping[str, Any], limit: int = 1000) -> list[tuple[str, str, str]]:
    """(table, record key or id, problem) for every problem of a data file (schema 2)."""
    found: list[tuple[str, str, str]] = []
    schema = schema_problem(data)
    if schema:
        found.append(("meta", "", schema))
    checked = Checked()  # `data` holds every value it refers to until we return
    for table in SHARED_TABLES:
        docs = data.get(table) or {}
        if not isinstance(docs, dict):
            found.append((table, "", "table de forme inattendue"))
            continue
        for key, record in docs.items():
            for issue in record_problems(table, record, checked):
                found.append((table, str(key), issue))
                if len(found) >= limit:
                    return found
    return found


def schema1_problems(data: Mapping[str, Any]) -> list[tuple[str, str, str]]:
    """Checks of a file from a laptop not yet updated, before its migration: each old
    conflict must be a version of the same record."""
    found = []
    for table in SHARED_TABLES:
        for key, record in (data.get(table) or {}).items():
            if not isinstance(record, dict):
                continue
            bound = bounds_problem(record)
            if bound:
                found.append((table, str(key), bound))
                continue
            conflicts = record.get("conflicts", [])
            if not isinstance(conflicts, list):
                found.append((table, str(key), "conflits : liste attendue"))
                continue
            for sibling in conflicts:
                if not isinstance(sibling, dict) or sibling.get("id") != record.get("id"):
                    found.append((table, str(key), "version en conflit d’un autre enregistrement"))
                    break
    return found
