"""The typed shapes of records say what `records.FIELDS` says, and the constructors of
nested shapes build what validation accepts."""

from __future__ import annotations

from tpe_tui.domain import types
from tpe_tui.domain.records import FIELDS, SHARED_TABLES, new_record
from tpe_tui.domain.validation import record_problems

STAMPED = types.Stamped.__optional_keys__


def test_every_table_has_a_typed_dict_with_exactly_its_fields() -> None:
    assert set(types.TABLE_TYPES) == set(FIELDS) == set(SHARED_TABLES)
    for table, shape in types.TABLE_TYPES.items():
        keys = shape.__optional_keys__  # type: ignore[attr-defined]
        assert not shape.__required_keys__, table  # type: ignore[attr-defined]
        assert keys - STAMPED == {field.name for field in FIELDS[table]}, table
        assert keys >= STAMPED, table


def test_nested_constructors_build_what_a_record_accepts() -> None:
    agreed = types.consent(True, "J’accepte", "2026-11-27")
    refused = types.consent(False, "J’accepte", "2026-11-27")
    assert agreed == {"given": True, "date": "2026-11-27", "wording": "J’accepte"}
    assert refused == {"given": False, "date": "", "wording": ""}  # nothing agreed, no date
    person = types.contact(role="owner", name="Anne", agreed=agreed)
    stranger = types.contact()
    assert person["id"] != stranger["id"] and stranger["consent"]["given"] is False
    client = new_record("clients", name="Garage Caron", contacts=[person, stranger])
    sent = types.redirection("CCI Artois", "Aides à l’export", "s1")
    typed = types.redirection("Mairie")
    assert (sent["structure_id"], typed["structure_id"], typed["reason"]) == ("s1", None, "")
    session = new_record(
        "sessions",
        client_id=client["id"],
        solutions=[types.solution(title="Site vitrine", pros="Visible"), types.solution()],
        redirections=[sent, typed],
    )
    workshop = new_record("workshops", title="Mots de passe")
    workshop["participants"] = [types.participant(client["id"], person["id"])]
    assert workshop["participants"][0]["attended"] is None
    stamp = {"vv": {"a": 1}, "dot": ["a", 1, 1000]}
    for table, record in (("clients", client), ("sessions", session), ("workshops", workshop)):
        assert record_problems(table, {**record, **stamp}) == [], table
    # The check does look inside: a redirection of the wrong shape is refused.
    bad = {**session, **stamp, "redirections": [{"label": ["CCI"]}]}
    assert record_problems("sessions", bad) != []
