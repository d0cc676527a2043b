"""A whole accompaniment conducted with keys only, then the saved record checked."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest
from textual import events
from textual.widgets import Markdown, TextArea

from tests.helpers import add_client, fake_lp, open_store, read_data
from tests.ui_helpers import (
    choose,
    make_app,
    open_accompaniment,
    screen_text,
    settle,
    type_at_once,
    type_text,
    until,
)
from tpe_tui.storage import paths
from tpe_tui.storage.store import Store
from tpe_tui.ui.screens.accompaniment.screen import PERSON_NAME, ROLE, AccompanimentScreen
from tpe_tui.ui.screens.client_file import ClientFileScreen
from tpe_tui.ui.screens.dialogs import ConfirmScreen
from tpe_tui.ui.screens.home import HomeScreen
from tpe_tui.ui.screens.preview import PreviewScreen
from tpe_tui.ui.widgets import forms
from tpe_tui.ui.widgets.solution_editor import SolutionEditor
from tpe_tui.ui.widgets.steps import CONSENT, error_id, pane_id


async def _conduct(pilot, app) -> None:
    await settle(pilot)
    await pilot.press("n")
    await settle(pilot)
    assert isinstance(app.screen, AccompanimentScreen)
    # 1 · Accueil: the date field has focus, pre-filled with today; typing replaces it.
    await type_text(pilot, "20/11/2026")
    await pilot.press("tab")
    await type_text(pilot, "45")
    await pilot.press("tab")
    await choose(pilot, 1)  # Tiers-lieu
    await pilot.press("tab", "tab")  # the directory is empty: skip its list
    await type_text(pilot, "Médiathèque")
    await pilot.press("tab")
    await type_text(pilot, "Arras")
    await pilot.press("tab")
    await type_text(pilot, "Camille Roger")
    await pilot.press("tab", "space")  # equipment: computer
    await pilot.press("f4")
    await settle(pilot)
    # 2 · Entreprise: search, nothing found, create it.
    await type_text(pilot, "Fleuriste Roussel")
    await settle(pilot)
    await pilot.press("down", "enter")
    await settle(pilot)
    await pilot.press("tab")
    await type_text(pilot, "Fleuriste")
    await pilot.press("tab")
    await choose(pilot, 1)  # commercial
    await pilot.press("tab")
    await choose(pilot, 2)  # with employees
    await pilot.press("tab")
    await type_text(pilot, "2")
    await pilot.press("tab")
    await type_text(pilot, "Arras")
    await pilot.press("tab")
    await type_text(pilot, "Arras")
    await pilot.press("tab")
    await type_text(pilot, "123")
    await pilot.pause()
    error = app.screen.query_one("#err-c_siret")
    assert error.display and "14 chiffres" in str(error.render())
    await pilot.press("backspace", "backspace", "backspace")
    await type_text(pilot, "73282932000074")
    await pilot.pause()
    assert not app.screen.query_one("#err-c_siret").display
    await pilot.press("tab")
    await choose(pilot, 1)  # owner
    await pilot.press("tab", "space")  # consent
    await pilot.press("tab")
    await type_text(pilot, "Claire Roussel")
    await pilot.press("tab")
    await type_text(pilot, "0321000000")
    await pilot.press("tab")
    await type_text(pilot, "claire@fleurs.fr")
    await pilot.press("f4")
    await settle(pilot)
    # 3 · Demande
    await type_text(pilot, "Je voudrais vendre mes bouquets sur internet")
    await pilot.press("tab")
    await type_text(pilot, "Vendre en ligne, livrer dans Arras")
    await pilot.press("f4")
    # 4 · Bon endroit ? Oui
    await pilot.press("enter")
    await pilot.press("f4")
    # 5 · Compétences: first Pix area at level 2
    await choose(pilot, 2)
    await pilot.press("f4")
    # 6 · Besoin: technical; need "online presence" (6th)
    await pilot.press("enter", "tab", *(["down"] * 5), "space")
    await pilot.press("f4")
    # 7 · Missions: help do, inform
    await pilot.press("space", "down", "down", "space")
    await pilot.press("f4")
    await settle(pilot)
    # 8 · Solutions: two, with pros and cons
    await type_text(pilot, "Site vitrine")
    await pilot.press("tab")
    await choose(pilot, 1)  # website
    await pilot.press("tab")
    await type_text(pilot, "Visible")
    await pilot.press("tab")
    await type_text(pilot, "Abonnement")
    await pilot.press("tab")
    await type_text(pilot, "15 euros par mois")
    await pilot.press("tab")
    await choose(pilot, 1)  # low effort
    await pilot.press("tab", "tab")  # past "remove"
    await type_text(pilot, "Place de marche")
    await pilot.press("tab")
    await choose(pilot, 2)  # e-commerce
    await pilot.press("tab")
    await type_text(pilot, "Clients deja la")
    await pilot.press("tab")
    await type_text(pilot, "Commissions")
    await pilot.press("f4")
    # 9 · Besoin couvert ? partly
    await pilot.press("down", "enter")
    await pilot.press("f4")
    await settle(pilot)
    # 10 · Synthèse: pre-filled from needs and solutions
    synthesis = app.screen.session["synthesis"]
    assert "Site vitrine" in synthesis and "Place de marche" in synthesis
    await pilot.press("f4")
    # 11 · Échéance et rappel
    await type_text(pilot, "15/12/2026")
    await pilot.press("tab")
    await type_text(pilot, "Ouvrir la boutique")
    await pilot.press("tab", "space", "tab")
    await type_text(pilot, "08/12/2026")
    await pilot.press("f4")
    # 12 · Orientations: a structure typed in
    await pilot.press("tab")
    await type_text(pilot, "CCI Artois")
    await pilot.press("tab")
    await type_text(pilot, "Formation e-commerce")
    await pilot.press("tab", "enter")
    await pilot.press("f4")
    # 13 · Enjeux: security
    await pilot.press("space")
    await pilot.press("f4")
    # 14 · Clôture
    await choose(pilot, 2)  # satisfied
    await pilot.press("tab")
    await choose(pilot, 2)  # partly autonomous
    await pilot.press("f9")
    await settle(pilot)


async def test_a_whole_accompaniment_with_keys_only(
    db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bin_dir = fake_lp(tmp_path / "bin")
    monkeypatch.setenv("PATH", f"{bin_dir}:{os.environ['PATH']}")
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await _conduct(pilot, app)
        # Closing leads to the client's summary, ready to save and print.
        assert isinstance(app.screen, PreviewScreen)
        shown = app.screen.query_one("#preview", Markdown).source
        assert (
            "Fleuriste Roussel" in shown and "Site vitrine" in shown and "8 décembre 2026" in shown
        )
        await pilot.press("m")
        await settle(pilot)
        (saved,) = paths.documents_dir().glob("2026-11-20-fleuriste-roussel-compte-rendu-*.md")
        assert saved.read_text(encoding="utf-8") == shown
        assert str(saved) in str(app.screen.query_one("#preview-status").render())
        await pilot.press("p")  # printed: said in French, lp's « request id is … » not shown
        await settle(pilot)
        status = str(app.screen.query_one("#preview-status").render())
        assert status.startswith("Envoyé à l’imprimante. PDF enregistré :")
        assert "request id" not in status
        assert (bin_dir / "printed-args").read_text().strip().endswith(".pdf")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
    app.shutdown()
    with Store.open(db, "checker", backup=False) as store:
        (session,) = list(store.records("sessions"))
        (client,) = list(store.records("clients"))
        followups = sorted(store.records("followups"), key=lambda f: f["kind"])
    assert session["status"] == "closed" and session["close_reason"] == "completed"
    assert session["date"] == "2026-11-20" and session["duration_min"] == 45
    assert session["place_kind"] == "tiers_lieu" and session["place_label"] == "Médiathèque"
    assert session["territory"] == "Arras" and session["mediator"] == "Camille Roger"
    assert session["equipment"] == ["computer"]
    assert session["client_id"] == client["id"] and session["interlocutor_role"] == "owner"
    assert client["name"] == "Fleuriste Roussel" and client["trade"] == "Fleuriste"
    assert client["activity_kind"] == "commercial" and client["size"] == "employees"
    assert client["employees"] == 2 and client["commune"] == "Arras"
    assert client["siret"] == "73282932000074"
    (contact,) = client["contacts"]
    assert contact["id"] == session["contact_id"] and contact["role"] == "owner"
    assert contact["name"] == "Claire Roussel" and contact["phone"] == "03 21 00 00 00"
    assert contact["email"] == "claire@fleurs.fr"
    assert contact["consent"]["given"] and contact["consent"]["date"] == date.today().isoformat()
    assert "conservées" in contact["consent"]["wording"]
    assert session["request_said"] == "Je voudrais vendre mes bouquets sur internet"
    assert session["request_rephrased"] == "Vendre en ligne, livrer dans Arras"
    assert session["right_place"] is True
    assert session["skills"]["information_data"] == 2
    assert session["need_nature"] == "technical" and session["needs"] == ["online_presence"]
    assert session["missions"] == ["help_do", "inform"]
    titles = [(s["title"], s["area"]) for s in session["solutions"]]
    assert titles == [("Site vitrine", "website"), ("Place de marche", "ecommerce")]
    first = session["solutions"][0]
    assert (first["pros"], first["cons"], first["cost"], first["effort"]) == (
        "Visible",
        "Abonnement",
        "15 euros par mois",
        "low",
    )
    assert session["answered"] == "partly"
    assert "Site vitrine" in session["synthesis"]
    assert session["deadline"] == "2026-12-15" and session["deadline_note"] == "Ouvrir la boutique"
    assert session["callback_wanted"] is True and session["callback_date"] == "2026-12-08"
    assert session["redirections"] == [
        {"structure_id": None, "label": "CCI Artois", "reason": "Formation e-commerce"}
    ]
    assert session["topics_raised"] == ["security"]
    assert session["satisfaction"] == "satisfied" and session["autonomy"] == "partly_autonomous"
    assert [(f["kind"], f["due_date"]) for f in followups] == [
        ("callback", "2026-12-08"),
        ("deadline", "2026-12-15"),
    ]
    assert all(
        f["session_id"] == session["id"] and f["client_id"] == client["id"] for f in followups
    )


_new_accompaniment = open_accompaniment


async def test_checklists_show_their_state_without_colour_and_arrows_move(db: Path) -> None:
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _new_accompaniment(pilot)
        equipment = screen.query_one("#f-equipment")
        equipment.focus()
        await pilot.press("space", "down", "down", "space")  # computer, tablet
        await settle(pilot)
        assert screen.session["equipment"] == ["computer", "tablet"]
        lines = [equipment.render_line(y).text for y in range(4)]
        assert [line[:3] for line in lines] == ["▐X▌", "▐ ▌", "▐X▌", "▐ ▌"]
        await pilot.press("up", "up", "space")  # the arrows reach the first item again
        await settle(pilot)
        assert screen.session["equipment"] == ["tablet"]
        assert equipment.render_line(0).text.startswith("▐ ▌ Ordinateur")
        await pilot.press("tab")  # one Tab leaves the list
        assert screen.focused is not equipment
        done = screen.query_one("#step-done")
        assert "▐ ▌" in done.render().plain
        await pilot.press("f5")
        assert "▐X▌" in done.render().plain
    app.shutdown()


async def _tab_walk(pilot, count: int) -> list[str]:
    """The ids focused by `count` presses of Tab, starting with the focused one."""
    seen = []
    for _ in range(count):
        seen.append(pilot.app.screen.focused.id)
        await pilot.press("tab")
    return seen


async def test_tab_follows_the_visual_order_of_the_forms(db: Path) -> None:
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert await _tab_walk(pilot, 10) == [
            "f-date",
            "f-duration_min",
            "f-place_kind",
            "f-place_structure_id",
            "f-place_label",
            "f-territory",
            "f-mediator",
            "f-equipment",
            "step-done",
            "step-note",
        ]
        await pilot.press("f4", "f4", "f4", "f4", "f4", "f4", "f4", "f4", "f4")  # 10 · Synthèse
        await settle(pilot)
        assert await _tab_walk(pilot, 7) == [
            "prefill-synthesis",
            "f-synthesis",
            "f-other_questions",
            "to-find-out",
            "step-done",
            "step-note",
            "step-list",
        ]
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("u", "ctrl+n")
        await settle(pilot)
        walk = await _tab_walk(pilot, 12)
        assert walk == [
            "f-name",
            "f-kind",
            "f-territory",
            "f-address",
            "f-postal_code",
            "f-commune",
            "f-phone",
            "f-emails",
            "f-websites",
            "f-opening_hours",
            "f-helps_with",
            "f-notes",
        ]
    app.shutdown()


async def test_number_fields_refuse_letters_at_the_keyboard(db: Path) -> None:
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _new_accompaniment(pilot)
        await pilot.press("tab")  # « Durée (min) »
        await type_text(pilot, "une heure 60")
        await settle(pilot)
        assert screen.query_one("#f-duration_min").value == "60"
        assert screen.session["duration_min"] == 60
        await pilot.press("shift+tab")  # the date takes digits and separators only
        await type_text(pilot, "le 2/12/2026")
        await settle(pilot)
        assert screen.query_one("#f-date").value == "2/12/2026"
        assert screen.session["date"] == "2026-12-02"
    app.shutdown()


async def test_a_structure_created_meanwhile_is_offered_at_once(db: Path) -> None:
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _new_accompaniment(pilot)
        await screen.go_to(11)  # 3 · Orientations
        await settle(pilot)
        app.action_directory()  # as from the palette, in the middle of the accompaniment
        await settle(pilot)
        await pilot.press("ctrl+n")
        await settle(pilot)
        await type_text(pilot, "Maison de l'emploi")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen
        offered = screen.query_one("#redirect-structure")._options
        assert any("Maison de l'emploi" in str(prompt) for prompt, _ in offered)
    app.shutdown()


async def test_text_areas_grow_with_their_text_and_fields_show_their_start(db: Path) -> None:
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _new_accompaniment(pilot)
        await pilot.press("tab", "tab", "tab", "tab")  # « Précision lieu »
        await type_text(pilot, "Salle du fond de la médiathèque, au premier étage, à gauche")
        field = screen.focused
        assert field.id == "f-place_label" and field.cursor_position > 40
        await pilot.press("tab")
        await settle(pilot)
        assert field.cursor_position == 0  # its start shows once left

        await screen.go_to(2)  # 3 · Demande reformulée
        await settle(pilot)
        said = screen.query_one("#f-request_said")
        empty_height = said.outer_size.height
        await type_text(pilot, "Une ligne")
        for _ in range(6):
            await pilot.press("enter")
            await type_text(pilot, "encore une")
        await settle(pilot)
        assert said.outer_size.height >= empty_height + 5  # the seven lines show
        assert said.outer_size.height <= 14
    app.shutdown()


async def test_a_new_date_typed_over_the_selected_one_replaces_it(db: Path) -> None:
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _new_accompaniment(pilot)
        assert screen.focused.id == "f-date" and len(screen.focused.value) == 10
        await type_text(pilot, "20/11/2026")
        await pilot.press("tab")
        await type_text(pilot, "45")
        await pilot.press("shift+tab")
        await type_text(pilot, "21/11/2026")  # selected again on focus: replaced
        await settle(pilot)
        assert (screen.session["date"], screen.session["duration_min"]) == ("2026-11-21", 45)
    app.shutdown()


async def test_a_save_due_at_once_never_asks_for_a_zero_second_timer(db: Path, monkeypatch) -> None:
    """Typing without a pause makes a save due at once; a 0 s Textual timer that runs late
    (a busy machine) divides by zero and crashed the app."""
    from tpe_tui.ui.save_queue import SavePacing

    monkeypatch.setattr(SavePacing, "delay", lambda self, now: 0.0)
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _new_accompaniment(pilot)
        delays: list[float] = []
        set_timer = screen.set_timer

        def recorded(delay: float, *args, **kwargs):
            delays.append(delay)
            return set_timer(delay, *args, **kwargs)

        monkeypatch.setattr(screen, "set_timer", recorded)
        await pilot.press("tab", "tab", "tab", "tab")  # « Précision lieu »
        await type_text(pilot, "Salle")
        await settle(pilot)
        assert delays and all(delay > 0 for delay in delays)
        assert app.return_code is None  # still running, nothing crashed


async def test_only_a_place_and_a_territory_typed_are_saved_by_ctrl_q(db: Path) -> None:
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _new_accompaniment(pilot)
        await pilot.press("tab", "tab", "tab", "tab")  # « Précision lieu »
        assert screen.focused.id == "f-place_label"
        await type_text(pilot, "Salle des fêtes")
        await pilot.press("tab")
        assert screen.focused.id == "f-territory"
        await type_text(pilot, "Arras")
        await pilot.press("ctrl+q")  # at once: no pause for the typing to be saved first
    app.shutdown()
    with Store.open(db, "checker", backup=False) as store:
        sessions = list(store.records("sessions"))
    assert [(s["place_label"], s["territory"]) for s in sessions] == [("Salle des fêtes", "Arras")]


async def test_the_consent_sentence_wraps_whole_at_80_columns(db: Path) -> None:
    """Acceptance run: « … que ses coordonnées » and the end of the sentence cut away."""
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _new_accompaniment(pilot)
        await pilot.press("f4")
        await settle(pilot)
        box = screen.query_one("#p_consent")
        box.scroll_visible(animate=False)
        await settle(pilot)
        lines = [box.render_line(y).text.strip() for y in range(box.size.height)]
        assert box.size.height == 2 and box.size.width < 60
        assert " ".join(lines).endswith("La personne accepte que ses coordonnées soient conservées")
    app.shutdown()


async def test_another_person_met_is_added_not_typed_over_the_known_one(db: Path) -> None:
    """Acceptance finding NEW3-25: picking a known business pre-fills its contact; typing
    the secretary's name over it renamed the owner, who lost her phone and e-mail, and the
    secretary inherited her consent. Now the owner stays as she was, the secretary is a new
    person of the file, and her details are kept once her own consent is ticked."""
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _pick_girard(pilot, db, role="owner")
        person = forms.field_widget(screen, PERSON_NAME)
        assert person.value == "Marie Girard"  # the known person, pre-filled
        assert forms.field_widget(screen, ROLE).value == "owner"  # NEW5-6: her role shown
        person.focus()
        await pilot.press("end", *["backspace"] * len("Marie Girard"))
        await type_text(pilot, "Julie Petit")
        await settle(pilot)
        notice = screen.query_one(f"#{error_id(PERSON_NAME)}")
        assert "Une autre personne que Marie Girard" in str(notice.render())
        await pilot.press("tab")  # leaving the name: Julie is a new person of the file
        await settle(pilot)
        consent = forms.field_widget(screen, CONSENT)
        assert not consent.value  # not Marie’s consent
        consent.focus()
        await pilot.press("space")  # Julie agrees
        await settle(pilot)
        await pilot.press("tab", "tab")  # past her name, to her phone
        await type_text(pilot, "03 23 00 11 22")
        await settle(pilot)
        screen.flush_edits()
        await app.workers.wait_for_complete()
        await settle(pilot)
    app.shutdown()
    data = read_data(db)
    (saved,) = data["clients"].values()
    by_name = {c["name"]: c for c in saved["contacts"]}
    assert by_name["Marie Girard"]["phone"] == "03 23 11 22 33"
    assert by_name["Marie Girard"]["email"] == "marie@girard.fr"
    assert by_name["Marie Girard"]["consent"]["given"] is True
    julie = by_name["Julie Petit"]
    assert julie["consent"]["given"] is True and julie["id"] != "marie"
    assert julie["phone"] == "03 23 00 11 22"
    (session,) = data["sessions"].values()
    assert session["contact_id"] == julie["id"]


async def test_leaving_or_quitting_with_a_refused_date_asks_first(db: Path) -> None:
    """Acceptance finding NEW3-22: « 31/02/2026 » was refused under the date, then Échap
    went home and Ctrl+Q quit without a word, the typed date lost. Now both ask, as the
    client file does: « Corriger » (focused) stays on the form, « o » leaves without it."""
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _new_accompaniment(pilot)
        await type_text(pilot, "31/02/2026")
        await pilot.press("tab")
        await settle(pilot)
        assert screen.query_one("#err-date").display
        for key in ("escape", "ctrl+q"):
            await pilot.press(key)
            await settle(pilot)
            dialog = app.screen
            assert isinstance(dialog, ConfirmScreen), key
            assert "« 31/02/2026 » : Cette date n’existe pas." in dialog.question
            await pilot.press("enter")  # « Corriger »
            await settle(pilot)
            assert app.screen is screen and app.return_code is None
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("o")  # « Quitter sans elles »
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
    app.shutdown()


async def test_step_two_says_sans_commune_and_the_title_shows_the_business_picked(
    db: Path,
) -> None:
    """Acceptance finding NEW3-24: a business without commune read « Boulangerie Girard · ? »
    in step 2's search, and once picked the title still said « Nouvelle entreprise »."""
    with open_store(db) as store:
        add_client(store, "Fleuriste Roussel")
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _new_accompaniment(pilot)
        await pilot.press("f4")
        await settle(pilot)
        await type_text(pilot, "Fleuriste Roussel")
        await settle(pilot)
        matches = screen.query_one("#client-matches")
        shown = [str(matches.get_option_at_index(i).prompt) for i in range(matches.option_count)]
        assert shown[0] == "Fleuriste Roussel · sans commune"
        assert "Nouvelle entreprise" in str(screen.query_one("#acc-title").render())
        await pilot.press("down", "enter")
        await settle(pilot)
        title = str(screen.query_one("#acc-title").render())
        assert "Fleuriste Roussel" in title and "Nouvelle entreprise" not in title
    app.shutdown()


async def test_unticking_a_known_persons_consent_does_not_wipe_her(db: Path) -> None:
    """Acceptance finding NEW3-33: one Espace on the pre-ticked consent of the business's
    known person wiped her name, phone and e-mail from the file. The person met today is
    then someone who does not agree to be kept; the known person stays as she was."""
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _pick_girard(pilot, db)
        consent = forms.field_widget(screen, CONSENT)
        assert consent.value
        consent.focus()
        await pilot.press("space")
        await settle(pilot)
        assert forms.field_widget(screen, PERSON_NAME).value == ""
        notice = str(screen.query_one("#consent-note").render())
        assert "Marie Girard garde son accord" in notice
        await pilot.press("f5", "escape")
        await settle(pilot)
        await app.workers.wait_for_complete()
        assert app.saves.flush(timeout=30)
    app.shutdown()
    data = read_data(db)
    (saved,) = data["clients"].values()
    (marie,) = [c for c in saved["contacts"] if c["id"] == "marie"]
    assert (marie["name"], marie["phone"], marie["email"]) == (
        "Marie Girard",
        "03 23 11 22 33",
        "marie@girard.fr",
    )
    assert marie["consent"]["given"] is True
    (session,) = data["sessions"].values()
    assert session["contact_id"] != "marie"


_MARIE = {
    "id": "marie",
    "name": "Marie Girard",
    "role": "owner",
    "phone": "03 23 11 22 33",
    "email": "marie@girard.fr",
    "consent": {"given": True, "date": "2026-01-05"},
}


async def _pick_girard(pilot, db: Path, role: str | None = None) -> AccompanimentScreen:
    """A new visit, step 2, the known « Boulangerie Girard » picked: its contact Marie
    Girard (who agreed to be kept) pre-filled. The accompaniment screen."""
    with open_store(db) as store:
        owner = {**_MARIE, "role": role}
        add_client(store, "Boulangerie Girard", commune="Soissons", contacts=[owner])
    return await _open_girard(pilot)


async def test_a_visit_started_from_the_client_file_offers_its_known_person(db: Path) -> None:
    """Acceptance finding NEW5-6: a new visit started from the business's file (f2) opened
    with nobody as interlocutor, while picking the business in step 2 offered its known
    person; « Fonction » showed « Non renseigné » for an owner. Left at once, it keeps no
    draft (NEW4-27)."""
    with open_store(db) as store:
        girard = add_client(store, "Boulangerie Girard", commune="Soissons", contacts=[_MARIE])
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await type_text(pilot, "girard")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ClientFileScreen)
        await pilot.press("f2")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, AccompanimentScreen)
        await pilot.press("f4")
        await settle(pilot)
        assert forms.field_widget(screen, PERSON_NAME).value == "Marie Girard"
        assert forms.field_widget(screen, CONSENT).value
        assert forms.field_widget(screen, ROLE).value == "owner"
        assert (screen.session["contact_id"], screen.session["client_id"]) == (
            "marie",
            girard["id"],
        )
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ClientFileScreen)
    app.shutdown()
    assert read_data(db)["sessions"] == {}


async def test_the_phone_typed_after_a_new_persons_name_is_kept(db: Path) -> None:
    """Acceptance finding NEW4-1: a name typed over the known person, then Tab, disabled
    Téléphone and E-mail as the focus moved into Téléphone: the phone typed next went
    nowhere. Now the person's details stay typable, held until her consent is ticked."""
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _pick_girard(pilot, db)
        forms.field_widget(screen, PERSON_NAME).focus()
        await pilot.press("end", *["backspace"] * len("Marie Girard"))
        # Typed without a pause, as a mediator does: the keys are queued before the name
        # is left.
        await type_at_once(pilot, *"Paul", "space", *"Martin", "tab", *"0611223344", "tab")
        await type_at_once(pilot, *"paul@martin.fr")
        phone = forms.field_widget(screen, forms.FieldPath("phone", within="contact"))
        email = forms.field_widget(screen, forms.FieldPath("email", within="contact"))
        assert (phone.value, email.value) == ("0611223344", "paul@martin.fr")
        assert screen.focused is email
        notice = screen.query_one(f"#{error_id(PERSON_NAME)}")
        assert "cochez son accord" in str(notice.render())
        screen.flush_edits()
        await app.workers.wait_for_complete()
        assert app.saves.flush(timeout=30)
        # Not kept before the consent is ticked.
        saved = next(iter(read_data(db)["clients"].values()))
        assert all("Paul" not in str(c) and "0611" not in str(c) for c in saved["contacts"])
        consent = forms.field_widget(screen, CONSENT)
        consent.focus()
        await pilot.press("space")  # Paul agrees
        await settle(pilot)
        assert not notice.display  # the line asking for his consent is answered
        screen.flush_edits()
        await app.workers.wait_for_complete()
        assert app.saves.flush(timeout=30)
    app.shutdown()
    saved = next(iter(read_data(db)["clients"].values()))
    by_name = {c["name"]: c for c in saved["contacts"]}
    assert (by_name["Paul Martin"]["phone"], by_name["Paul Martin"]["email"]) == (
        "06 11 22 33 44",
        "paul@martin.fr",
    )
    assert by_name["Marie Girard"]["phone"] == "03 23 11 22 33"


async def test_unticking_the_known_person_says_why_in_view(db: Path) -> None:
    """Acceptance finding NEW4-2: the line explaining that Marie keeps her consent in the
    file was written under Nom, out of view at 80×24, and the fields then disabled could not
    be reached to scroll to it: the mediator saw only an unticked box."""
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _pick_girard(pilot, db)
        forms.field_widget(screen, CONSENT).focus()
        await settle(pilot)
        await pilot.press("space")
        await settle(pilot)
        shown = " ".join(screen_text(app).split())
        assert "Marie Girard garde son accord dans la fiche" in shown
        assert "fiche entreprise." in shown
        await pilot.press("space")  # ticked again: the person met today agrees
        await settle(pilot)
        assert "garde son accord" not in screen_text(app)
    app.shutdown()


async def test_the_title_counts_a_step_done_at_once(db: Path) -> None:
    """Acceptance finding NEW4-4: F5 ticked the step in the list but the title kept
    « 0/14 étapes » until the next change of step."""
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _new_accompaniment(pilot)
        title = screen.query_one("#acc-title")
        assert "0/14 étapes" in str(title.render())
        await pilot.press("f5")
        await settle(pilot)
        assert "1/14 étapes" in str(title.render())
        await pilot.press("f5")
        await settle(pilot)
        assert "0/14 étapes" in str(title.render())
    app.shutdown()


async def test_an_abandoned_visit_leaves_no_empty_person_in_the_file(db: Path) -> None:
    """Acceptance finding NEW4-8: each visit left after unticking the consent (or naming
    someone who never agreed) added a person with no name, phone or e-mail to the
    business's contacts, counted as a person in exports and erasures."""
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _pick_girard(pilot, db)
        forms.field_widget(screen, CONSENT).focus()
        await pilot.press("space")  # the person met today does not agree to be kept
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        screen = await _open_girard(pilot)
        forms.field_widget(screen, PERSON_NAME).focus()
        await pilot.press("end", *["backspace"] * len("Marie Girard"))
        await type_text(pilot, "Paul Martin")
        await pilot.press("tab")  # a new person, who is not asked for her consent
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        await app.workers.wait_for_complete()
        assert app.saves.flush(timeout=30)
    app.shutdown()
    data = read_data(db)
    (saved,) = data["clients"].values()
    assert [c["name"] for c in saved["contacts"]] == ["Marie Girard"]
    assert len(data["sessions"]) == 2  # the visits themselves are kept, in progress


async def _open_girard(pilot) -> AccompanimentScreen:
    """A new visit, step 2, « Boulangerie Girard » searched and picked."""
    screen = await _new_accompaniment(pilot)
    await pilot.press("f4")
    await settle(pilot)
    screen.query_one("#client-search").focus()
    await type_text(pilot, "girard")
    await until(pilot, lambda: screen.query_one("#client-matches").option_count > 1)
    await pilot.press("down", "enter")
    await settle(pilot)
    return screen


async def _new_business(pilot, name: str) -> AccompanimentScreen:
    """A new visit on step 2, `name` typed in the business form (not searched)."""
    screen = await _new_accompaniment(pilot)
    await pilot.press("f4")
    await settle(pilot)
    forms.field_widget(screen, forms.FieldPath("name", within="client")).focus()
    await type_text(pilot, name)
    return screen


async def test_a_siret_already_known_is_refused_and_its_file_offered(db: Path) -> None:
    """Acceptance finding NEW3-35: step 2 took, for a new business, the SIRET another live
    business has, without a word: two files for one business. It now says whose SIRET it
    is, keeps it out of the new file, and Entrée takes the known file instead."""
    from tpe_tui.ui.screens.accompaniment.screen import SIRET

    with open_store(db) as store:
        girard = add_client(store, "Boulangerie Girard", commune="Soissons", siret="12345678901237")
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _new_business(pilot, "Autre Boulangerie")
        forms.field_widget(screen, SIRET).focus()
        await settle(pilot)
        await type_text(pilot, "12345678901237")
        await settle(pilot)
        error = str(screen.query_one(f"#{error_id(SIRET)}").render())
        assert "Ce SIRET est celui de Boulangerie Girard (Soissons)" in error
        assert screen.client is not None and not screen.client.get("siret")
        matches = screen.query_one("#client-matches")
        assert "Boulangerie Girard" in str(matches.get_option_at_index(0).prompt)
        await pilot.press("backspace")  # no longer hers: no longer offered
        await settle(pilot)
        assert not matches.display
        await pilot.press("7")
        await settle(pilot)
        assert matches.display
        await pilot.press("enter")
        await settle(pilot)
        assert screen.client["id"] == girard["id"]
        assert not screen.query_one(f"#{error_id(SIRET)}").display
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
    app.shutdown()
    data = read_data(db)
    live = [c for c in data["clients"].values() if not c.get("deleted")]
    assert [c["id"] for c in live] == [girard["id"]]  # « Autre Boulangerie » dropped
    (session,) = data["sessions"].values()
    assert session["client_id"] == girard["id"]


async def test_a_siret_typed_before_the_known_ones_are_read_is_checked_then(db: Path) -> None:
    """The SIRETs are read once the visit is shown (0.1 s at 100,000 visits): one typed
    before they arrive is checked when they do, and taken out of the new business."""
    from tpe_tui.ui.screens.accompaniment.screen import SIRET

    with open_store(db) as store:
        add_client(store, "Boulangerie Girard", commune="Soissons", siret="12345678901237")
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _new_business(pilot, "Autre Boulangerie")
        owners, screen.siret_owners = screen.siret_owners, {}  # not read yet
        forms.field_widget(screen, SIRET).focus()
        await type_text(pilot, "12345678901237")
        await settle(pilot)
        assert screen.client is not None and screen.client["siret"] == "12345678901237"
        screen._sirets_read(owners)
        await settle(pilot)
        assert "Boulangerie Girard (Soissons)" in str(
            screen.query_one(f"#{error_id(SIRET)}").render()
        )
        assert screen.client["siret"] == ""
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)  # a value not kept: asked first
        await pilot.press("o")
        await settle(pilot)
    app.shutdown()
    sirets = [c.get("siret") for c in read_data(db)["clients"].values()]
    assert sorted(sirets) == ["", "12345678901237"]


async def test_a_new_business_like_a_known_one_gets_a_hint(db: Path) -> None:
    """Same family: a business typed in step 2 with the name and commune of a known file
    said nothing (the duplicates tab found it later)."""
    with open_store(db) as store:
        add_client(store, "Boulangerie Girard", commune="Soissons")
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _new_business(pilot, "boulangerie girard")
        forms.field_widget(screen, forms.FieldPath("commune", within="client")).focus()
        await type_text(pilot, "Soissons")
        await pilot.press("tab")
        await settle(pilot)
        hint = screen.query_one("#client-same")
        assert hint.display
        assert "Déjà connue ? Boulangerie Girard (Soissons) (mêmes nom et commune)" in str(
            hint.render()
        )
    app.shutdown()


async def test_a_paste_queued_behind_f4_lands_in_the_next_step(db: Path) -> None:
    """Acceptance finding NEW3-12: a paste sent while the app still lagged behind a long
    step 2 went into step 2's « Commune » while step 3 was on screen."""
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _new_business(pilot, "Fleuriste")
        commune = forms.field_widget(screen, forms.FieldPath("commune", within="client"))
        commune.focus()
        await pilot.pause()
        # Both already waiting when F4 is handled, as when the app lags behind the keyboard.
        app.post_message(events.Key("f4", None))
        app.post_message(events.Paste("Bonjour, je voudrais un site"))
        await settle(pilot)
        assert screen.steps[screen.step_index].code == "request"
        assert commune.value == ""
        focused = screen.focused
        assert isinstance(focused, TextArea) and "je voudrais un site" in focused.text
    app.shutdown()


async def _to_solutions(pilot) -> AccompanimentScreen:
    screen = await _new_accompaniment(pilot)
    await pilot.press(*["f4"] * 7)
    await settle(pilot)
    assert "Solutions" in str(screen.query_one("#step-title").render())
    return screen


def _solution_titles(screen: AccompanimentScreen) -> list[tuple[str, str]]:
    return [
        (str(editor.border_title), editor.title_input.value)
        for editor in screen.query(SolutionEditor)
    ]


async def test_add_a_solution_opens_a_form_with_its_title_focused(db: Path) -> None:
    """Acceptance finding NEW5-3: Entrée on « Ajouter une solution » closed the app (the new
    form's title was focused before the form had its fields)."""
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _to_solutions(pilot)
        screen.query_one("#add-solution").focus()
        await pilot.press("enter")
        await settle(pilot)
        assert app.is_running and app.screen is screen
        editors = list(screen.query(SolutionEditor))
        assert len(editors) == 3 and app.focused is editors[2].title_input
        await type_text(pilot, "Agenda partagé")
        await pilot.press("tab")
        await settle(pilot)
        assert [s["title"] for s in screen.session["solutions"]] == ["Agenda partagé"]
    app.shutdown()


async def test_removing_a_written_solution_asks_and_two_forms_stay(db: Path) -> None:
    """Acceptance finding NEW5-1: Entrée on « Retirer cette solution » removed a solution
    with all that was typed in it, at once; the last one left no form at all."""
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _to_solutions(pilot)
        assert app.focused is screen.query(SolutionEditor).first().title_input
        await type_text(pilot, "Boutique en ligne")
        await pilot.press(*["tab"] * 6)  # Domaine, Avantages, Inconvénients, Coût, Effort, button
        assert "remove-solution" in app.focused.classes
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("enter")  # « Revenir » has the focus: nothing removed
        await settle(pilot)
        assert app.screen is screen
        assert [s["title"] for s in screen.session["solutions"]] == ["Boutique en ligne"]
        assert "remove-solution" in app.focused.classes
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("o")  # Retirer
        await settle(pilot)
        assert screen.session["solutions"] == []
        assert _solution_titles(screen) == [("Solution 1", ""), ("Solution 2", "")]
        # NEW5-16: the form in its place has the focus, and what is typed next lands there.
        assert app.focused is screen.query(SolutionEditor).first().title_input
        await type_text(pilot, "Agenda")
        await settle(pilot)
        assert _solution_titles(screen)[0] == ("Solution 1", "Agenda")
        # A blank form goes without a question.
        screen.query(".remove-solution").last().focus()
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        assert _solution_titles(screen) == [("Solution 1", "Agenda"), ("Solution 2", "")]
    sessions = read_data(db)["sessions"]
    assert [[x["title"] for x in s.get("solutions") or []] for s in sessions.values()] == [
        ["Agenda"]
    ]
    app.shutdown()


async def test_prefill_keeps_what_the_mediator_wrote_in_the_synthesis(db: Path) -> None:
    """Acceptance finding NEW5-5: « Pré-remplir depuis les besoins et solutions » replaced
    the synthesis typed, and Ctrl+Z did not bring it back. The generated text now goes below
    what is written, as an edit that Ctrl+Z takes back."""
    app = make_app(db)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        screen = await _new_accompaniment(pilot)
        await pilot.press("f4", "f4")  # 3 · Demande, its first field focused
        await type_text(pilot, "Vendre en ligne")
        await pilot.press(*["f4"] * 7)  # 10 · Synthèse: an empty box is pre-filled
        await settle(pilot)
        box = screen.query_one("#f-synthesis", TextArea)
        assert box.text == "Demande : Vendre en ligne"
        assert app.focused.id == "prefill-synthesis"
        await pilot.press("tab")
        await type_text(pilot, "MON TEXTE ")
        await pilot.press(*["f3"] * 7)  # back to the request, which grows
        await type_text(pilot, " et livrer")
        await pilot.press(*["f4"] * 7)
        await settle(pilot)
        written = "MON TEXTE Demande : Vendre en ligne"
        assert box.text == written and app.focused.id == "prefill-synthesis"
        await pilot.press("enter")
        await settle(pilot)
        assert box.text == written + "\n\nDemande : Vendre en ligne et livrer"
        assert screen.session["synthesis"] == box.text and app.focused is box
        assert "Ajouté sous votre texte" in [n.message for n in app._notifications][-1]
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert box.text == written and screen.session["synthesis"] == written
        await pilot.press("ctrl+s")
        await settle(pilot)
    sessions = read_data(db)["sessions"]
    assert [s["synthesis"] for s in sessions.values()] == [written]
    app.shutdown()


async def test_a_business_typed_in_a_catalogue_commune_gets_its_territory(db: Path) -> None:
    """Acceptance finding NEW4-25: a business typed with « Soissons » got no territory, and
    neither did the visit, so the bilan counted it « Non renseigné ». The save derives it
    from the commune (as the directory import does); step 1, left empty, takes it too."""
    from tpe_tui.ui.screens.accompaniment.screen import CLIENT_TERRITORY, VISIT_TERRITORY

    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _new_business(pilot, "Fleuriste Roussel")
        forms.field_widget(screen, forms.FieldPath("commune", within="client")).focus()
        await type_text(pilot, "Soissons")
        await pilot.press("tab")  # leaving the field saves
        await settle(pilot)
        assert forms.field_widget(screen, CLIENT_TERRITORY).value == "Soissons"
        assert forms.field_widget(screen, VISIT_TERRITORY).value == "Soissons"
        await pilot.press("ctrl+u", *"Calais", "tab")  # typed over it: the person's choice
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
    app.shutdown()
    data = read_data(db)
    (client,) = data["clients"].values()
    (session,) = data["sessions"].values()
    assert client["territory"] == "Calais" and session["territory"] == "Soissons"


def _focused_in_view(screen: AccompanimentScreen) -> bool:
    """The focused field lies whole within its step's visible area."""
    pane = screen.query_one(f"#{pane_id(screen.steps[screen.step_index].code)}")
    focused = screen.focused
    return focused is not None and pane.content_region.contains_region(focused.region)


async def test_the_focused_field_is_in_view_on_every_step(db: Path) -> None:
    """Acceptance finding NEW5-4: step 8 reached by F4 or resumed by « r » was scrolled so
    that the focused « Solution » field was above the visible area: what was typed went
    there unseen. Every step, at 80×24, by F4; then step 8 resumed."""
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _new_accompaniment(pilot)
        out_of_view = []
        for number in range(1, 15):
            await settle(pilot)
            assert f"Étape {number}/14" in str(screen.query_one("#step-title").render())
            if not _focused_in_view(screen):
                out_of_view.append(number)
            await pilot.press("f4")
        assert out_of_view == []
        await pilot.press(*["f3"] * 6)  # back to step 8, where the visit is left
        await type_text(pilot, "Agenda partagé")
        await pilot.press("escape")
        screen = await open_accompaniment(pilot, "r")
        assert "Étape 8/14" in str(screen.query_one("#step-title").render())
        first = screen.query(SolutionEditor).first()
        assert first.title_input.value == "Agenda partagé"
        assert app.focused is first.title_input and _focused_in_view(screen)
    app.shutdown()
