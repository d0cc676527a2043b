"""The workshops a business took part in, for its client file's history."""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable, Label

from tpe_tui.domain.catalog import catalog
from tpe_tui.domain.records import french_date
from tpe_tui.domain.workshops import participation_of
from tpe_tui.services import workshops as workshop_service
from tpe_tui.ui import messages
from tpe_tui.ui.screens.base import tpe_app
from tpe_tui.ui.widgets.plain_table import PlainTable

PRESENCE = {True: "présent", False: "absent", None: "inscrit"}


class AttendedWorkshops(Vertical):
    DEFAULT_CSS = """
    AttendedWorkshops { height: auto; max-height: 8; }
    AttendedWorkshops DataTable { height: auto; max-height: 6; }
    """

    def __init__(self, client_id: str, **kw: Any) -> None:
        super().__init__(**kw)
        self.client_id = client_id

    def compose(self) -> ComposeResult:
        yield Label("Ateliers collectifs (Entrée : ouvrir)", classes="section", markup=False)
        yield PlainTable(cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for label, width in (("Date", 10), ("Atelier", 38), ("Niveau", 13), ("Présence", 8)):
            table.add_column(label, width=width)
        self.reload()

    def reload(self, client_id: str | None = None) -> None:
        self.client_id = client_id or self.client_id
        wanted = self.client_id

        def load(ws: Any) -> tuple[list[dict[str, Any]], set[str]]:
            return workshop_service.of_client(ws, wanted), ws.merged_ids(wanted)

        tpe_app(self).read(load, lambda found: self.show(*found), owner=self.screen)

    def show(self, workshops: list[dict[str, Any]], client_ids: set[str]) -> None:
        table = self.query_one(DataTable)
        table.clear()
        cat = catalog()
        for w in workshops:
            table.add_row(
                french_date(w.get("date")),
                w.get("title") or "?",
                cat.label("workshop_levels", w.get("level")),
                PRESENCE[participation_of(w, client_ids)],
                key=w["id"],
            )
        self.display = bool(workshops)

    @on(DataTable.RowSelected)
    def _open(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.row_key.value:
            self.post_message(messages.OpenProgramme("workshops", event.row_key.value))
