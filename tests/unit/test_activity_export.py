"""The national-shape export: the mapping covers our catalogue, files read back right."""

from __future__ import annotations

import csv
import io
import os
from datetime import date
from pathlib import Path

import openpyxl
import orjson
import pytest

from tests import stats_data
from tpe_tui.documents import report
from tpe_tui.domain import national as nat
from tpe_tui.domain.catalog import catalog, national
from tpe_tui.domain.stats import Filters, Period, gather
from tpe_tui.services import stats as service

OCTOBER = Filters(Period(date(2026, 10, 1), date(2026, 10, 31)))
GOLDEN = Path(__file__).parent.parent / "golden"


@pytest.mark.parametrize(
    ("kind", "table", "national_values"),
    [
        ("place_kinds", "place_kind_to_canal", "canaux"),
        ("equipment", "equipment_to_materiel", "materiel"),
        ("autonomy_levels", "autonomy_to_autonomie", "autonomie"),
        ("structure_kinds", "structure_kind_to_redirection", "structures_redirection"),
    ],
)
def test_every_code_of_our_catalogue_maps_to_a_national_value(
    kind: str, table: str, national_values: str
) -> None:
    mapping = national()
    assert set(mapping[table]) == set(catalog().codes(kind))
    assert set(mapping[table].values()) <= set(mapping[national_values])


@pytest.mark.parametrize(
    ("kind", "table"),
    [("needs", "need_to_thematiques"), ("operational_topics", "topic_to_thematiques")],
)
def test_every_need_and_topic_maps_to_known_thematiques(kind: str, table: str) -> None:
    mapping = national()
    assert set(mapping[table]) == set(catalog().codes(kind))
    for values in mapping[table].values():
        assert set(values) <= set(mapping["thematiques"])


def test_chambers_go_to_the_category_that_names_them() -> None:
    for kind in ("cci", "cma"):
        category = nat.redirection_category(kind)
        assert category == "insertion_professionnelle"
        assert "chambre de commerce" in national()["structures_redirection"][category]
    assert nat.redirection_category("unknown-kind") == "autre"


def test_thematiques_always_professional_plus_diagnostic_when_assessed() -> None:
    assert nat.thematiques({}) == ["entrepreneuriat"]
    assessed = {"skills": {"information_data": 2}, "needs": ["admin_procedures"]}
    assert nat.thematiques(assessed) == [
        "diagnostic_numerique",
        "entrepreneuriat",
        "aide_aux_demarches_administratives",
    ]
    assert nat.canal({"place_kind": "premises"}) == "autre"
    assert nat.canal({"place_kind": "other", "place_structure_id": "x"}) == "lieu_activite"
    assert nat.canal({"place_kind": "remote"}) == "a_distance"


def _records() -> dict[str, dict]:
    data = stats_data.build()
    sessions = {s["id"]: s for s in data["sessions"].values()}
    clients = {c["id"]: c for c in data["clients"].values()}
    return {"data": data, "sessions": sessions, "clients": clients}


def _read_xlsx(path: Path) -> tuple[list[list], list[str], list[list]]:
    sheet = openpyxl.load_workbook(path).active
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    start = next(i for i, row in enumerate(values) if row[0] == "Date")
    return values[:start], list(values[start]), values[start + 1 :]


def test_xlsx_reads_back_with_headers_order_and_values(tmp_path: Path) -> None:
    rec = _records()
    target = tmp_path / "activites.xlsx"
    service.write_export(
        nat.export_rows(rec["data"], OCTOBER), OCTOBER, target, author="Hugo Perrin"
    )
    preamble, headers, rows = _read_xlsx(target)
    assert preamble[0][0] == "Informations export"
    # 5 individual accompaniments, and the workshop of 20/10: one row per participant (4).
    assert preamble[1][:2] == ["Nom", "Perrin"] and preamble[4][:2] == ["Total", 9]
    assert any(row[0] == "Filtres" for row in preamble)
    assert ["Période", "du 01/10/2026 au 31/10/2026"] in [row[:2] for row in preamble]
    assert headers == nat.headers()
    assert headers[:3] == ["Date", "Enregistré le", "Dernière modification le"]
    assert headers.index("ID CRA") + 1 == headers.index("SIRET")  # ours after its last one
    assert len(rows) == 9
    types = [row[headers.index("Type")] for row in rows]
    assert types.count("Atelier collectif") == 4
    by_id = {
        row[headers.index("ID CRA")]: dict(zip(headers, row, strict=True))
        for row in rows
        if row[headers.index("Type")] == "Accompagnement individuel"
    }
    assert len(by_id) == 5
    dates = [row[0].date() for row in rows]
    assert dates == sorted(dates)
    for session_id, row in by_id.items():
        session = rec["sessions"][session_id]
        client = rec["clients"][session["client_id"]]
        assert row["Date"].date().isoformat() == session["date"]
        assert row["Durée (min)"] == session["duration_min"]
        assert row["Type"] == "Accompagnement individuel"
        assert row["Bénéficiaire"] == client["name"]
        assert row["Genre du bénéficiaire"] == "Non communiqué"
        assert "Accompagner un professionnel" in row["Thématique(s) d’accompagnement"]
    c = next(r for r in by_id.values() if r["Raison sociale"] == "Garage Dufour")
    assert c["Canaux d’accompagnement"] == "À distance"
    assert c["Niveau d’autonomie (ou de l’atelier)"] == "2/3"
    assert c["Bénéficiaire réorienté"] == "Oui"
    assert c["Structure de redirection"].startswith("Structure d’insertion professionnelle")
    assert c["Thématique(s) d’accompagnement"].split("\n") == [
        "Diagnostic numérique",
        "Gérer ses contenus numériques",
        "Bureautique",
        "Accompagner un professionnel",
        "Aide aux démarches administratives",
    ]
    assert c["Notes supplémentaires"] == "Rappeler après le salon"
    assert (
        c["Premier accompagnement de l’entreprise"] == "Oui" and c["Rang de l’accompagnement"] == 1
    )
    a = next(r for r in by_id.values() if r["Raison sociale"] == "Boulangerie Martin")
    assert (a["Nom du lieu"], a["Code Insee"]) == ("Tiers-lieu La Fabrique", "62041")
    assert a["Canaux d’accompagnement"] == "Lieu d’activité"
    assert (
        a["Premier accompagnement de l’entreprise"] == "Non" and a["Rang de l’accompagnement"] == 2
    )
    b_last = next(r for r in by_id.values() if r["Date"].date() == date(2026, 10, 31))
    assert b_last["Canaux d’accompagnement"] == "Autre lieu" and b_last["Commune"] == "Calais"
    assert b_last["Maturité (avant → après)"] == "Présence en ligne : 1 → 3"
    assert b_last["Suivi prévu le"].date() == date(2026, 11, 10)
    assert b_last["Niveau d’autonomie (ou de l’atelier)"] == "3/3"


def test_coordinator_export_names_the_mediator_and_drops_names_and_notes(tmp_path: Path) -> None:
    rec = _records()
    target = tmp_path / "coordination.xlsx"
    rows = nat.export_rows(rec["data"], OCTOBER, coordinator=True)
    service.write_export(rows, OCTOBER, target, coordinator=True)
    _, headers, read = _read_xlsx(target)
    assert headers[3:7] == ["Prénom du médiateur", "Nom du médiateur", "Rôle", "ID - Conum"]
    for name in ("Bénéficiaire", "Notes supplémentaires", "Raison sociale", "SIRET"):
        assert name not in headers
    flat = repr(read)
    assert "Garage Dufour" not in flat and "Rappeler" not in flat
    assert {row[headers.index("Nom du médiateur")] for row in read} == {"Perrin", "Vasseur"}


def test_csv_twin_semicolons_bom_and_api_values(tmp_path: Path) -> None:
    rec = _records()
    target = tmp_path / "activites.csv"
    service.write_export(nat.export_rows(rec["data"], OCTOBER, style="api"), OCTOBER, target)
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    table = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline=""), delimiter=";"))
    headers, rows = table[0], table[1:]
    assert headers == nat.headers() and len(rows) == 9
    c = next(
        dict(zip(headers, r, strict=True))
        for r in rows
        if r[headers.index("Raison sociale")] == "Garage Dufour"
    )
    assert c["Date"] == "2026-10-15" and c["Canaux d’accompagnement"] == "a_distance"
    assert c["Niveau d’autonomie (ou de l’atelier)"] == "partiellement_autonome"
    assert c["Structure de redirection"] == "insertion_professionnelle"
    assert c["Thématique(s) d’accompagnement"].split("\n")[0] == "diagnostic_numerique"
    assert c["Genre du bénéficiaire"] == "non_communique"


def test_golden_report() -> None:
    figures = gather([("", stats_data.build())], OCTOBER, date(2026, 11, 27))
    text = report.render(figures, date(2026, 11, 27)).text
    golden = GOLDEN / "report.md.j2.md"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")
    assert r"Atelier \[/\] Caron" not in text  # names of businesses are not in the report
    assert "| Moins de 30 min | 1 | 17 % |" in text
    assert "| Accompagnements | 9 |" in text and "| dont collectifs (ateliers) | 4 |" in text
    assert "| Chèque numérique (1 dossier(s) déposé(s)) | 2 | 67 % |" in text
    assert "| Faites | 1 | 34 % |" in text


def test_user_report_template_is_used_and_a_broken_one_falls_back(tmp_path: Path) -> None:
    figures = gather([("", stats_data.build())], OCTOBER, date(2026, 11, 27))
    (tmp_path / "report.md.j2").write_text("Total : {{ totals[0].value }}\n", encoding="utf-8")
    assert report.render(figures, date(2026, 11, 27), tmp_path).text == "Total : 9\n"
    (tmp_path / "report.md.j2").write_text("{{ nothing.here }}\n", encoding="utf-8")
    rendered = report.render(figures, date(2026, 11, 27), tmp_path)
    assert rendered.text.startswith("# Bilan d’activité") and rendered.warnings


@pytest.mark.parametrize(
    ("content", "said"),
    [
        (
            "# {{ period }}\n{{ period\n{{ generated }}\n",
            "ligne 3 : erreur de syntaxe, « }} » attendu avant « { »",
        ),
        (
            "{% for s in sections %}\n{{ s.title }}\n",
            "ligne 2 : erreur de syntaxe, le bloc « {% for %} » n’est pas fermé",
        ),
        ("{{ period | majuscules }}", "ligne 1 : erreur de syntaxe, filtre « majuscules » inconnu"),
        (
            "a\n{{ period + 1 }}",
            "ligne 2 : erreur pendant le rendu (opération impossible sur ces valeurs)",
        ),
    ],
)
def test_a_broken_report_template_is_said_in_french_with_its_line(
    tmp_path: Path, content: str, said: str
) -> None:
    """Finding NEW6-7: Jinja's English (« expected token 'end of print statement', got
    '{' ») was printed in the middle of the French message."""
    figures = gather([("", stats_data.build())], OCTOBER, date(2026, 11, 27))
    (tmp_path / "report.md.j2").write_text(content, encoding="utf-8")
    rendered = report.render(figures, date(2026, 11, 27), tmp_path)
    (warning,) = rendered.warnings
    assert said in warning and warning.endswith("Le modèle fourni a été utilisé.")
    assert not {"expected", "got", "token", "unexpected", "filter", "unsupported"} & set(
        warning.replace(",", " ").split()
    )
    assert rendered.text.startswith("# Bilan d’activité")


def test_pdf_report_has_the_figures_and_drawn_charts(tmp_path: Path) -> None:
    import pypdf

    figures = gather([("", stats_data.build())], OCTOBER, date(2026, 11, 27))
    markdown = report.render(figures, date(2026, 11, 27)).text
    target = report.save(markdown, figures, "pdf", tmp_path / "bilan.pdf")
    reader = pypdf.PdfReader(target)
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Bilan d’activité" in text and "Graphiques" in text and "Moins de 30 min" in text
    # The charts are filled rectangles (`re` then `f` in the page's drawing operators).
    charts = next(p for p in reader.pages if "Graphiques" in p.extract_text())
    content = charts.get_contents().get_data()
    assert content.count(b" re f") + content.count(b" re\nf") >= 4


def test_a_visit_at_the_premises_carries_the_business_insee_code(tmp_path: Path) -> None:
    """Finding NEW6-6: canal `autre` (the business's premises) had its commune and postal
    code but an empty « Code Insee », which the national tool asks for that canal."""
    data = stats_data.build()
    clients = {c["name"]: c for c in data["clients"].values()}
    roussel, martin = clients["Fleuriste Roussel"], clients["Boulangerie Martin"]
    roussel |= {"postal_code": "62100", "insee_code": "62193"}
    # Martin holds no code: the directory knows Arras 62000 (its tiers-lieu's).
    extra = [
        stats_data._session(martin, "2026-10-12", 40, place_kind="premises"),
        stats_data._session(
            clients["Imprimerie Lemaire"],
            "2026-10-13",
            50,
            place_kind="other",
            place_label="Salle des fêtes",
        ),
    ]
    data["sessions"] |= {s["id"]: s for s in extra}
    path = tmp_path / "laptop.json"
    path.write_bytes(orjson.dumps(data))
    xlsx, csv_file = tmp_path / "activites.xlsx", tmp_path / "activites.csv"
    _, _, warned = service.export([path], OCTOBER, xlsx)
    _, headers, rows = _read_xlsx(xlsx)
    by_day = {row[0].date().isoformat(): dict(zip(headers, row, strict=True)) for row in rows}
    place = ("Canaux d’accompagnement", "Nom du lieu", "Commune", "Code postal", "Code Insee")
    assert [by_day["2026-10-31"][h] for h in place] == [
        "Autre lieu",
        None,
        "Calais",
        "62100",
        "62193",
    ]
    assert by_day["2026-10-31"]["Code Insee du bénéficiaire"] == "62193"
    assert [by_day["2026-10-12"][h] for h in place] == [
        "Autre lieu",
        None,
        "Arras",
        "62000",
        "62041",
    ]
    # A place typed with no commune: nothing to give; said beside the export, not guessed.
    assert [by_day["2026-10-13"][h] for h in place] == [
        "Autre lieu",
        "Salle des fêtes",
        None,
        None,
        None,
    ]
    assert warned == [
        "1 accompagnement(s) en « Autre lieu » sans commune ou sans code Insee (lieu saisi"
        " hors annuaire, ou entreprise sans code Insee) : l’outil national les demande pour"
        " ce canal, complétez-les en reportant ces lignes."
    ]
    service.export([path], OCTOBER, csv_file, coordinator=True)
    table = list(csv.reader(io.StringIO(csv_file.read_bytes().decode("utf-8-sig")), delimiter=";"))
    start = next(i for i, row in enumerate(table) if row and row[0] == "Date")
    api = [dict(zip(table[start], row, strict=True)) for row in table[start + 1 :]]
    premises = next(r for r in api if r["Date"] == "2026-10-31")
    assert (premises["Canaux d’accompagnement"], premises["Code Insee"]) == ("autre", "62193")


def test_the_pdf_tables_carry_no_text_bar_and_a_zero_prints_nothing(tmp_path: Path) -> None:
    """Finding NEW6-3: in the PDF the text bar wrapped inside its narrow cell (read as two
    bars; the PDF draws its charts anyway), and a 0 row printed an empty code span « `` »
    (in the Markdown too, shown literally by CommonMark viewers)."""
    import pypdf

    figures = gather([("", stats_data.build())], OCTOBER, date(2026, 11, 27))
    markdown = service.render_report(figures, date(2026, 11, 27)).text
    assert "| 1 à 4 | 0 | 0 % | |" in markdown and "``" not in markdown
    assert "| Individuels | 5 | 56 % | `████████████████████` |" in markdown
    target, _ = service.save_report(figures, "pdf", tmp_path / "bilan.pdf", date(2026, 11, 27))
    text = "\n".join(page.extract_text() for page in pypdf.PdfReader(target).pages)
    assert "Individuels" in text and "1 à 4" in text and "56 %" in text
    assert "█" not in text and "`" not in text


def test_the_pdf_gives_figures_narrow_right_aligned_columns(tmp_path: Path) -> None:
    """fpdf2 gave the report's three columns a third of the page each: a place's name
    wrapped (« Tiers-lieu La Fabrique – / Soissons ») beside the room of « 5 »."""
    import pypdf

    from tpe_tui.documents.pdf import _figure_columns
    from tpe_tui.documents.summary import markdown_to_html_body

    html = _figure_columns(
        markdown_to_html_body("| | Nombre | % |\n|---|---:|---:|\n| a | 5 | 56 % |\n")
    )
    assert '<th width="72%"></th>' in html and '<th width="14%" align="right">%</th>' in html
    assert '<td align="right">56 %</td>' in html and "text-align" not in html
    data = stats_data.build()
    place = next(s for s in data["structures"].values() if s["kind"] == "tiers_lieu")
    place["name"] = "Tiers-lieu La Fabrique – Soissons-sur-Aisne"
    figures = gather([("", data)], OCTOBER, date(2026, 11, 27))
    target, _ = service.save_report(figures, "pdf", tmp_path / "bilan.pdf", date(2026, 11, 27))
    lines = "\n".join(p.extract_text() for p in pypdf.PdfReader(target).pages).splitlines()
    assert "Tiers-lieu La Fabrique – Soissons-sur-Aisne 5 56 %" in lines


def _with_a_workshop() -> tuple[dict, dict]:
    data = stats_data.build()
    garage = next(c for c in data["clients"].values() if c["name"] == "Garage Dufour")
    place = next(s for s in data["structures"].values() if s["kind"] == "tiers_lieu")
    workshop = {
        "id": "w-1",
        "title": "Sécuriser ses comptes",
        "themes": ["online_presence", "security"],
        "level": "intermediate",
        "date": "2026-10-20",
        "duration_min": 90,
        "place_structure_id": place["id"],
        "territory": "Arras",
        "mediators": ["Léa Vasseur"],
        "participants": [
            {"id": "p1", "client_id": garage["id"], "attended": True},
            {"id": "p2", "client_id": garage["id"], "attended": False},
        ],
        "anonymous_count": 2,
        "notes": "Salle prêtée",
        "created_at": "2026-10-01T08:00:00Z",
        "updated_at": "2026-10-01T08:00:00Z",
    }
    data["workshops"] = {"1": workshop}
    return data, workshop


def test_workshops_are_one_row_per_participant_of_type_collectif() -> None:
    data, _ = _with_a_workshop()
    rows = [r for r in nat.export_rows(data, OCTOBER) if r[3] == "Atelier collectif"]
    headers = nat.headers()
    # p1 came, p2 was marked absent, two anonymous participants: three rows.
    assert [r[headers.index("Participants")] for r in rows] == ["1/3", "2/3", "3/3"]
    first = dict(zip(headers, rows[0], strict=True))
    assert first["Nom de l’atelier"] == "Sécuriser ses comptes"
    assert first["Niveau d’autonomie (ou de l’atelier)"] == "2/3"
    assert first["Canaux d’accompagnement"] == "Lieu d’activité"
    assert first["Nom du lieu"] == "Tiers-lieu La Fabrique"
    assert (
        first["Bénéficiaire"] == "Garage Dufour"
        and first["Notes supplémentaires"] == "Salle prêtée"
    )
    assert first["Thématique(s) d’accompagnement"].split("\n") == [
        "Réseaux sociaux communication",
        "Accompagner un professionnel",
        "Prévention en sécurité numérique",
    ]
    assert [r[headers.index("Bénéficiaire")] for r in rows[1:]] == ["", ""]
    api = nat.export_rows(data, OCTOBER, style="api", coordinator=True)
    coordinator = nat.headers(True)
    collective = [dict(zip(coordinator, r, strict=True)) for r in api if r[7] == "collectif"]
    assert len(collective) == 3 and collective[0]["Nom du médiateur"] == "Vasseur"


def test_a_named_participant_has_first_accompaniment_rank_and_role_as_a_visit() -> None:
    """Finding NEW6-15: « Premier accompagnement », « Rang » and « Rôle » were empty for
    every workshop participant, while the statistics count a workshop as an accompaniment
    of the business (its first one, for E on 10/09). Anonymous rows stay empty."""
    data = stats_data.build()
    clients = {c["name"]: c for c in data["clients"].values()}
    lemaire = clients["Imprimerie Lemaire"]
    lemaire["contacts"] = [{"id": "k1", "name": "Rose Lemaire", "role": "owner"}]
    for workshop in data["workshops"].values():
        for person in workshop["participants"]:
            if person["client_id"] == lemaire["id"]:
                person["contact_id"] = "k1"
    headers = nat.headers()
    rows = [dict(zip(headers, r, strict=True)) for r in nat.export_rows(data, Filters())]
    tpe = ("Premier accompagnement de l’entreprise", "Rang de l’accompagnement")

    def of(name: str, day: str) -> list[tuple]:
        return [
            (r["Type"], *(r[h] for h in tpe), r["Rôle de l’interlocuteur"])
            for r in rows
            if r["Raison sociale"] == name and r["Date"].isoformat() == day
        ]

    collective = "Atelier collectif"
    assert of("Imprimerie Lemaire", "2026-09-10") == [(collective, "Oui", 1, "Dirigeant(e)")]
    assert of("Imprimerie Lemaire", "2026-10-20") == [(collective, "Non", 2, "Dirigeant(e)")]
    # Garage Dufour: its visit of 15/10, the workshop of 20/10, its visit of 01/11.
    assert [r[1:3] for r in of("Garage Dufour", "2026-10-20")] == [("Non", 2)]
    assert [r[1:3] for r in of("Garage Dufour", "2026-11-01")] == [("Non", 3)]
    anonymous = [r for r in rows if r["Type"] == collective and not r["Raison sociale"]]
    assert len(anonymous) == 3 and {(r[tpe[0]], r[tpe[1]]) for r in anonymous} == {("", "")}


def test_a_folder_export_ranks_a_visit_among_every_file_read(tmp_path: Path) -> None:
    """Finding NEW6-16: a laptop not yet synced holds only Garage Dufour's visit of 01/11;
    the folder's export said « Premier accompagnement : Oui », rang 1 (worked out in that
    file alone) while the report, reading every file, counts the business as followed."""
    import time

    data = stats_data.build()
    garage = next(c for c in data["clients"].values() if c["name"] == "Garage Dufour")
    late = next(
        s
        for s in data["sessions"].values()
        if s["client_id"] == garage["id"] and s["date"] == "2026-11-01"
    )
    alone = {"clients": {"1": garage}, "sessions": {"1": late}}
    older, newer = tmp_path / "laptop-1.json", tmp_path / "laptop-2.json"
    older.write_bytes(orjson.dumps(data))
    newer.write_bytes(orjson.dumps(alone))
    os.utime(older, (time.time() - 60, time.time() - 60))  # laptop-2 is read first
    november = Filters(Period(date(2026, 11, 1), date(2026, 11, 30)))
    target = tmp_path / "activites.csv"
    files = service.data_files(tmp_path)
    assert files[0] == newer
    service.export(files, november, target)
    table = list(csv.reader(io.StringIO(target.read_bytes().decode("utf-8-sig")), delimiter=";"))
    start = next(i for i, row in enumerate(table) if row and row[0] == "Date")
    rows = [dict(zip(table[start], row, strict=True)) for row in table[start + 1 :]]
    (visit,) = [r for r in rows if r["ID CRA"] == late["id"]]
    # 15/10 visit, 20/10 workshop (laptop 1), then this one.
    assert (visit["Premier accompagnement de l’entreprise"], visit["Rang de l’accompagnement"]) == (
        "non",
        "3",
    )
    alone_export = tmp_path / "seul.csv"
    service.export([newer], november, alone_export)  # one file: its own history, as before
    assert ";oui;1;" in alone_export.read_bytes().decode("utf-8-sig")


def test_workshop_participants_count_as_collective_accompaniments() -> None:
    data, _ = _with_a_workshop()
    figures = gather([("", data)], OCTOBER, date(2026, 11, 27))
    assert figures.total("collective").value == "3"  # as many as its export rows
    collective = [r for r in nat.export_rows(data, OCTOBER) if r[3] == "Atelier collectif"]
    assert len(collective) == 3
    assert figures.total("individual").value == "5"
    assert figures.total("accompaniments").value == "8"
    november = Filters(Period(date(2026, 11, 1), date(2026, 11, 30)))
    assert gather([("", data)], november).total("collective").value == "0"


def test_the_follow_up_date_is_the_agendas_after_a_postponement() -> None:
    """The callback postponed on the agenda (05/12 → 12/12) is the date the client was
    told (the summary prints the agenda's since NEW3-9): the export said 05/12."""
    from tpe_tui.domain.records import new_record

    client = new_record("clients", id="c1", name="Boulangerie Girard")
    session = new_record(
        "sessions",
        id="s1",
        client_id="c1",
        status="closed",
        date="2026-11-28",
        callback_wanted=True,
        callback_date="2026-12-05",
    )
    callback = new_record(
        "followups",
        session_id="s1",
        client_id="c1",
        kind="callback",
        due_date="2026-12-12",
        status="todo",
    )
    data = {"clients": {"c1": client}, "sessions": {"s1": session}, "followups": {"f": callback}}
    period = Filters(Period(date(2026, 11, 1), date(2026, 11, 30)))
    headers = nat.headers()
    (row,) = nat.export_rows(data, period, style="api")
    assert row[headers.index("Suivi prévu le")] == "2026-12-12"
