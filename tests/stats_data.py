"""A small hand-made data set whose figures are worked out by hand in the tests.

Period under study: October 2026 (both ends included); « today » is 27/11/2026.
- A (Arras, alone): closed 15/09 (before the period), closed 01/10 (30 min) -> followed.
- B (Calais, 5 employees): closed 10/10 (60 min), closed 31/10 (29 min) -> new;
  maturity online presence 1 -> 3, autonomy fully accompanied -> autonomous;
  a follow-up of the 31/10 session due 10/11, still to do -> overdue.
- C (Soissons, 10 employees): closed 15/10 (120 min) redirected to a CCI, closed 01/11
  (after), in progress 20/10 -> new; its follow-up is done and the solution worked.
- D (Arras, no size): draft 01/09, closed 05/10 (59 min) -> new (a draft is no activity).
- a deleted closed session on 12/10 is not counted.
"""

from __future__ import annotations

from typing import Any

from tpe_tui.domain.records import new_record

TODAY = "2026-11-27"


def _session(client: dict[str, Any], day: str, minutes: int | None, **fields: Any) -> dict:
    values: dict[str, Any] = {
        "client_id": client["id"],
        "status": "closed",
        "date": day,
        "duration_min": minutes,
        "place_kind": "tiers_lieu",
        "territory": client["territory"],
        "mediator": "Hugo Perrin",
        "equipment": ["computer"],
        "needs": ["online_presence"],
        "interlocutor_role": "owner",
        "created_at": f"{day}T09:00:00Z",
        "updated_at": f"{day}T09:00:00Z",
    }
    values.update(fields)
    return new_record("sessions", **values)


def build() -> dict[str, dict[str, dict[str, Any]]]:
    """The data in the file's shape: {table: {doc_id: record}}."""
    cci = new_record("structures", name="CCI Soissons", kind="cci", commune="Soissons")
    place = new_record(
        "structures",
        name="Tiers-lieu La Fabrique",
        kind="tiers_lieu",
        address="3 rue Gambetta",
        commune="Arras",
        postal_code="62000",
        insee_code="62041",
    )
    a = new_record(
        "clients",
        name="Boulangerie Martin",
        commune="Arras",
        territory="Arras",
        size="alone",
        activity_kind="craft",
        siret="73282932000074",
        postal_code="62000",
    )
    b = new_record(
        "clients",
        name="Fleuriste Roussel",
        commune="Calais",
        territory="Calais",
        size="employees",
        employees=5,
        activity_kind="commercial",
    )
    c = new_record(
        "clients",
        name="Garage Dufour",
        commune="Soissons",
        territory="Soissons",
        size="employees",
        employees=10,
        activity_kind="craft",
    )
    d = new_record("clients", name="Atelier [/] Caron", commune="Arras", territory="Arras")
    b_last = _session(
        b,
        "2026-10-31",
        29,
        maturity={"online_presence": 3},
        autonomy="autonomous",
        place_kind="premises",
        callback_wanted=True,
        callback_date="2026-11-10",
    )
    c_main = _session(
        c,
        "2026-10-15",
        120,
        place_kind="remote",
        needs=["admin_procedures", "internal_tools"],
        redirections=[{"structure_id": cci["id"], "label": "CCI Soissons", "reason": "Aides"}],
        skills={"information_data": 2, "protection_security": None},
        autonomy="partly_autonomous",
        notes="Rappeler après le salon",
    )
    sessions = [
        _session(a, "2026-09-15", 45),
        _session(a, "2026-10-01", 30, place_structure_id=place["id"], place_label=place["name"]),
        _session(
            b,
            "2026-10-10",
            60,
            maturity={"online_presence": 1, "online_selling": 2},
            autonomy="fully_accompanied",
            topics_raised=["security"],
        ),
        b_last,
        c_main,
        _session(c, "2026-11-01", 60),
        _session(c, "2026-10-20", 30, status="in_progress"),
        _session(d, "2026-09-01", 30, status="draft"),
        _session(d, "2026-10-05", 59, mediator="Léa Vasseur", equipment=["phone", "tablet"]),
        _session(a, "2026-10-12", 30, deleted=True),
    ]
    followups = [
        new_record(
            "followups",
            session_id=b_last["id"],
            client_id=b["id"],
            due_date="2026-11-10",
            status="todo",
        ),
        new_record(
            "followups",
            session_id=c_main["id"],
            client_id=c["id"],
            due_date="2026-10-25",
            status="done",
            solution_worked="yes",
        ),
    ]
    tables = {
        "clients": [a, b, c, d],
        "sessions": sessions,
        "followups": followups,
        "structures": [cci, place],
    }
    return {
        table: {str(i): record for i, record in enumerate(records, 1)}
        for table, records in tables.items()
    } | {"meta": {}}
