"""People's rights over their data: what is held about one business (access), and the
retention rule that anonymises inactive businesses' people. Pure."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from copy import deepcopy
from datetime import date, timedelta
from typing import Any

import orjson

from tpe_tui.domain.catalog import catalog
from tpe_tui.domain.labels import HIDDEN, field_label, show_value
from tpe_tui.domain.records import french_date

Record = dict[str, Any]
NOTICE_DAYS = 30  # how long before an automatic anonymisation the mediator is told
CONTACT_DETAILS = ("name", "phone", "email")


# ---------------------------------------------------------------------------- consent
def consented(contact: Mapping[str, Any]) -> bool:
    """Whether this person agreed that their details be kept."""
    return bool((contact.get("consent") or {}).get("given"))


def consent_record(given: bool, wording: str, today: str) -> dict[str, Any]:
    """What is stored about a consent: given or not, when, and the words agreed to."""
    return {"given": given, "date": today if given else "", "wording": wording if given else ""}


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
    with its action plan and the workshops it took part in."""
    return {
        "entreprise": dict(client),
        "accompagnements": sorted((dict(s) for s in sessions), key=lambda s: s.get("date") or ""),
        "suivis": sorted((dict(f) for f in followups), key=lambda f: f.get("due_date") or ""),
        "actions": sorted((dict(a) for a in actions), key=lambda a: a.get("due_date") or ""),
        "ateliers": sorted((dict(w) for w in workshops), key=lambda w: w.get("date") or ""),
    }


def as_json(held: Mapping[str, Any]) -> bytes:
    return orjson.dumps(held, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS)


def _lines(table: str, record: Mapping[str, Any]) -> list[str]:
    out = []
    for name, value in record.items():
        if name in HIDDEN or name in ("deleted", "client_id", "session_id", "contact_id"):
            continue
        shown = show_value(table, name, value)
        if shown != "—":
            out.append(f"- **{field_label(name)}** : {shown}")
    return out


def as_markdown(held: Mapping[str, Any], today: date) -> str:
    """A readable document to hand to the person who asked what is held about them."""
    client = held["entreprise"]
    lines = [
        f"# Données conservées : {client.get('name') or 'entreprise'}",
        "",
        f"Document établi le {french_date(today.isoformat())} à la demande de l’entreprise.",
        "",
        "## L’entreprise",
        *_lines("clients", {k: v for k, v in client.items() if k != "contacts"}),
        "",
        "## Les personnes",
    ]
    for contact in client.get("contacts") or []:
        consent = contact.get("consent") or {}
        given = (
            f"accord donné le {french_date(consent.get('date'))}"
            if consent.get("given")
            else "pas d’accord : aucune coordonnée conservée"
        )
        role = catalog().label("interlocutor_roles", contact.get("role"), "")
        who = contact.get("name") or "(sans nom)"
        details = ", ".join(x for x in (contact.get("phone"), contact.get("email")) if x)
        lines.append(
            f"- {who}{f' ({role})' if role else ''} : {details or 'sans coordonnées'} ; {given}"
        )
    if not client.get("contacts"):
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
            lines += ["", f"### {when}", *_lines(table, record)]
    lines += [
        "",
        "Pour faire effacer ces données, il suffit de le demander au médiateur numérique.",
        "",
    ]
    return "\n".join(lines)


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


def has_personal_data(client: Mapping[str, Any]) -> bool:
    if client.get("anonymised"):
        return False
    if client.get("phone") or client.get("email"):
        return True
    return any(
        isinstance(c, dict) and (c.get("name") or c.get("phone") or c.get("email"))
        for c in client.get("contacts") or []
    )
