"""Summaries: golden output, user templates, escaping, HTML, PDF, printing."""

from __future__ import annotations

import io
import json
import logging
import os
import subprocess
import threading
import time
from pathlib import Path

import pypdf
import pytest

from tests.conftest import PYTHON, subprocess_env
from tests.helpers import fake_lp
from tpe_tui.documents import summary
from tpe_tui.documents.pdf import markdown_to_pdf
from tpe_tui.documents.printing import print_pdf
from tpe_tui.services.summary import SummarySource, find_session, save_summary
from tpe_tui.storage import paths

GOLDEN = Path(__file__).parent.parent / "golden"

STRUCTURE = {
    "id": "s-cci",
    "name": "CCI Artois",
    "kind": "cci",
    "address": "8 rue du Temple",
    "postal_code": "62000",
    "commune": "Arras",
    "phone": "03 21 23 24 24",
    "emails": "contact@artois.cci.fr | formation@artois.cci.fr",
    "websites": "https://www.artois.cci.fr",
    "opening_hours": "Mo-Fr 08:30-12:00,13:30-17:30; Sa 09:00-12:00",
}
MEDIATOR = {
    "name": "Camille Roger",
    "structure": "Médiathèque d’Arras",
    "phone": "03 21 11 22 33",
    "email": "camille.roger@example.fr",
}


def fixed_session(**overrides) -> tuple[dict, dict]:
    client = {
        "id": "c-1",
        "name": "Fleuriste Roussel",
        "trade": "Fleuriste",
        "activity_kind": "commercial",
        "commune": "Arras",
        "contacts": [
            {
                "id": "p-1",
                "role": "owner",
                "name": "Claire Roussel",
                "phone": "03 21 00 00 00",
                "email": "",
                "consent": {"given": True},
            }
        ],
    }
    session = {
        "id": "5e55f0a1-0000-4000-8000-000000000001",
        "client_id": "c-1",
        "contact_id": "p-1",
        "interlocutor_role": "owner",
        "status": "closed",
        "close_reason": "completed",
        "date": "2026-11-20",
        "duration_min": 45,
        "place_kind": "tiers_lieu",
        "place_label": "Médiathèque d’Arras",
        "mediator": "Camille Roger",
        "equipment": ["computer"],
        "request_said": "Je voudrais vendre mes bouquets sur internet",
        "request_rephrased": "Vendre des bouquets en ligne et livrer dans Arras.",
        "right_place": True,
        "skills": {"information_data": 2},
        "maturity": {"online_presence": 1},
        "need_nature": "technical",
        "needs": ["online_presence"],
        "missions": ["inform"],
        "solutions": [
            {
                "title": "Site vitrine",
                "area": "website",
                "pros": "Image pro",
                "cons": "Abonnement",
                "cost": "15 € par mois",
                "effort": "low",
            },
            {
                "title": "Place de marché",
                "area": "ecommerce",
                "pros": "Clients déjà là",
                "cons": "Commissions",
                "cost": "8 à 15 %",
                "effort": "medium",
            },
        ],
        "answered": "partly",
        "synthesis": "Commencer par le site vitrine.\nPuis comparer les places de marché.",
        "other_questions": "Comment sauvegarder les photos de l'atelier ?",
        "deadline": "2026-12-15",
        "deadline_note": "ouvrir la boutique",
        "callback_wanted": True,
        "callback_date": "2026-12-08",
        "redirections": [
            {"structure_id": "s-cci", "label": "CCI Artois", "reason": "Formation e-commerce"}
        ],
        "topics_raised": ["security"],
        "to_find_out": ["Tarif de livraison"],
        "steps": {"welcome": {"done": True, "note": "Présentation faite"}},
    }
    session.update(overrides)
    return session, client


def _render(
    name: str = "summary.md.j2", user_dir: Path | None = None, **overrides
) -> summary.Rendered:
    session, client = fixed_session(**overrides)
    context = summary.build_context(session, client, [STRUCTURE], [], MEDIATOR)
    return summary.render(name, context, user_dir)


@pytest.mark.parametrize("name", summary.TEMPLATES)
def test_golden_output_for_a_fixed_session(name: str) -> None:
    text = _render(name).text
    golden = GOLDEN / f"{name}.md"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


def test_summary_speaks_plain_french_with_labels_not_codes() -> None:
    text = _render().text
    assert "20 novembre 2026" in text and "8 décembre 2026" in text and "15 décembre 2026" in text
    assert "Améliorer la présence en ligne" in text and "online_presence" not in text
    assert "| Site vitrine — Site web | Image pro | Abonnement | 15 € par mois | Faible |" in text
    assert "| Place de marché — Vente en ligne (e-commerce) |" in text
    assert "CCI Artois" in text and "03 21 23 24 24" in text
    assert (
        "- Horaires : du lundi au vendredi, 8 h 30 – 12 h et 13 h 30 – 17 h 30 ;"
        " le samedi, 9 h – 12 h" in text
    )
    assert "- E-mail : contact@artois.cci.fr\n- E-mail : formation@artois.cci.fr\n" in text
    assert "https://pix.fr/" in text and "diagnosticnumerique.fr" in text
    assert "Tarif de livraison" in text


def test_the_client_can_reach_the_mediator_and_reads_every_question_raised() -> None:
    text = _render().text
    reach = text[text.index("## Pour nous joindre") :]
    assert reach.startswith(
        "## Pour nous joindre\n\nCamille Roger, médiateur numérique — Médiathèque d’Arras\n\n"
        "- Téléphone : 03 21 11 22 33\n- E-mail : camille.roger@example.fr\n"
    )
    assert "## Vos autres questions\n\nComment sauvegarder les photos de l’atelier ?" in text
    assert "## Points d’attention pour votre activité\n\n- " in text
    assert "'" not in text  # typographic apostrophes throughout
    assert text.rstrip().endswith("Référence de cet accompagnement : 5e55f0a1")


def test_a_colleagues_visit_names_who_answers_with_her_own_details() -> None:
    """A visit made by a colleague, printed on this laptop: the contact block is one person
    with her own phone and e-mail, never the colleague's name over ours (NEW4-28)."""
    session, client = fixed_session(mediator="Yanis Benali")
    context = summary.build_context(session, client, [STRUCTURE], [], MEDIATOR)
    text = summary.render("summary.md.j2", context).text
    assert "avec Yanis Benali, médiateur numérique" in text
    reach = text[text.index("## Pour nous joindre") :]
    assert reach.startswith(
        "## Pour nous joindre\n\nCamille Roger, médiateur numérique — Médiathèque d’Arras\n\n"
        "- Téléphone : 03 21 11 22 33\n"
    )
    assert "Yanis" not in reach
    # No name in the config: her phone and e-mail are not lent to the colleague's name.
    nameless = {**MEDIATOR, "name": ""}
    context = summary.build_context(session, client, [STRUCTURE], [], nameless)
    reach = summary.render("summary.md.j2", context).text.split("## Pour nous joindre")[1]
    assert "Yanis" not in reach and "Médiathèque d’Arras" in reach and "03 21 11 22 33" in reach


def test_no_contact_section_without_a_way_to_reach_the_mediator() -> None:
    session, client = fixed_session(mediator="")
    text = summary.render("summary.md.j2", summary.build_context(session, client)).text
    assert "Pour nous joindre" not in text


def test_a_prefilled_synthesis_reads_as_written_in_the_file() -> None:
    from tpe_tui.domain.accompaniment import prefill_synthesis

    session, client = fixed_session(needs_text="Livrer dans Arras.", synthesis="")
    session["synthesis"] = prefill_synthesis(session)
    assert ".." not in session["synthesis"]
    text = summary.render("summary.md.j2", summary.build_context(session, client)).text
    assert "\\-" not in text and ".." not in text
    assert "\n- Site vitrine (+ Image pro) (– Abonnement)\n" in text


def test_markdown_characters_typed_by_people_cannot_break_the_layout() -> None:
    client_name = "# L’Atelier *Étoilé* | Œuvres & Cie"
    session, client = fixed_session(
        solutions=[
            {
                "title": "Site | vitrine",
                "pros": "*rapide*",
                "cons": "[lien](x)",
                "cost": "<b>",
                "area": "website",
            }
        ],
        synthesis="# pas un titre\n- pas une liste\n1. pas numérotée",
    )
    client["name"] = client_name
    text = summary.render("summary.md.j2", summary.build_context(session, client, [], [])).text
    body = summary.markdown_to_html_body(text)
    assert "<h1>L’Atelier" not in body and "<em>" not in body and "<a href" not in body
    assert "L’Atelier *Étoilé* | Œuvres &amp; Cie" in body  # shown literally, accents intact
    # A line the mediator began with a dash stays a bullet; nothing else becomes layout.
    assert "<li>pas une liste</li>" in body and "<h1>pas un titre" not in body
    assert "<ol>" not in body
    assert body.count("<tr>") == 2  # header + one row: the "|" typed did not add cells
    assert "&lt;b&gt;" in body


HOSTILE = "[texte](https://x.example) <script>alert(1)</script> *fort* | a"


@pytest.mark.parametrize("document", ["plan.md.j2", "attendance.md.j2", "workshop_recap.md.j2"])
def test_the_other_documents_write_what_people_typed_as_text(document: str) -> None:
    """NEW5-12 checked on every .md we write: plan, attendance sheet, recap (the summary
    above, the report in test_activity_export, the personal-data export in its own tests)."""
    from datetime import date

    from markdown_it import MarkdownIt

    from tpe_tui.documents.workshop_documents import plan_context, workshop_context

    client = {"id": "c1", "name": HOSTILE, "trade": HOSTILE, "commune": HOSTILE}
    client["contacts"] = [{"id": "p1", "name": HOSTILE, "consent": {"given": True}}]
    if document == "plan.md.j2":
        action = {"id": "a1", "title": HOSTILE, "solution": HOSTILE, "notes": HOSTILE}
        context = plan_context(client, [action], [], [], [], date(2026, 11, 28))
    else:
        workshop = {
            "title": HOSTILE,
            "date": "2026-11-28",
            "place_label": HOSTILE,
            "mediators": [HOSTILE],
            "notes": HOSTILE,
            "participants": [{"id": "x", "client_id": "c1", "contact_id": "p1"}],
        }
        context = workshop_context(workshop, {"c1": client}.get, [], {"name": HOSTILE})
    text = summary.render(document, context).text
    html = MarkdownIt("commonmark").enable("table").render(text)  # HTML allowed, as some do
    assert "<script>" not in html and "<a href" not in html and "<em>fort" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.parametrize(
    "value",
    ["a*b", "_x_", "`code`", "# titre", "1. un", "[l](u)", "a|b", "- tiret", "+ plus", "> cite"],
)
def test_escaping_round_trips_to_the_same_visible_text(value: str) -> None:
    from html import unescape

    html = summary.markdown_to_html_body(summary.md(value))
    visible = unescape(html.replace("<p>", "").replace("</p>", "")).strip()
    assert visible == value


def test_a_user_template_overrides_the_shipped_one(tmp_path: Path) -> None:
    (tmp_path / "summary.md.j2").write_text("Bonjour {{ client.name }} !\n", encoding="utf-8")
    rendered = _render(user_dir=tmp_path)
    assert rendered.text == "Bonjour Fleuriste Roussel !\n" and rendered.warnings == []


@pytest.mark.parametrize(
    ("content", "line"),
    [
        ("ligne un\n{% if %}\n", "ligne 2"),
        ("a\nb\n{{ champ_inconnu }}\n", "ligne 3"),
        ("{{ 1 / 0 }}", "ligne 1"),
    ],
)
def test_a_broken_user_template_reports_file_and_line_and_falls_back(
    tmp_path: Path, content: str, line: str
) -> None:
    (tmp_path / "summary.md.j2").write_text(content, encoding="utf-8")
    rendered = _render(user_dir=tmp_path)
    assert rendered.text.startswith("# Compte rendu de votre accompagnement numérique")
    (warning,) = rendered.warnings
    assert (
        str(tmp_path / "summary.md.j2") in warning
        and line in warning
        and "modèle fourni" in warning
    )


def test_html_page_is_a_printable_document() -> None:
    page = summary.html_page(_render().text, "Accompagnement — Fleuriste Roussel")
    assert page.startswith("<!DOCTYPE html>") and '<html lang="fr">' in page
    assert (
        "@page { size: A4" in page
        and "<table>" in page
        and "<h2>Les solutions étudiées ensemble</h2>" in page
    )
    assert "<title>Accompagnement — Fleuriste Roussel</title>" in page


def test_pdf_holds_the_summary_with_french_typography() -> None:
    markdown = _render().text + "\n\nœuvre, l’atelier, « guillemets », 12 € — Ça\n"
    data = markdown_to_pdf(markdown, "Accompagnement")
    assert data.startswith(b"%PDF-")
    reader = pypdf.PdfReader(io.BytesIO(data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    width, height = (float(v) for v in reader.pages[0].mediabox[2:])
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    for expected in (
        "Fleuriste Roussel",
        "Site vitrine",
        "Place de marché",
        "Commissions",
        "CCI Artois",
        "œuvre",
        "l’atelier",
        "« guillemets »",
        "12 €",
        "Ça",
    ):
        assert expected in text, expected


def test_printing_goes_through_lp_says_it_in_french_and_logs_what_lp_said(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    bin_dir = fake_lp(tmp_path / "bin")
    monkeypatch.setenv("PATH", f"{bin_dir}:{os.environ['PATH']}")
    pdf = tmp_path / "cr.pdf"
    pdf.write_bytes(markdown_to_pdf("# test", "t"))
    with caplog.at_level(logging.INFO, logger="tpe_tui"):
        result = print_pdf(pdf)
    assert result.printed
    assert result.message == f"Envoyé à l’imprimante. PDF enregistré : {pdf}"
    assert "request id is bureau-42" in caplog.text  # lp's own words: in the log only
    assert (bin_dir / "printed-args").read_text().strip() == str(pdf)


def test_a_refusing_printer_is_reported_and_the_pdf_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bin_dir = fake_lp(tmp_path / "bin", exit_code=1)
    monkeypatch.setenv("PATH", str(bin_dir))
    pdf = tmp_path / "cr.pdf"
    pdf.write_bytes(b"%PDF-1.4")
    result = print_pdf(pdf)
    assert not result.printed and "refusé" in result.message and str(pdf) in result.message


def test_no_printer_means_the_pdf_path_is_given(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    result = print_pdf(tmp_path / "cr.pdf")
    assert not result.printed and "Aucune imprimante" in result.message


# ------------------------------------------------------------------ the commands
@pytest.fixture
def data_file(db: Path) -> Path:
    from tpe_tui.domain.records import with_defaults
    from tpe_tui.storage.store import Store

    session, client = fixed_session()
    with Store.open(db, "laptop") as store:
        store.put("clients", with_defaults("clients", client))
        store.put("structures", with_defaults("structures", STRUCTURE))
        store.put("sessions", with_defaults("sessions", session))
    return db


def _run(*args: str, env: dict | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [PYTHON, "-m", "tpe_tui", *args],
        capture_output=True,
        text=True,
        env=env or subprocess_env(),
    )


def test_summary_command_by_unique_prefix_in_every_format(data_file: Path, tmp_path: Path) -> None:
    result = _run("summary", "5e55", "--db", str(data_file))
    assert result.returncode == 0 and "Fleuriste Roussel" in result.stdout
    assert _run("summary", "5e55", "--db", str(data_file), "--format", "html").stdout.startswith(
        "<!DOCTYPE html>"
    )
    record = _run("summary", "5e55", "--db", str(data_file), "--template", "record")
    assert "Fiche d’accompagnement" in record.stdout and "Présentation faite" in record.stdout
    target = tmp_path / "cr.pdf"
    assert (
        _run(
            "summary", "5e55", "--db", str(data_file), "--format", "pdf", "--output", str(target)
        ).returncode
        == 0
    )
    assert "Site vitrine" in pypdf.PdfReader(target).pages[0].extract_text()


def test_summary_command_errors(data_file: Path) -> None:
    unknown = _run("summary", "ffff", "--db", str(data_file))
    assert unknown.returncode == 1 and "Aucun accompagnement" in unknown.stderr
    assert _run("summary", "5e55", "--db", str(data_file), "--format", "pdf").returncode == 2
    assert _run("summary", "5e55", "--db", str(data_file), "--format", "doc").returncode == 2
    assert "Traceback" not in unknown.stderr


def test_print_command_uses_lp(data_file: Path, tmp_path: Path) -> None:
    bin_dir = fake_lp(tmp_path / "bin")
    env = subprocess_env() | {"PATH": f"{bin_dir}:{os.environ['PATH']}"}
    result = _run("print", "5e55", "--db", str(data_file), env=env)
    assert result.returncode == 0 and "Envoyé à l’imprimante." in result.stdout
    assert "request id" not in result.stdout + result.stderr  # lp's English stays in the log
    printed = Path((bin_dir / "printed-args").read_text().strip())
    assert (
        printed.name == "2026-11-20-fleuriste-roussel-compte-rendu-5e55f0a1.pdf"
        and printed.exists()
    )


def test_print_command_without_printer_exits_1_and_names_the_pdf(
    data_file: Path, tmp_path: Path
) -> None:
    env = subprocess_env() | {"PATH": str(Path(PYTHON).parent)}
    result = _run("print", "5e55", "--db", str(data_file), env=env)
    assert (
        result.returncode == 1 and "Aucune imprimante" in result.stderr and ".pdf" in result.stderr
    )


def test_saved_files_go_to_the_documents_folder_named_from_date_and_client(data_file: Path) -> None:
    from tpe_tui.services.workspace import Workspace

    with Workspace.snapshot(data_file) as workspace:
        source = SummarySource.of(workspace, find_session(workspace, "5e55"))
    path, warnings = save_summary(source, "md")
    assert path == paths.documents_dir() / "2026-11-20-fleuriste-roussel-compte-rendu-5e55f0a1.md"
    assert path.read_text(encoding="utf-8").startswith("# Compte rendu") and warnings == []
    assert json.loads(json.dumps(warnings)) == []


def test_a_user_template_cannot_reach_python(tmp_path: Path) -> None:
    proof = tmp_path / "ran"
    (tmp_path / "summary.md.j2").write_text(
        "{{ cycler.__init__.__globals__.os.popen('touch " + str(proof) + "').read() }}",
        encoding="utf-8",
    )
    rendered = _render(user_dir=tmp_path)
    assert not proof.exists()
    assert rendered.text.startswith("# Compte rendu de votre accompagnement numérique")
    (warning,) = rendered.warnings
    assert "protection des modèles" in warning and "modèle fourni" in warning


def test_an_endless_user_template_is_stopped_and_falls_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tpe_tui.documents import template_sandbox

    monkeypatch.setattr(template_sandbox, "SECONDS", 1.0)
    # a loop with an empty body calls nothing the sandbox could intercept
    (tmp_path / "summary.md.j2").write_text(
        "{% set r = range(100000) %}{% for a in r %}{% for b in r %}{% for c in r %}"
        "{% endfor %}{% endfor %}{% endfor %}",
        encoding="utf-8",
    )
    threads_before = set(threading.enumerate())
    started = time.monotonic()
    rendered = _render(user_dir=tmp_path)
    assert time.monotonic() - started < 5
    assert rendered.text.startswith("# Compte rendu de votre accompagnement numérique")
    (warning,) = rendered.warnings
    assert "dépassé 1 s" in warning and "modèle fourni" in warning
    # Nothing left running by the render (other tests' daemon threads may be alive).
    assert set(threading.enumerate()) - threads_before == set()


def test_a_context_that_cannot_reach_the_child_falls_back(tmp_path: Path) -> None:
    (tmp_path / "summary.md.j2").write_text("Bonjour\n", encoding="utf-8")
    session, client = fixed_session()
    context = summary.build_context(session, client, [STRUCTURE], [], MEDIATOR)
    context["unpicklable"] = lambda: None
    rendered = summary.render("summary.md.j2", context, tmp_path)
    assert rendered.text.startswith("# Compte rendu de votre accompagnement numérique")
    (warning,) = rendered.warnings
    assert "rendu protégé" in warning


def test_two_visits_of_two_homonyms_the_same_day_make_two_files(db: Path) -> None:
    """Each summary is named after its own visit: neither replaces the other (one visit of a
    « Boulangerie Girard » replaced another's when the name held only date and business)."""
    from tests.helpers import add_client, add_session, open_store
    from tpe_tui.services.workspace import Workspace

    with open_store(db) as store:
        first = add_client(store, "Boulangerie Girard", commune="Soissons")
        second = add_client(store, "Boulangerie Girard", commune="Soissons")
        visits = [
            add_session(store, client["id"], status="closed", date="2026-11-28", synthesis=words)
            for client, words in ((first, "WooCommerce"), (second, "Prestashop"))
        ]
    with Workspace.snapshot(db) as workspace:
        written = [save_summary(SummarySource.of(workspace, v), "md")[0] for v in visits]
        again, _ = save_summary(SummarySource.of(workspace, visits[0]), "md")
    assert written[0] != written[1] and again == written[0]  # its own file, updated
    assert "WooCommerce" in written[0].read_text(encoding="utf-8")
    assert "Prestashop" in written[1].read_text(encoding="utf-8")
    assert len(list(paths.documents_dir().glob("*.md"))) == 2


@pytest.mark.parametrize(
    ("solutions", "promise"),
    [
        ([], "pour faire le point avec vous."),
        ([{"id": "s", "title": "Site vitrine"}], "pour voir si la solution vous convient."),
    ],
)
def test_the_callback_promise_fits_the_solutions_given(solutions: list, promise: str) -> None:
    """A visit with no solution promised « to see if the solution suits you »."""
    text = _render(solutions=solutions).text
    assert f"Nous vous rappellerons le **8 décembre 2026** {promise}" in text


@pytest.mark.parametrize(
    ("template", "said"),
    [
        ('{{ "".__class__ }}', "accès interdit par la protection des modèles"),
        ('{% include "/etc/passwd" %}', "modèle « /etc/passwd » introuvable"),
        ("{{ rien_de_tel.x }}", "« rien_de_tel » n’existe pas dans les données"),
    ],
)
def test_a_broken_user_template_is_explained_in_french(
    tmp_path: Path, template: str, said: str
) -> None:
    """NEW3-27: Jinja's English (« access to attribute '__class__' … is unsafe », « not
    found in search path ») reached the mediator."""
    (tmp_path / "summary.md.j2").write_text(template, encoding="utf-8")
    (warning,) = _render(user_dir=tmp_path).warnings
    assert said in warning and "modèle fourni" in warning
    assert "unsafe" not in warning and "search path" not in warning
    assert "is undefined" not in warning


def test_a_cell_longer_than_a_page_still_gives_the_whole_pdf() -> None:
    """A solution's advantages written at length (finding NEW4-9): fpdf2 cannot draw a table
    row higher than a page, so the tables are written as lists and nothing is cut."""
    long = " ".join(f"Le site prend les commandes la veille ({n})." for n in range(120))
    markdown = _render().text.replace("| Image pro |", f"| {long} |", 1)
    assert long in markdown
    reader = pypdf.PdfReader(io.BytesIO(markdown_to_pdf(markdown, "Accompagnement")))
    text = " ".join(page.extract_text() for page in reader.pages).replace("\n", " ")
    assert len(reader.pages) > 1
    assert "(0)." in text and "(119)." in text  # the first and the last sentence
    assert "Site vitrine" in text and "Abonnement" in text and "15 € par mois" in text


def test_tables_as_lists_keeps_every_cell_under_its_heading() -> None:
    from tpe_tui.documents.tables import tables_as_lists

    markdown = (
        "## Solutions\n\n| Solution | Avantages | Coût |\n| --- | --- | --- |\n"
        "| Site \\| vitrine | Image *pro* |  |\n| Boutique | Ventes | 3 € |\n\nFin.\n"
    )
    assert tables_as_lists(markdown) == (
        "## Solutions\n\n\n- **Solution : Site | vitrine**\n  - Avantages : Image *pro*\n"
        "- **Solution : Boutique**\n  - Avantages : Ventes\n  - Coût : 3 €\n\n\nFin.\n"
    )
