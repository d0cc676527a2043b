"""A file path in a notification is never cut inside a word (acceptance finding F4): it goes
to lines of its own, cut after « / » or, in a long file name, after a hyphen."""

from __future__ import annotations

from pathlib import Path

from tests.ui_helpers import make_app, screen_text, settle

NAME = "2026-11-28-boulangerie-girard-compte-rendu-737d794b.pdf"


async def test_a_printed_summary_path_is_shown_whole_words(db: Path) -> None:
    app = make_app(db)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        # Shown long enough for a loaded machine to draw it (5 s by default: it had gone,
        # once, at load 12 before the screen was read).
        app.notify(
            f"Envoyé à l’imprimante. PDF enregistré : /tmp/tpe-tui/{NAME}",
            markup=False,
            timeout=600,
        )
        await settle(pilot)
        shown = [line.strip(" ▌▎") for line in screen_text(app).split("\n")]
        folder = shown.index("/tmp/tpe-tui/")
        end = next(i for i, line in enumerate(shown) if line.endswith(".pdf"))
        pieces = shown[folder + 1 : end + 1]
        assert "".join(pieces) == NAME, shown
        assert len(pieces) > 1 and all(p.endswith("-") for p in pieces[:-1]), pieces
    app.shutdown()


async def test_a_dialog_shows_a_saved_path_cut_between_words(db: Path) -> None:
    from tpe_tui.ui.screens.dialogs import MessageScreen

    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        long_name = "2026-11-28-vendre-en-ligne-premiers-pas-emargement-6f1d045b.pdf"
        folder = "/tmp/accept3-home/Documents/tpe-tui/"
        app.push_screen(MessageScreen(f"Document enregistré :\n{folder}{long_name}"))
        await settle(pilot)
        # Inside the dialog's frame: what is between its two borders.
        shown = [
            line.split("█")[1].strip()
            for line in screen_text(app).split("\n")
            if line.count("█") == 2
        ]
        start = next(i for i, line in enumerate(shown) if line.startswith("/tmp/"))
        end = next(i for i, line in enumerate(shown) if line.endswith(".pdf"))
        pieces = shown[start : end + 1]
        assert "".join(pieces) == folder + long_name, shown
        assert all(p[-1] in "/-" for p in pieces[:-1]), pieces
    app.shutdown()


async def test_a_long_dialog_title_wraps_instead_of_being_cut(db: Path) -> None:
    """F22 leftover: « Inscrire une entreprise (fiche choisie parmi celles du mêm »."""
    from tpe_tui.ui.screens.dialogs import Ask, FormDialog

    title = "Inscrire une entreprise (fiche choisie parmi celles du même nom, ou créée)"
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.push_screen(FormDialog(title, [Ask("business", "Entreprise")], ok="Inscrire"))
        await settle(pilot)
        inside = [
            line.split("█")[1].strip()
            for line in screen_text(app).split("\n")
            if line.count("█") == 2
        ]
        assert title in " ".join(line for line in inside if line), inside
    app.shutdown()
