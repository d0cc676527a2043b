"""Contexts of the workshop documents (attendance sheet, recap) and of the action plan.

Pure: records in, a template context out; every typed value escaped for Markdown here, so
no template (the shipped ones or a mediator's own) can forget to.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date
from typing import Any

from tpe_tui.documents.summary import mediator_context
from tpe_tui.domain import action_plan, aids, workshops
from tpe_tui.domain.accompaniment import bar
from tpe_tui.domain.catalog import catalog
from tpe_tui.domain.markdown import md, md_block, md_cell

ClientOf = Callable[[str | None], Mapping[str, Any] | None]
SHEET_BLANK_ROWS = 5  # empty lines at the end of a sheet for people who come unannounced


def theme_labels(codes: Iterable[str]) -> list[str]:
    """Labels of a workshop's themes: needs and operational topics share the list."""
    cat = catalog()
    out = []
    for code in codes:
        if cat.has("needs", code):
            out.append(cat.label("needs", code))
        else:
            out.append(cat.label("operational_topics", code))
    return out


def _place(workshop: Mapping[str, Any], structures: Mapping[str, Mapping[str, Any]]) -> str:
    structure = structures.get(workshop.get("place_structure_id") or "")
    if structure:
        return md(structure.get("name"))
    return md(workshop.get("place_label"))


def workshop_context(
    workshop: Mapping[str, Any],
    client_of: ClientOf,
    structures: Iterable[Mapping[str, Any]] = (),
    mediator: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """What the attendance sheet and the recap may show; `mediator` is how participants
    reach the mediator (the config's contact), as on a visit's summary."""
    cat = catalog()
    by_id = {s["id"]: s for s in structures}
    rows = workshops.participant_rows(workshop, client_of)
    count = workshops.attendance(workshop)
    return {
        "workshop": {
            "title": md(workshop.get("title")) or "Atelier",
            "date": workshop.get("date") or "",
            "duration": workshop.get("duration_min"),
            "level": cat.label("workshop_levels", workshop.get("level")),
            "themes": theme_labels(workshop.get("themes") or []),
            "place": _place(workshop, by_id),
            "territory": md(workshop.get("territory")),
            "mediators": [md(m) for m in workshop.get("mediators") or [] if m],
            "notes": md_block(workshop.get("notes")),
            "registered": count.registered,
            "attended": count.attended,
            "anonymous": count.anonymous,
            "present": count.present,
        },
        "participants": [
            {
                "business": md_cell(r.business),
                "person": md_cell(r.person),
                "role": cat.label("interlocutor_roles", r.role),
                "attended": r.attended,
            }
            for r in rows
        ],
        # The one who hands the recap out (this laptop's), else the workshop's first mediator.
        "mediator": mediator_context(next(iter(workshop.get("mediators") or []), ""), mediator),
        "blank_rows": SHEET_BLANK_ROWS,
        "resources": cat.resources(),
    }


def plan_context(
    client: Mapping[str, Any],
    actions: Iterable[Mapping[str, Any]],
    sessions: Iterable[Mapping[str, Any]],
    aid_records: Iterable[Mapping[str, Any]],
    structures: Iterable[Mapping[str, Any]],
    today: date,
) -> dict[str, Any]:
    """What the action plan document may show: actions in order, progress, maturity."""
    cat = catalog()
    aids_by_id = {a["id"]: a for a in aid_records}
    structures_by_id = {s["id"]: s for s in structures}
    ordered = action_plan.ordered(actions)
    trail = action_plan.maturity_trail(sessions)
    done = action_plan.progress(ordered)

    def maturity(end: Mapping[str, Any]) -> list[dict[str, Any]]:
        scores = end["maturity"]
        return [
            {
                "label": label,
                "level": action_plan.level_at_end(end, code),
                "bar": bar(scores.get(code), width=8),
            }
            for label, code in cat.choices("maturity_dimensions")
        ]

    def action_row(action: Mapping[str, Any]) -> dict[str, Any]:
        aid = aids_by_id.get(action.get("aid_id") or "")
        partner = structures_by_id.get(action.get("owner_structure_id") or "")
        who = cat.label("action_owners", action.get("owner"))
        if partner:
            who = md_cell(partner.get("name"))
        return {
            "title": md_cell(action.get("title")),
            "need": cat.label("needs", action.get("need")),
            "solution": md_cell(action.get("solution")),
            "aid": md_cell(aid.get("name")) if aid else "",
            "aid_flag": aids.flag(aid, today) if aid else "",
            "who": who,
            "due": action.get("due_date") or "",
            "priority": cat.label("action_priorities", action.get("priority")),
            "status": cat.label("action_statuses", action.get("status")),
            "notes": md_cell(action.get("notes")),
        }

    return {
        "client": {
            "name": md(client.get("name")) or "Entreprise",
            "trade": md(client.get("trade")),
            "commune": md(client.get("commune")),
        },
        "today": today.isoformat(),
        "progress": {"done": done.done, "total": done.total, "percent": done.percent},
        "actions": [action_row(a) for a in ordered],
        "maturity_first": (
            {"date": trail[0]["date"], "scores": maturity(trail[0])} if trail else None
        ),
        "maturity_last": (
            {"date": trail[1]["date"], "scores": maturity(trail[1])} if trail else None
        ),
    }
