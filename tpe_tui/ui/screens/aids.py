"""The catalogue of aids and programmes (*aides et dispositifs*): edit, flag, CSV."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import (
    Label,
    Static,
)

from tpe_tui.domain import aids
from tpe_tui.domain.catalog import catalog
from tpe_tui.domain.records import Record, french_date, new_record, today
from tpe_tui.services import aids as aid_service
from tpe_tui.services.workspace import Workspace
from tpe_tui.storage import paths
from tpe_tui.ui.screens.csv_dialogs import ask_export, ask_import
from tpe_tui.ui.screens.record_list import RecordListScreen, field_rows
from tpe_tui.ui.widgets.empty_list import EmptyListNote
from tpe_tui.ui.widgets.footer import Footer
from tpe_tui.ui.widgets.forms import (
    ChoiceSelect,
    TextBox,
    TextInput,
    TickField,
    TickList,
)
from tpe_tui.ui.widgets.plain_table import PlainTable
from tpe_tui.ui.widgets.value_inputs import DateInput, ListInput

# (field, French title, catalogue list) of the criteria chosen in lists
CRITERIA = (
    ("offers", "Ce qui est proposé", "aid_offers"),
    ("needs", "Besoins", "needs"),
    ("activity_kinds", "Types d’activité (aucun : tous)", "activity_kinds"),
    ("headcount_bands", "Effectifs (aucun : tous)", "headcount_bands"),
)
FIELDS = (
    ("name", "Nom", TextInput),
    ("amount", "Montant / coût", TextInput),
    ("territories", "Territoires", ListInput),
    ("source_url", "Source", TextInput),
    ("verified_on", "Vérifié le", DateInput),
)


class AidsScreen(RecordListScreen):
    """The list (entries to verify again flagged); the one under the cursor edited in place."""

    table = "aids"
    list_id = "aid-table"
    form_id = "aid-form"
    columns = (("Aide", 30), ("Proposé", 18), ("Vérifiée", 10), ("", 10))
    places_field = "structure_id"
    entry_needed = "il faut d’abord une aide. Ctrl+N pour en créer une."
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
        super().__init__(select)
        self.stale_only = False

    def compose(self) -> ComposeResult:
        cat = catalog()
        yield Static(" Aides et dispositifs", id="screen-title", markup=False)
        yield Static("", id="aid-count", classes="hint", markup=False)
        yield PlainTable(id=self.list_id, cursor_type="row", zebra_stripes=True)
        yield EmptyListNote()
        with VerticalScroll(id=self.form_id):
            yield from field_rows(FIELDS)
            with Horizontal(classes="field-row"):
                yield Label("Porteur", classes="field-label", markup=False)
                yield ChoiceSelect("structure_id", prompt="(annuaire)", compact=True)
            yield TickField(
                "example", "Exemple (jamais présenté comme une offre actuelle)", compact=True
            )
            for name, label, kind in CRITERIA:
                yield Label(label, classes="area-label", markup=False)
                yield TickList(name, *cat.choices(kind))
            yield Label("Comment candidater", classes="area-label", markup=False)
            yield TextBox("how_to_apply", classes="text-field")
            yield Label("Notes", classes="area-label", markup=False)
            yield TextBox("notes", classes="text-field")
        yield Footer(show_command_palette=False, compact=True)

    def save_job(self, workspace: Workspace, snapshot: Record) -> Any:
        return aid_service.save(workspace, snapshot)

    def listing(self) -> Callable[[Workspace], list[Record]]:
        return functools.partial(aid_service.listing, stale_only=self.stale_only)

    def listed(self, found: list[Record]) -> None:
        day = today()
        stale = sum(aids.is_stale(aid, day) for aid in found)
        shown = "à vérifier" if self.stale_only else "au catalogue"
        self.query_one("#aid-count", Static).update(
            f"{len(found)} aide(s) {shown} · {stale} non vérifiée(s) depuis 6 mois"
        )

    def when_empty(self) -> str:
        if self.stale_only:
            return "Aucune aide à vérifier : F4 pour les revoir toutes."
        return (
            "Aucune aide au catalogue pour l’instant : Ctrl+N pour en créer une, F6 pour "
            "importer un fichier CSV."
        )

    def cells(self, record: Record) -> tuple[str, ...]:
        cat = catalog()
        offers = ", ".join(cat.label("aid_offers", o) for o in record.get("offers") or [])
        return (
            record.get("name") or "?",
            offers,
            french_date(record.get("verified_on")),
            aids.flag(record, today()),
        )

    def created(self, workspace: Workspace) -> Record:
        return aid_service.save(workspace, new_record("aids", name="Nouvelle aide"))

    # ------------------------------------------------------------------ actions
    def action_verified(self) -> None:
        if not self.without_entry("Vérifiée ce jour"):
            self.record["verified_on"] = today().isoformat()
            self.fill(self.record)
            self.queue_save()

    def action_stale_only(self) -> None:
        self.stale_only = not self.stale_only
        self.reload()

    def action_delete(self) -> None:
        question = f"Supprimer « {self.record.get('name')} » du catalogue ?"
        self.delete_current(question, aid_service.delete)

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
