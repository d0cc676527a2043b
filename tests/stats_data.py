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
- E (Imprimerie Lemaire, Calais) came to a workshop on 10/09 (with one anonymous person),
  then to the workshop of 20/10 (90 min, Tiers-lieu La Fabrique, Arras, Léa Vasseur) with
  C; B was signed up but marked absent; two anonymous participants: 4 collective
  accompaniments in October (C, E, 2 anonymous), E is followed (accompanied in September).
- Aids: C's session of 15/10 proposes the « Chèque numérique » and the « Prêt d’honneur »,
  B's of 31/10 the « Chèque numérique » (A's of 15/09 the « Prêt d’honneur », before the
  period). « Dossier déposé ? » follow-ups: C's cheque done, answered yes (applied); C's
  loan done, answered no; B's cheque due 21/11, still to do (overdue).
- Actions: B's done on 31/10; C's in progress (changed 16/10); C's abandoned (25/10);
  A's done on 20/09 (before); D's to do (changed 05/11, after); a deleted one.
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
    e = new_record(
        "clients", name="Imprimerie Lemaire", commune="Calais", territory="Calais", size="alone"
    )
    cheque = new_record("aids", name="Chèque numérique", example=True)
    loan = new_record("aids", name="Prêt d’honneur", example=True)
    b_last = _session(
        b,
        "2026-10-31",
        29,
        maturity={"online_presence": 3},
        autonomy="autonomous",
        place_kind="premises",
        callback_wanted=True,
        callback_date="2026-11-10",
        aids=[cheque["id"]],
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
        aids=[cheque["id"], loan["id"]],
    )
    sessions = [
        _session(a, "2026-09-15", 45, aids=[loan["id"]]),
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
        *(
            new_record(
                "followups",
                session_id=session["id"],
                client_id=session["client_id"],
                kind="aid_filed",
                aid_id=aid["id"],
                due_date=due,
                status=status,
                solution_worked=answer,
            )
            for session, aid, due, status, answer in (
                (c_main, cheque, "2026-11-05", "done", "yes"),
                (c_main, loan, "2026-11-05", "done", "no"),
                (b_last, cheque, "2026-11-21", "todo", None),
            )
        ),
    ]
    workshops = [
        new_record(
            "workshops",
            title="Premiers pas sur Internet",
            date="2026-09-10",
            duration_min=60,
            mediators=["Hugo Perrin"],
            participants=[{"id": "e1", "client_id": e["id"], "attended": True}],
            anonymous_count=1,
        ),
        new_record(
            "workshops",
            title="Sécuriser ses comptes",
            themes=["online_presence", "security"],
            level="intermediate",
            date="2026-10-20",
            duration_min=90,
            place_structure_id=place["id"],
            territory="Arras",
            mediators=["Léa Vasseur"],
            participants=[
                {"id": "c1", "client_id": c["id"], "attended": True},
                {"id": "e2", "client_id": e["id"], "attended": True},
                {"id": "b1", "client_id": b["id"], "attended": False},
            ],
            anonymous_count=2,
            notes="Salle prêtée",
            created_at="2026-10-01T08:00:00Z",
            updated_at="2026-10-01T08:00:00Z",
        ),
    ]

    def action(client: dict[str, Any], status: str, changed: str, **fields: Any) -> dict:
        return new_record(
            "actions",
            client_id=client["id"],
            title=f"Action de {client['name']}",
            status=status,
            updated_at=f"{changed}T10:00:00Z",
            **fields,
        )

    actions = [
        action(b, "done", "2026-10-31", done_at="2026-10-31"),
        action(c, "in_progress", "2026-10-16"),
        action(c, "abandoned", "2026-10-25"),
        action(a, "done", "2026-10-02", done_at="2026-09-20"),
        action(d, "todo", "2026-11-05"),
        action(b, "done", "2026-10-12", done_at="2026-10-12", deleted=True),
    ]
    tables = {
        "clients": [a, b, c, d, e],
        "sessions": sessions,
        "followups": followups,
        "structures": [cci, place],
        "workshops": workshops,
        "aids": [cheque, loan],
        "actions": actions,
    }
    return {
        table: {str(i): record for i, record in enumerate(records, 1)}
        for table, records in tables.items()
    } | {"meta": {}}
