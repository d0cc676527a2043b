"""The accompaniment builds the pane of a step when it is first shown (acceptance finding
NEW4-14: all fourteen, ≈520 widgets, made each opening take 0.4-0.7 s of the processor).
The session is the truth: a pane built late shows what the file holds, what is typed in it
is kept, and the steps are reached by F4/F3 and the step list as before."""

from __future__ import annotations

from pathlib import Path

from textual.screen import Screen

from tests.helpers import add_client, add_session, open_store, read_data
from tests.ui_helpers import make_app, open_accompaniment, settle, type_text
from tpe_tui.domain import types
from tpe_tui.domain.catalog import catalog
from tpe_tui.ui.screens.accompaniment.screen import AccompanimentScreen
from tpe_tui.ui.screens.home import HomeScreen
from tpe_tui.ui.widgets import forms
from tpe_tui.ui.widgets.solution_editor import SolutionEditor
from tpe_tui.ui.widgets.steps import StepPane

CODES = [step.code for step in catalog().steps]


def built(screen: AccompanimentScreen) -> list[str]:
    return [pane.code for pane in screen.query(StepPane)]


def shown_step(screen: AccompanimentScreen) -> str:
    """The step the title names, checked against the pane shown and the focus in it."""
    title = str(screen.query_one("#step-title").render())
    number = int(title.split("/")[0].removeprefix("Étape "))
    code = CODES[number - 1]
    pane = screen.query_one(f"#pane-{code}", StepPane)
    assert pane.display and all(not p.display for p in screen.query(StepPane) if p is not pane)
    assert screen.focused is not None and pane in screen.focused.ancestors, code
    return code


async def test_each_step_is_built_when_first_shown_by_f4_f3_or_the_step_list(db: Path) -> None:
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_accompaniment(pilot, "n")
        assert built(screen) == ["welcome"] and shown_step(screen) == "welcome"
        # F2, then down the list past « Entreprise et contact »: a step not built yet.
        await pilot.press("f2", "down", "down", "enter")
        await settle(pilot)
        jumped = shown_step(screen)
        assert jumped != "welcome" and set(built(screen)) == {"welcome", jumped}
        await pilot.press("f3")
        await settle(pilot)
        assert shown_step(screen) == CODES[CODES.index(jumped) - 1]
        for code in CODES[CODES.index(jumped) - 1 : -1]:
            await pilot.press("f4")
            await settle(pilot)
            assert shown_step(screen) == CODES[CODES.index(code) + 1]
        assert sorted(built(screen)) == sorted(CODES)  # each built once
        await pilot.press("f3", "f3")
        await settle(pilot)
        assert shown_step(screen) == CODES[-3]
    app.shutdown()


async def test_resumed_at_step_9_its_pane_first_the_others_filled_from_the_file(
    db: Path,
) -> None:
    answered = catalog().codes("answered_levels")[0]
    with open_store(db) as store:
        client = add_client(store, "Fleuriste Roussel", commune="Arras")
        session = add_session(
            store,
            client["id"],
            status="in_progress",
            current_step="check",
            answered=answered,
            request_said="Vendre ses bouquets en ligne",
            solutions=[types.solution(title="Boutique en ligne")],
        )
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_accompaniment(pilot, "r")
        assert shown_step(screen) == "check" and built(screen) == ["check"]
        assert "Étape 9/14" in str(screen.query_one("#step-title").render())
        assert forms.read(forms.field_widget(screen, "answered")) == answered

        await pilot.press("f3")  # 8 · Solutions, built now from the file
        await settle(pilot)
        assert shown_step(screen) == "solutions"
        first = screen.query(SolutionEditor).first()
        assert screen.focused is first.title_input
        assert first.title_input.value == "Boutique en ligne"
        await pilot.press("end")
        await type_text(pilot, " et retrait")
        await pilot.press(*["f3"] * 5)  # 3 · La demande
        await settle(pilot)
        assert shown_step(screen) == "request"
        said = forms.field_widget(screen, "request_said")
        assert said.text == "Vendre ses bouquets en ligne"
        await pilot.press(*["f4"] * 5)  # back to the solutions: what was typed is there
        await settle(pilot)
        assert screen.query(SolutionEditor).first().title_input.value == (
            "Boutique en ligne et retrait"
        )
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        await app.workers.wait_for_complete()
        assert app.saves.flush(timeout=30)
    app.shutdown()
    (saved,) = read_data(db)["sessions"].values()
    assert saved["id"] == session["id"]
    assert [s["title"] for s in saved["solutions"]] == ["Boutique en ligne et retrait"]
    assert saved["answered"] == answered
    assert saved["request_said"] == "Vendre ses bouquets en ligne"
    assert saved["current_step"] == "solutions"


async def test_the_summarys_e_opens_the_accompaniment_without_the_home_on_the_way(
    db: Path,
) -> None:
    """Acceptance finding NEW4-14: « e Modifier » closed the summary first, so the home
    showed while the accompaniment was read."""
    with open_store(db) as store:
        client = add_client(store, "Fleuriste Roussel", commune="Arras")
        session = add_session(store, client["id"], status="closed", current_step="closing")
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.open_preview(session["id"])
        await settle(pilot)
        shown: list[Screen[object]] = []
        app.screen_change_signal.subscribe(app, shown.append, immediate=True)
        await pilot.press("e")
        await settle(pilot)
        assert [type(s) for s in shown] == [AccompanimentScreen]
        assert shown_step(app.screen) == "closing"
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
    app.shutdown()
