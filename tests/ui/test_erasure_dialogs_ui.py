"""The erasure dialogs at 80x24 with many documents (third acceptance pass, NEW3-10): every
file name can be read by keyboard before answering, the business's own documents apart from
those about many, and the report keeps « Compris » in view and each name on one line."""

from __future__ import annotations

from pathlib import Path

from textual.app import App
from textual.widgets import Button, Static

from tests.ui_helpers import screen_text
from tpe_tui.services.erasure import ErasurePlan, ErasureReport
from tpe_tui.ui.app import TpeApp
from tpe_tui.ui.screens.erasure import EraseDialog, ErasureReportScreen

FOLDER = Path("/documents/tpe-tui")
OWN = [
    FOLDER / f"2026-11-28-boulangerie-girard-compte-rendu-392c608a.{fmt}"
    for fmt in ("md", "html", "pdf")
] + [FOLDER / "2026-11-28-boulangerie-girard-plan-d-actions-e15c5a89.pdf"]
SHARED = [
    FOLDER / "2026-11-28-activites.csv",
    FOLDER / "2026-11-28-activites.xlsx",
    FOLDER / "2026-11-28-vendre-en-ligne-premiers-pas-emargement-6f1d045b.md",
    FOLDER / "2026-11-28-vendre-en-ligne-premiers-pas-emargement-6f1d045b.pdf",
]


class Host(App[None]):
    CSS_PATH = TpeApp.CSS_PATH  # the app's dialogs as the app draws them

    def __init__(self) -> None:
        super().__init__()
        self.answers: list[list[Path] | None] = []

    def on_mount(self) -> None:
        plan = ErasurePlan("e15c5a89", "Boulangerie Girard", OWN, SHARED)
        self.push_screen(EraseDialog(plan), self.answers.append)


def _inside(app: App[None], widget_region: tuple[int, int, int, int]) -> bool:
    _, y, width, height = widget_region
    return width > 0 and height > 0 and y >= 0 and y + height <= app.size.height


async def test_every_document_name_is_read_by_keyboard_before_answering() -> None:
    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, EraseDialog)
        text = str(dialog.query_one("#erase-text Static").render())
        own_part, shared_part = text.split("contiennent aussi cette entreprise")
        assert all(p.name in own_part for p in OWN)
        assert all(p.name in shared_part and p.name not in own_part for p in SHARED)
        assert "jamais supprimés" in text
        scroll = dialog.query_one("#erase-text")
        assert scroll.max_scroll_y > 0  # more than fits: it must scroll
        await pilot.press("tab")  # from « Annuler » (focused on opening) to the text
        assert app.focused is scroll
        await pilot.press("end")
        await pilot.pause()
        assert scroll.scroll_y == scroll.max_scroll_y
        # The box and both buttons stay on screen while the text scrolls.
        for selector in ("#delete-documents", "#yes", "#no"):
            assert _inside(app, tuple(dialog.query_one(selector).region))
        terminal = screen_text(app)
        assert all(word in terminal for word in ("Supprimer aussi", "Effacer", "Annuler"))
        await pilot.press("tab", "space", "tab", "enter")  # box ticked, « Effacer »
        await pilot.pause()
    assert app.answers == [OWN]  # only its own documents, never the shared ones


class ReportHost(App[None]):
    CSS_PATH = TpeApp.CSS_PATH

    def __init__(self, report: ErasureReport) -> None:
        super().__init__()
        self.report = report

    def on_mount(self) -> None:
        self.push_screen(ErasureReportScreen(self.report.as_french()))


async def test_the_report_fits_80x24_and_keeps_names_whole() -> None:
    report = ErasureReport([{"id": "e15c5a89"}], {"sessions": 1})
    report.backups_rewritten = [FOLDER / f"b{n}" for n in range(3)]
    report.documents_removed = OWN
    report.documents_shared = SHARED
    app = ReportHost(report)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ErasureReportScreen)
        assert _inside(app, tuple(screen.query_one("#ok", Button).region))
        # Drawn, not clipped by the dialog (re-test: « Compris » was out of view).
        assert "Compris" in screen_text(app)
        text = screen.query_one("#report-text Static", Static)
        longest = max(len(line) for line in report.as_french().splitlines() if "•" in line)
        assert text.content_region.width >= longest  # a file name is never cut in two
        scroll = screen.query_one("#report-text")
        await pilot.press("shift+tab")
        assert app.focused is scroll
        await pilot.press("end")
        await pilot.pause()
        assert scroll.scroll_y == scroll.max_scroll_y > 0
        await pilot.press("tab", "enter")
        await pilot.pause()
        assert not isinstance(app.screen, ErasureReportScreen)
