"""Pure model: checks of typed values, defaults, unknown fields, personal data."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tpe_tui.domain import records
from tpe_tui.domain.catalog import catalog


def _luhn_complete(body: str) -> str:
    for key in "0123456789":
        if records.siret_is_valid(body + key):
            return body + key
    raise AssertionError("no key")


@given(
    st.text(alphabet="0123456789", min_size=13, max_size=13).filter(
        lambda b: not b.startswith("356000000")
    )
)
def test_every_luhn_siret_is_accepted_and_any_single_digit_change_refused(body: str) -> None:
    siret = _luhn_complete(body)
    assert records.clean_siret(siret[:3] + " " + siret[3:]) == siret
    for position in range(14):
        changed = siret[:position] + str((int(siret[position]) + 1) % 10) + siret[position + 1 :]
        assert not records.siret_is_valid(changed)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("1234", "14 chiffres"),
        ("12345678901234", "clé de contrôle"),
        ("ABCDEFGHIJKLMN", "14 chiffres"),
    ],
)
def test_bad_siret_says_why_in_french(value: str, message: str) -> None:
    with pytest.raises(records.ValidationError, match=message):
        records.clean_siret(value)


def test_la_poste_siret_uses_its_own_rule() -> None:
    assert records.siret_is_valid("35600000000001")  # digit sum 15
    assert not records.siret_is_valid("35600000000002")


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("0321000000", "03 21 00 00 00"),
        ("03.21.00.00.00", "03 21 00 00 00"),
        ("+33321000000", "03 21 00 00 00"),  # a French number in the national form
        ("+33 (0)6 12 34 56 78", "06 12 34 56 78"),
        ("0033 3 21 00 00 00", "03 21 00 00 00"),
        ("+3228001234", "+3228001234"),  # a Belgian one stays international
        ("", ""),
    ],
)
def test_phone_is_normalised(typed: str, stored: str) -> None:
    assert records.clean_phone(typed) == stored


@pytest.mark.parametrize("typed", ["12", "03 21", "phone", "+3"])
def test_bad_phone_is_refused(typed: str) -> None:
    with pytest.raises(records.ValidationError, match="téléphone"):
        records.clean_phone(typed)


def test_email_check() -> None:
    assert records.clean_email(" a.b@exemple.fr ") == "a.b@exemple.fr"
    with pytest.raises(records.ValidationError, match="e-mail"):
        records.clean_email("pas-une-adresse")


@pytest.mark.parametrize(
    ("typed", "iso"), [("24/11/2026", "2026-11-24"), ("1/2/26", "2026-02-01"), ("", "")]
)
def test_french_dates(typed: str, iso: str) -> None:
    assert records.parse_french_date(typed) == iso
    if iso:
        assert records.parse_french_date(records.french_date(iso)) == iso


@pytest.mark.parametrize(
    ("typed", "message"), [("2026-11-24", "JJ/MM/AAAA"), ("31/02/2026", "n’existe pas")]
)
def test_bad_dates(typed: str, message: str) -> None:
    with pytest.raises(records.ValidationError, match=message):
        records.parse_french_date(typed)


def test_new_session_has_every_field_and_a_draft_status() -> None:
    session = records.new_record("sessions", client_id="c1")
    assert session["status"] == "draft" and session["client_id"] == "c1"
    assert {f.name for f in records.SESSION_FIELDS} <= set(session)
    assert session["deleted"] is False and "conflicts" not in session


def test_with_defaults_keeps_unknown_fields() -> None:
    record = records.with_defaults("clients", {"id": "x", "name": "A", "champ_inconnu": [1, 2]})
    assert record["champ_inconnu"] == [1, 2] and record["contacts"] == []


def test_problems_name_the_bad_field() -> None:
    record = records.new_record("sessions", status="perdu", duration_min=-3)
    record.update(device="d", vv={"d": 1}, rev=1, hlc="0000000000001-0000")
    found = records.problems("sessions", record)
    assert any(p.startswith("status") for p in found)
    assert any(p.startswith("duration_min") for p in found)


def test_anonymise_empties_every_personal_field() -> None:
    client = records.new_record(
        "clients",
        name="Garage Caron",
        phone="03 21 00 00 00",
        email="g@exemple.fr",
        contacts=[
            {
                "id": "p",
                "role": "owner",
                "name": "Loïc Caron",
                "phone": "06 00 00 00 00",
                "email": "l@x.fr",
            }
        ],
    )
    client.update(trade="Garagiste", commune="Arras", siret="73282932000074", notes="Loïc rappelle")
    erased = records.anonymise("clients", client)
    # "Garage Caron" names its owner: the business name goes too; what it does and where stays.
    assert erased["anonymised"] is True and erased["name"] == records.ANONYMOUS_NAME
    assert (erased["trade"], erased["commune"]) == ("Garagiste", "Arras")
    assert erased["siret"] == erased["notes"] == ""
    assert erased["phone"] == erased["email"] == ""
    assert erased["contacts"] == [
        {"id": "p", "role": "owner", "name": "", "phone": "", "email": ""}
    ]


def test_catalogue_holds_the_domain_lists_with_french_labels() -> None:
    cat = catalog()
    assert len(cat.codes("needs")) == 9
    assert len(cat.codes("missions")) == 8
    assert len(cat.codes("skill_areas")) == 5
    assert len(cat.codes("maturity_dimensions")) >= 5
    assert [p for p, _ in cat.choices("phases")] == [
        "Écoute et premiers échanges",
        "Réponse à la demande",
        "Prendre congé",
    ]
    assert {s.phase for s in cat.steps} == {"listen", "answer", "close"}
    assert cat.label("structure_kinds", "cma").startswith("CMA")
    # A craft business goes to its CMA, a shop to its CCI; a chamber of unknown kind next.
    assert cat.redirect_kinds("craft") == ["cma", "chamber"]
    assert cat.redirect_kinds("commercial") == ["cci", "chamber"]
    assert cat.label("needs", "code_de_demain") == "code_de_demain"  # unknown code shown as is
    assert catalog() is cat  # loaded once


@given(st.from_regex(r"\d{5}", fullmatch=True))
def test_a_postal_code_is_five_digits_spaces_dropped(code: str) -> None:
    assert records.clean_postal_code(f" {code[:2]} {code[2:]} ") == code


@pytest.mark.parametrize("value", ["Q", "6200", "620000", "62 00A", "2A004"])
def test_anything_else_is_refused_in_french(value: str) -> None:
    with pytest.raises(records.ValidationError, match="5 chiffres"):
        records.clean_postal_code(value)
    assert records.clean_postal_code("") == ""


def test_directory_emails_and_websites_are_each_checked() -> None:
    assert records.clean_emails(" a@b.fr ; c@d.org|") == "a@b.fr | c@d.org"
    assert (
        records.clean_websites("https://a.fr | http://b.org/x") == "https://a.fr | http://b.org/x"
    )
    assert records.clean_emails("") == records.clean_websites("  ") == ""
    with pytest.raises(records.ValidationError, match="« pas-un-mail »"):
        records.clean_emails("a@b.fr ; pas-un-mail")
    with pytest.raises(records.ValidationError, match="« ftp://x »"):
        records.clean_websites("ftp://x")
