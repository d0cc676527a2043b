"""Conflicts after a sync: the fields edited on two laptops at once, every value in full
with who wrote it; the mediator settles each field by picking a value or typing a combined
one (that choice is an edit that syncs like any other).

Keys typed while a choice is being written wait until the conflict after it is shown
(`TypeAhead.hold`): « 1 1 1 » down the list settles three conflicts, in order; each « 1 »
after the first was spent on the conflict still shown, settled again (NEW5-11)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widget import Widget
from textual.widgets import DataTable, Label, Static

from tpe_tui.domain.plain_text import printable
from tpe_tui.domain.records import Record
from tpe_tui.services import sync_screen
from tpe_tui.sync.conflicts import TABLE_NAMES, Conflict, FieldConflict, choice_heading
from tpe_tui.ui.screens.base import TpeScreen
from tpe_tui.ui.screens.dialogs import Ask, FormDialog
from tpe_tui.ui.widgets.footer import Footer
from tpe_tui.ui.widgets.plain import plain
from tpe_tui.ui.widgets.plain_table import PlainTable


class ConflictsScreen(TpeScreen[None]):
    # Its own layout (shared form styles: ui/app.tcss); ranks with app.tcss, scoped here.
    CSS = """
    #conflict-list { height: 6; }
    #conflict-fields { height: 1fr; }
    #conflict-fields .conflict-field { margin-top: 1; width: 1fr; height: auto; }
    #conflict-fields .conflict-value { padding-left: 3; height: auto; }
    """
    BINDINGS = [
        *(Binding(str(n), f"keep({n - 1})", f"Garder {n}", show=n <= 2) for n in range(1, 10)),
        Binding("tab", "next_field", "Champ suivant", id="next-field"),
        Binding("e", "combine", "Écrire une valeur", id="combine"),
        Binding("escape", "back", "Retour", id="back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.found: list[Conflict] = []
        self.fields: list[FieldConflict] = []
        self.field_index = 0
        self.devices: dict[str, Record] = {}
        # Lets the keys held since a choice go, once what follows it is shown (its write
        # done: `_written`), or at once when a dialog comes over the screen.
        self._release_keys: Callable[[], None] | None = None
        self._written = False

    def compose(self) -> ComposeResult:
        yield Static(" Conflits à résoudre", id="screen-title", markup=False)
        yield PlainTable(id="conflict-list", cursor_type="row", zebra_stripes=True)
        yield Label("", classes="section", id="conflict-title", markup=False)
        yield VerticalScroll(id="conflict-fields")
        yield Static(
            "1, 2… : garder cette valeur du champ marqué ▶ (partout après synchronisation) ; "
            "Tab : champ suivant ; e : écrire une valeur qui réunit les deux.",
            classes="hint",
            markup=False,
        )
        yield Footer(show_command_palette=False, compact=True)

    def on_mount(self) -> None:
        table = self.query_one("#conflict-list", DataTable)
        for label, width in (("Type", 16), ("Enregistrement", 44), ("Champs", 8)):
            table.add_column(label, width=width)
        table.focus()
        self.reload()

    def reload(self) -> None:
        self.read(sync_screen.in_conflict, self.show)

    def show(self, found: list[Conflict]) -> None:
        self.found = found
        table = self.query_one("#conflict-list", DataTable)
        table.clear()
        for c in found:
            table.add_row(
                TABLE_NAMES.get(c.table, c.table),
                Text(c.title),
                str(c.fields),
                key=f"{c.table}:{c.record_id}",
            )
        if not found:
            self.query_one("#conflict-title", Label).update("Aucun conflit : tout est à jour.")
            self._show_fields(None, ([], {}))
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
        self.read(
            lambda ws: sync_screen.field_conflicts(ws, current.table, current.record_id),
            lambda loaded: self._show_fields(current, loaded),
        )

    def _show_fields(
        self, conflict: Conflict | None, loaded: tuple[list[FieldConflict], dict[str, Record]]
    ) -> None:
        fields, self.devices = loaded
        if [f.path for f in fields] != [f.path for f in self.fields]:
            self.field_index = 0
        self.fields = fields
        self.field_index = min(self.field_index, max(len(fields) - 1, 0))
        box = self.query_one("#conflict-fields", VerticalScroll)
        box.remove_children()
        widgets: list[Widget] = []
        for index, field in enumerate(fields):
            mark = "▶ " if index == self.field_index else "  "
            widgets.append(
                Label(Text(f"{mark}{field.label}"), classes="conflict-field section", markup=False)
            )
            for n, choice in enumerate(field.choices, 1):
                heading = f"{n}. {choice_heading(choice, self.devices)}"
                widgets.append(
                    Static(
                        Text(printable(heading), style="bold"),
                        classes="conflict-heading",
                        markup=False,
                    )
                )
                widgets.append(Static(plain(choice.text), classes="conflict-value", markup=False))
        if widgets:
            box.mount_all(widgets)
        if conflict is not None:
            self.query_one("#conflict-title", Label).update(
                plain(
                    f"{TABLE_NAMES.get(conflict.table, conflict.table)} « {conflict.title} » : "
                    f"{len(fields)} champ(s) en conflit"
                )
            )
        if self._written:
            self._let_keys_go()

    def _let_keys_go(self) -> None:
        release, self._release_keys, self._written = self._release_keys, None, False
        if release is not None:
            release()

    def on_screen_suspend(self) -> None:
        super().on_screen_suspend()
        self._let_keys_go()  # a dialog over the screen (an error) takes the keys

    def action_next_field(self) -> None:
        current = self._current()
        if current is None or not self.fields:
            return
        self.field_index = (self.field_index + 1) % len(self.fields)
        self._show_fields(current, (self.fields, self.devices))

    def _settle(self, value: Any, what: str) -> None:
        current = self._current()
        if current is None or not self.fields:
            return
        path = self.fields[self.field_index].path
        self._release_keys = self.app.typeahead.hold()  # the next keys: for what follows

        def kept(_: Any) -> None:
            self.notify(what, markup=False)
            self._written = True  # the keys go once the conflicts are read again and shown
            self.reload()

        self.write(
            lambda ws: sync_screen.keep_value(ws, current.table, current.record_id, path, value),
            kept,
        )

    def action_keep(self, index: int) -> None:
        if not self.fields or index >= len(self.fields[self.field_index].choices):
            return
        field = self.fields[self.field_index]
        self._settle(field.choices[index].value, f"{field.label} : valeur {index + 1} gardée.")

    def action_combine(self) -> None:
        if not self.fields:
            return
        field = self.fields[self.field_index]
        shown = field.choices[0].value
        if not isinstance(shown, str):
            self.notify(
                "Ce champ ne s’écrit pas en texte libre : gardez l’une des valeurs.",
                markup=False,
            )
            return

        def answered(values: dict[str, Any] | None) -> None:
            if values is not None:
                self._settle(values["value"], f"{field.label} : nouvelle valeur gardée.")

        # A text area that wraps, all of it in view: in a one-line field only the end of a
        # long note showed, and the first version looked missing (acceptance run).
        joined = " / ".join(dict.fromkeys(c.text for c in field.choices if c.text))
        self.app.push_screen(
            FormDialog(
                "Valeur qui réunit les versions (Ctrl+S pour garder)",
                [Ask("value", "Valeur", kind="long", value=joined)],
                ok="Garder",
            ),
            answered,
        )

    def action_back(self) -> None:
        self.app.pop_screen()
