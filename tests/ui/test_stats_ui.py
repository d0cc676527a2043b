"""The statistics screen driven by keys: a period, a breakdown as bars, the definitions,
the export."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from tests import stats_data
from tests.helpers import open_store
from tests.ui.test_snapshots import demo_db  # noqa: F401  (the same seeded demo file)
from tests.ui_helpers import (
    choose,
    freeze_cursors,
    make_app,
    screen_text,
    settle,
    type_text,
    until,
)
from tpe_tui.domain.records import SHARED_TABLES, new_record
from tpe_tui.storage import paths
from tpe_tui.ui.screens.dialogs import MessageScreen
from tpe_tui.ui.screens.stats import (
    DEFINITION_COLUMNS,
    DefinitionsScreen,
    StatsScreen,
    definitions,
)

SIZE = (80, 24)


@pytest.fixture
def stats_db(db: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("TPE_TUI_TODAY", stats_data.TODAY)
    data = stats_data.build()
    with open_store(db) as store:
        for table in SHARED_TABLES:
            for record in data.get(table, {}).values():
                store.put(table, dict(record))
    return db


async def open_stats(pilot, period_downs: int = 0) -> StatsScreen:
    """From the home: key b, then the period `period_downs` below « Ce mois-ci »."""
    await settle(pilot)
    await pilot.press("t")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, StatsScreen)
    if period_downs:
        screen.query_one("#stats-period").focus()
        await choose(pilot, period_downs)
        await settle(pilot)
    return screen


def _text(screen: StatsScreen, widget_id: str) -> str:
    return str(screen.query_one(widget_id).render())


async def test_stats_screen_period_bars_definitions_and_export(
    stats_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("shutil.which", lambda name: None)  # never a real printer in tests
    app = make_app(stats_db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_stats(pilot)
        # This month (November 2026): C's session of 01/11 only.
        assert _text(screen, "#stats-totals").startswith("1 accompagnement : 1 individuel,")
        screen.query_one("#stats-period").focus()
        await choose(pilot, 1)  # « Le mois dernier »: October
        await settle(pilot)
        totals = _text(screen, "#stats-totals")
        # The workshop of 20/10 counts as the national tool counts it: 4 participants.
        assert "9 accompagnements : 5 individuels, 4 collectifs (1 atelier)" in totals
        assert "5 entreprises : 3 nouvelles, 2 suivies" in totals
        assert "6 h 28" in totals and "1 en cours" in totals
        assert "Aides : 3 proposées, 1 dossier déposé" in totals
        assert "actions du plan faites : 1" in totals
        screen.query_one("#stats-mediator").focus()
        await choose(pilot, 2)  # « Léa Vasseur » (after « Tous », « Hugo Perrin »)
        await settle(pilot)
        # Her session of 05/10 and her workshop.
        assert _text(screen, "#stats-totals").startswith("5 accompagnements : 1 individuel,")
        screen.query_one("#stats-mediator").focus()
        await pilot.press("enter", "up", "up", "enter")  # back to everyone
        await settle(pilot)
        assert _text(screen, "#stats-totals").startswith("9 accompagnements")
        screen.query_one("#stats-sections").focus()
        await pilot.press("home")  # « Type d’accompagnement »
        await settle(pilot)
        bars = _text(screen, "#stats-bars")
        assert "Individuels" in bars and "5  56 %" in bars and "4  44 %" in bars
        await pilot.press("down", "down")  # « Durées »
        await settle(pilot)
        bars = _text(screen, "#stats-bars")
        assert "Moins de 30 min" in bars and "2  33 %" in bars
        assert "borne basse incluse" in _text(screen, "#stats-definition")
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, MessageScreen)
        assert "dont nouvelles : Entreprises dont le tout premier" in app.screen.message
        await pilot.press("escape")
        await pilot.press("x")
        await settle(pilot)
        assert isinstance(app.screen, MessageScreen)
        assert "9 accompagnement(s) exportés" in app.screen.message
        # Named after what it counts (NEW3-16: another period's export took the same name).
        (exported,) = paths.documents_dir().glob("2026-11-27-activites-*.xlsx")
        assert exported.name.endswith("-activites-du-01-10-2026-au-31-10-2026.xlsx")
        rows = list(openpyxl.load_workbook(exported).active.iter_rows(values_only=True))
        header = next(i for i, row in enumerate(rows) if row[0] == "Date")
        assert len(rows) - header - 1 == 9
        await pilot.press("escape", "x")  # the same export again: a second file, not over it
        await settle(pilot)
        assert exported.with_name(f"{exported.stem}-2.xlsx").exists() and exported.exists()
        await pilot.press("escape", "p")  # no printer here: the PDF is kept, its path said
        await settle(pilot)
        assert isinstance(app.screen, MessageScreen)
        (printed,) = paths.documents_dir().glob("2026-11-27-bilan-activite-*.pdf")
        assert str(printed) in app.screen.message and printed.read_bytes().startswith(b"%PDF")
        await pilot.press("escape", "escape")
        await settle(pilot)
        assert not isinstance(app.screen, StatsScreen)


async def test_a_place_typed_with_markup_is_shown_as_typed(stats_db: Path) -> None:
    with open_store(stats_db) as store:
        store.put(
            "sessions",
            new_record("sessions", status="closed", date="2026-10-20", place_label="[b]Café[/b]"),
        )
    app = make_app(stats_db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_stats(pilot, 1)
        index = [s.key for s in screen.figures.sections].index("places")
        screen.query_one("#stats-sections").highlighted = index
        await settle(pilot)
        assert "[b]Café[/b]" in _text(screen, "#stats-bars")  # Text, never markup


def test_stats_screen_snapshot(snap_compare, demo_db: Path) -> None:  # noqa: F811
    async def run_before(pilot) -> None:
        await open_stats(pilot, 2)  # « Cette année »
        pilot.app.screen.query_one("#stats-sections").focus()
        await pilot.press("down", "down")  # « Durées »
        await settle(pilot)

    assert snap_compare(make_app(demo_db), terminal_size=SIZE, run_before=run_before)


def test_stats_screen_period_typed_and_a_day_refused_snapshot(snap_compare, demo_db: Path) -> None:  # noqa: F811
    """The second line of filters (commune, place, the two days), a day refused, and the
    place chosen named in the title."""

    async def run_before(pilot) -> None:
        await open_stats(pilot, 4)  # « Du … au … »
        await type_text(pilot, "01/09/2026")
        await pilot.press("enter")
        await type_text(pilot, "31/09/2026")
        await pilot.press("enter")
        await settle(pilot)
        pilot.app.screen.query_one("#stats-place").focus()
        await choose(pilot, 1)  # its name whole in the title, cut in its choice
        pilot.app.screen.query_one("#stats-to").focus()
        await settle(pilot)
        await freeze_cursors(pilot)

    assert snap_compare(make_app(demo_db), terminal_size=SIZE, run_before=run_before)


def test_stats_definitions_snapshot(snap_compare, demo_db: Path) -> None:  # noqa: F811
    """The definitions at 80x24: the text scrolls inside the dialog, « Compris » in view."""

    async def run_before(pilot) -> None:
        await open_stats(pilot, 2)
        await pilot.press("question_mark")
        await settle(pilot)
        await pilot.press("pagedown")
        await settle(pilot)

    assert snap_compare(make_app(demo_db), terminal_size=SIZE, run_before=run_before)


async def test_every_bar_label_and_note_is_read_whole_at_80_columns(stats_db: Path) -> None:
    """« Collectifs (ateliers) », « Tiers-lieu La Fabrique », the aids' « 1 dossier(s)
    déposé(s) »: a label longer than its column gets a line of its own, a note that does
    not fit after the count goes under it; no line is longer than the box (acceptance
    F15: « Collectifs (atelier… »)."""
    app = make_app(stats_db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_stats(pilot, 1)  # October
        sections = screen.query_one("#stats-sections")
        sections.focus()
        await pilot.press("home")
        await settle(pilot)
        assert screen.figures is not None
        width = screen.query_one("#stats-bars").content_region.width
        seen = 0
        for section in screen.figures.sections:
            shown = _text(screen, "#stats-bars")
            assert all(len(line) <= width for line in shown.splitlines()), section.key
            flat = " ".join(shown.split())
            for row in section.rows:
                if row.count:
                    assert " ".join(row.label.split()) in flat, (section.key, row.label)
                    seen += len(row.label) > 20
                if row.extra:
                    assert row.extra in flat, (section.key, row.extra)
            await pilot.press("down")
            await settle(pilot)
        assert seen >= 2  # long labels were met (« Collectifs (ateliers) » among them)


async def test_a_long_export_says_it_runs_and_refuses_a_second_meanwhile(
    stats_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Fourth acceptance pass (NEW4-24): 22 s of export with nothing on screen, and « x »
    pressed again queued a second full export."""
    import threading

    from tpe_tui.services import stats as stats_service

    real = stats_service.export_workspace
    release, calls = threading.Event(), []

    def held_export(*args, **kwargs):  # the real export, held until the test lets it go
        calls.append(args)
        release.wait(60)
        return real(*args, **kwargs)

    monkeypatch.setattr(stats_service, "export_workspace", held_export)
    app = make_app(stats_db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_stats(pilot)
        await pilot.press("x")
        busy = screen.query_one("#stats-busy")
        await until(pilot, lambda: bool(calls) and busy.display)
        assert _text(screen, "#stats-busy").startswith("Export XLSX en cours")
        await pilot.press("x")
        await until(pilot, lambda: "déjà en cours" in _text(screen, "#stats-busy"))
        release.set()
        # Shown whole (its button focused), not only pushed: leaving before that made the
        # app close while the dialog was being composed.
        await until(
            pilot,
            lambda: (
                isinstance(app.screen, MessageScreen)
                and app.focused is not None
                and app.focused.id == "ok"
            ),
        )
        assert "accompagnement(s) exportés" in app.screen.message
        await until(pilot, lambda: not busy.display)
        # Leave once the message is mounted whole: shutting the app down in the middle of
        # its mounting failed the test about one run in three (its « Compris » not there).
        await until(pilot, lambda: bool(app.screen.query("#ok")))
        await settle(pilot)
        assert len(calls) == 1
        assert len(list(paths.documents_dir().glob("*-activites-*.xlsx"))) == 1


async def test_a_figure_and_its_unit_are_never_split_at_80_columns(stats_db: Path) -> None:
    """Fifth acceptance pass (NEW5-2 rest): at 10k the summary lines wrapped inside a figure
    (« · 7999 / h 30 », « · 2009 en / cours »). Each figure stays whole on its line, every
    line fits the box, and the wide layout comes back when there is room."""
    import dataclasses

    from tpe_tui.ui.screens.stats import StatsView

    big = {
        "accompaniments": "18211",
        "individual": "17999",
        "collective": "212",
        "workshops": "40",
        "hours": "17999 h 30",
        "businesses": "9612",
        "new": "3001",
        "followed": "6611",
        "redirection_rate": "37 %",
        "in_progress": "2009",
        "aids_proposed": "1234",
        "aids_applied": "567",
        "actions_done": "8901",
    }
    app = make_app(stats_db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_stats(pilot, 1)
        assert screen.figures is not None
        totals = [
            dataclasses.replace(t, value=big.get(t.key, t.value)) for t in screen.figures.totals
        ]
        figures = dataclasses.replace(screen.figures, totals=totals)
        screen.show(StatsView(figures, screen.known))
        await settle(pilot)
        box = screen.query_one("#stats-totals")
        lines = [strip.text.rstrip() for strip in box.render_lines(box.content_region.reset_offset)]
        lines = [line for line in lines if line]
        assert all(len(line) <= box.content_region.width for line in lines)
        for group in ("17999 h 30", "2009 en cours", "orientation 37 %", "17999 individuels"):
            assert any(group in line for line in lines), (group, lines)
        await pilot.resize_terminal(120, 24)
        await settle(pilot)
        wide = [line for line in _text(screen, "#stats-totals").splitlines() if line.strip()]
        assert len(wide) == 3, wide  # the three lines of the wide layout, one per subject


async def test_a_period_typed_from_one_day_to_another_and_commune_and_place_filters(
    stats_db: Path,
) -> None:
    """Sixth acceptance pass (NEW6-1): the screen had four named periods and no commune or
    place filter. « Du … au … » takes two days typed JJ/MM/AAAA (a day refused says why and
    the figures stay), the commune and place choices filter, and the export says them all."""
    app = make_app(stats_db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_stats(pilot)
        assert _text(screen, "#stats-totals").startswith("1 accompagnement :")  # November
        screen.query_one("#stats-period").focus()
        await choose(pilot, 4)  # « Du … au … »: the first day's field is next
        await settle(pilot)
        assert app.focused is screen.query_one("#stats-from")
        await type_text(pilot, "01/10/2026")
        await pilot.press("tab")  # leaving the field counts from that day
        await settle(pilot)
        assert app.focused is screen.query_one("#stats-to")
        # October and November: the nine of October and C's session of 01/11.
        assert _text(screen, "#stats-totals").startswith("10 accompagnements")
        await type_text(pilot, "31/10/2026")
        await pilot.press("enter")
        await settle(pilot)
        assert _text(screen, "#stats-totals").startswith("9 accompagnements")
        assert not screen.query_one("#stats-error").display
        # A day that does not exist, then an end before the start: said, figures kept.
        await type_text(pilot, "31/02/2026")
        await pilot.press("enter")
        await settle(pilot)
        error = _text(screen, "#stats-error")
        assert screen.query_one("#stats-error").display
        assert error.startswith("Date de fin : Cette date n’existe pas.")
        assert "restent ceux d’avant (du 01/10/2026 au 31/10/2026)" in error
        assert _text(screen, "#stats-totals").startswith("9 accompagnements")
        await type_text(pilot, "30/09/2026")
        await pilot.press("enter")
        await settle(pilot)
        assert "est après la date de fin (30/09/2026)" in _text(screen, "#stats-error")
        assert _text(screen, "#stats-totals").startswith("9 accompagnements")
        await type_text(pilot, "31/10/2026")
        await pilot.press("enter")
        await settle(pilot)
        assert not screen.query_one("#stats-error").display
        # Calais's businesses in October: B's two sessions.
        screen.query_one("#stats-commune").focus()
        await choose(pilot, 2)  # after « Toutes les communes », « Arras »
        await settle(pilot)
        assert _text(screen, "#stats-totals").startswith("2 accompagnements : 2 individuels")
        await pilot.press("enter", "up", "up", "enter")  # back to every commune
        # The tiers-lieu (from the directory): A's session of 01/10 and the workshop.
        screen.query_one("#stats-place").focus()
        await choose(pilot, 1)
        await settle(pilot)
        assert _text(screen, "#stats-totals").startswith("5 accompagnements : 1 individuel,")
        described = dict(screen.filters().describe())
        assert described["Période"] == "du 01/10/2026 au 31/10/2026"
        assert described["Lieu"] == "Tiers-lieu La Fabrique"
        assert dict(screen.figures.filters)["Lieu"] == "Tiers-lieu La Fabrique"  # the report's
        await pilot.press("x")
        await settle(pilot)
        (exported,) = paths.documents_dir().glob("*-activites-*.xlsx")
        cells = [
            tuple(c for c in row if c)
            for row in openpyxl.load_workbook(exported).active.iter_rows(values_only=True)
        ]
        assert ("Période", "du 01/10/2026 au 31/10/2026") in cells, cells[:12]
        assert ("Lieu", "Tiers-lieu La Fabrique") in cells


async def test_every_definition_is_read_at_80x24_and_the_summary_speaks_singular(
    stats_db: Path,
) -> None:
    """Sixth acceptance pass (NEW6-2): « ? » showed five of the ~45 definitions, cut at the
    dialog's edge, nothing scrolled, no button in view, and « ? » was not in the footer;
    the summary said « 1 entreprises : 0 nouvelles, 1 suivies »."""
    app = make_app(stats_db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_stats(pilot)  # November: C's session of 01/11 alone
        totals = _text(screen, "#stats-totals")
        assert totals.startswith("1 accompagnement : 1 individuel, 0 collectif (0 atelier)")
        assert "1 entreprise : 0 nouvelle, 1 suivie" in totals
        assert "Aides : 0 proposée, 0 dossier déposé" in totals
        assert "? Définitions" in screen_text(app).splitlines()[-1]  # the footer
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, DefinitionsScreen)
        shown = " ".join(screen_text(app).split())
        assert "Compris" in shown and "Accompagnements : Accompagnements comme" in shown
        last = screen.figures.sections[-1]
        assert f"{last.title} :" not in shown  # below, out of view
        seen = set()
        for _ in range(40):  # Page↓ down to the end: every definition goes by
            shown = " ".join(screen_text(app).split())
            seen |= {name for name, what in definitions(screen.figures) if f"{name} :" in shown}
            await pilot.press("pagedown")
            await pilot.pause()
        assert seen == {name for name, _ in definitions(screen.figures)}
        # Never « Dossier déposé / ? » nor « suivi « / Dossier »: French spaces hold.
        lines = app.screen.body().plain.splitlines()
        assert all(not line.startswith(("?", ":", ";", "»")) for line in lines)
        assert all(not line.rstrip().endswith("«") for line in lines)
        assert all(len(line) <= DEFINITION_COLUMNS for line in lines)
        assert any("déposé\u00a0?" in line for line in lines)
        assert f"{last.title} :" in shown and "Compris" in shown
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen


def held_load(monkeypatch: pytest.MonkeyPatch):
    """The screen's figures held until the returned event is set: counting a large file
    ends after the screen's first drawing, as at 10k sessions."""
    import threading

    from tpe_tui.services import stats as stats_service

    real, release = stats_service.figures_of_workspace, threading.Event()

    def held(*args, **kwargs):
        release.wait(60)
        return real(*args, **kwargs)

    monkeypatch.setattr(stats_service, "figures_of_workspace", held)
    return release


async def open_stats_loaded_late(pilot, release) -> StatsScreen:
    """Key t, the screen drawn while its figures are counted, then the figures."""
    await settle(pilot)
    await pilot.press("t")
    await until(pilot, lambda: isinstance(pilot.app.screen, StatsScreen))
    sections = pilot.app.screen.query_one("#stats-sections")
    await until(pilot, lambda: sections.size.width > 0)  # laid out, empty
    await pilot.pause()
    release.set()
    await settle(pilot)
    return pilot.app.screen


async def test_section_names_are_drawn_whole_when_the_figures_come_late(
    stats_db: Path,
) -> None:
    """Sixth acceptance pass (NEW6-4): at 10k the menu's first drawing showed « Type » and
    « Domaines de » without their second line. Counting a large file ends once the empty
    menu is laid out (no scroll bar: nothing to scroll); the names were measured in that
    width (« Type d’accompagnement » on one line), the scroll bar then took two columns
    and they were drawn on two lines, the second lost."""
    from tpe_tui.ui.screens.stats import StatsView

    app = make_app(stats_db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_stats(pilot)
        view = StatsView(screen.figures, screen.known)
        sections = screen.query_one("#stats-sections")
        sections.clear_options()  # the menu as the screen opens: laid out, empty
        await pilot.pause()
        screen.show(view)  # the figures come
        await settle(pilot)
        menu = sections.region
        lines = [
            line[menu.x + 1 : menu.right - 3].strip()
            for line in screen_text(app).splitlines()[menu.y + 1 : menu.bottom - 1]
        ]
        assert lines[:2] == ["Type", "d’accompagnement"], lines
        if "Domaines de" in lines[:-1]:  # above the menu's last line: its end is in view
            assert lines[lines.index("Domaines de") + 1] == "solutions", lines


def test_stats_screen_figures_come_late_snapshot(
    snap_compare,
    demo_db: Path,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The first drawing of the figures counted after the screen showed (a large file)."""
    release = held_load(monkeypatch)

    async def run_before(pilot) -> None:
        await open_stats_loaded_late(pilot, release)

    assert snap_compare(make_app(demo_db), terminal_size=SIZE, run_before=run_before)


async def test_figures_being_counted_are_said_and_the_report_is_of_the_filters_shown(
    stats_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Sixth acceptance pass (NEW6-11): at 100k a filter changed left the figures before
    under the new label for five seconds, unsaid, and « d » then wrote the report of the
    filters before, named after them. Now the title says the figures are being counted,
    those before are dimmed, and the report counts what the filters say."""
    import threading

    from tpe_tui.services import stats as stats_service

    real_count, real_save = stats_service.figures_of_workspace, stats_service.save_report
    release, held, saved = threading.Event(), [], []

    def count(workspace, filters, day=None):
        if filters.mediator and not held:  # the screen's count for the new mediator
            held.append(filters)
            release.wait(60)
        return real_count(workspace, filters, day)

    def save(figures, *args, **kwargs):
        saved.append(figures)
        return real_save(figures, *args, **kwargs)

    monkeypatch.setattr(stats_service, "figures_of_workspace", count)
    monkeypatch.setattr(stats_service, "save_report", save)
    monkeypatch.setattr("shutil.which", lambda name: None)  # never a real printer in tests
    app = make_app(stats_db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_stats(pilot, 1)  # October, everyone: 9
        assert _text(screen, "#screen-title") == " Bilan d’activité"
        screen.query_one("#stats-mediator").focus()
        await choose(pilot, 2)  # « Léa Vasseur »: her figures are being counted
        await until(pilot, lambda: bool(held))
        await pilot.pause()
        title = _text(screen, "#screen-title")
        assert title == " Bilan d’activité · médiateur : Léa Vasseur · calcul des chiffres…"
        assert screen.has_class("-counting")
        assert _text(screen, "#stats-totals").startswith("9 accompagnements")  # dimmed
        await pilot.press("d")
        await until(pilot, lambda: isinstance(app.screen, MessageScreen))
        (report,) = saved
        assert ("Médiateur", "Léa Vasseur") in report.filters
        assert report.totals[0].value == "5"  # hers, not everyone's 9
        assert "lea-vasseur" in app.screen.message
        await pilot.press("escape")
        release.set()
        await settle(pilot)
        assert _text(screen, "#stats-totals").startswith("5 accompagnements")
        assert not screen.has_class("-counting")
        assert _text(screen, "#screen-title") == " Bilan d’activité · médiateur : Léa Vasseur"


async def test_the_place_chosen_is_named_whole_in_the_title(stats_db: Path) -> None:
    """Sixth acceptance pass (NEW6-12): « Tiers-lieu La Fabrique – Calais » showed as
    « Tiers-lieu La ▼ » once chosen, and nothing else on the screen named it."""
    with open_store(stats_db) as store:
        store.put(
            "structures",
            new_record("structures", name="Tiers-lieu La Fabrique – Calais", kind="tiers_lieu"),
        )
    app = make_app(stats_db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_stats(pilot, 1)
        screen.query_one("#stats-place").focus()
        await choose(pilot, 2)  # after « Tous les lieux », « Tiers-lieu La Fabrique »
        await settle(pilot)
        assert screen.filters().place == "Tiers-lieu La Fabrique – Calais"
        assert "lieu : Tiers-lieu La Fabrique – Calais" in screen_text(app).splitlines()[0]
