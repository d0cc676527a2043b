"""People's rights over their data: what is held about one business (access), what an
erasure must leave nowhere (traces to look for in files), and the retention rule that
anonymises inactive businesses' people. Pure."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable, Mapping
from copy import deepcopy
from datetime import date, timedelta
from typing import Any

import orjson

from tpe_tui.domain.catalog import catalog
from tpe_tui.domain.labels import HIDDEN, field_label, show_value
from tpe_tui.domain.markdown import md, md_block, md_cell
from tpe_tui.domain.records import (
    ANONYMOUS_NAME,
    anonymise,
    french_date,
    strip_personal,
    strip_personal_value,
)
from tpe_tui.domain.text import slug

NOTICE_DAYS = 30  # how long before an automatic anonymisation the mediator is told
CONTACT_DETAILS = ("name", "phone", "email")


# ---------------------------------------------------------------------------- consent
def consented(contact: Mapping[str, Any]) -> bool:
    """Whether this person agreed that their details be kept."""
    return bool((contact.get("consent") or {}).get("given"))


def holds_nothing(contact: Mapping[str, Any]) -> bool:
    """A person of whom nothing is kept: no consent, no name or details, no function."""
    return (
        not consented(contact)
        and not contact.get("role")
        and not any(str(contact.get(name) or "").strip() for name in CONTACT_DETAILS)
    )


def keep_consented_only(client: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of the business where people who did not consent keep no name or details:
    the rule of every save of a person met in a visit or a workshop."""
    out = deepcopy(dict(client))
    out["contacts"] = [
        c
        if not isinstance(c, dict) or consented(c)
        else {**c, **{name: "" for name in CONTACT_DETAILS}}
        for c in out.get("contacts") or []
    ]
    return out


def held_about(
    client: Mapping[str, Any],
    sessions: Iterable[Mapping[str, Any]],
    followups: Iterable[Mapping[str, Any]],
    actions: Iterable[Mapping[str, Any]] = (),
    workshops: Iterable[Mapping[str, Any]] = (),
) -> dict[str, Any]:
    """Everything held about a business and its people, as stored (for the JSON export):
    with its action plan and the workshops it took part in; the merge's version counters
    left out (they say nothing about anyone)."""

    def held(records: Iterable[Mapping[str, Any]], by: str) -> list[dict[str, Any]]:
        return sorted((_without_versions(r) for r in records), key=lambda r: r.get(by) or "")

    return {
        "entreprise": _without_versions(client),
        "accompagnements": held(sessions, "date"),
        "suivis": held(followups, "due_date"),
        "actions": held(actions, "due_date"),
        "ateliers": held(workshops, "date"),
    }


_VERSIONS = ("vv", "dot", "dots")


def _without_versions(record: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in record.items() if k not in _VERSIONS}


def as_json(held: Mapping[str, Any]) -> bytes:
    return orjson.dumps(held, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS)


def _lines(
    table: str, record: Mapping[str, Any], names: Mapping[str, str] | None = None
) -> list[str]:
    out = []
    for name, value in record.items():
        if name in HIDDEN or name in ("deleted", "client_id", "session_id", "contact_id"):
            continue
        if name in ("nudge_level", "anonymised") and not value:  # bookkeeping, nothing held
            continue
        shown = _readable(table, name, value, names or {})
        if shown != "—":
            # What people typed reads as text, not as a link or HTML (NEW5-12); a text of
            # several lines stays inside its item of the list.
            item = f"- **{field_label(name)}** : {md_block(shown)}".splitlines()
            out.append("\n".join([item[0], *(f"  {line}" if line else "" for line in item[1:])]))
    return out


# Codes of the export's fields, by the catalogue list that names them in French.
_CODED = {
    "interlocutor_role": "interlocutor_roles",
    "place_kind": "place_kinds",
    "need_nature": "need_natures",
    "answered": "answered_levels",
    "solution_worked": "answered_levels",
}
_CODE_LISTS = {
    "equipment": "equipment",
    "missions": "missions",
    "needs": "needs",
    "topics_raised": "operational_topics",
}
_SCORES = {
    "skills": ("skill_areas", "skill_levels"),
    "maturity": ("maturity_dimensions", "maturity_levels"),
}
_REFERENCES = ("place_structure_id", "owner_structure_id", "structure_id", "aid_id", "action_id")
_HISTORY = {
    "done": "fait",
    "rescheduled": "reporté",
    "unreachable": "injoignable",
    "abandoned": "abandonné",
}
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _readable(table: str, name: str, value: Any, names: Mapping[str, str]) -> str:
    """A field as the person reads it in the export: French labels, not codes; French
    dates; lists written out; other records by their name (`names`: id -> name)."""
    cat = catalog()
    if value is None or value == "" or value == [] or value == {}:
        return "—"
    if name in _CODED and isinstance(value, str):
        return cat.label(_CODED[name], value, value)
    if name == "current_step" and isinstance(value, str):
        return next((step.label for step in cat.steps if step.code == value), value)
    if name in _CODE_LISTS and isinstance(value, list):
        return ", ".join(cat.label(_CODE_LISTS[name], str(v), str(v)) for v in value)
    if name in _SCORES and isinstance(value, dict):
        areas, levels = _SCORES[name]
        return " ; ".join(
            f"{cat.label(areas, str(area), str(area))} : {cat.label(levels, str(level), str(level))}"
            for area, level in value.items()
        )
    if name in _REFERENCES and isinstance(value, str):
        return names.get(value, "(fiche supprimée)")
    if name == "aids" and isinstance(value, list):
        return ", ".join(names.get(str(v), "(aide supprimée)") for v in value)
    if name == "redirections" and isinstance(value, list):
        return " ; ".join(_redirection(r, names) for r in value if isinstance(r, dict))
    if name == "history" and isinstance(value, list):
        return " ; ".join(
            f"{french_date(e.get('date'))} : {_HISTORY.get(str(e.get('action')), e.get('action'))}"
            + (f" au {french_date(e['to'])}" if e.get("to") else "")
            for e in value
            if isinstance(e, dict)
        )
    if isinstance(value, str) and _ISO_DATE.fullmatch(value[:10]) and len(value) in (10, 20, 24):
        return french_date(value[:10])
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return ", ".join(value)
    return show_value(table, name, value)


def _redirection(redirection: Mapping[str, Any], names: Mapping[str, str]) -> str:
    where = names.get(str(redirection.get("structure_id") or "")) or redirection.get("label") or "?"
    reason = str(redirection.get("reason") or "").strip()
    return f"{where} ({reason})" if reason else str(where)


def as_markdown(
    held: Mapping[str, Any], today: date, names: Mapping[str, str] | None = None
) -> str:
    """A readable document to hand to the person who asked what is held about them, in
    French words (`names`: the structures, aids and actions it refers to, by id)."""
    client = held["entreprise"]
    lines = [
        f"# Données conservées : {md_cell(client.get('name')) or 'entreprise'}",
        "",
        f"Document établi le {french_date(today.isoformat())} à la demande de l’entreprise.",
        "",
        "## L’entreprise",
        *_lines("clients", {k: v for k, v in client.items() if k != "contacts"}, names),
        "",
        "## Les personnes",
    ]
    people = [c for c in client.get("contacts") or [] if not holds_nothing(c)]
    for contact in people:
        consent = contact.get("consent") or {}
        given = (
            f"accord donné le {french_date(consent.get('date'))}"
            if consent.get("given")
            else "pas d’accord : aucune coordonnée conservée"
        )
        role = md_cell(catalog().label("interlocutor_roles", contact.get("role"), ""))
        who = md_cell(contact.get("name")) or "(sans nom)"
        details = ", ".join(md_cell(x) for x in (contact.get("phone"), contact.get("email")) if x)
        lines.append(
            f"- {who}{f' ({role})' if role else ''} : {details or 'sans coordonnées'} ; {given}"
        )
    if not people:
        lines.append("- Aucune personne enregistrée.")
    for title, table, key in (
        ("Accompagnements", "sessions", "accompagnements"),
        ("Suivis", "followups", "suivis"),
        ("Plan d’actions", "actions", "actions"),
        ("Ateliers collectifs", "workshops", "ateliers"),
    ):
        if key not in held:
            continue
        lines += ["", f"## {title}"]
        if not held[key]:
            lines.append("Aucun.")
        for record in held[key]:
            when = french_date(record.get("date") or record.get("due_date"))
            lines += ["", f"### {when}", *_lines(table, record, names)]
    lines += [
        "",
        "Pour faire effacer ces données, il suffit de le demander au médiateur numérique.",
        "",
    ]
    return "\n".join(lines)


# ---------------------------------------------------------------------------- erasure
# Shorter values (« RAS », initials) or dates would be found in unrelated files.
MIN_TRACE_LENGTH = 4
_DATE_LIKE = re.compile(r"\d{4}-\d{2}-\d{2}")
# The tables whose records an erasure of a business touches (see services/clients.erase).
ERASED_TABLES = ("clients", "sessions", "followups", "actions")


def _strings(value: Any) -> set[str]:
    """Every text in a value (nested lists and dicts), and each line of a long one: a
    document may show a multi-line note one line at a time."""
    if isinstance(value, str):
        lines = {line.strip() for line in value.splitlines()}
        return {value.strip(), *lines}
    if isinstance(value, dict):
        return set().union(*(_strings(v) for v in value.values())) if value else set()
    if isinstance(value, list):
        return set().union(*(_strings(v) for v in value)) if value else set()
    return set()


def _is_trace(value: str) -> bool:
    return (
        len(value) >= MIN_TRACE_LENGTH
        and value != ANONYMOUS_NAME
        and not _DATE_LIKE.fullmatch(value[:10])
    )


def erased_values(table: str, record: Mapping[str, Any]) -> set[str]:
    """The personal values an erasure takes out of a stored record, the values other
    laptops wrote that it holds in conflict included: what must be found in no file after."""
    stripped = strip_personal(table, record)
    values: set[str] = set()
    for name, value in record.items():
        if name != "conflicts" and stripped.get(name) != value:
            values |= _strings(value) - _strings(stripped.get(name))
    conflicts = record.get("conflicts")
    for path, entries in (conflicts if isinstance(conflicts, dict) else {}).items():
        for entry in entries if isinstance(entries, list) else []:
            if isinstance(entry, list) and len(entry) == 2:
                kept = strip_personal_value(table, str(path), entry[1])
                values |= _strings(entry[1]) - _strings(kept)
    return {v for v in values if _is_trace(v)}


def trace_forms(value: str) -> list[bytes]:
    """How a value may be written in a file: as typed (UTF-8), in JSON with or without
    `\\uXXXX` escapes, HTML-escaped, and escaped for Markdown as our documents write it
    (« Garage\\_Caron », « L’Atelier »). A form too short to tell (a value of control
    characters cleaned away) is not looked for: it would be found everywhere."""
    forms = {
        value,
        json.dumps(value)[1:-1],
        json.dumps(value, ensure_ascii=False)[1:-1],
        html.escape(value),
        html.escape(value, quote=False),
        md(value),
        md_cell(value),
    }
    return [form.encode("utf-8") for form in forms if len(form) >= MIN_TRACE_LENGTH]


def traces_in(raw: bytes, values: Iterable[str]) -> list[str]:
    """The values found in a file's bytes, in any of their written forms.

    Hundreds of values (an anonymisation of many businesses) are each looked for in a 12 MB
    file: the search runs over the file's distinct pieces between double quotes instead (a
    form without a quote lies inside one piece; a third of the bytes of a data file, whose
    names and numbers repeat), a form equal to a whole piece found at once."""
    pieces = {piece for piece in raw.split(b'"') if len(piece) >= MIN_TRACE_LENGTH}
    distinct = b'"'.join(pieces)

    def found(form: bytes) -> bool:
        if b'"' in form:
            return form in raw
        return form in pieces or form in distinct

    return sorted(v for v in values if any(found(form) for form in trace_forms(v)))


def names_business(file_name: str, business_name: str) -> bool:
    """Whether a document's file name carries the business's name (summaries, plans and
    exports are named after it)."""
    part = slug(business_name, fallback="")
    return len(part) >= MIN_TRACE_LENGTH and part in slug(file_name, fallback="", max_length=400)


def merged_family(clients: Iterable[Mapping[str, Any]], client_id: str) -> set[str]:
    """The business's id and those of the duplicates merged into it, at any depth
    (records made on another laptop before the merge still point to those)."""
    return family_in(merged_into_each(clients), client_id)


def merged_into_each(clients: Iterable[Mapping[str, Any]]) -> dict[str, list[str]]:
    """For each business, the ids of the duplicates merged straight into it: read once for
    the families of many businesses (`family_in`)."""
    merged: dict[str, list[str]] = {}
    for c in clients:
        if c.get("merged_into") and "id" in c:
            merged.setdefault(str(c["merged_into"]), []).append(str(c["id"]))
    return merged


def family_in(merged: Mapping[str, list[str]], client_id: str) -> set[str]:
    """The business's id and those merged into it at any depth (`merged_into_each`)."""
    ids, todo = {client_id}, [client_id]
    while todo:
        for old in merged.get(todo.pop(), ()):
            if old not in ids:
                ids.add(old)
                todo.append(old)
    return ids


def erased_copy(
    tables: Mapping[str, Mapping[str, Any]],
    erased: Mapping[str, Mapping[str, Mapping[str, Any]]],
    client_ids: set[str],
) -> dict[str, dict[str, Any]]:
    """A copy of a whole file's tables (a backup) with one business's people erased: each
    of its records replaced by the erased one of the live file (`erased[table][id]`), so a
    restore brings back everything else and never the person. A record of the business
    the live file no longer holds is anonymised in place, without its conflicts."""
    out: dict[str, dict[str, Any]] = {}
    for table, rows in tables.items():
        if table not in ERASED_TABLES:
            out[table] = dict(rows)
            continue
        live = erased.get(table, {})
        copy: dict[str, Any] = {}
        for key, doc in rows.items():
            record_id = str(doc.get("id")) if isinstance(doc, dict) else ""
            if record_id in live:
                copy[key] = deepcopy(dict(live[record_id]))
            elif isinstance(doc, dict) and (
                record_id in client_ids or doc.get("client_id") in client_ids
            ):
                copy[key] = {k: v for k, v in anonymise(table, doc).items() if k != "conflicts"}
            else:
                copy[key] = doc
        out[table] = copy
    return out


# ---------------------------------------------------------------------------- retention
def last_activity(
    client: Mapping[str, Any],
    sessions: Iterable[Mapping[str, Any]],
    followups: Iterable[Mapping[str, Any]],
) -> str:
    """The latest date anything happened with this business's people (ISO date): sessions
    and follow-ups, else when it was entered (an edit or a sync is not contact with them)."""
    dates = [str(client.get("created_at") or "")[:10]]
    dates += [str(s.get("date") or "") for s in sessions]
    dates += [str(f.get("done_at") or f.get("due_date") or "")[:10] for f in followups]
    return max(d for d in dates if d) if any(dates) else ""


def retention_state(last: str, today: date, retention_days: int) -> str | None:
    """ "due" when the contact data must go now, "soon" within the notice period, else None."""
    if not last:
        return None
    limit = date.fromisoformat(last) + timedelta(days=retention_days)
    if limit <= today:
        return "due"
    if limit <= today + timedelta(days=NOTICE_DAYS):
        return "soon"
    return None


def more_than(days: int) -> str:
    """« plus de … » for a retention period, as a person reads it (NEW4-30 read « plus de
    1.09589 an(s) » for 400 days): whole years or months when the period is one (365 and
    30 days: the configuration counts in days), else the days themselves, never rounded,
    since the sentence says which records were anonymised. « plus de 3 ans », « plus
    d’un an », « plus de 6 mois », « plus de 400 jours », « plus de 1 100 jours »."""
    for size, one, several in (
        (365, "un an", "ans"),
        (30, "un mois", "mois"),
        (1, "un jour", "jours"),
    ):
        if days > 0 and days % size == 0:
            count = days // size
            if count == 1:
                return f"plus d’{one}"
            # French groups thousands with a (no-break) space: « 1 100 ».
            return f"plus de {count:,} {several}".replace(",", "\u00a0")
    return "plus de 0 jour"


def has_personal_data(client: Mapping[str, Any]) -> bool:
    if client.get("anonymised"):
        return False
    if client.get("phone") or client.get("email"):
        return True
    return any(
        isinstance(c, dict) and (c.get("name") or c.get("phone") or c.get("email"))
        for c in client.get("contacts") or []
    )
