"""A list of records above the form of the one under the cursor, edited in place and saved
as it is typed: the shape of the aids and the workshops screens.

A screen of this shape says which table it lists (`list_id`, `columns`, `cells`, `listing`),
which container holds the form (`form_id`) and which field's Select offers the structures
of the directory (`places_field`); its fields are form fields that carry their field and
conversion (`widgets/forms.py`, `widgets/value_inputs.py`), so the form needs no code of
its own to read or show them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import DataTable, Label, Select

from tpe_tui.domain.records import Record
from tpe_tui.services.workspace import Workspace
from tpe_tui.ui.screens.autosaved_form import AutosavedForm
from tpe_tui.ui.screens.dialogs import ConfirmScreen
from tpe_tui.ui.widgets.empty_list import EmptyListNote
from tpe_tui.ui.widgets.forms import TextInput, field_widget
from tpe_tui.ui.widgets.plain import choices as plain_choices

Places = list[tuple[Text, str]]


def field_rows(fields: tuple[tuple[str, str, type[TextInput]], ...]) -> ComposeResult:
    """One labelled row per (field, label, input class) of the record."""
    for name, label, kind in fields:
        yield Horizontal(
            Label(label, classes="field-label", markup=False),
            kind(name, compact=True),
            classes="field-row",
        )


class RecordListScreen(AutosavedForm):
    list_id = ""  # the PlainTable of the records
    form_id = ""  # hidden while no record is under the cursor
    columns: tuple[tuple[str, int], ...] = ()
    places_field = ""  # the field whose Select lists the structures of the directory

    def __init__(self, select: str | None = None) -> None:
        super().__init__()
        self.rows: dict[str, Record] = {}
        self.first_select = select  # the one to show first (a search result)

    # ------------------------------------------------------------------ what a screen says
    def listing(self) -> Callable[[Workspace], list[Record]]:
        """What loads the records shown, in their order (run off the UI thread)."""
        raise NotImplementedError

    def cells(self, record: Record) -> tuple[str, ...]:
        """A record's row in the list, one cell per column."""
        raise NotImplementedError

    def created(self, workspace: Workspace) -> Record:
        """A new record, saved (on the save thread)."""
        raise NotImplementedError

    def listed(self, found: list[Record]) -> None:
        """Called once the list shows `found` (a count to update, say)."""

    def when_empty(self) -> str:
        """What the list says while it is empty (its EmptyListNote): which key makes the
        first entry."""
        raise NotImplementedError

    def form_shown(self) -> None:
        """Called once the form shows another record."""

    def reveal_form(self) -> None:
        """Make the form visible before its first field is focused."""

    # ------------------------------------------------------------------ the list
    @property
    def list_table(self) -> DataTable[Any]:
        return self.query_one(f"#{self.list_id}", DataTable)

    def on_mount(self) -> None:
        table = self.list_table
        for label, width in self.columns:
            table.add_column(label, width=width)
        table.focus()
        self.reload(select=self.first_select)

    def reload(self, select: str | None = None, focus_name: bool = False) -> None:
        listing = self.listing()

        def load(ws: Workspace) -> tuple[list[Record], Places]:
            places = [(Text(s.get("name") or "?"), s["id"]) for s in ws.structures()]
            return listing(ws), places

        self.read(
            load,
            lambda result: self.show(result[0], result[1], select=select, focus_name=focus_name),
        )

    def show(
        self,
        found: list[Record],
        places: Places,
        select: str | None = None,
        focus_name: bool = False,
    ) -> None:
        place = cast(Select[str], field_widget(self, self.places_field))
        with place.prevent(Select.Changed):
            place.set_options(plain_choices(places))
        table = self.list_table
        keep = select or self.record.get("id")
        table.clear()
        self.rows = {r["id"]: r for r in found}
        for record in found:
            table.add_row(*self.cells(record), key=record["id"])
        self.listed(found)
        self.query_one(EmptyListNote).list_shown(len(found), self.when_empty())
        if keep in self.rows:
            table.move_cursor(row=table.get_row_index(keep))
        self._edit_current(again=True)
        if focus_name and not self.moving:
            self.reveal_form()
            self.name_input.focus()

    @property
    def name_input(self) -> Widget:
        return field_widget(self, self.name_field)

    def current_id(self) -> str | None:
        """The record under the list's cursor."""
        table = self.list_table
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return key if key in self.rows else None

    @on(DataTable.RowHighlighted)
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id == self.list_id:
            self._edit_current()

    @on(DataTable.RowSelected)
    def _selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id == self.list_id:
            self.name_input.focus()

    def _edit_current(self, again: bool = False) -> None:
        """Show the entry under the cursor in the form (`again`: the one shown, as reloaded);
        while what is typed in the one shown is refused, ask first."""
        key = self.current_id()
        if key is not None and key != self.record.get("id"):
            other = self.rows[key].get(self.name_field) or "?"
            if self.asked_before_moving(other, self._edit_current, self._cursor_back):
                return
        self.query_one(f"#{self.form_id}").display = key is not None
        if key is None:
            self.record = {}
            self.refused.clear()  # the entry is gone (deleted, or filtered out)
            self._show_refused()
        elif again or key != self.record.get("id"):
            self.fill(self.rows[key])
            self.form_shown()

    def _cursor_back(self) -> None:
        """The list's cursor back on the entry shown in the form (if still listed)."""
        table = self.list_table
        if self.record.get("id") in self.rows:
            table.move_cursor(row=table.get_row_index(self.record["id"]))

    def update_row(self, record: Record) -> None:
        table = self.list_table
        for column, value in zip(table.ordered_columns, self.cells(record), strict=True):
            table.update_cell(record["id"], column.key, value)

    def queue_save(self) -> None:
        super().queue_save()
        if self.record.get("id") in self.rows:
            self.rows[self.record["id"]] = dict(self.record)
            self.update_row(self.record)

    # ------------------------------------------------------------------ actions
    def action_new(self) -> None:
        self.write(self.created, lambda saved: self.reload(select=saved["id"], focus_name=True))

    def delete_current(self, question: str, delete: Callable[[Workspace, str], Any]) -> None:
        """Ask `question` (the safe answer first), then delete the record being edited."""
        if self.without_entry("Supprimer"):
            return
        record_id = self.record["id"]

        def answered(yes: bool | None) -> None:
            if yes:
                self.record = {}
                self.write(lambda ws: delete(ws, record_id), lambda _: self.reload())

        self.app.push_screen(
            ConfirmScreen(question, yes="Supprimer", no="Garder", danger=True), answered
        )
