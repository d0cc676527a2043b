"""The preview of a summary whose solution holds a very long text (finding NEW4-9)."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Markdown

from tests.helpers import add_client, add_session, open_store
from tests.ui_helpers import make_app, settle, type_text
from tpe_tui.domain.types import solution
from tpe_tui.ui.screens.preview import PreviewScreen


async def test_a_very_long_advantage_leaves_the_other_columns_readable(db: Path) -> None:
    long = " ".join(f"Les commandes arrivent la veille ({n})." for n in range(300))
    with open_store(db) as store:
        client = add_client(store, "Boulangerie Girard", commune="Soissons")
        add_session(
            store,
            client["id"],
            status="closed",
            date="2026-11-20",
            synthesis="Commande en ligne",
            solutions=[solution(title="Boutique WooCommerce", pros=long, cost="15 € par mois")],
        )
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await type_text(pilot, "commande en ligne")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, PreviewScreen)
        source = app.screen.query_one("#preview", Markdown).source
        # The solutions are a list: each heading beside its value, the whole text kept.
        assert "- **Solution : Boutique WooCommerce**" in source
        assert "  - Coût estimé : 15 € par mois" in source
        assert "(0)." in source and "(299)." in source
        assert "| Solution |" not in source
    app.shutdown()
