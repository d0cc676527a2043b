"""Closing a « Dossier déposé ? » follow-up asks « Déposé ? » — what the statistics count
from the answer — not « Ça a marché ? » (NEW3-21)."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import add_client, open_store
from tests.ui_helpers import make_app, screen_text, settle
from tpe_tui.domain.records import new_record
from tpe_tui.ui.screens.agenda import AgendaScreen
from tpe_tui.ui.screens.dialogs import FormDialog


async def test_an_aid_follow_up_asks_whether_the_file_was_filed(db: Path) -> None:
    with open_store(db) as store:
        client = add_client(store, "Garage Caron", phone="03 21 00 00 00")
        store.put(
            "followups",
            new_record(
                "followups",
                client_id=client["id"],
                kind="aid_filed",
                due_date="2020-01-06",
                reason="Dossier déposé ? Pass Numérique",
            ),
        )
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, AgendaScreen)
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, FormDialog)
        shown = screen_text(app)
        assert "Déposé ?" in shown and "Ça a marché" not in shown
    app.shutdown()
