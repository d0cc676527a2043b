"""Synchroniser: merge another laptop's file, export ours, see the log, open conflicts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from tpe_tui.services import sync_screen
from tpe_tui.storage import paths
from tpe_tui.ui.screens.base import TpeScreen
from tpe_tui.ui.screens.dialogs import Ask, ConfirmScreen, FormDialog, MessageScreen
from tpe_tui.ui.widgets.footer import Footer
from tpe_tui.ui.widgets.plain import plain


class SyncScreen(TpeScreen[None]):
    # Its own layout (shared form styles: ui/app.tcss); ranks with app.tcss, scoped here.
    CSS = """
    #sync-path-row { height: 1; }
    #sync-path-row Button, #sync-actions Button { margin-left: 1; }
    #sync-found { height: 4; }
    #sync-path { width: 1fr; }
    #sync-body { height: 1fr; }
    #sync-body > .section.first { margin-top: 0; }
    #sync-report { height: auto; }
    #sync-actions { height: 1; margin-top: 1; }
    #sync-log { height: auto; }
    """
    BINDINGS = [
        Binding("f4", "merge(True)", "Simuler", id="dry-run"),
        Binding("f5", "merge(False)", "Fusionner", id="merge"),
        Binding("f6", "export", "Exporter", id="export"),
        Binding("f7", "conflicts", "Conflits", id="conflicts"),
        Binding("escape", "back", "Retour", id="back"),
    ]

    def compose(self) -> ComposeResult:
        yield Static(" Synchroniser avec un autre ordinateur", id="screen-title", markup=False)
        yield Static(
            "Fichier de l’autre ordinateur (sa copie exportée), ou dossier d’équipe partagé :",
            classes="hint",
            markup=False,
        )
        with Horizontal(id="sync-path-row"):
            yield Input(placeholder="/media/cle/tpe-tui.json", id="sync-path", compact=True)
            yield Button("Simuler", id="dry-run", compact=True)
            yield Button("Fusionner", id="merge", variant="primary", compact=True)
        yield Label(
            "Fichiers .json sur les clés et disques branchés", classes="section", markup=False
        )
        yield OptionList(id="sync-found", markup=False)
        with Horizontal(id="sync-actions"):
            yield Button("Exporter mon fichier…", id="export", compact=True)
            yield Button("Conflits", id="conflicts", compact=True)
        with VerticalScroll(id="sync-body"):
            yield Label("Rapport", classes="section first", markup=False)
            yield Static("Rien de fusionné pendant cette visite.", id="sync-report", markup=False)
            yield Label("Dernières synchronisations", classes="section", markup=False)
            yield Static("", id="sync-log", markup=False)
        yield Footer(show_command_palette=False, compact=True)

    def on_mount(self) -> None:
        self.query_one("#sync-path", Input).focus()
        self.reload()

    def on_screen_resume(self) -> None:
        self.reload()

    def reload(self) -> None:
        def load(ws: Any) -> tuple[list[Path], list[str], int]:
            return (
                sync_screen.candidates(),
                sync_screen.sync_log(ws),
                len(sync_screen.in_conflict(ws)),
            )

        self.read(load, self.show)

    def show(self, loaded: tuple[list[Path], list[str], int]) -> None:
        found, log, conflicts = loaded
        options = self.query_one("#sync-found", OptionList)
        options.clear_options()
        if found:
            options.add_options(
                [Option(plain(sync_screen.short_name(path)), id=str(path)) for path in found]
            )
        else:
            options.add_option(
                Option("Aucun fichier trouvé : tapez le chemin ci-dessus.", disabled=True)
            )
        self.query_one("#sync-log", Static).update(
            plain("\n".join(log) or "Aucune synchronisation encore.")
        )
        self.query_one("#conflicts", Button).label = f"Conflits ({conflicts})"

    @on(OptionList.OptionSelected, "#sync-found")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.query_one("#sync-path", Input).value = event.option.id
            self.query_one("#merge", Button).focus()

    @on(Button.Pressed)
    def _button(self, event: Button.Pressed) -> None:
        actions = {
            "dry-run": lambda: self.action_merge(True),
            "merge": lambda: self.action_merge(False),
            "export": self.action_export,
            "conflicts": self.action_conflicts,
        }
        action = actions.get(event.button.id or "")
        if action:
            action()

    @on(Input.Submitted, "#sync-path")
    def _submitted(self) -> None:
        self.action_merge(True)

    def action_merge(self, dry_run: bool, confirmed: bool = False) -> None:
        text = self.query_one("#sync-path", Input).value.strip()
        if not text:
            self.app.push_screen(MessageScreen("Indiquez d’abord le fichier à fusionner."))
            return
        path = Path(text).expanduser()
        report = self.query_one("#sync-report", Static)
        report.update("Lecture et vérification du fichier…")
        if path.is_dir():
            self.merge_team_folder(path, dry_run)
            return

        def done(outcome: Any) -> None:
            if outcome.needs_confirmation:
                report.update(
                    plain("\n".join(["Fusion en attente de votre accord.", *outcome.lines]))
                )
                self.app.push_screen(
                    ConfirmScreen(
                        f"{outcome.lines[0]} Fusionner quand même ?",
                        yes="Fusionner",
                        no="Annuler",
                        danger=True,
                    ),
                    lambda yes: self.action_merge(False, confirmed=True) if yes else None,
                )
                return
            head = (
                "Simulation : rien n’a été modifié. Fusionner (F5) pour de bon."
                if dry_run
                else "Fusion faite."
            )
            if outcome.backup:
                head += f" Sauvegarde avant fusion : {Path(outcome.backup).name}"
            report.update(plain("\n".join([head, *outcome.lines])))
            self.reload()

        # A merge is a write like any other: in line after the saves asked before it.
        self.write(lambda ws: sync_screen.merge_file(ws, path, dry_run, confirmed), done)

    def merge_team_folder(self, folder: Path, dry_run: bool) -> None:
        """A folder: merge every data file there, then leave ours in it (not when simulating)."""
        report = self.query_one("#sync-report", Static)

        def done(lines: list[str]) -> None:
            head = "Simulation : rien n’a été modifié." if dry_run else "Dossier d’équipe fusionné."
            report.update("\n".join([head, *lines]))
            self.reload()

        self.write(lambda ws: sync_screen.merge_team_folder(ws, folder, dry_run), done)

    def action_export(self) -> None:
        default = paths.documents_dir() / "tpe-tui-export.json"

        def answered(values: dict[str, Any] | None) -> None:
            if not values or not values["path"]:
                return
            target = Path(values["path"]).expanduser()
            self.write(  # the export folds the journal into our file first
                lambda ws: sync_screen.export(ws, target),
                lambda written: self.app.push_screen(
                    MessageScreen(f"Fichier exporté, prêt à copier :\n{written}")
                ),
            )

        self.app.push_screen(
            FormDialog(
                "Exporter mon fichier (dossier ou fichier)",
                [Ask("path", "Vers", value=str(default))],
                ok="Exporter",
            ),
            answered,
        )

    def action_conflicts(self) -> None:
        from tpe_tui.ui.screens.conflicts import ConflictsScreen

        self.app.push_screen(ConflictsScreen())

    def action_back(self) -> None:
        self.app.pop_screen()
