"""Forms saved as they are typed (aids, workshops, client file, directory): a value refused
is said under its own field, and left without it, a field keeps the value it had before."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widget import Widget

from tests.helpers import add_client, open_store, read_data
from tests.ui_helpers import make_app, open_accompaniment, settle, type_text
from tpe_tui.domain.records import new_record
from tpe_tui.ui import messages
from tpe_tui.ui.screens.aids import AidsScreen
from tpe_tui.ui.screens.client_file import ClientFileScreen
from tpe_tui.ui.screens.dialogs import ConfirmScreen
from tpe_tui.ui.screens.structures import DirectoryScreen
from tpe_tui.ui.screens.workshops import WorkshopsScreen

SIZE = (80, 24)


def said_under(screen: Widget, field: str) -> str:
    """The refusal shown on the line right under `field`'s row ("" when none is shown)."""
    row = screen.query_one(f"#f-{field}").parent
    assert row is not None
    lines = [line for line in screen.query(".field-error") if line.display]
    under = [line for line in lines if line.region.y == row.region.bottom]
    assert all(line.id == f"err-{field}" for line in under)
    return str(under[0].render()) if under else ""


async def tab_to(pilot: Pilot, field: str) -> None:
    """Tab until `field` has the focus, as a person does."""
    for _ in range(20):
        if pilot.app.focused is not None and pilot.app.focused.id == f"f-{field}":
            return
        await pilot.press("tab")
    raise AssertionError(f"Tab never reached {field}")


async def refuse_then_leave(
    pilot: Pilot, field: str, typed: str, erase: tuple[str, ...] = ("ctrl+u",)
) -> str:
    """Erase the field first (Ctrl+U), type a value that is refused, Tab to the next; then
    leave without it, as `correct_then_leave_without`. What was said under the field."""
    screen = pilot.app.screen
    await tab_to(pilot, field)
    await pilot.press(*erase)
    await type_text(pilot, typed)
    await pilot.press("tab")
    await settle(pilot)
    said = said_under(screen, field)
    await correct_then_leave_without(pilot, screen, field)
    return said


async def correct_then_leave_without(pilot: Pilot, screen: Widget, field: str) -> None:
    """Échap asks; « Corriger » puts the focus back in the refused field; Échap again, and
    « Quitter sans elles »."""
    shown = [line.id for line in screen.query(".field-error") if line.display]
    assert shown == [f"err-{field}"]  # each refusal under its own field only
    await pilot.press("escape")
    await settle(pilot)
    assert isinstance(pilot.app.screen, ConfirmScreen)
    await pilot.press("enter")  # the safe answer has the focus: « Corriger »
    await settle(pilot)
    assert pilot.app.screen is screen
    assert pilot.app.focused is not None and pilot.app.focused.id == f"f-{field}"
    await pilot.press("escape")
    await settle(pilot)
    assert isinstance(pilot.app.screen, ConfirmScreen)
    await pilot.press("o")
    await settle(pilot)
    assert pilot.app.screen is not screen


@pytest.mark.parametrize(
    ("key", "table", "record", "field"),
    [
        ("i", "aids", {"name": "Chèque numérique", "verified_on": "2026-07-11"}, "verified_on"),
        ("c", "workshops", {"title": "Google Maps", "date": "2026-12-03"}, "date"),
    ],
)
async def test_a_date_erased_then_refused_keeps_its_date(
    db: Path, key: str, table: str, record: dict[str, str], field: str
) -> None:
    """Acceptance findings NEW4-22 and NEW4-21: the aid's « Vérifié le » emptied by
    Ctrl+U, then 31/02/2026 typed: the empty date was saved on the way, so « Quitter sans
    elles » left the aid with no date; and the refusal was written under « Exemple », two
    rows below (the workshop's « Date »: under « Lieu (annuaire) », eight rows below)."""
    with open_store(db) as store:
        store.put(table, new_record(table, **record))
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press(key, "enter")
        await settle(pilot)
        assert isinstance(app.screen, AidsScreen | WorkshopsScreen)
        said = await refuse_then_leave(pilot, field, "31/02/2026")
        assert said == "Non enregistré : Cette date n’existe pas."
    app.shutdown()
    (saved,) = read_data(db)[table].values()
    assert saved[field] == record[field]


async def test_a_siret_erased_then_refused_keeps_the_files_siret(db: Path) -> None:
    """NEW4-22 in the client file: SIRET erased (Backspace to the start), then a wrong one
    typed: « Quitter sans elles » left it empty; its refusal was written under « Activité »."""
    with open_store(db) as store:
        client = add_client(store, "Boulangerie Girard", commune="Soissons", siret="73282932000074")
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.screen.post_message(messages.OpenClientFile(client["id"]))
        await settle(pilot)
        assert isinstance(app.screen, ClientFileScreen)
        erase = ("end", *["backspace"] * 14)
        said = await refuse_then_leave(pilot, "siret", "1496752695746", erase)
        assert said == "Non enregistré : Le SIRET compte 14 chiffres."
    app.shutdown()
    (kept,) = read_data(db)["clients"].values()
    assert kept["siret"] == "73282932000074"


async def test_the_directory_follows_the_same_rule(db: Path) -> None:
    """A phone erased then refused keeps the number; one erased on purpose (Ctrl+U, Tab)
    is saved empty, as any value typed and left."""
    with open_store(db) as store:
        store.put(
            "structures",
            new_record("structures", name="CCI Aisne", kind="cci", phone="03 23 00 00 00"),
        )
        store.put("structures", new_record("structures", name="Mairie", phone="03 23 11 11 11"))
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("u", "enter")
        await settle(pilot)
        assert isinstance(app.screen, DirectoryScreen)
        said = await refuse_then_leave(pilot, "phone", "12")
        assert said.startswith("Non enregistré : Numéro de téléphone")
        await pilot.press("u", "down", "enter")  # the other structure: erased on purpose
        await settle(pilot)
        await tab_to(pilot, "phone")
        await pilot.press("ctrl+u", "tab", "escape")
        await settle(pilot)
        assert not isinstance(app.screen, DirectoryScreen | ConfirmScreen)
    app.shutdown()
    phones = {s["name"]: s["phone"] for s in read_data(db)["structures"].values()}
    assert phones == {"CCI Aisne": "03 23 00 00 00", "Mairie": ""}


async def test_while_a_value_is_refused_the_file_keeps_the_one_before(db: Path) -> None:
    """Fifth acceptance pass (NEW5-14): SIRET emptied by Ctrl+U, then « 1234 » refused: the
    file held the empty SIRET until the form was left, and F2 « Nouveau » opened a visit
    with no SIRET. The file keeps the SIRET from before while « 1234 » is refused."""
    from tpe_tui.ui.screens.accompaniment.screen import AccompanimentScreen

    with open_store(db) as store:
        client = add_client(store, "Boulangerie Girard", siret="73282932000074")
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.screen.post_message(messages.OpenClientFile(client["id"]))
        await settle(pilot)
        await tab_to(pilot, "siret")
        await pilot.press("ctrl+u")
        await settle(pilot)
        assert app.workspace.store.get("clients", client["id"])["siret"] == ""  # as typed
        await type_text(pilot, "1234")
        await pilot.press("tab")
        await settle(pilot)
        assert app.workspace.store.get("clients", client["id"])["siret"] == "73282932000074"
        assert app.screen.query_one("#f-siret").value == "1234"  # still shown, to correct
        await pilot.press("f2")
        await settle(pilot)
        assert isinstance(app.screen, AccompanimentScreen)
        assert app.screen.client["siret"] == "73282932000074"
    app.shutdown()


async def back_to_the_list(pilot: Pilot, list_id: str) -> None:
    """Maj+Tab until the list above the form has the focus, as a person does."""
    for _ in range(30):
        if pilot.app.focused is not None and pilot.app.focused.id == list_id:
            return
        await pilot.press("shift+tab")
    raise AssertionError(f"Maj+Tab never reached {list_id}")


@pytest.mark.parametrize(
    ("key", "table", "name", "list_id", "field"),
    [
        ("i", "aids", "name", "aid-table", "verified_on"),
        ("c", "workshops", "title", "ws-table", "date"),
        ("u", "structures", "name", "dir-table", "phone"),
    ],
)
async def test_moving_to_another_entry_with_a_refused_value_asks_first(
    db: Path, key: str, table: str, name: str, list_id: str, field: str
) -> None:
    """↓ in the list while what is typed in a field of the entry shown is refused showed the
    next entry and dropped the typed text without a word. It asks, as leaving does:
    « Corriger » puts the cursor back and the typed text is still there to correct;
    « Passer sans elles » shows the next one, and the first keeps its value from before."""
    typed = "12" if field == "phone" else "31/02/2026"
    with open_store(db) as store:
        for title in ("A premier", "B second"):
            store.put(table, new_record(table, **{name: title, field: ""}))
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press(key, "enter")
        await settle(pilot)
        screen = app.screen
        await tab_to(pilot, field)
        await type_text(pilot, typed)
        await pilot.press("tab")
        await settle(pilot)
        assert said_under(screen, field).startswith("Non enregistré")
        await back_to_the_list(pilot, list_id)
        await pilot.press("down")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert "Passer à « B second » quand même ?" in app.screen.question
        assert f"« {typed} »" in app.screen.question
        await pilot.press("enter")  # « Corriger »
        await settle(pilot)
        assert app.screen is screen
        assert screen.query_one(f"#{list_id}").cursor_row == 0
        assert screen.record[name] == "A premier"
        assert app.focused is not None and app.focused.id == f"f-{field}"
        assert app.focused.value == typed
        await back_to_the_list(pilot, list_id)
        await pilot.press("down")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("o")  # « Passer sans elles »
        await settle(pilot)
        assert app.screen is screen
        assert screen.record[name] == "B second"
        assert said_under(screen, field) == ""
    app.shutdown()
    kept = {r[name]: r[field] for r in read_data(db)[table].values()}
    assert kept == {"A premier": "", "B second": ""}


async def test_the_accompaniment_keeps_the_same_rule_on_every_way_out(db: Path) -> None:
    """The accompaniment's step 2 as the client file (NEW5-14): SIRET emptied by Ctrl+U,
    then « 1234 » refused: the file held the empty SIRET (a step change saved it, and F9
    closed the visit with it) and « Quitter sans elles » left it empty. The file now keeps
    the SIRET from before; F9 asks as Échap and Ctrl+Q do, « Corriger » shows the field."""
    from tpe_tui.ui.screens.accompaniment.screen import SIRET
    from tpe_tui.ui.widgets import forms

    with open_store(db) as store:
        client = add_client(store, "Boulangerie Girard", siret="73282932000074")
    app = make_app(db)

    def siret_in_file() -> str:
        return app.workspace.store.get("clients", client["id"])["siret"]

    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.screen.post_message(messages.OpenClientFile(client["id"]))
        screen = await open_accompaniment(pilot, "f2")  # a new visit for it
        await pilot.press("f4")
        await settle(pilot)
        field = forms.field_widget(screen, SIRET)
        field.focus()
        await pilot.press("ctrl+u")
        await type_text(pilot, "1234")
        await pilot.press("tab")
        await settle(pilot)
        assert field.value == "1234"  # still shown, under its refusal, to correct
        assert siret_in_file() == "73282932000074"
        await pilot.press("f4", "f3")  # a step change saves: the SIRET from before
        await settle(pilot)
        assert siret_in_file() == "73282932000074"
        step_two = screen.step_index
        for key, doing in (("f9", "Clôturer"), ("escape", "Quitter"), ("ctrl+q", "Quitter")):
            await pilot.press("f4")  # on another step than the field refused
            await settle(pilot)
            await pilot.press(key)
            await settle(pilot)
            dialog = app.screen
            assert isinstance(dialog, ConfirmScreen), key
            assert "« 1234 » : Le SIRET compte 14 chiffres." in dialog.question
            assert f"{doing} quand même ?" in dialog.question
            await pilot.press("enter")  # « Corriger »
            await settle(pilot)
            assert app.screen is screen and app.return_code is None
            assert screen.step_index == step_two and app.focused is field  # shown, to type
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("o")  # « Quitter sans elles »
        await settle(pilot)
        assert isinstance(app.screen, ClientFileScreen)  # where the visit was opened from
    app.shutdown()
    (kept,) = read_data(db)["clients"].values()
    assert kept["siret"] == "73282932000074"
