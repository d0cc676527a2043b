"""Directory of partner structures (*annuaire*): filter, create, edit, delete, CSV."""

from __future__ import annotations

from typing import Any, cast

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import DataTable, Label, Select, Static

from tpe_tui.domain.catalog import catalog
from tpe_tui.domain.records import (
    clean_emails,
    clean_phone,
    clean_postal_code,
    clean_websites,
    new_record,
)
from tpe_tui.services import structures as directory_service
from tpe_tui.services.workspace import Workspace
from tpe_tui.storage import paths
from tpe_tui.ui.screens.autosaved_form import AutosavedForm
from tpe_tui.ui.screens.csv_dialogs import ask_export, ask_import
from tpe_tui.ui.screens.dialogs import ConfirmScreen
from tpe_tui.ui.widgets.empty_list import EmptyListNote
from tpe_tui.ui.widgets.footer import Footer
from tpe_tui.ui.widgets.forms import ChoiceSelect, TextBox, TextInput, field_widget
from tpe_tui.ui.widgets.plain import choices
from tpe_tui.ui.widgets.plain_table import PlainTable

Record = dict[str, Any]
# The directory fields whose typed text is checked (the others are free text).
CHECKS = {
    "phone": clean_phone,
    "postal_code": clean_postal_code,
    "emails": clean_emails,
    "websites": clean_websites,
}


class DirectoryScreen(AutosavedForm):
    # Its own layout (shared form styles: ui/app.tcss); ranks with app.tcss, scoped here.
    CSS = """
    #dir-filters { height: 1; }
    #dir-filters Select { width: 30; margin-right: 1; }
    #dir-table { height: 9; }
    #dir-form { height: 1fr; border-top: solid $primary-darken-2; }
    """
    """The list; the form of the structure under the cursor is edited in place."""

    table = "structures"
    entry_needed = "il faut d’abord une structure. Ctrl+N pour en créer une."
    BINDINGS = [
        Binding("ctrl+n", "new", "Nouvelle", id="new"),
        Binding("delete", "delete", "Supprimer", id="delete"),
        Binding("f6", "import_csv", "Importer CSV", id="import"),
        Binding("f7", "export_csv", "Exporter CSV", id="export"),
        Binding("ctrl+s", "save_now", "Enregistrer", id="save", show=False),
        Binding("escape", "back", "Retour", id="back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.rows: dict[str, Record] = {}
        self.codes = set(catalog().codes("structure_kinds"))

    def compose(self) -> ComposeResult:
        cat = catalog()
        yield Static(" Annuaire des structures", id="screen-title", markup=False)
        with Horizontal(id="dir-filters"):
            yield Select(
                cat.choices("structure_kinds"), id="filter-kind", prompt="Tous types", compact=True
            )
            yield Select([], id="filter-territory", prompt="Tous territoires", compact=True)
            yield Static("", id="dir-count", classes="hint", markup=False)
        yield PlainTable(id="dir-table", cursor_type="row", zebra_stripes=True)
        yield EmptyListNote()
        with VerticalScroll(id="dir-form", can_focus=False):  # Tab goes field to field
            for name, label, kind in (
                ("name", "Nom", "text"),
                ("kind", "Type", "kind"),
                ("territory", "Territoire", "text"),
                ("address", "Adresse", "text"),
                ("postal_code", "Code postal", "postal_code"),
                ("commune", "Commune", "text"),
                ("phone", "Téléphone", "phone"),
                ("emails", "E-mails", "emails"),
                ("websites", "Sites web", "websites"),
                ("opening_hours", "Horaires", "text"),
            ):
                with Horizontal(classes="field-row"):
                    yield Label(label, classes="field-label", markup=False)
                    if kind == "kind":
                        yield ChoiceSelect(
                            name, cat.choices("structure_kinds"), compact=True, allow_blank=False
                        )
                    else:
                        yield TextInput(name, compact=True, check=CHECKS.get(kind))
            yield Label("Aide pour", classes="area-label", markup=False)
            yield TextBox("helps_with", classes="text-field")
            yield Label("Notes", classes="area-label", markup=False)
            yield TextBox("notes", classes="text-field")
        yield Footer(show_command_palette=False, compact=True)

    def on_mount(self) -> None:
        table = self.query_one("#dir-table", DataTable)
        for label, width in (("Nom", 26), ("Type", 18), ("Territoire", 10), ("Téléphone", 14)):
            table.add_column(label, width=width)
        table.focus()
        self.reload()

    def save_job(self, workspace: Workspace, snapshot: Record) -> Any:
        return directory_service.save(workspace, snapshot)

    # ------------------------------------------------------------------ list
    def _filters(self) -> tuple[str | None, str | None]:
        kind = self.query_one("#filter-kind", Select)
        territory = self.query_one("#filter-territory", Select)
        return (
            None if kind.is_blank() else str(kind.value),
            None if territory.is_blank() else str(territory.value),
        )

    def reload(self, select: str | None = None, focus_name: bool = False) -> None:
        kind, territory = self._filters()

        def load(ws: Any) -> tuple[list[Record], list[str], list[str]]:
            return (
                directory_service.listing(ws, kind, territory),
                directory_service.territories(ws),
                directory_service.kept_kinds(ws),
            )

        self.read(load, lambda result: self.show(*result, select=select, focus_name=focus_name))

    def show(
        self,
        structures: list[Record],
        territories: list[str],
        kept_kinds: list[str],
        select: str | None = None,
        focus_name: bool = False,
    ) -> None:
        self._set_options("#filter-territory", [(t, t) for t in territories])
        # Kinds kept from an import (a national code we have no kind for) are choosable too.
        self._set_options(
            "#filter-kind", [*catalog().choices("structure_kinds"), *self._kept(kept_kinds)]
        )
        table = self.query_one("#dir-table", DataTable)
        keep = select or (self.record.get("id") if self.record else None)
        table.clear()
        self.rows = {s["id"]: s for s in structures}
        for s in structures:
            table.add_row(*self._cells(s), key=s["id"])
        self.query_one("#dir-count", Static).update(f"{len(structures)} structure(s)")
        self.query_one(EmptyListNote).list_shown(
            len(structures),
            "Aucune structure pour ces filtres."
            if any(self._filters())
            else "Aucune structure dans l’annuaire pour l’instant : Ctrl+N pour en créer une, "
            "F6 pour importer un fichier CSV.",
        )
        if keep in self.rows:
            table.move_cursor(row=table.get_row_index(keep))
        self._edit_current()
        if focus_name:
            # Focused once filled, so the placeholder name is selected and typing replaces it.
            field_widget(self, "name").focus()

    def _set_options(self, selector: str, pairs: list[tuple[str, str]]) -> None:
        """New choices for a filter, keeping its choice when still offered."""
        select = self.query_one(selector, Select)
        current = None if select.is_blank() else select.value
        with select.prevent(Select.Changed):
            select.set_options(choices(pairs))
            if current in [code for _, code in pairs]:
                select.value = current

    @staticmethod
    def _kept(kinds: list[str]) -> list[tuple[str, str]]:
        cat = catalog()
        return [(cat.label("structure_kinds", k), k) for k in kinds]

    @staticmethod
    def _cells(s: Record) -> tuple[str, str, str, str]:
        kind = catalog().label("structure_kinds", s.get("kind"), "Autre").split(" (")[0]
        return (s.get("name") or "?", kind, s.get("territory") or "", s.get("phone") or "")

    @on(Select.Changed, "#filter-kind, #filter-territory")
    def _filtered(self) -> None:
        self.reload()

    @on(DataTable.RowHighlighted, "#dir-table")
    def _highlighted(self) -> None:
        self._edit_current()

    @on(DataTable.RowSelected, "#dir-table")
    def _selected(self) -> None:
        field_widget(self, "name").focus()

    def _edit_current(self) -> None:
        table = self.query_one("#dir-table", DataTable)
        if not table.row_count:
            self.record = {}
            self.query_one("#dir-form").display = False
            return
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        if key and key in self.rows and key != self.record.get("id"):
            other = self.rows[key].get("name") or "?"
            if self.asked_before_moving(other, self._edit_current, self._cursor_back):
                return
            self.query_one("#dir-form").display = True
            record = self.rows[key]
            kind_select = cast(Select[str], field_widget(self, "kind"))
            kind = str(record.get("kind") or "")
            kept = self._kept([kind]) if kind and kind not in self.codes else []
            with kind_select.prevent(Select.Changed):
                kind_select.set_options(choices([*catalog().choices("structure_kinds"), *kept]))
            self.fill(record)

    def _cursor_back(self) -> None:
        """The list's cursor back on the structure shown in the form (if still listed)."""
        table = self.query_one("#dir-table", DataTable)
        if self.record.get("id") in self.rows:
            table.move_cursor(row=table.get_row_index(self.record["id"]))

    def queue_save(self) -> None:
        super().queue_save()
        # Keep the list in step with what is typed (name, kind, territory, phone) at once.
        if self.record.get("id") in self.rows:
            self.rows[self.record["id"]] = dict(self.record)
            table = self.query_one("#dir-table", DataTable)
            row = self.record["id"]
            for column, value in zip(table.ordered_columns, self._cells(self.record), strict=True):
                table.update_cell(row, column.key, value)

    # ------------------------------------------------------------------ actions
    def action_new(self) -> None:
        kind, territory = self._filters()
        record = new_record(
            "structures",
            name="Nouvelle structure",
            kind=kind or "other",
            territory=territory or "",
        )
        self.write(
            lambda ws: directory_service.save(ws, record),
            lambda saved: self.reload(select=saved["id"], focus_name=True),
        )

    def action_delete(self) -> None:
        if self.without_entry("Supprimer"):
            return
        structure_id, name = self.record["id"], self.record.get("name")

        def answered(yes: bool | None) -> None:
            if yes:
                self.record = {}
                self.write(
                    lambda ws: directory_service.delete(ws, structure_id), lambda _: self.reload()
                )

        self.app.push_screen(
            ConfirmScreen(
                f"Supprimer « {name} » de l’annuaire ?\n(Les accompagnements passés gardent ses coordonnées.)",
                yes="Supprimer",
                no="Garder",
                danger=True,
            ),
            answered,
        )

    def action_import_csv(self) -> None:
        ask_import(self, "Import de l’annuaire", directory_service.import_csv, self.reload)

    def action_export_csv(self) -> None:
        ask_export(
            self,
            "Exporter l’annuaire en CSV",
            paths.documents_dir() / "annuaire-structures.csv",
            directory_service.export_csv,
            "structure(s) exportée(s)",
        )
