"""Attendance sheet, workshop recap and action plan: golden output, PDF, the commands."""

from __future__ import annotations

import io
import os
import shutil
from pathlib import Path

import pypdf
import pytest

from tests.helpers import open_store
from tpe_tui.cli.main import main
from tpe_tui.domain.records import new_record

GOLDEN = Path(__file__).parent.parent / "golden"


@pytest.fixture
def filled_db(db: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A workshop with three participants, an aid and a plan of four actions."""
    monkeypatch.setenv("TPE_TUI_TODAY", "2026-11-24")
    consent = {"given": True, "date": "2026-11-20", "wording": "…"}
    with open_store(db) as store:
        store.put(
            "structures",
            new_record("structures", id="s-cci", name="CCI Artois", phone="03 21 23 24 24"),
        )
        store.put(
            "clients",
            new_record(
                "clients",
                id="c-fleur",
                name="Fleuriste Roussel",
                trade="Fleuriste",
                commune="Arras",
                contacts=[
                    {"id": "p1", "name": "Claire Roussel", "role": "owner", "consent": consent}
                ],
            ),
        )
        store.put(
            "clients",
            new_record(
                "clients",
                id="c-garage",
                name="Garage | Petit *Auto*",
                contacts=[{"id": "p2", "name": "", "role": "employee", "consent": {}}],
            ),
        )
        store.put("clients", new_record("clients", id="c-bakery", name="Boulangerie Martin"))
        store.put(
            "workshops",
            new_record(
                "workshops",
                id="w-maps",
                title="Être trouvé sur Google Maps",
                date="2026-11-20",
                duration_min=90,
                level="beginner",
                place_structure_id="s-cci",
                themes=["online_presence", "security"],
                mediators=["Sam Dupont"],
                notes="Fiche créée en direct.\nVérifier les horaires.",
                participants=[
                    {"id": "x1", "client_id": "c-fleur", "contact_id": "p1", "attended": True},
                    {"id": "x2", "client_id": "c-garage", "contact_id": "p2", "attended": False},
                    {"id": "x3", "client_id": "c-bakery", "contact_id": None, "attended": None},
                ],
                anonymous_count=2,
            ),
        )
        store.put(
            "aids",
            new_record(
                "aids",
                id="a-cheque",
                name="Chèque numérique",
                structure_id="s-cci",
                verified_on="2026-01-10",
                how_to_apply="Dossier en ligne",
            ),
        )
        for action in (
            dict(
                id="k1",
                title="Créer la fiche Google",
                need="online_presence",
                owner="business",
                due_date="2026-12-01",
                priority="high",
                status="done",
            ),
            dict(
                id="k2",
                title="Demander le chèque",
                aid_id="a-cheque",
                owner="partner",
                owner_structure_id="s-cci",
                due_date="2026-12-15",
            ),
            dict(
                id="k3",
                title="Sauvegardes automatiques",
                solution="Disque externe",
                owner="mediator",
                priority="low",
                status="in_progress",
            ),
            dict(id="k4", title="Site vitrine", status="abandoned"),
        ):
            store.put("actions", new_record("actions", client_id="c-fleur", **action))
        store.put(
            "sessions",
            new_record(
                "sessions", client_id="c-fleur", date="2026-06-02", maturity={"online_presence": 1}
            ),
        )
        store.put(
            "sessions",
            new_record(
                "sessions", client_id="c-fleur", date="2026-11-20", maturity={"online_presence": 3}
            ),
        )
    return db


def _pdf_text(path: Path) -> str:
    """The text of the first page, cells wrapped over lines joined again."""
    text = pypdf.PdfReader(io.BytesIO(path.read_bytes())).pages[0].extract_text()
    return " ".join(text.split())


def _golden(name: str, text: str) -> None:
    golden = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("document", "golden"), [("sheet", "attendance.md.j2.md"), ("recap", "workshop_recap.md.j2.md")]
)
def test_workshop_documents_golden(
    filled_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], document: str, golden: str
) -> None:
    """The recap says how to reach the mediator, as the summary does (acceptance finding
    NEW3-29: « demandez à votre médiateur », with no phone or e-mail)."""
    from tpe_tui.services.config import Config

    Config(
        mediator="Claire Médiatrice",
        mediator_structure="Tiers-lieu La Fabrique",
        mediator_phone="03 23 45 67 89",
        mediator_email="claire@fabrique.fr",
    ).save()
    out = tmp_path / f"{document}.md"
    assert (
        main(
            [
                "workshop",
                document,
                "w-ma",
                "--db",
                str(filled_db),
                "--format",
                "md",
                "--output",
                str(out),
            ]
        )
        == 0
    )
    assert f"Enregistré : {out}" in capsys.readouterr().out
    _golden(golden, out.read_text(encoding="utf-8"))


def test_attendance_sheet_pdf_lists_people_only_with_consent(filled_db: Path) -> None:
    assert main(["workshop", "sheet", "w-maps", "--db", str(filled_db)]) == 0
    (pdf,) = Path(os.environ["XDG_DOCUMENTS_DIR"]).rglob("*emargement-*.pdf")
    text = _pdf_text(pdf)
    assert "Feuille d’émargement" in text and "Signature" in text
    assert "Claire Roussel" in text and "Garage | Petit *Auto*" in text


def test_plan_golden_and_formats(
    filled_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["plan", "c-fl", "--db", str(filled_db)]) == 0
    _golden("plan.md.j2.md", capsys.readouterr().out)
    assert main(["plan", "c-fleur", "--db", str(filled_db), "--format", "html"]) == 0
    assert "<table>" in capsys.readouterr().out
    out = tmp_path / "plan.pdf"
    assert (
        main(["plan", "c-fleur", "--db", str(filled_db), "--format", "pdf", "--output", str(out)])
        == 0
    )
    text = _pdf_text(out)
    assert "Plan d’actions numérique" in text and "Demander le chèque" in text


def test_unknown_ids_are_one_french_sentence(
    filled_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["plan", "zzz", "--db", str(filled_db)]) == 1
    assert "Aucune entreprise ne correspond à « zzz »" in capsys.readouterr().err
    assert main(["workshop", "sheet", "c", "--db", str(filled_db)]) == 1
    assert "Aucun atelier ne correspond" in capsys.readouterr().err


def test_plan_takes_a_business_name_and_lists_namesakes_with_their_ids(
    filled_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Acceptance finding NEW5-7 (b): `plan girard` said « Aucune entreprise ne correspond »
    while the id it wanted is shown nowhere in the app."""
    assert main(["plan", "roussel", "--db", str(filled_db)]) == 0
    assert "Fleuriste Roussel" in capsys.readouterr().out
    with open_store(filled_db) as store:
        store.put("clients", new_record("clients", id="c-roussel2", name="Roussel Électricité"))
    assert main(["plan", "Roussel", "--db", str(filled_db)]) == 1
    err = capsys.readouterr().err
    assert "« Roussel » correspond à 2 entreprises" in err
    assert "  c-fleur  Fleuriste Roussel (Arras)\n  c-rousse  Roussel Électricité" in err
    assert main(["plan", "electricite", "--db", str(filled_db)]) == 0  # accents ignored
    assert "Roussel Électricité" in capsys.readouterr().out


def test_aids_command_round_trip(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "aides.csv"
    source.write_text(
        "nom,offres,besoins\nPass numérique,Formation,online_presence\n", encoding="utf-8"
    )
    assert main(["aids", "import", str(source), "--db", str(db)]) == 0
    assert "1 aide(s) ajoutée(s)" in capsys.readouterr().out
    out = tmp_path / "export.csv"
    assert main(["aids", "export", str(out), "--db", str(db)]) == 0
    assert "Pass numérique,,training,,,,online_presence" in out.read_text(encoding="utf-8")


def test_a_workshop_document_onto_the_data_file_in_use_is_refused(
    filled_db: Path, tmp_path: Path
) -> None:
    """`--db other.json workshop sheet ID --output other.json` wrote the sheet over the
    data file in use (only the default data file was protected; seen by fixes5a)."""
    other = tmp_path / "autre.json"
    shutil.copyfile(filled_db, other)
    before = other.read_bytes()
    for document, fmt in (("sheet", "pdf"), ("recap", "md")):
        args = ["workshop", document, "w-maps", "--format", fmt, "--output", str(other)]
        assert main([*args, "--db", str(other)]) == 2
        assert other.read_bytes() == before
    folder = tmp_path / "dossier"
    folder.mkdir()
    assert main(["workshop", "recap", "w-maps", "--output", str(folder), "--db", str(other)]) == 0
    assert [p.suffix for p in folder.iterdir()] == [".pdf"]
