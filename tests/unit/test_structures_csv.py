"""CSV import/export of the directory: encodings, separators, bad rows, re-import."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import PYTHON, subprocess_env
from tests.helpers import open_store
from tpe_tui.domain import structures_csv
from tpe_tui.domain.errors import ImportFileError
from tpe_tui.domain.records import new_record
from tpe_tui.services import structures as directory_service
from tpe_tui.services.sync import import_file
from tpe_tui.services.workspace import Workspace
from tpe_tui.sync.registers import visible_conflicts

# Columns of the national open-data standard for digital-mediation places (extract).
OPEN_DATA = (
    "id,pivot,nom,commune,code_postal,code_insee,adresse,complement_adresse,latitude,longitude,"
    "typologie,telephone,courriels,site_web,horaires,presentation_resume,services,date_maj,prise_rdv\n"
    'fs-62001,13002526500013,France Services d’Hénin,Hénin-Beaumont,62110,62427,"1 place Jean Jaurès",'
    "Mairie,50.4211,2.9507,RFS,+33 3 21 08 80 00,accueil@fs-henin.fr,"
    'https://www.henin.fr|https://france-services.gouv.fr,"Mo-Fr 08:30-12:00,13:30-17:00",'
    "Démarches en ligne,Aide aux démarches administratives,2026-09-01,https://rdv.example\n"
    "tl-1,,Tiers-lieu L’Échappée,Arras,62000,,2 rue Gambetta,,,,TIERS_LIEUX,,,,,,,2026-08-01,\n"
    ",,Sans identifiant,Lens,62300,,1 rue A,,,,,,,,,,,2026-08-01,\n"
    "bad-phone,,Cyber-base,Calais,62100,,3 rue B,,,,EPN,12345,,,,,,2026-08-01T10:00:00,\n"
    'bad-geo,00000000000000,Médiathèque,Liévin,62800,,4 rue C,,"abc",2.7,BIB,,,,,,,2026-08-01,\n'
    'bad-mail,123,Mairie de Soissons,Soissons,02200,,5 rue D,,,,MUNI,,"mairie@soissons,fr",'
    "www.soissons,,,,2026-08-01,\n"
    "no-date,,Chambre,Arras,62000,,6 rue E,,,,CCONS,,,,,,,hier,\n"
    "bad-postal,,Asso,Arras,6200,,7 rue F,,,,ASSO,,,,,,,2026-08-01,\n"
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
        text = text.replace(",", ";").replace("mairie@soissons;fr", "mairie@soissons,fr")
        text = text.replace("Mo-Fr 08:30-12:00;13:30-17:00", "Mo-Fr 08:30-12:00,13:30-17:00")
    path = tmp_path / "lieux.csv"
    path.write_bytes(text.encode(encoding))
    result = _import(db, path)
    assert (result.created, result.updated) == (5, 0)
    # Refused only for the standard's mandatory fields…
    assert result.errors == [
        (4, "champ obligatoire « id » vide"),
        (8, "date_maj « hier » invalide (AAAA-MM-JJ)"),
        (9, "code_postal « 6200 » invalide (5 chiffres)"),
    ]
    # …a bad optional value is dropped, said for its line, and the place imported.
    assert result.warnings == [
        (5, "téléphone « 12345 » ignoré (numéro invalide)"),
        (6, "latitude « abc » ignorée (pas un nombre)"),
        (7, "SIRET « 123 » ignoré (14 chiffres attendus)"),
        (7, "e-mail « mairie@soissons,fr » ignoré (adresse invalide)"),
        (7, "site web « www.soissons » ignoré (adresse http(s)://… attendue)"),
    ]
    assert "ligne 5 : téléphone « 12345 » ignoré (numéro invalide)" in "\n".join(result.lines())
    assert result.ignored_columns == ["prise_rdv"]
    places = {s["source_id"]: s for s in _structures(db)}
    henin = places["fs-62001"]
    assert henin["name"] == "France Services d'Hénin" and henin["kind"] == "france_services"
    assert (henin["siret"], henin["insee_code"], henin["latitude"]) == (
        "13002526500013",
        "62427",
        50.4211,
    )
    assert henin["phone"] == "03 21 08 80 00"  # +33 shown in the national form
    assert henin["websites"] == "https://www.henin.fr | https://france-services.gouv.fr"
    assert henin["opening_hours"] == "Mo-Fr 08:30-12:00,13:30-17:00"
    assert henin["helps_with"] == "Démarches en ligne"
    assert places["tl-1"]["kind"] == "tiers_lieu" and places["tl-1"]["commune"] == "Arras"
    assert (places["bad-phone"]["kind"], places["bad-phone"]["phone"]) == ("epn", "")
    assert (places["bad-geo"]["kind"], places["bad-geo"]["siret"]) == ("BIB", "")  # kept
    assert places["bad-mail"]["kind"] == "council" and places["bad-mail"]["emails"] == ""
    # Each gets the territory its commune, postal code or département belongs to.
    assert {k: p["territory"] for k, p in places.items()} == {
        "fs-62001": "",  # Hénin-Beaumont: none of ours
        "tl-1": "Arras",
        "bad-phone": "Calais",
        "bad-geo": "",
        "bad-mail": "Soissons",
    }


def test_reimport_updates_instead_of_duplicating(db: Path, tmp_path: Path) -> None:
    path = tmp_path / "lieux.csv"
    path.write_text(OPEN_DATA, encoding="utf-8")
    _import(db, path)
    path.write_text(OPEN_DATA.replace("+33 3 21 08 80 00", "03 21 08 80 99"), encoding="utf-8")
    again = _import(db, path)
    assert (again.created, again.updated, again.unchanged) == (0, 1, 4)
    phones = {s["source_id"]: s["phone"] for s in _structures(db)}
    assert (phones["fs-62001"], phones["tl-1"]) == ("03 21 08 80 99", "")


def test_our_export_imports_back_unchanged_and_into_another_file(db: Path, tmp_path: Path) -> None:
    path = tmp_path / "lieux.csv"
    path.write_text(OPEN_DATA, encoding="utf-8")
    _import(db, path)
    with open_store(db) as store:
        ours = store.records("structures")
        s = next(r for r in ours if r["kind"] == "tiers_lieu")
        store.put("structures", {**s, "territory": "Arras", "notes": 'Accès "PMR", parking'})
        directory_service.export_csv(Workspace(store), tmp_path / "export.csv")
    assert _import(db, tmp_path / "export.csv").unchanged == 5
    other = tmp_path / "autre.json"
    result = _import(other, tmp_path / "export.csv")
    assert (result.created, result.errors, result.warnings) == (5, [], [])
    copied = {s["name"]: s for s in _structures(other)}
    assert copied["Tiers-lieu L’Échappée"]["notes"] == 'Accès "PMR", parking'
    assert copied["Tiers-lieu L’Échappée"]["territory"] == "Arras"


def test_kinds_from_codes_labels_and_national_typologies() -> None:
    from tpe_tui.domain.catalog import catalog

    kind = structures_csv.kind_of
    assert kind("cma") == "cma" and kind("Expert-comptable") == "accountant"
    national = ("RFS", "CCONS", "TIERS_LIEUX", "EPN", "ASSO", "MUNI", "OF", "FABLAB")
    assert [kind(code) for code in national] == [
        "france_services",
        "chamber",
        "tiers_lieu",
        "epn",
        "association",
        "council",
        "training_body",
        "tiers_lieu",
    ]
    assert kind("BIB;RFS") == "france_services"  # the first code we map
    assert kind("rfs") == "france_services"
    assert kind("Espace France Services de Lens") == "france_services"  # a word, not a code
    # An unknown code is kept and shown as itself (a national one by its national name).
    assert (kind("BIB"), catalog().label("structure_kinds", "BIB")) == (
        "BIB",
        "Bibliothèque, médiathèque",
    )
    assert (kind("NOUVEAU_CODE"), catalog().label("structure_kinds", "NOUVEAU_CODE")) == (
        "NOUVEAU_CODE",
        "NOUVEAU_CODE",
    )
    assert kind("") == "other"


def test_a_national_file_without_a_mandatory_column_is_refused_whole(
    db: Path, tmp_path: Path
) -> None:
    path = tmp_path / "lieux.csv"
    path.write_text("id,nom,commune,code_postal,date_maj\nx,A,Arras,62000,2026-01-01\n")
    with pytest.raises(ImportFileError, match="obligatoires : adresse"):
        _import(db, path)
    assert _structures(db) == []


def test_territories_from_commune_postal_code_or_departement() -> None:
    from tpe_tui.domain.territories import territory_of
    from tpe_tui.services.config import Config

    areas = Config().territory_areas()
    assert territory_of({"commune": "Saint-Laurent-Blangy"}, areas) == "Arras"
    assert territory_of({"commune": "Calais Nord", "postal_code": "62100"}, areas) == "Calais"
    # Département 02 is not all Soissons: a place elsewhere in the Aisne gets no territory.
    for commune, postal in (("Laon", "02000"), ("Hirson", "02500"), ("Château-Thierry", "02400")):
        assert territory_of({"commune": commune, "postal_code": postal}, areas) == ""
    # 02200 is shared with communes outside GrandSoissons (Chaudun): the commune decides.
    assert territory_of({"commune": "Chaudun", "postal_code": "02200"}, areas) == ""
    assert territory_of({"commune": "Belleu", "postal_code": "02200"}, areas) == "Soissons"
    # A namesake in another département is not taken in; without codes the name decides.
    assert territory_of({"commune": "Pommiers", "postal_code": "02200"}, areas) == "Soissons"
    assert territory_of({"commune": "Pommiers", "postal_code": "38340"}, areas) == ""
    assert territory_of({"commune": "Athies", "insee_code": "80034"}, areas) == ""
    assert territory_of({"commune": "Pommiers"}, areas) == "Soissons"
    assert territory_of({"commune": "", "postal_code": "62000"}, areas) == "Arras"
    assert territory_of({"commune": "Lens", "postal_code": "62300"}, areas) == ""  # 62: two
    mine = Config(territories={"Artois": ["62"], "Lens": ["Lens"]}).territory_areas()
    assert territory_of({"commune": "Lens", "postal_code": "62300"}, mine) == "Lens"
    assert territory_of({"commune": "Liévin", "postal_code": "62800"}, mine) == "Artois"
    assert (
        territory_of(
            {"commune": "X", "postal_code": "20000", "insee_code": "2A004"},
            {"Corse-du-Sud": ["2A"]},
        )
        == "Corse-du-Sud"
    )
    assert Config(territories="nonsense").territory_areas() == areas  # type: ignore[arg-type]


@given(st.sampled_from(["Arras", "Calais", "Soissons"]), st.text(max_size=6))
def test_a_listed_commune_wins_over_any_postal_code_of_its_departement(
    territory: str, postal: str
) -> None:
    from tpe_tui.domain.catalog import catalog
    from tpe_tui.domain.territories import territory_of

    areas = catalog().territory_areas()
    commune, dept = areas[territory][0].rstrip(")").split(" (")
    if len(postal.strip()) == 5:  # a code that names a département: the commune's
        postal = dept + postal.strip()[2:]
    assert territory_of({"commune": commune.upper(), "postal_code": postal}, areas) == territory


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
    assert out.returncode == 1 and "ligne 4 : champ obligatoire « id » vide" in out.stdout
    assert "ligne 5 : téléphone « 12345 » ignoré" in out.stdout
    assert len(_structures(db)) == 5


def test_two_laptops_importing_the_same_national_file_hold_each_place_once(tmp_path: Path) -> None:
    path = tmp_path / "lieux.csv"
    path.write_text(OPEN_DATA, encoding="utf-8")
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    with open_store(a, "laptop-a") as store:
        directory_service.import_csv(Workspace(store), path)
    with open_store(b, "laptop-b") as store:
        directory_service.import_csv(Workspace(store), path)
    with open_store(a, "laptop-a") as store:
        import_file(store, b)
    with open_store(b, "laptop-b") as store:
        import_file(store, a)
        # Re-importing after the sync still updates, whoever created the record.
        again = directory_service.import_csv(Workspace(store), path)
    assert (again.created, again.updated) == (0, 0)
    for db in (a, b):
        names = [s["name"] for s in _structures(db)]
        assert len(names) == len(set(names)) == 5, names
    by_source = {s["source_id"]: s["id"] for s in _structures(a)}
    assert by_source == {s["source_id"]: s["id"] for s in _structures(b)}
    with open_store(a, "laptop-a") as store:  # the same values on both sides: no conflict
        joined = [store.get("structures", i) for i in by_source.values()]
        assert [visible_conflicts("structures", s) for s in joined] == [{}] * 5


def test_unreadable_opening_hours_are_kept_and_said(db: Path, tmp_path: Path) -> None:
    """NEW3-13: « not-a-valid-hours [[[ » was stored and shown without a word."""
    path = tmp_path / "lieux.csv"
    path.write_text(
        "id;nom;commune;code_postal;adresse;horaires;date_maj\n"
        "h-1;Mairie;Arras;62000;1 place;not-a-valid-hours [[[;2026-08-01\n"
        'h-2;Médiathèque;Arras;62000;2 rue;"Mo-Fr 09:00-12:00,14:00-17:00; Sa 09:30-12:00";'
        "2026-08-01\n",
        encoding="utf-8",
    )
    result = _import(db, path)
    assert result.warnings == [
        (
            2,
            "horaires « not-a-valid-hours [[[ » gardés tels quels (syntaxe OpenStreetMap "
            "non reconnue)",
        )
    ]
    kept = {s["source_id"]: s["opening_hours"] for s in _structures(db)}
    assert kept["h-1"] == "not-a-valid-hours [[["


def test_a_business_gets_the_territory_of_its_commune_never_over_a_typed_one(
    db: Path,
) -> None:
    """NEW4-25: a business typed with a catalogue commune gets its territory when saved, as
    a place of the directory does; one the mediator typed, or emptied, is hers."""
    from tpe_tui.domain.territories import with_territory
    from tpe_tui.services.config import Config

    areas = Config().territory_areas()
    old = {"commune": "Soissons", "territory": "Soissons"}
    for place, previous, expected in (
        ({"commune": "Belleu"}, None, "Soissons"),  # new: derived
        ({"commune": "Belleu", "territory": "Laon"}, None, "Laon"),  # typed with it
        ({"commune": "Hirson", "postal_code": "02500"}, None, ""),  # in none: no guess
        ({"commune": "Arras", "territory": "Soissons"}, old, "Arras"),  # follows its commune
        ({"commune": "Arras", "territory": "Laon"}, old, "Laon"),  # typed in this edit
        ({"commune": "Arras", "territory": ""}, old, ""),  # emptied in this edit
        ({"commune": "Lens", "territory": "Soissons"}, old, "Soissons"),  # Lens: none
        ({"commune": "Soissons", "territory": ""}, {"commune": "Soissons"}, ""),  # emptied
        ({"commune": "Calais", "territory": "Laon"}, {**old, "territory": "Laon"}, "Laon"),
    ):
        got = with_territory(place, previous, areas)
        assert str(got.get("territory") or "") == expected, (place, previous)
    with open_store(db) as store:
        workspace = Workspace(store)
        saved = workspace.save_client(new_record("clients", name="Fleuriste", commune="Arras"))
        assert saved["territory"] == "Arras"
        moved = workspace.save_client({**saved, "commune": "Calais", "postal_code": "62100"})
        assert store.get("clients", saved["id"])["territory"] == moved["territory"] == "Calais"


def test_reimport_corrects_territories_the_old_default_gave(db: Path, tmp_path: Path) -> None:
    """Places imported while the whole Aisne counted as « Soissons » kept it, and importing
    the same file again said « inchangée(s) ». The territory's origin is not recorded: one
    the old default alone gives is corrected and listed; another choice stays."""
    path = tmp_path / "nat.csv"
    path.write_text(
        "id,nom,commune,code_postal,typologie\n"
        "t1,Mairie de Soissons,Soissons,02200,MUNI\n"
        "t2,CCI Aisne,Laon,02000,CCI\n"
        "t3,Asso,Château-Thierry,02400,ASSO\n",
        encoding="utf-8",
    )
    _import(db, path)
    with open_store(db) as store:  # as imported before 83c697e, and one chosen by hand
        for place in store.records("structures"):
            old = {"t2": "Soissons", "t3": "Château"}.get(place["source_id"])
            if old:
                store.put("structures", {**place, "territory": old})
    again = _import(db, path)
    assert (again.created, again.updated, again.unchanged) == (0, 1, 2)
    assert again.lines()[-2:] == [
        "1 territoire(s) corrigé(s) : l’ancien réglage comptait tout le département de "
        "l’Aisne pour « Soissons ». Si l’un d’eux avait été choisi à la main, remettez-le "
        "dans l’annuaire :",
        "  CCI Aisne : « Soissons » → aucun",
    ]
    territories = {s["source_id"]: s["territory"] for s in _structures(db)}
    assert territories == {"t1": "Soissons", "t2": "", "t3": "Château"}
    assert _import(db, path).unchanged == 3
