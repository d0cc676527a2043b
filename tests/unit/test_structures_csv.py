"""CSV import/export of the directory: encodings, separators, bad rows, re-import."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.conftest import PYTHON, subprocess_env
from tests.helpers import open_store
from tpe_tui.domain import structures_csv
from tpe_tui.domain.errors import ImportFileError
from tpe_tui.services import structures as directory_service
from tpe_tui.services.workspace import Workspace

# Columns of the national open-data standard for digital-mediation places (extract).
OPEN_DATA = (
    "id,pivot,nom,commune,code_postal,code_insee,adresse,complement_adresse,latitude,longitude,"
    "typologie,telephone,courriels,site_web,horaires,presentation_resume,services,date_maj,prise_rdv\n"
    'fs-62001,13002526500013,France Services d’Hénin,Hénin-Beaumont,62110,62427,"1 place Jean Jaurès",'
    "Mairie,50.4211,2.9507,FRANCE_SERVICES,03 21 08 80 00,accueil@fs-henin.fr,"
    'https://www.henin.fr|https://france-services.gouv.fr,"Mo-Fr 08:30-12:00,13:30-17:00",'
    "Démarches en ligne,Aide aux démarches administratives,2026-09-01,https://rdv.example\n"
    "tl-1,,Tiers-lieu L’Échappée,Arras,62000,,,,,,TIERS_LIEUX,,,,,,,,\n"
    ",,,Lens,62300,,,,,,,,,,,,,,\n"
    "bad-phone,,Cyber-base,Lens,62300,,,,,,,12,,,,,,,\n"
    'bad-geo,,Médiathèque,Liévin,62800,,,,"abc",2.7,,,,,,,,,\n'
    'bad-mail,,Mairie de Liévin,Liévin,62800,,,,,,MUNI,,"mairie@lievin,fr",,,,,,\n'
)


def _import(db: Path, csv_path: Path) -> directory_service.ImportResult:
    with open_store(db) as store:
        return directory_service.import_csv(Workspace(store), csv_path)


def _structures(db: Path) -> list[dict]:
    with open_store(db) as store:
        return sorted(store.records("structures"), key=lambda s: s["name"])


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "latin-1"])
@pytest.mark.parametrize("separator", [",", ";"])
def test_open_data_file_in_any_encoding_and_separator(
    db: Path, tmp_path: Path, encoding: str, separator: str
) -> None:
    text = OPEN_DATA.replace("’", "'")  # Latin-1 has no typographic apostrophe
    if separator == ";":
        text = text.replace(",", ";").replace("mairie@lievin;fr", "mairie@lievin,fr")
        text = text.replace("Mo-Fr 08:30-12:00;13:30-17:00", "Mo-Fr 08:30-12:00,13:30-17:00")
    path = tmp_path / "lieux.csv"
    path.write_bytes(text.encode(encoding))
    result = _import(db, path)
    assert (result.created, result.updated) == (2, 0)
    assert result.errors == [
        (4, "le nom est vide"),
        (5, "Numéro de téléphone invalide (exemple : 03 21 00 00 00)"),
        (6, "la latitude n’est pas un nombre"),
        (7, "Adresse e-mail invalide (exemple : nom@domaine.fr)"),
    ]
    assert result.ignored_columns == ["prise_rdv"]
    henin, tiers = _structures(db)
    assert henin["name"] == "France Services d'Hénin" and henin["kind"] == "france_services"
    assert (henin["siret"], henin["insee_code"], henin["latitude"]) == (
        "13002526500013",
        "62427",
        50.4211,
    )
    assert henin["websites"] == "https://www.henin.fr | https://france-services.gouv.fr"
    assert henin["opening_hours"] == "Mo-Fr 08:30-12:00,13:30-17:00"
    assert henin["helps_with"] == "Démarches en ligne" and henin["source_id"] == "fs-62001"
    assert tiers["kind"] == "tiers_lieu" and tiers["commune"] == "Arras"


def test_reimport_updates_instead_of_duplicating(db: Path, tmp_path: Path) -> None:
    path = tmp_path / "lieux.csv"
    path.write_text(OPEN_DATA, encoding="utf-8")
    _import(db, path)
    path.write_text(OPEN_DATA.replace("03 21 08 80 00", "03 21 08 80 99"), encoding="utf-8")
    again = _import(db, path)
    assert (again.created, again.updated, again.unchanged) == (0, 1, 1)
    assert [s["phone"] for s in _structures(db)] == ["03 21 08 80 99", ""]


def test_our_export_imports_back_unchanged_and_into_another_file(db: Path, tmp_path: Path) -> None:
    path = tmp_path / "lieux.csv"
    path.write_text(OPEN_DATA, encoding="utf-8")
    _import(db, path)
    with open_store(db) as store:
        ours = store.records("structures")
        s = next(r for r in ours if r["kind"] == "tiers_lieu")
        store.put("structures", {**s, "territory": "Arras", "notes": 'Accès "PMR", parking'})
        directory_service.export_csv(Workspace(store), tmp_path / "export.csv")
    assert _import(db, tmp_path / "export.csv").unchanged == 2
    other = tmp_path / "autre.json"
    result = _import(other, tmp_path / "export.csv")
    assert (result.created, result.errors) == (2, [])
    copied = {s["name"]: s for s in _structures(other)}
    assert copied["Tiers-lieu L’Échappée"]["notes"] == 'Accès "PMR", parking'
    assert copied["Tiers-lieu L’Échappée"]["territory"] == "Arras"


def test_kinds_from_codes_labels_and_typologies() -> None:
    assert structures_csv.kind_of("cma") == "cma"
    assert structures_csv.kind_of("Expert-comptable") == "accountant"
    assert structures_csv.kind_of("ASSO;MUNI") == "council"
    assert structures_csv.kind_of("Something else") == "other"


def test_a_file_that_is_not_a_directory_is_refused_and_nothing_imported(
    db: Path, tmp_path: Path
) -> None:
    path = tmp_path / "x.csv"
    path.write_text("date,montant\n2026-01-01,12\n", encoding="utf-8")
    with pytest.raises(ImportFileError, match="Colonne « nom » introuvable"):
        _import(db, path)
    assert _structures(db) == []
    env = subprocess_env()
    out = subprocess.run(
        [PYTHON, "-m", "tpe_tui", "structures", "import", str(path), "--db", str(db)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert out.returncode == 2 and "introuvable" in out.stderr and "Traceback" not in out.stderr
    good = tmp_path / "lieux.csv"
    good.write_text(OPEN_DATA, encoding="utf-8")
    out = subprocess.run(
        [PYTHON, "-m", "tpe_tui", "structures", "import", str(good), "--db", str(db)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    # Good rows are in; the refused ones are listed and the exit code says so.
    assert out.returncode == 1 and "ligne 4 : le nom est vide" in out.stdout
    assert len(_structures(db)) == 2
