"""The footer at 80 columns: keys that do not fit are left out whole, never cut."""

from __future__ import annotations

from pathlib import Path

from textual.widgets._footer import FooterKey, FooterLabel, KeyGroup

from tests.helpers import add_client, add_session, open_store
from tests.ui_helpers import make_app, screen_text, settle, type_text, until
from tpe_tui.ui.screens.client_file import ClientFileScreen
from tpe_tui.ui.screens.preview import PreviewScreen
from tpe_tui.ui.screens.stats import StatsScreen
from tpe_tui.ui.screens.workshops import WorkshopsScreen
from tpe_tui.ui.widgets.footer import MORE_KEYS, Footer


def _shown(screen) -> list[FooterKey]:
    return [key for key in screen.query_one(Footer).query(FooterKey) if key.display]


def _screen_keys_hidden(screen) -> bool:
    """Whether a key of the screen's own (not Ctrl+Q) is left out of its footer."""
    return any(
        not key.display and key.action not in ("app.quit", "quit")
        for key in screen.query_one(Footer).query(FooterKey)
    )


async def test_keys_that_do_not_fit_are_left_out_whole(db: Path) -> None:
    """Acceptance run: « esc Retour ^q Quitt » in the preview, « ^p Me » in the statistics."""
    with open_store(db) as store:
        client = add_client(store, "Boulangerie et pâtisserie artisanale Girard et fils")
        session = add_session(store, client["id"], status="closed", date="2026-11-28")
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for open_screen, kind in (
            (lambda: app.open_preview(session["id"]), PreviewScreen),
            (lambda: app.action_stats(), StatsScreen),
        ):
            open_screen()
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, kind)
            shown = _shown(screen)
            used = sum(k.outer_size.width + k.styles.margin.width for k in shown)
            assert used <= 80
            descriptions = [k.description for k in shown]
            assert "Retour" in descriptions and descriptions[-1] in ("Menu", MORE_KEYS)
            if kind is PreviewScreen:
                assert "Quitter" not in descriptions  # the first left out
            else:  # every key of the statistics fits, « ? Définitions » among them (NEW6-2)
                assert "Définitions" in descriptions and descriptions[-1] == "Menu"
            assert (descriptions[-1] == MORE_KEYS) == _screen_keys_hidden(screen)
            last_line = screen_text(app).splitlines()[-1].rstrip()
            assert last_line.endswith(f"^p {descriptions[-1]}")
            if kind is PreviewScreen:  # a long title ends with « … », not with « · »
                title = screen_text(app).splitlines()[0].rstrip()
                assert f"réf. {session['id'][:8]} · " in title and title.endswith("…")
            await pilot.press("escape")
            await settle(pilot)
    app.shutdown()


async def test_a_group_of_keys_is_left_out_with_its_label(db: Path) -> None:
    """Acceptance finding NEW3-15: on the plan of a client file, « Onglets » stayed without
    its keys F3 F4 F5 F9 and « ^p Menu » was cut: a group and its label go together."""
    with open_store(db) as store:
        client = add_client(store, "Boulangerie Girard")
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.push_screen(ClientFileScreen(client["id"]))
        await settle(pilot)
        await pilot.press("f5")  # the plan: its table has the focus, with its own keys
        await settle(pilot)
        footer = app.screen.query_one(Footer)
        used = sum(
            child.outer_size.width + child.styles.margin.width
            for child in footer.children
            if child.display
        )
        assert used <= 80
        for group in footer.query(KeyGroup):
            label = footer.children[footer.children.index(group) + 1]
            assert isinstance(label, FooterLabel) and label.display == group.display
        last_line = screen_text(app).splitlines()[-1].rstrip()
        assert _screen_keys_hidden(app.screen)
        assert last_line.endswith(f"^p {MORE_KEYS}")
        # The plan's own keys come before the tabs, its F7 (plan PDF) too (NEW4-29).
        assert "Espace Statut f7 Plan PDF" in last_line
    app.shutdown()


async def test_keys_left_out_are_said_to_be_in_the_palette(db: Path) -> None:
    """Acceptance finding NEW5-13: at 80 columns the workshops' footer left out F6
    « Émargement » and F7 « Récap » and nothing said where they were: the palette's key
    then says « Autres touches », and the palette lists them with their key."""
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.push_screen(WorkshopsScreen())
        await settle(pilot)
        assert _screen_keys_hidden(app.screen)
        assert "Émargement" not in [k.description for k in _shown(app.screen)]
        await until(
            pilot, lambda: screen_text(app).splitlines()[-1].rstrip().endswith(f"^p {MORE_KEYS}")
        )
        await pilot.press("ctrl+p")
        await settle(pilot)
        await type_text(pilot, "marg")
        await until(pilot, lambda: "Touche F6" in screen_text(app))
        assert "Émargement" in screen_text(app)
    app.shutdown()
