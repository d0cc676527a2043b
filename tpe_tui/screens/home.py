"""Home screen: start an accompaniment, resume one, see who to call back."""

from __future__ import annotations

from dataclasses import dataclass, field

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Button, DataTable, Footer, Header, Label, Static

from tpe_tui import accompaniment
from tpe_tui.catalog import catalog
from tpe_tui.model import french_date, today_iso
from tpe_tui.workspace import Workspace

Row = tuple[str, tuple[str, ...]]  # (key for the row, cells)


@dataclass
class HomeData:
    """What the home screen shows, computed off the UI thread."""

    in_progress: list[Row] = field(default_factory=list)
    due: list[Row] = field(default_factory=list)
    recent: list[Row] = field(default_factory=list)
    overdue: int = 0

    @classmethod
    def load(cls, workspace: Workspace) -> HomeData:
        cat = catalog()
        today = today_iso()
        data = cls()
        for session, client in workspace.sessions_in_progress(limit=30):
            done, total = accompaniment.progress(session)
            step = cat.label("steps", session.get("current_step"), "Accueil")
            name = client["name"] if client else "(entreprise à saisir)"
            data.in_progress.append(
                (session["id"], (french_date(session.get("date")), name, step, f"{done}/{total}"))
            )
        for followup, client in workspace.due_followups(today):
            late = followup["due_date"] < today
            data.overdue += late
            phone = _consented_phone(client)
            when = ("EN RETARD " if late else "Aujourd’hui ") + french_date(followup["due_date"])
            name = client["name"] if client else "?"
            data.due.append((followup["id"], (when, name, followup.get("reason") or "", phone)))
        for session, client in workspace.recent_sessions(limit=20):
            needs = session.get("needs") or []
            first = cat.label("needs", needs[0]) if needs else ""
            name = client["name"] if client else "?"
            reason = cat.label("close_reasons", session.get("close_reason"), "Clôturé")
            data.recent.append(
                (session["id"], (french_date(session.get("date")), name, first, reason))
            )
        return data


def _consented_phone(client: dict | None) -> str:
    if not client:
        return ""
    for contact in client.get("contacts") or []:
        if (contact.get("consent") or {}).get("given") and contact.get("phone"):
            return contact["phone"]
    return client.get("phone") or ""


class HomeScreen(Screen):
    BINDINGS = [
        Binding("n", "app.new_session", "Nouvel accompagnement", id="new-session"),
        Binding("r", "resume", "Reprendre", id="resume"),
        Binding("tab", "app.focus_next", "Section suivante", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.followup_sessions: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="home"):
            with Horizontal(id="home-actions"):
                yield Button(
                    "Nouvel accompagnement", id="new-session", variant="primary", compact=True
                )
                yield Static("Chargement des données…", id="home-status")
            yield Label("Accompagnements en cours", classes="section")
            yield DataTable(id="in-progress", cursor_type="row", zebra_stripes=True)
            yield Label(
                "Suivis à faire : en retard et aujourd’hui", classes="section", id="due-title"
            )
            yield DataTable(id="due", cursor_type="row", zebra_stripes=True)
            yield Label("Derniers accompagnements", classes="section")
            yield DataTable(id="recent", cursor_type="row", zebra_stripes=True)
        yield Footer(show_command_palette=False, compact=True)

    def on_mount(self) -> None:
        # Fixed widths: the three tables fit 80 columns without a horizontal scrollbar.
        for table_id, columns in (
            ("#in-progress", (("Date", 10), ("Entreprise", 32), ("Étape", 22), ("Fait", 5))),
            ("#due", (("Échéance", 20), ("Entreprise", 24), ("Motif", 14), ("Téléphone", 14))),
            ("#recent", (("Date", 10), ("Entreprise", 28), ("Besoin", 22), ("Issue", 9))),
        ):
            table = self.query_one(table_id, DataTable)
            for label, width in columns:
                table.add_column(label, width=width)
        self.query_one("#new-session", Button).focus()

    def on_screen_resume(self) -> None:
        self.app.load_home()  # type: ignore[attr-defined]

    def show(self, data: HomeData) -> None:
        for table_id, rows in (
            ("#in-progress", data.in_progress),
            ("#due", data.due),
            ("#recent", data.recent),
        ):
            table = self.query_one(table_id, DataTable)
            table.clear()
            for key, cells in rows:
                table.add_row(*cells, key=key)
        status = f"{len(data.in_progress)} en cours"
        if data.overdue:
            status += f" · {data.overdue} suivi(s) EN RETARD"
        status += f" · {french_date(today_iso())}"
        self.query_one("#home-status", Static).update(status)
        self.query_one("#due-title", Label).set_class(data.overdue > 0, "alert")

    @on(Button.Pressed, "#new-session")
    def _new(self) -> None:
        self.app.action_new_session()  # type: ignore[attr-defined]

    @on(DataTable.RowSelected)
    def _open(self, event: DataTable.RowSelected) -> None:
        key = event.row_key.value
        if key is None:
            return
        if event.data_table.id == "due":
            self.app.open_followup_session(key)  # type: ignore[attr-defined]
        elif event.data_table.id == "recent":
            self.app.open_preview(key)  # type: ignore[attr-defined]
        else:
            self.app.open_session(key)  # type: ignore[attr-defined]

    def action_resume(self) -> None:
        table = self.query_one("#in-progress", DataTable)
        if table.row_count:
            key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
            if key:
                self.app.open_session(key)  # type: ignore[attr-defined]
