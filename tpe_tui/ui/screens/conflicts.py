"""Conflicts after a sync: records edited on two laptops at once, versions side by side;
the mediator keeps one (that choice is an edit that syncs like any other)."""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Label, Static

from tpe_tui.services import sync_screen
from tpe_tui.sync.conflicts import TABLE_NAMES, Conflict, differences, version_heading
from tpe_tui.ui.widgets.plain_table import PlainTable

Record = dict[str, Any]


class ConflictsScreen(Screen):
    BINDINGS = [
        *(Binding(str(n), f"keep({n - 1})", f"Garder {n}", show=n <= 2) for n in range(1, 10)),
        Binding("escape", "back", "Retour", id="back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.found: list[Conflict] = []
        self.versions: list[Record] = []

    def compose(self) -> ComposeResult:
        yield Static(" Conflits à résoudre", id="screen-title")
        yield PlainTable(id="conflict-list", cursor_type="row", zebra_stripes=True)
        yield Label("", classes="section", id="conflict-title")
        yield PlainTable(id="conflict-diff", cursor_type="row", zebra_stripes=True)
        yield Static(
            "Touche 1, 2… : garder cette version (les autres sont remplacées partout).",
            classes="hint",
        )
        yield Footer(show_command_palette=False, compact=True)

    def on_mount(self) -> None:
        table = self.query_one("#conflict-list", DataTable)
        for label, width in (("Type", 16), ("Enregistrement", 44), ("Versions", 8)):
            table.add_column(label, width=width)
        table.focus()
        self.reload()

    def reload(self) -> None:
        self.app.load_then(sync_screen.in_conflict, self.show)  # type: ignore[attr-defined]

    def show(self, found: list[Conflict]) -> None:
        self.found = found
        table = self.query_one("#conflict-list", DataTable)
        table.clear()
        for c in found:
            table.add_row(
                TABLE_NAMES[c.table], c.title, str(c.versions), key=f"{c.table}:{c.record_id}"
            )
        if not found:
            self.query_one("#conflict-title", Label).update("Aucun conflit : tout est à jour.")
            self.query_one("#conflict-diff", DataTable).clear(columns=True)
        else:
            self._load_current()

    def _current(self) -> Conflict | None:
        table = self.query_one("#conflict-list", DataTable)
        if not table.row_count or not self.found:
            return None
        return self.found[min(table.cursor_row, len(self.found) - 1)]

    @on(DataTable.RowHighlighted, "#conflict-list")
    def _load_current(self) -> None:
        current = self._current()
        if current is None:
            return
        self.app.load_then(  # type: ignore[attr-defined]
            lambda ws: sync_screen.versions(ws, current.table, current.record_id),
            lambda versions: self._show_versions(current, versions),
        )

    def _show_versions(self, conflict: Conflict, versions: list[Record]) -> None:
        self.versions = versions
        diff = self.query_one("#conflict-diff", DataTable)
        diff.clear(columns=True)
        width = max(12, (60 - 16) // max(len(versions), 1))
        diff.add_column("Champ", width=16)
        for n, version in enumerate(versions, 1):
            diff.add_column(f"{n}. {version_heading(version)}", width=width)
        record = {**versions[0], "conflicts": versions[1:]} if versions else {}
        for label, values in differences(conflict.table, record) if versions else []:
            diff.add_row(label, *values)
        self.query_one("#conflict-title", Label).update(
            f"{TABLE_NAMES[conflict.table]} « {conflict.title} » : {len(versions)} versions"
        )

    def action_keep(self, index: int) -> None:
        current = self._current()
        if current is None or index >= len(self.versions):
            return

        def kept(_: Any) -> None:
            self.notify(f"Version {index + 1} gardée.", markup=False)
            self.reload()

        self.app.load_then(  # type: ignore[attr-defined]
            lambda ws: sync_screen.keep_version(ws, current.table, current.record_id, index),
            kept,
        )

    def action_back(self) -> None:
        self.app.pop_screen()
