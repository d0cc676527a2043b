"""Workshops, aids and actions as they show among search results: one row each."""

from __future__ import annotations

from tpe_tui.domain import aids, workshops
from tpe_tui.domain.catalog import catalog
from tpe_tui.domain.records import french_date, today
from tpe_tui.services.workspace import Workspace

KIND_LABELS = {"workshops": "Atelier", "aids": "Aide", "actions": "Action"}


def result_row(workspace: Workspace, table: str, record_id: str) -> tuple[str, str, str] | None:
    """(kind, name, detail) of a workshop, an aid or an action; None when it is gone."""
    record = workspace.store.peek(table, record_id)
    if record is None or record.get("deleted"):
        return None
    cat = catalog()
    if table == "workshops":
        count = workshops.attendance(record)
        detail = f"{french_date(record.get('date'))} · {count.text()}"
        return KIND_LABELS[table], str(record.get("title") or "?"), detail
    if table == "aids":
        offers = ", ".join(cat.label("aid_offers", o) for o in record.get("offers") or [])
        flag = aids.flag(record, today())
        return (
            KIND_LABELS[table],
            str(record.get("name") or "?"),
            " · ".join(part for part in (flag, offers) if part),
        )
    client = workspace.client_view(record.get("client_id"))
    status = cat.label("action_statuses", record.get("status"))
    return (
        KIND_LABELS[table],
        str((client or {}).get("name") or "?"),
        f"{status} : {record.get('title') or ''}",
    )
