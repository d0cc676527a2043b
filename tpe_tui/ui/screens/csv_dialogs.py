"""Import and export of a list as CSV from a screen: ask for the file, run the service in
a worker, say what happened."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from tpe_tui.ui.screens.base import TpeScreen
from tpe_tui.ui.screens.dialogs import Ask, FormDialog, MessageScreen


def ask_import(
    screen: TpeScreen[Any],
    title: str,
    run: Callable[[Any, Path], Any],
    then: Callable[[], None],
) -> None:
    """Ask for a CSV file, import it with `run(workspace, path)` (whose result has
    `lines()`) on the write path, show the report, then call `then` (a reload)."""
    app = screen.app

    def answered(values: dict[str, Any] | None) -> None:
        if not values or not values["path"]:
            return
        path = Path(values["path"]).expanduser()

        def show(result: Any) -> None:
            app.push_screen(MessageScreen("\n".join(result.lines()), title=title))
            then()

        screen.write(lambda ws: run(ws, path), show)

    app.push_screen(FormDialog(title, [Ask("path", "Fichier CSV")], ok="Importer"), answered)


def ask_export(
    screen: TpeScreen[Any],
    title: str,
    default: Path,
    run: Callable[[Any, Path], int],
    noun: str,
) -> None:
    """Ask where to write (`default` proposed), export with `run(workspace, path)` which
    returns how many `noun`s were written, and say so."""
    app = screen.app

    def answered(values: dict[str, Any] | None) -> None:
        if not values or not values["path"]:
            return
        path = Path(values["path"]).expanduser()

        def export(ws: Any) -> str:
            return f"{run(ws, path)} {noun} dans {path}"

        screen.read(export, lambda said: app.push_screen(MessageScreen(said)))

    app.push_screen(
        FormDialog(title, [Ask("path", "Fichier", value=str(default))], ok="Exporter"), answered
    )
