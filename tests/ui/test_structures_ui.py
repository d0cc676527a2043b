"""The directory screen: create and edit a structure, filter, delete, import a CSV."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import open_store
from tests.ui_helpers import choose, make_app, settle, type_text
from tpe_tui.domain.records import new_record
from tpe_tui.ui.screens.dialogs import ConfirmScreen, MessageScreen
from tpe_tui.ui.screens.structures import DirectoryScreen


async def test_directory_by_keys(db: Path, tmp_path: Path) -> None:
    with open_store(db) as store:
        store.put(
            "structures", new_record("structures", name="CCI Artois", kind="cci", territory="Arras")
        )
        store.put(
            "structures",
            new_record("structures", name="Mairie de Lens", kind="council", territory="Lens"),
        )
    csv_file = tmp_path / "lieux.csv"
    csv_file.write_bytes(
        "nom;commune;typologie;telephone\nFrance Services Liévin;Liévin;FRANCE_SERVICES;0321000000\n"
        ";Lens;;\n".encode("latin-1")
    )
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, DirectoryScreen)
        table = screen.query_one("#dir-table")
        assert [str(table.get_row_at(r)[0]) for r in range(table.row_count)] == [
            "CCI Artois",
            "Mairie de Lens",
        ]

        # A new structure: its placeholder name is selected, typing replaces it.
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert screen.focused.id == "f-name"
        await type_text(pilot, "CMA Hauts-de-France")
        await pilot.press("tab", "tab", "tab", "tab", "tab", "tab")  # down to the phone
        await type_text(pilot, "0321112233")
        await settle(pilot)
        store = app.workspace.store
        created = next(s for s in store.records("structures") if s["name"] == "CMA Hauts-de-France")
        assert created["phone"] == "03 21 11 22 33"

        # Filter by kind: councils only.
        screen.query_one("#filter-kind").focus()
        await choose(pilot, 5)  # CCI, CMA, comptable, banque, collectivité
        await settle(pilot)
        assert [str(table.get_row_at(r)[0]) for r in range(table.row_count)] == ["Mairie de Lens"]

        # Delete it (a tombstone, so the deletion reaches the other laptops).
        table.focus()
        await pilot.press("delete")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("enter")  # the safe answer has the focus: Entrée alone keeps it
        await settle(pilot)
        assert table.row_count == 1
        await pilot.press("delete")
        await settle(pilot)
        await pilot.press("o")  # « Oui »: delete
        await settle(pilot)
        assert table.row_count == 0
        (gone,) = [
            s for s in store.records("structures", deleted=True) if s["name"] == "Mairie de Lens"
        ]
        assert gone["deleted"] is True

        # Import a Latin-1 CSV with a semicolon: the good row in, the bad one listed.
        await pilot.press("f6")
        await settle(pilot)
        await type_text(pilot, str(csv_file))
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, MessageScreen)
        assert "1 structure(s) ajoutée(s)" in app.screen.message
        assert "ligne 3 : le nom est vide" in app.screen.message
        assert any(s["name"] == "France Services Liévin" for s in store.records("structures"))
    app.shutdown()


NATIONAL = (
    "id;nom;commune;code_postal;adresse;typologie;telephone;date_maj\n"
    "m-1;Médiathèque d’Achicourt;Achicourt;62217;1 rue A;BIB;12345;2026-08-01\n"
    "c-1;Chambre consulaire de l’Aisne;Laon;02000;2 rue B;CCONS;+33 3 23 00 00 00;2026-08-01\n"
    "x-1;Sans date;Arras;62000;3 rue C;RFS;;\n"
)


async def test_an_imported_national_file_then_an_edit_show_in_the_list_at_once(
    db: Path, tmp_path: Path
) -> None:
    csv_file = tmp_path / "lieux.csv"
    csv_file.write_text(NATIONAL, encoding="utf-8")
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("u", "f6")
        await settle(pilot)
        await type_text(pilot, str(csv_file))
        await pilot.press("enter")
        await settle(pilot)
        message = app.screen.message
        assert "2 structure(s) ajoutée(s)" in message
        assert "ligne 4 : champ obligatoire « date_maj » vide" in message
        assert "ligne 2 : téléphone « 12345 » ignoré (numéro invalide)" in message
        await pilot.press("escape")
        await settle(pilot)
        screen = app.screen
        table = screen.query_one("#dir-table")

        def rows() -> list[list[str]]:
            return [[str(c) for c in table.get_row_at(r)] for r in range(table.row_count)]

        # The kept national code shows by its national name, the mapped one by ours, and
        # each place has the territory of its commune (Laon is in none of them).
        assert rows() == [
            ["Chambre consulaire de l’Aisne", "Chambre consulaire", "", "03 23 00 00 00"],
            ["Médiathèque d’Achicourt", "Bibliothèque, médiathèque", "Arras", ""],
        ]
        # The territory filter works for them; the kept kind is a filter choice too.
        screen.query_one("#filter-territory").focus()
        await choose(pilot, 1)  # Arras
        await settle(pilot)
        assert [r[0] for r in rows()] == ["Médiathèque d’Achicourt"]
        assert ("Bibliothèque, médiathèque", "BIB") in [
            (str(label), code) for label, code in screen.query_one("#filter-kind")._options
        ]
        # An edit of the kind and the territory shows in the list at once.
        kind = screen.query_one("#f-kind")
        kind.focus()
        await pilot.press("enter", "home", "enter")  # the first kind: CCI
        await settle(pilot)
        screen.query_one("#f-territory").focus()
        await pilot.press("end", *["backspace"] * len("Arras"))
        await type_text(pilot, "Lens")
        await settle(pilot)
        assert rows() == [["Médiathèque d’Achicourt", "CCI", "Lens", ""]]
        saved = next(
            s for s in app.workspace.store.records("structures") if s["source_id"] == "m-1"
        )
        assert (saved["kind"], saved["territory"]) == ("cci", "Lens")
    app.shutdown()


async def test_a_bad_email_or_site_is_refused_under_its_own_field(db: Path) -> None:
    """Acceptance finding NEW3-30: « pas-un-mail » and « ftp://x » were saved without a
    word (the CSV import and the client file refuse them), and a refused phone was said
    under the last field. Each refusal now shows under its field, and is not saved."""
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, DirectoryScreen)
        await pilot.press("ctrl+n")
        await settle(pilot)
        await type_text(pilot, "Mairie de Liévin")
        await pilot.press(*["tab"] * 6)
        assert screen.focused.id == "f-phone"
        await type_text(pilot, "12")
        await pilot.press("tab")
        await type_text(pilot, "accueil@lievin.fr ; pas-un-mail")
        await pilot.press("tab")
        await type_text(pilot, "ftp://x")
        await pilot.press("tab")
        await settle(pilot)
        shown = {
            str(line.id).removeprefix("err-"): str(line.render())
            for line in screen.query(".field-error")
            if line.display
        }
        assert set(shown) == {"phone", "emails", "websites"}
        assert "Numéro de téléphone invalide" in shown["phone"]
        assert "« pas-un-mail »" in shown["emails"]
        assert "« ftp://x »" in shown["websites"]
        await pilot.press("shift+tab")
        await pilot.press(*["backspace"] * 7)
        await type_text(pilot, "https://www.lievin.fr")
        await settle(pilot)
        assert not screen.query_one("#err-websites").display
        await app.workers.wait_for_complete()
    app.shutdown()
    with open_store(db) as store:
        (saved,) = [s for s in store.records("structures") if s["name"] == "Mairie de Liévin"]
    # While « accueil@lievin.fr ; pas-un-mail » is refused, the file keeps the e-mails the
    # field held before that typing (none), not the part that was valid on the way
    # (NEW5-14); the corrected web site is saved.
    assert (saved["phone"], saved["emails"], saved["websites"]) == (
        "",
        "",
        "https://www.lievin.fr",
    )
