"""The catalogue of aids and programmes (*aides et dispositifs*): edit, flag, CSV."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import (
    Checkbox,
    DataTable,
    Input,
    Label,
    Select,
    SelectionList,
    Static,
    TextArea,
)

from tpe_tui.domain import aids
from tpe_tui.domain.catalog import catalog
from tpe_tui.domain.records import french_date, new_record, today
from tpe_tui.services import aids as aid_service
from tpe_tui.services.workspace import Workspace
from tpe_tui.storage import paths
from tpe_tui.ui.screens.autosaved_form import AutosavedForm
from tpe_tui.ui.screens.csv_dialogs import ask_export, ask_import
from tpe_tui.ui.screens.dialogs import ConfirmScreen
from tpe_tui.ui.widgets.footer import Footer
from tpe_tui.ui.widgets.forms import bound_id
from tpe_tui.ui.widgets.plain import choices as plain_choices
from tpe_tui.ui.widgets.plain_table import PlainTable

Record = dict[str, Any]
# (field, French title, catalogue list) of the criteria chosen in lists
CRITERIA = (
    ("offers", "Ce qui est proposé", "aid_offers"),
    ("needs", "Besoins", "needs"),
    ("activity_kinds", "Types d’activité (aucun : tous)", "activity_kinds"),
    ("headcount_bands", "Effectifs (aucun : tous)", "headcount_bands"),
)


class AidsScreen(AutosavedForm):
    """The list (entries to verify again flagged); the one under the cursor edited in place."""

    table = "aids"
    DEFAULT_CSS = """
    #aid-table { height: 8; }
    #aid-form { height: 1fr; border-top: solid $primary-darken-2; }
    #aid-form SelectionList { max-height: 5; }
    """
    BINDINGS = [
        Binding("ctrl+n", "new", "Nouvelle", id="new"),
        Binding("f3", "verified", "Vérifiée ce jour", id="verified"),
        Binding("f4", "stale_only", "À vérifier", id="stale"),
        Binding("f6", "import_csv", "Importer CSV", id="import"),
        Binding("f7", "export_csv", "Exporter CSV", id="export"),
        Binding("f8", "delete", "Supprimer", id="delete"),
        Binding("ctrl+s", "save_now", "Enregistrer", id="save", show=False),
        Binding("escape", "back", "Retour", id="back"),
    ]

    def __init__(self, select: str | None = None) -> None:
        super().__init__()
        self.rows: dict[str, Record] = {}
        self.first_select = select  # the one to show first (a search result)
        self.stale_only = False

    def compose(self) -> ComposeResult:
        cat = catalog()
        yield Static(" Aides et dispositifs", id="screen-title", markup=False)
        yield Static("", id="aid-count", classes="hint", markup=False)
        yield PlainTable(id="aid-table", cursor_type="row", zebra_stripes=True)
        with VerticalScroll(id="aid-form"):
            for name, label, classes in (
                ("name", "Nom", ""),
                ("amount", "Montant / coût", ""),
                ("territories", "Territoires", "list"),
                ("source_url", "Source", ""),
                ("verified_on", "Vérifié le", "date"),
            ):
                with Horizontal(classes="field-row"):
                    yield Label(label, classes="field-label", markup=False)
                    placeholder = "JJ/MM/AAAA" if classes == "date" else ""
                    yield Input(
                        id=bound_id(name), classes=classes, compact=True, placeholder=placeholder
                    )
            with Horizontal(classes="field-row"):
                yield Label("Porteur", classes="field-label", markup=False)
                yield Select([], id=bound_id("structure_id"), prompt="(annuaire)", compact=True)
            yield Checkbox(
                "Exemple (jamais présenté comme une offre actuelle)",
                id=bound_id("example"),
                compact=True,
            )
            yield Static("", id="field-problem", classes="field-error-shown", markup=False)
            for name, label, kind in CRITERIA:
                yield Label(label, classes="area-label", markup=False)
                yield SelectionList[str](*cat.choices(kind), id=bound_id(name))
            yield Label("Comment candidater", classes="area-label", markup=False)
            yield TextArea(id=bound_id("how_to_apply"), classes="text-field")
            yield Label("Notes", classes="area-label", markup=False)
            yield TextArea(id=bound_id("notes"), classes="text-field")
        yield Footer(show_command_palette=False, compact=True)

    def on_mount(self) -> None:
        table = self.query_one("#aid-table", DataTable)
        for label, width in (("Aide", 30), ("Proposé", 18), ("Vérifiée", 10), ("", 10)):
            table.add_column(label, width=width)
        table.focus()
        self.reload(select=self.first_select)

    def save_job(self, workspace: Workspace, snapshot: Record) -> Any:
        return aid_service.save(workspace, snapshot)

    # ------------------------------------------------------------------ list
    def reload(self, select: str | None = None, focus_name: bool = False) -> None:
        stale_only = self.stale_only

        def load(ws: Any) -> tuple[list[Record], list[tuple[Text, str]]]:
            structures = [(Text(s.get("name") or "?"), s["id"]) for s in ws.structures()]
            return aid_service.listing(ws, stale_only), structures

        self.read(
            load,
            lambda result: self.show(result[0], result[1], select=select, focus_name=focus_name),
        )

    def show(
        self,
        found: list[Record],
        structures: list[tuple[Text, str]],
        select: str | None = None,
        focus_name: bool = False,
    ) -> None:
        carrier = self.query_one(f"#{bound_id('structure_id')}", Select)
        with carrier.prevent(Select.Changed):
            carrier.set_options(plain_choices(structures))
        table = self.query_one("#aid-table", DataTable)
        keep = select or self.record.get("id")
        table.clear()
        self.rows = {a["id"]: a for a in found}
        day = today()
        stale = 0
        for aid in found:
            stale += aids.is_stale(aid, day)
            table.add_row(*self._cells(aid), key=aid["id"])
        shown = "à vérifier" if self.stale_only else "au catalogue"
        self.query_one("#aid-count", Static).update(
            f"{len(found)} aide(s) {shown} · {stale} non vérifiée(s) depuis 6 mois"
        )
        self.record = {}
        if keep in self.rows:
            table.move_cursor(row=table.get_row_index(keep))
        self._edit_current()
        if focus_name:
            self.query_one(f"#{bound_id('name')}", Input).focus()

    @staticmethod
    def _cells(aid: Record) -> tuple[str, ...]:
        cat = catalog()
        offers = ", ".join(cat.label("aid_offers", o) for o in aid.get("offers") or [])
        return (
            aid.get("name") or "?",
            offers,
            french_date(aid.get("verified_on")),
            aids.flag(aid, today()),
        )

    @on(DataTable.RowHighlighted, "#aid-table")
    def _highlighted(self) -> None:
        self._edit_current()

    @on(DataTable.RowSelected, "#aid-table")
    def _selected(self) -> None:
        self.query_one(f"#{bound_id('name')}", Input).focus()

    def _edit_current(self) -> None:
        table = self.query_one("#aid-table", DataTable)
        key = (
            table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
            if table.row_count
            else None
        )
        self.query_one("#aid-form").display = key in self.rows
        if key not in self.rows:
            self.record = {}
        elif key != self.record.get("id"):
            self.fill(self.rows[key])

    @on(SelectionList.SelectedChanged)
    @on(Checkbox.Changed)
    def _criteria_changed(self, event: SelectionList.SelectedChanged[str]) -> None:
        self._field_changed(event)

    def queue_save(self) -> None:
        super().queue_save()
        if self.record.get("id") in self.rows:
            self.rows[self.record["id"]] = dict(self.record)
            table = self.query_one("#aid-table", DataTable)
            for column, value in zip(table.ordered_columns, self._cells(self.record), strict=True):
                table.update_cell(self.record["id"], column.key, value)

    # ------------------------------------------------------------------ actions
    def action_new(self) -> None:
        record = new_record("aids", name="Nouvelle aide")
        self.write(
            lambda ws: aid_service.save(ws, record),
            lambda saved: self.reload(select=saved["id"], focus_name=True),
        )

    def action_verified(self) -> None:
        if self.record:
            self.record["verified_on"] = today().isoformat()
            self.fill(self.record)
            self.queue_save()

    def action_stale_only(self) -> None:
        self.stale_only = not self.stale_only
        self.reload()

    def action_delete(self) -> None:
        if not self.record:
            return
        aid_id, name = self.record["id"], self.record.get("name")

        def answered(yes: bool | None) -> None:
            if yes:
                self.record = {}
                self.write(lambda ws: aid_service.delete(ws, aid_id), lambda _: self.reload())

        self.app.push_screen(
            ConfirmScreen(
                f"Supprimer « {name} » du catalogue ?", yes="Supprimer", no="Garder", danger=True
            ),
            answered,
        )

    def action_import_csv(self) -> None:
        ask_import(self, "Import des aides", aid_service.import_csv, self.reload)

    def action_export_csv(self) -> None:
        ask_export(
            self,
            "Exporter le catalogue des aides en CSV",
            paths.documents_dir() / "catalogue-aides.csv",
            aid_service.export_csv,
            "aide(s) exportée(s)",
        )
