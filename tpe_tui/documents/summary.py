"""Summaries of a session: Markdown from Jinja templates, and a printable HTML page.

Pure: no Textual, no TinyDB. The caller hands the records. Every value a person typed is
escaped for Markdown while the context is built, so no template can forget to; labels come
from the catalogue, never codes. A mediator's own template (same name, in the user's
templates folder) is tried first, in Jinja's sandbox with a time limit (see
`template_sandbox`); if it is broken, unsafe or too slow, the reason is reported and the
shipped template is used, so a summary is always produced.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2

from tpe_tui.documents import template_sandbox
from tpe_tui.domain.accompaniment import bar, promised_callback, step_is_done
from tpe_tui.domain.aids import flag
from tpe_tui.domain.catalog import catalog
from tpe_tui.domain.markdown import md, md_block, md_cell
from tpe_tui.domain.opening_hours import in_french
from tpe_tui.domain.plain_text import printable
from tpe_tui.domain.records import french_date, short_reference, today
from tpe_tui.domain.text import slug

TEMPLATES = ("summary.md.j2", "record.md.j2")
MONTHS = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)  # fmt: skip


def long_date(iso: str | None) -> str:
    """24 novembre 2026."""
    if not iso:
        return ""
    try:
        day = date.fromisoformat(iso[:10])
    except ValueError:
        return iso
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


@dataclass
class Rendered:
    text: str
    template: str
    warnings: list[str] = field(default_factory=list)


def shipped_templates_dir() -> Path:
    return Path(str(resources.files("tpe_tui.templates")))


@functools.lru_cache(maxsize=8)
def _environment(folder: Path) -> jinja2.Environment:
    """One environment per folder, kept: Jinja caches compiled templates in it and
    reloads a template whose file changed (auto_reload), so edits show at once."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(folder)),
        auto_reload=True,
        autoescape=False,  # Markdown out; values are escaped for Markdown in the context
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["french_date"] = french_date
    env.filters["long_date"] = long_date
    return env


def render(name: str, context: Mapping[str, Any], user_dir: Path | None = None) -> Rendered:
    """Render a template, the user's version first; a broken one falls back to ours.

    The document is cleaned of control characters as a whole (NEW4-23): values are cleaned
    as they are escaped, but a mediator's template may print a value raw, or hold one."""
    warnings: list[str] = []
    shipped = shipped_templates_dir()
    if user_dir is not None and (user_dir / name).is_file():
        try:
            text = template_sandbox.render_user(user_dir, name, context)
            return Rendered(printable(text), str(user_dir / name))
        except template_sandbox.TemplateFailure as exc:
            warnings.append(
                f"Modèle personnel {user_dir / name}{exc}. Le modèle fourni a été utilisé."
            )
    text = _environment(shipped).get_template(name).render(context)
    return Rendered(printable(text), str(shipped / name), warnings)


def _template_line(exc: Exception, name: str) -> str:
    """The template line of a runtime error, from the traceback Jinja rewrites."""
    tb = exc.__traceback__
    line = None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename.endswith(name):
            line = tb.tb_lineno
        tb = tb.tb_next
    return f", ligne {line}" if line else ""


# ---------------------------------------------------------------------------- context
def mediator_context(name: Any, mediator: Mapping[str, Any] | None) -> dict[str, str]:
    """How the client reaches the mediator (« Pour nous joindre »): one person with her own
    details. `mediator` is this laptop's (the config: name, structure, phone, e-mail); `name`
    the visit's or the workshop's mediator, who may be a colleague whose phone and e-mail
    this laptop does not know. So the config's mediator answers when she is named there;
    else `name` is shown only when no phone or e-mail would be lent to it."""
    mediator = mediator or {}
    lent = mediator.get("phone") or mediator.get("email")
    person = mediator.get("name") or ("" if lent else name)
    return {
        "name": md(person),
        "structure": md(mediator.get("structure")),
        "phone": md(mediator.get("phone")),
        "email": md(mediator.get("email")),
    }


def build_context(
    session: Mapping[str, Any],
    client: Mapping[str, Any] | None,
    structures: Iterable[Mapping[str, Any]] = (),
    followups: Iterable[Mapping[str, Any]] = (),
    mediator: Mapping[str, Any] | None = None,
    aids: Iterable[Mapping[str, Any]] = (),
    plan: Iterable[Mapping[str, Any]] = (),
) -> dict[str, Any]:
    """Everything a template may show, labelled in French and escaped for Markdown.

    `mediator` is how the client reaches the mediator (name, structure, phone, email from
    the config; see `mediator_context`). `aids` are those attached
    to the session, `plan` the business's actions to show."""
    followups = list(followups)  # read twice: the callback date and the list
    cat = catalog()
    by_id = {s["id"]: s for s in structures}
    client = client or {}
    contact: Mapping[str, Any] = next(
        (c for c in client.get("contacts") or [] if c.get("id") == session.get("contact_id")),
        {},
    )
    consented = bool((contact.get("consent") or {}).get("given"))
    place = md(session.get("place_label")) or cat.label("place_kinds", session.get("place_kind"))
    structure_place = by_id.get(session.get("place_structure_id") or "")
    if structure_place:
        place = md(structure_place["name"])
    contacts = []
    for redirection in session.get("redirections") or []:
        structure = by_id.get(redirection.get("structure_id") or "")
        contacts.append(_structure_context(redirection, structure))
    steps = [
        {
            "phase": cat.label("phases", step.phase),
            "label": step.label,
            "done": step_is_done(session, step.code),
            "note": md_block(((session.get("steps") or {}).get(step.code) or {}).get("note")),
        }
        for step in cat.steps
    ]
    return {
        "reference": short_reference(session.get("id")),
        "mediator": mediator_context(session.get("mediator"), mediator),
        "client": {
            "name": md(client.get("name")) or "Entreprise non renseignée",
            "trade": md(client.get("trade")),
            "activity": cat.label("activity_kinds", client.get("activity_kind")),
            "size": cat.label("company_sizes", client.get("size")),
            "employees": client.get("employees"),
            "commune": md(client.get("commune")),
            "territory": md(client.get("territory")),
            "siret": md(client.get("siret")),
        },
        "interlocutor": {
            "name": md(contact.get("name")) if consented else "",
            "role": cat.label("interlocutor_roles", session.get("interlocutor_role")),
            "phone": md(contact.get("phone")) if consented else "",
            "email": md(contact.get("email")) if consented else "",
        },
        "session": {
            "date": session.get("date") or "",
            "duration": session.get("duration_min"),
            "place": place,
            "territory": md(session.get("territory")),
            "mediator": md(session.get("mediator")),
            "equipment": [cat.label("equipment", c) for c in session.get("equipment") or []],
            "status": cat.label("session_statuses", session.get("status")),
            "close_reason": cat.label("close_reasons", session.get("close_reason")),
            "request_said": md_block(session.get("request_said")),
            "request": md_block(session.get("request_rephrased") or session.get("request_said")),
            "right_place": session.get("right_place"),
            "need_nature": cat.label("need_natures", session.get("need_nature")),
            "needs": [cat.label("needs", c) for c in session.get("needs") or []],
            "needs_text": md_block(session.get("needs_text")),
            "missions": [cat.label("missions", c) for c in session.get("missions") or []],
            "solutions": [
                _solution_context(s) for s in session.get("solutions") or [] if s.get("title")
            ],
            "answered": cat.label("answered_levels", session.get("answered")),
            "synthesis": md_block(session.get("synthesis")),
            "other_questions": md_block(session.get("other_questions")),
            "to_find_out": [md(item) for item in session.get("to_find_out") or []],
            "deadline": session.get("deadline") or "",
            "deadline_note": md(session.get("deadline_note")),
            "callback_date": promised_callback(session, followups),
            "topics": [
                cat.label("operational_topics", c) for c in session.get("topics_raised") or []
            ],
            "satisfaction": cat.label("satisfaction_levels", session.get("satisfaction")),
            "autonomy": cat.label("autonomy_levels", session.get("autonomy")),
            "notes": md_block(session.get("notes")),
            "skills": _scores(session.get("skills") or {}, "skill_areas"),
            "maturity": _scores(session.get("maturity") or {}, "maturity_dimensions"),
            "steps": steps,
        },
        "contacts": contacts,
        "followups": [
            {
                "due": f.get("due_date") or "",
                "kind": cat.label("followup_kinds", f.get("kind")),
                "reason": md(f.get("reason")),
                "status": cat.label("followup_statuses", f.get("status")),
            }
            for f in sorted(followups, key=lambda f: f.get("due_date") or "")
            if not f.get("deleted")
        ],
        "resources": cat.resources(),
        "aids": [_aid_context(a, by_id) for a in aids],
        "plan": [_action_context(a, by_id) for a in plan],
    }


def _aid_context(
    aid: Mapping[str, Any], structures: Mapping[str, Mapping[str, Any]]
) -> dict[str, Any]:
    cat = catalog()
    carrier = structures.get(aid.get("structure_id") or "")
    return {
        "name": md(aid.get("name")),
        "flag": flag(aid, today()),
        "offers": [cat.label("aid_offers", o) for o in aid.get("offers") or []],
        "amount": md(aid.get("amount")),
        "how_to_apply": md_cell(aid.get("how_to_apply")),
        "source": md(aid.get("source_url")),
        "contact": _structure_context({}, carrier) if carrier else {"name": ""},
    }


def _action_context(
    action: Mapping[str, Any], structures: Mapping[str, Mapping[str, Any]]
) -> dict[str, str]:
    cat = catalog()
    partner = structures.get(action.get("owner_structure_id") or "")
    return {
        "title": md_cell(action.get("title")),
        "who": md_cell(partner["name"])
        if partner
        else cat.label("action_owners", action.get("owner")),
        "due": action.get("due_date") or "",
        "status": cat.label("action_statuses", action.get("status")),
    }


def _solution_context(solution: Mapping[str, Any]) -> dict[str, str]:
    cat = catalog()
    return {
        "title": md_cell(solution.get("title")),
        "area": cat.label("solution_areas", solution.get("area")),
        "pros": md_cell(solution.get("pros")),
        "cons": md_cell(solution.get("cons")),
        "cost": md_cell(solution.get("cost")),
        "effort": cat.label("effort_levels", solution.get("effort")),
    }


def _structure_context(
    redirection: Mapping[str, Any], structure: Mapping[str, Any] | None
) -> dict[str, str | list[str]]:
    structure = structure or {}
    address = ", ".join(
        part
        for part in (
            structure.get("address"),
            structure.get("address_extra"),
            " ".join(p for p in (structure.get("postal_code"), structure.get("commune")) if p),
        )
        if part
    )
    return {
        "name": md(structure.get("name") or redirection.get("label")),
        "kind": catalog().label("structure_kinds", structure.get("kind")) if structure else "",
        "reason": md(redirection.get("reason")),
        "address": md(address),
        "phone": md(structure.get("phone")),
        "emails": [md(e) for e in _several(structure.get("emails"))],
        "websites": [md(w) for w in _several(structure.get("websites"))],
        # One line each, as earlier personal templates used them.
        "email": md(", ".join(_several(structure.get("emails")))),
        "website": md(", ".join(_several(structure.get("websites")))),
        "hours": md(in_french(structure.get("opening_hours") or "")),
    }


def _several(value: Any) -> list[str]:
    """The e-mails or sites of a place, stored « a | b » (or « a; b » as some files have)."""
    return [part.strip() for part in re.split(r"[|;]", str(value or "")) if part.strip()]


def _scores(scores: Mapping[str, Any], kind: str) -> list[dict[str, Any]]:
    return [
        {"label": label, "level": scores.get(code), "bar": bar(scores.get(code), width=8)}
        for label, code in catalog().choices(kind)
    ]


# ---------------------------------------------------------------------------- HTML
PAGE_CSS = """
@page { size: A4; margin: 18mm; }
body { font-family: "DejaVu Sans", "Segoe UI", Arial, sans-serif; font-size: 11pt;
       line-height: 1.45; color: #111; max-width: 48em; margin: 2em auto; }
h1 { font-size: 18pt; border-bottom: 2px solid #333; padding-bottom: .2em; }
h2 { font-size: 13pt; margin-top: 1.4em; border-bottom: 1px solid #999; }
table { border-collapse: collapse; width: 100%; font-size: 10pt; }
th, td { border: 1px solid #888; padding: .3em .5em; vertical-align: top; text-align: left; }
th { background: #eee; }
@media print { body { margin: 0; max-width: none; } }
"""


def markdown_to_html_body(markdown: str) -> str:
    from markdown_it import MarkdownIt

    html: str = MarkdownIt("commonmark", {"html": False}).enable("table").render(markdown)
    return html


def html_page(markdown: str, title: str) -> str:
    """A printable page (A4) made from the Markdown, for opening in a browser."""
    from html import escape

    body = markdown_to_html_body(markdown)
    return (
        '<!DOCTYPE html>\n<html lang="fr">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape(printable(title))}</title>\n<style>{PAGE_CSS}</style>\n</head>\n"
        f"<body>\n{body}</body>\n</html>\n"
    )


def file_stem(
    session: Mapping[str, Any], client: Mapping[str, Any] | None, kind: str, reference: str = ""
) -> str:
    """A file name from the date, the client and the short reference of what the document
    is about: 2026-11-20-fleuriste-roussel-compte-rendu-5e55a0c1. The reference keeps two
    visits of one business on one day, or of two businesses of the same name, in two files
    (one replaced the other); saving the same visit again updates its own file."""
    name = slug((client or {}).get("name") or "")
    stem = f"{session.get('date') or 'sans-date'}-{name}-{kind}"
    return f"{stem}-{reference}" if reference else stem
