"""Checks of a whole data file: every record sound, every reference pointing somewhere."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from tpe_tui.domain.catalog import catalog
from tpe_tui.domain.records import SHARED_TABLES
from tpe_tui.domain.validation import Checked, record_problems, schema_problem

# (table, field) -> table the field points into
REFERENCES = (
    ("sessions", "client_id", "clients"),
    ("sessions", "place_structure_id", "structures"),
    ("followups", "session_id", "sessions"),
    ("followups", "client_id", "clients"),
    ("clients", "merged_into", "clients"),
    ("workshops", "place_structure_id", "structures"),
    ("aids", "structure_id", "structures"),
    ("actions", "client_id", "clients"),
    ("actions", "aid_id", "aids"),
    ("actions", "owner_structure_id", "structures"),
    ("followups", "aid_id", "aids"),
    ("followups", "action_id", "actions"),
    ("followups", "workshop_id", "workshops"),
)

TABLE_LABELS = {
    "clients": "entreprises",
    "sessions": "accompagnements",
    "followups": "suivis",
    "structures": "structures",
    "workshops": "ateliers",
    "aids": "aides",
    "actions": "actions",
    "devices": "ordinateurs",
}


def broken_references(
    tables: Mapping[str, Iterable[Mapping[str, Any]]],
) -> set[tuple[str, str, str, str]]:
    """(table, record id, field, value) of each reference to a record the tables do not
    hold (tombstones count as held)."""
    ids = {
        table: {str(r.get("id")) for r in tables.get(table, [])}
        for table in {target for _, _, target in REFERENCES}
    }
    return {
        (table, str(record.get("id")), field, str(record.get(field)))
        for table, field, target in REFERENCES
        for record in tables.get(table, [])
        if record.get(field) and str(record.get(field)) not in ids[target]
    }


def check_data(data: Mapping[str, Mapping[str, Any]]) -> list[str]:
    """Every problem found, one French line each; empty when the file is sound."""
    found: list[str] = []
    schema = schema_problem(data)
    if schema:
        found.append(f"fichier : {schema}")
    ids: dict[str, set[str]] = {}
    checked = Checked()  # `data` holds every value it refers to until we return
    for table in SHARED_TABLES:
        seen: set[str] = set()
        for key, record in data.get(table, {}).items():
            for issue in record_problems(table, record, checked):
                found.append(f"{TABLE_LABELS[table]} n°{key} : {issue}")
            record_id = record.get("id") if isinstance(record, dict) else None
            if isinstance(record_id, str):
                if record_id in seen:
                    found.append(f"{TABLE_LABELS[table]} : identifiant en double {record_id}")
                seen.add(record_id)
        ids[table] = seen
    for table, field, target in REFERENCES:
        for record in data.get(table, {}).values():
            value = record.get(field)
            if value and value not in ids[target]:
                found.append(
                    f"{TABLE_LABELS[table]} {record.get('id')} : « {field} » désigne "
                    f"un enregistrement absent ({value})"
                )
    for record in data.get("sessions", {}).values():
        for redirection in record.get("redirections") or []:
            structure_id: str | None = (
                redirection.get("structure_id") if isinstance(redirection, dict) else None
            )
            if structure_id and structure_id not in ids["structures"]:
                found.append(
                    f"accompagnements {record.get('id')} : orientation vers une structure "
                    f"absente ({structure_id})"
                )
    found += _list_references(data, ids)
    found += _plan_against_agenda(data)
    return found


def _plan_against_agenda(data: Mapping[str, Mapping[str, Any]]) -> list[str]:
    """Actions the agenda settled (done, abandoned) that the plan still shows open: files
    written before the two were kept in step; the app brings them in step at its start."""
    actions = {a.get("id"): a for a in data.get("actions", {}).values() if isinstance(a, dict)}
    found = []
    for followup in data.get("followups", {}).values():
        action = actions.get(followup.get("action_id")) if followup.get("action_id") else None
        settled = followup.get("status")
        if (
            action
            and not action.get("deleted")
            and not followup.get("deleted")
            and settled in ("done", "abandoned")
            and action.get("status") != settled
        ):
            label = catalog().label
            found.append(
                f"actions {action.get('id')} : « {label('action_statuses', action.get('status'))} »"
                f" dans le plan, mais « {label('action_statuses', settled)} » dans l’agenda "
                "(l’application les remet d’accord à son ouverture)"
            )
    return found


def _list_references(
    data: Mapping[str, Mapping[str, Any]], ids: Mapping[str, set[str]]
) -> list[str]:
    """References held in lists: workshop participants, aids attached to a session."""
    found = []
    for record in data.get("workshops", {}).values():
        for participant in record.get("participants") or []:
            target = participant.get("client_id") if isinstance(participant, dict) else None
            if target and target not in ids["clients"]:
                found.append(
                    f"ateliers {record.get('id')} : participant d’une entreprise absente ({target})"
                )
    for record in data.get("sessions", {}).values():
        for target in record.get("aids") or []:
            if target not in ids["aids"]:
                found.append(f"accompagnements {record.get('id')} : aide absente ({target})")
    return found


def summary_counts(
    data: Mapping[str, Mapping[str, Any]],
    in_conflict: Callable[[str, Mapping[str, Any]], bool] | None = None,
) -> dict[str, tuple[int, int, int]]:
    """Per table: (live records, tombstones, records with conflicts). `in_conflict` says
    whether a record holds a conflict to settle (the sync layer knows: two laptops that
    wrote the same value are not in conflict); without it, any stored conflict counts."""
    out = {}
    for table in SHARED_TABLES:
        live = dead = conflicted = 0
        for record in data.get(table, {}).values():
            if record.get("deleted"):
                dead += 1
            else:
                live += 1
            if record.get("conflicts") and (in_conflict is None or in_conflict(table, record)):
                conflicted += 1
        out[table] = (live, dead, conflicted)
    return out
