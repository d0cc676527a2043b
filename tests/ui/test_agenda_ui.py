"""The agenda driven by keys: done with a note, reschedule, unreachable, open, new
accompaniment for the same business, nudges."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import add_client, add_session, open_store
from tests.ui_helpers import choose, make_app, screen_text, settle, type_text
from tpe_tui.domain.records import new_record
from tpe_tui.ui.screens.accompaniment.screen import AccompanimentScreen
from tpe_tui.ui.screens.agenda import AgendaData, AgendaScreen
from tpe_tui.ui.screens.client_file import ClientFileScreen
from tpe_tui.ui.screens.dialogs import ConfirmScreen, FormDialog
from tpe_tui.ui.screens.home import HomeData, HomeScreen
from tpe_tui.ui.screens.preview import PreviewScreen


@pytest.fixture
def agenda_db(db: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    monkeypatch.setenv("TPE_TUI_TODAY", "2026-11-24")
    with open_store(db) as store:
        client = add_client(
            store,
            "Fleuriste Roussel",
            contacts=[
                {"id": "p", "name": "Anne", "phone": "06 11 22 33 44", "consent": {"given": True}}
            ],
        )
        session = add_session(
            store, client["id"], status="closed", date="2026-11-02", needs=["website"]
        )
        late = store.put(
            "followups",
            new_record(
                "followups",
                client_id=client["id"],
                session_id=session["id"],
                due_date="2026-11-20",
                reason="Vérifier le site",
            ),
        )
        soon = store.put(
            "followups",
            new_record(
                "followups",
                client_id=client["id"],
                session_id=session["id"],
                due_date="2026-11-26",
                reason="Échéance devis",
            ),
        )
        quiet = add_session(
            store,
            client["id"],
            status="closed",
            date="2026-11-10",
            closed_at="2026-11-10T10:00:00Z",
        )
    return {
        "client": client["id"],
        "session": session["id"],
        "late": late["id"],
        "soon": soon["id"],
        "quiet": quiet["id"],
    }


async def test_agenda_actions(db: Path, agenda_db: dict[str, str]) -> None:
    app = make_app(db)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        home = app.screen
        assert isinstance(home, HomeScreen)
        status = str(home.query_one("#home-status").render())
        assert "1 suivi EN RETARD" in status and "1 à relancer" in status
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, AgendaScreen)
        table = app.screen.query_one("#agenda-table")
        assert [str(table.get_row_at(r)[1]) for r in range(table.row_count)] == [
            "── En retard ──",
            "Fleuriste Roussel",
            "── Cette semaine ──",
            "Fleuriste Roussel",
        ]
        assert str(table.get_row_at(1)[3]) == "06 11 22 33 44"

        # Mark the overdue one done, with a note and whether it worked.
        await pilot.press("d")  # the cursor opens on the first follow-up, not its heading
        await settle(pilot)
        assert isinstance(app.screen, FormDialog)
        await type_text(pilot, "Site en ligne, 3 commandes")
        await pilot.press("tab")
        await choose(pilot, 1)  # Oui
        await pilot.press("tab", "enter")
        await settle(pilot)
        store = app.workspace.store
        done = store.get("followups", agenda_db["late"])
        assert (done["status"], done["outcome_note"], done["solution_worked"]) == (
            "done",
            "Site en ligne, 3 commandes",
            "yes",
        )

        # Reschedule the other one, then it could not be reached.
        table = app.screen.query_one("#agenda-table")
        assert table.row_count == 2
        await pilot.press("home", "down", "r")
        await settle(pilot)
        await type_text(pilot, "05/12/2026")
        await pilot.press("enter")
        await settle(pilot)
        assert store.get("followups", agenda_db["soon"])["due_date"] == "2026-12-05"
        await pilot.press("home", "down", "i")
        await settle(pilot)
        moved = store.get("followups", agenda_db["soon"])
        assert moved["status"] == "unreachable" and moved["history"][-1]["action"] == "unreachable"
        # Due after the retry delay: its date is kept, and said so (NEW5-7 (a)).
        assert moved["due_date"] == "2026-12-05"
        said = [n.message for n in app._notifications][-1]
        assert said.startswith("Injoignable (Fleuriste Roussel · 05/12/2026 · Échéance devis)")
        assert said.endswith(" : le suivi garde sa date, le 05/12/2026.")
        assert "(injoignable)" in str(app.screen.query_one("#agenda-table").get_row_at(1)[2])

        # Open the session it came from (closed: its summary), and come back.
        await pilot.press("home", "down", "o")
        await settle(pilot)
        assert isinstance(app.screen, PreviewScreen)
        assert app.screen.source.session["id"] == agenda_db["session"]
        await pilot.press("escape")
        await settle(pilot)

        # A new accompaniment for the same business.
        await pilot.press("home", "down", "n")
        await settle(pilot)
        assert isinstance(app.screen, AccompanimentScreen)
        assert app.screen.session["client_id"] == agenda_db["client"]
        await pilot.press("escape")
        await settle(pilot)

        # The closed session without follow-up: nothing to do for now.
        await pilot.press("tab")
        assert app.screen.focused.id == "nudge-table"
        await pilot.press("d")  # "done" belongs to the follow-up list: nothing happens here
        await settle(pilot)
        assert store.get("sessions", agenda_db["quiet"]).get("nudge_level", 0) == 0
        await pilot.press("e")
        await settle(pilot)
        assert store.get("sessions", agenda_db["quiet"])["nudge_level"] == 1
        assert app.screen.query_one("#nudge-table").display is False
    app.shutdown()


async def test_a_nudge_becomes_a_callback(db: Path, agenda_db: dict[str, str]) -> None:
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        await pilot.press("tab", "r")  # "reschedule" belongs to the follow-up list
        await settle(pilot)
        assert isinstance(app.screen, AgendaScreen)
        await pilot.press("p")
        await settle(pilot)
        # The dialog names the business (NEW5-15): at 80×24 it hides the row.
        assert isinstance(app.screen, FormDialog)
        title = app.screen.title_text
        assert title == "Programmer un rappel : Fleuriste Roussel · accompagnement du 10/11/2026"
        await type_text(pilot, "01/12/2026")
        await pilot.press("enter")
        await settle(pilot)
        created = [
            f
            for f in app.workspace.store.records("followups")
            if f.get("session_id") == agenda_db["quiet"]
        ]
        assert [(f["due_date"], f["reason"]) for f in created] == [
            ("2026-12-01", "Prendre des nouvelles")
        ]
        rows = app.screen.query_one("#agenda-table")
        assert rows.row_count == 6  # three sections; the new callback is in "Plus tard"
    app.shutdown()


async def test_cursor_follows_the_rescheduled_followup(db: Path, agenda_db: dict[str, str]) -> None:
    """After a reschedule the late follow-up moves below the other one: the cursor goes
    with it, so `d` pressed at once closes the one that was acted on."""
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, AgendaScreen)
        await pilot.press("r")  # the late one ("Vérifier le site"), where the cursor opens
        await settle(pilot)
        await type_text(pilot, "10/12/2026")
        await pilot.press("enter")
        await settle(pilot)
        table = screen.query_one("#agenda-table")
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        assert key == agenda_db["late"]
        assert table.cursor_row == 3  # under "Plus tard", below "Cette semaine" and its row
        detail = str(screen.query_one("#agenda-detail").render())
        assert "Anne" in detail and "06 11 22 33 44" in detail and "Vérifier le site" in detail
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, FormDialog)
        await pilot.press("tab")
        await choose(pilot, 1)
        await pilot.press("tab", "enter")
        await settle(pilot)
        store = app.workspace.store
        assert store.get("followups", agenda_db["late"])["status"] == "done"
        assert store.get("followups", agenda_db["soon"])["status"] == "todo"
    app.shutdown()


async def test_each_dialog_names_the_followup_it_acts_on(
    db: Path, agenda_db: dict[str, str]
) -> None:
    """Acceptance finding NEW3-14: one business, several follow-ups — « Suivi fait :
    Fleuriste Roussel » did not say which one was being closed."""
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        for key, question in (("d", "Suivi fait"), ("r", "Reporter le suivi")):
            await pilot.press(key)  # on the late one, where the cursor opens
            await settle(pilot)
            assert isinstance(app.screen, FormDialog)
            title = app.screen.title_text
            assert title == f"{question} : Fleuriste Roussel · 20/11/2026 · Vérifier le site"
            label, box = app.screen.query_one(".dialog-title"), app.screen.query_one(".dialog")
            assert label.region.right <= box.content_region.right  # wrapped, not cut
            await pilot.press("escape")
            await settle(pilot)
        await pilot.press("down", "down")  # the other one, under « Cette semaine »
        await pilot.press("x")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert "Fleuriste Roussel · 26/11/2026 · Échéance devis" in app.screen.question
        await pilot.press("escape")
        await settle(pilot)
        assert app.workspace.store.get("followups", agenda_db["soon"])["status"] == "todo"
    app.shutdown()


# Coming back to a screen shows it at once: what it shows is computed again only when a
# write (or a new day) may have changed it.
def _counting(monkeypatch: pytest.MonkeyPatch, cls: type, calls: list[str]) -> None:
    real = cls.load.__func__  # type: ignore[attr-defined]

    def load(klass, workspace):  # type: ignore[no-untyped-def]
        calls.append(cls.__name__)
        return real(klass, workspace)

    monkeypatch.setattr(cls, "load", classmethod(load))


@pytest.mark.usefixtures("nothing_built_ahead")  # counts the agenda's reads from « a » on
async def test_screens_come_back_without_computing_again_unless_written(
    db: Path, agenda_db: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    _counting(monkeypatch, AgendaData, calls)
    _counting(monkeypatch, HomeData, calls)
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert calls == ["HomeData"]  # once the file is open
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, AgendaScreen)
        assert calls == ["HomeData", "AgendaData"]  # once, not again on its first show
        await pilot.press("f")  # the business of the highlighted follow-up, and back
        await settle(pilot)
        assert isinstance(app.screen, ClientFileScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, AgendaScreen)
        assert calls == ["HomeData", "AgendaData"]  # nothing written: nothing computed
        await pilot.press("i")  # unreachable: a write, after which the agenda reloads
        await settle(pilot)
        assert calls == ["HomeData", "AgendaData", "AgendaData"]
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert calls == ["HomeData", "AgendaData", "AgendaData", "HomeData"]  # written since
        await pilot.press("a")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert calls.count("HomeData") == 2  # back again with nothing written: not computed
    app.shutdown()


async def test_the_footer_shows_the_keys_of_the_focused_list(
    db: Path, agenda_db: dict[str, str]
) -> None:
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        footer = screen_text(app).splitlines()[-1]
        assert "Reporter" in footer and "Programmer un rappel" not in footer
        await pilot.press("tab")  # to the sessions to nudge
        await settle(pilot)
        footer = screen_text(app).splitlines()[-1]
        assert "Programmer un rappel" in footer and "Reporter" not in footer
    app.shutdown()


async def test_keys_typed_ahead_do_not_act_on_the_row_just_shown(
    db: Path, agenda_db: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """« a » then letters meant for something else (acceptance run: the « i » of a search
    typed ahead marked an overdue follow-up unreachable): a key that changes a follow-up,
    pressed before the rows could be seen, is ignored, and the person told."""
    monkeypatch.setattr(AgendaScreen, "SEEN_AFTER", 3600.0)  # every key is "too soon"
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, AgendaScreen)
        await pilot.press("i", "x", "d", "r")
        await settle(pilot)
        assert isinstance(app.screen, AgendaScreen)  # no dialog opened either
        notes = [n.message for n in app._notifications]
        assert "Touche ignorée : l’agenda venait de s’afficher." in notes
        monkeypatch.setattr(AgendaScreen, "SEEN_AFTER", 0.0)  # now the row was seen
        await pilot.press("i")
        await settle(pilot)
    app.shutdown()
    with open_store(db) as store:
        statuses = {f["id"]: f["status"] for f in store.records("followups")}
    assert statuses[agenda_db["late"]] == "unreachable"
    assert statuses[agenda_db["soon"]] not in ("unreachable", "done", "abandoned")


@pytest.mark.usefixtures("nothing_built_ahead")  # the agenda read on « a », held below
async def test_a_row_key_pressed_while_the_agenda_loads_says_to_wait(
    db: Path, agenda_db: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """« f » pressed under « Chargement… » (acceptance finding NEW4-6: it did nothing,
    silently): the person is told to press it again once the follow-ups are shown."""
    import threading

    from tests.ui_helpers import until

    real = AgendaData.load.__func__  # type: ignore[attr-defined]
    release = threading.Event()

    def slow_load(klass, workspace):  # type: ignore[no-untyped-def]
        release.wait(60)  # the file still being indexed just after start
        return real(klass, workspace)

    monkeypatch.setattr(AgendaData, "load", classmethod(slow_load))
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await until(pilot, lambda: isinstance(app.screen, AgendaScreen))
        assert "Chargement…" in screen_text(app)
        await pilot.press("f")
        notes = [n.message for n in app._notifications]
        assert "Touche ignorée : l’agenda se charge encore." in " ".join(notes)
        assert isinstance(app.screen, AgendaScreen)
        release.set()
        await settle(pilot)
        assert "Chargement…" not in screen_text(app)
        await pilot.press("f")
        await settle(pilot)
        assert isinstance(app.screen, ClientFileScreen)
    app.shutdown()


async def test_escape_then_a_letter_typed_quickly_is_not_lost(
    db: Path, agenda_db: dict[str, str]
) -> None:
    """Échap then « t » within the terminal's escape delay arrive as Alt+t (acceptance run:
    the Échap was lost, the agenda stayed open and the next letters acted on it)."""
    from tpe_tui.ui.screens.stats import StatsScreen

    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, AgendaScreen)
        await pilot.press("alt+t")
        await settle(pilot)
        assert isinstance(app.screen, StatsScreen)
        assert [type(s).__name__ for s in app.screen_stack][-2:] == ["HomeScreen", "StatsScreen"]
    app.shutdown()


async def test_keys_typed_ahead_across_screens_each_act_on_the_screen_they_lead_to(
    db: Path, agenda_db: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """« u Échap a Échap / g i r » typed faster than the screens open (finding NEW4-16: the
    keys piled up, each was forwarded to the screen shown when it came, but its binding ran
    on the screen opened meanwhile, and « i » marked a follow-up « Injoignable »). All the
    keys are put in the app's queue at once, as a terminal hands over keys typed ahead."""
    from textual import events

    monkeypatch.setattr(AgendaScreen, "SEEN_AFTER", 0.0)  # not the agenda's own guard
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        for key, character in [
            ("u", "u"),
            ("escape", "\x1b"),
            ("a", "a"),
            ("escape", "\x1b"),
            ("slash", "/"),
            ("g", "g"),
            ("i", "i"),
            ("r", "r"),
        ]:
            app.post_message(events.Key(key, character))
        await settle(pilot)
        assert [type(s).__name__ for s in app.screen_stack] == ["Screen", "HomeScreen"]
        assert app.screen.query_one("#home-search").value == "gir"
    app.shutdown()
    with open_store(db) as store:
        statuses = {f["id"]: f["status"] for f in store.records("followups")}
    assert "unreachable" not in statuses.values()


async def test_a_followup_done_elsewhere_is_gone_when_the_agenda_comes_back(
    db: Path, agenda_db: dict[str, str]
) -> None:
    """The agenda's index is kept in step with the file: a follow-up closed by another
    screen's write is not shown when the agenda comes back, and the counts follow."""
    from tpe_tui.services import agenda as agenda_service

    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        status = app.screen.query_one("#agenda-status")
        assert str(status.render()).startswith("1 en retard · 1 cette semaine")
        await pilot.press("escape")
        await settle(pilot)
        app.write(lambda ws: agenda_service.complete(ws, agenda_db["late"], "", "yes"))
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        table = app.screen.query_one("#agenda-table")
        assert [str(table.get_row_at(r)[1]) for r in range(table.row_count)] == [
            "── Cette semaine ──",
            "Fleuriste Roussel",
        ]
        assert str(status.render()).startswith("1 cette semaine")
    app.shutdown()


async def test_a_row_key_with_no_followup_under_the_cursor_says_why(
    db: Path, agenda_db: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """d / r / i / x (and o, n, f) on an empty agenda did nothing without a word: the line
    under the list says why, naming the key; on a section's title, to pick a follow-up."""
    monkeypatch.setattr(AgendaScreen, "SEEN_AFTER", 0.0)  # not the typed-ahead guard
    for path, empty in ((tmp_path / "empty.json", True), (db, False)):
        app = make_app(path)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("a")
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, AgendaScreen)
            if not empty:
                await pilot.press("up")  # on « ── En retard ── »
                await settle(pilot)
            for key, name in (
                ("d", "Fait"),
                ("r", "Reporter"),
                ("i", "Injoignable"),
                ("x", "Abandon"),
                ("o", "Ouvrir"),
                ("n", "Nouveau"),
                ("f", "Fiche"),
            ):
                await pilot.press(key)
                await settle(pilot)
                assert app.screen is screen, key
                said = " ".join(screen_text(app).split())
                why = "aucun suivi dans l’agenda." if empty else "choisissez d’abord un suivi"
                assert f"« {name} » : {why}" in said, (key, said)
            if not empty:
                await pilot.press("down")  # on the follow-up: its detail is shown again
                await settle(pilot)
                assert "« Fiche »" not in screen_text(app)
                assert "Fleuriste Roussel" in str(screen.query_one("#agenda-detail").render())
        app.shutdown()
