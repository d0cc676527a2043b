"""The commune's INSEE code on a business: checked, filled in from the directory, exported."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.helpers import add_client, add_place, open_store
from tpe_tui.domain import national as nat
from tpe_tui.domain.insee import CommuneCodes, with_insee_code
from tpe_tui.domain.records import ValidationError, clean_insee_code, new_record
from tpe_tui.domain.stats import Filters
from tpe_tui.services.workspace import Workspace


def test_insee_codes_are_checked() -> None:
    assert clean_insee_code("62041") == "62041"
    assert clean_insee_code(" 2a 004 ") == "2A004"  # Corse-du-Sud, typed loosely
    assert clean_insee_code("2B033") == "2B033"
    assert clean_insee_code("97411") == "97411"
    assert clean_insee_code("") == ""
    for wrong in ("6204", "620411", "2C004", "ABCDE", "62 04"):
        with pytest.raises(ValidationError, match="5 caractères"):
            clean_insee_code(wrong)


@given(st.text(max_size=8))
def test_a_cleaned_code_is_empty_or_five_characters(text: str) -> None:
    try:
        code = clean_insee_code(text)
    except ValidationError:
        return
    assert code == "" or (len(code) == 5 and code[2:].isdigit())


PLACES = [
    {"commune": "Arras", "postal_code": "62000", "insee_code": "62041"},
    {"commune": "Saint-Laurent-Blangy", "postal_code": "62223", "insee_code": "62753"},
    {"commune": "Saint-Nicolas", "postal_code": "62223", "insee_code": "62764"},
    {"commune": "Sainte-Marie", "postal_code": "97230", "insee_code": "97228"},
    {"commune": "Sainte-Marie", "postal_code": "97438", "insee_code": "97418"},
    {"commune": "Ajaccio", "postal_code": "20000", "insee_code": "2A004"},
    {"commune": "Calais", "postal_code": "62100", "insee_code": ""},  # no code: no help
    {"commune": "Gone", "postal_code": "62999", "insee_code": "62999", "deleted": True},
]


def test_commune_codes_tell_only_what_is_sure() -> None:
    codes = CommuneCodes.of(PLACES)
    assert codes.code_of("ARRAS", "62000") == "62041"  # case and accents folded
    assert codes.code_of("arras") == "62041"  # one code known for the name
    assert codes.code_of("Arras", "59000") == ""  # a postal code of another département
    assert codes.code_of("Ajaccio", "20090") == "2A004"  # Corsica: postal codes in 20
    assert codes.code_of("Sainte-Marie") == ""  # two communes of that name
    assert codes.code_of("Sainte-Marie", "97438") == "97418"
    assert codes.code_of("", "62223") == ""  # one postal code, two communes
    assert codes.code_of("", "62000") == "62041"
    assert codes.code_of("Calais", "62100") == "" and codes.code_of("Gone") == ""


def test_the_code_follows_the_commune_unless_typed() -> None:
    code_of = CommuneCodes.of(PLACES).code_of
    stored = {"id": "c", "commune": "", "postal_code": "", "insee_code": ""}
    arras = with_insee_code({**stored, "commune": "Arras"}, stored, code_of)
    assert arras["insee_code"] == "62041"  # filled in
    typed = {**arras, "insee_code": "62999"}
    assert with_insee_code(typed, arras, code_of)["insee_code"] == "62999"  # typed: kept
    moved = with_insee_code({**arras, "commune": "Calais"}, arras, code_of)
    assert moved["insee_code"] == ""  # the new commune is unknown: no stale code
    kept = {**stored, "commune": "Calais", "insee_code": "62193"}
    assert with_insee_code(dict(kept), kept, code_of) == kept  # a code already there stays
    asked: list[str] = []
    with_insee_code(dict(kept), kept, lambda c, p: asked.append(c) or "")
    assert asked == []  # nothing to work out: the directory is not even read


def test_a_saved_business_gets_its_code_from_the_directory_and_the_export_shows_it(
    db: Path,
) -> None:
    with open_store(db) as store:
        ws = Workspace(store)
        add_place(store, "Tiers-lieu La Fabrique", "Arras", "62000", "62041")
        bakery = add_client(store, "Boulangerie Martin")
        saved = ws.save_client({**bakery, "commune": "Arras", "postal_code": "62000"})
        assert saved["insee_code"] == "62041"
        elsewhere = ws.save_client(
            {**add_client(store, "Garage Dufour"), "commune": "Soissons", "postal_code": "02200"}
        )
        assert elsewhere["insee_code"] == ""  # the directory does not know Soissons
        typed = ws.save_client({**elsewhere, "insee_code": "02722"})
        assert typed["insee_code"] == "02722"
        # An older record without the field: the export looks the directory up itself.
        old = add_client(store, "Fleuriste Roussel", commune="Arras", postal_code="62000")
        del old["insee_code"]
        store.put("clients", old)
        for client in (saved, typed, old):
            store.put(
                "sessions",
                new_record("sessions", client_id=client["id"], status="closed", date="2026-10-01"),
            )
        data = {table: dict(store.data.get(table, {})) for table in store.data}
    headers = nat.headers()
    column = headers.index("Code Insee du bénéficiaire")
    names = headers.index("Bénéficiaire")
    rows = {row[names]: row[column] for row in nat.export_rows(data, Filters())}
    assert rows == {
        "Boulangerie Martin": "62041",
        "Garage Dufour": "02722",
        "Fleuriste Roussel": "62041",
    }
