"""Home screen: start an accompaniment, resume one, see who to call back."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Button, DataTable, Header, Input, Label, Static

from tpe_tui.domain.catalog import catalog
from tpe_tui.domain.homonyms import telling_by_name
from tpe_tui.domain.records import french_date, today_iso
from tpe_tui.domain.text import shortened
from tpe_tui.ui import messages
from tpe_tui.ui.screens.base import TpeScreen
from tpe_tui.ui.widgets.footer import Footer
from tpe_tui.ui.widgets.plain import plain

if TYPE_CHECKING:
    from tpe_tui.domain.search import Hit
    from tpe_tui.services.workspace import Workspace
    from tpe_tui.ui.widgets.plain_table import PlainTable

Row = tuple[str, tuple[str, ...]]  # (key for the row, cells)
HOME_ROWS = 50  # rows per home table: enough to scroll, small enough to draw at once


@dataclass
class HomeData:
    """What the home screen shows, computed off the UI thread."""

    in_progress: list[Row] = field(default_factory=list)
    due: list[Row] = field(default_factory=list)
    recent: list[Row] = field(default_factory=list)
    overdue: int = 0
    nudges: int = 0
    conflicts: int = 0
    retention_soon: int = 0  # counted once at start (a scan of every business), set by the app
    in_progress_total: int = -1  # all the sessions in progress (the list shows the last ones)
    dated: bool = True  # False: a picture from an earlier day, without what depends on the day

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> HomeData | None:
        """Rebuilt from the home cache; None when it does not have our shape."""

        def rows(name: str) -> list[Row]:
            return [(str(k), tuple(str(c) for c in cells)) for k, cells in raw[name]]

        try:
            return cls(
                in_progress=rows("in_progress"),
                due=rows("due"),
                recent=rows("recent"),
                overdue=int(raw["overdue"]),
                nudges=int(raw["nudges"]),
                conflicts=int(raw["conflicts"]),
                in_progress_total=int(raw.get("in_progress_total", -1)),
            )
        except (KeyError, TypeError, ValueError):
            return None

    def undated(self) -> HomeData:
        """Only what does not depend on the day: sessions in progress, recent ones,
        conflicts. Follow-ups due and nudges wait for the file to be read."""
        return HomeData(
            in_progress=self.in_progress,
            recent=self.recent,
            conflicts=self.conflicts,
            dated=False,
            in_progress_total=self.in_progress_total,
        )

    @classmethod
    def load(cls, workspace: Workspace) -> HomeData:
        # Imported once the file is open: the first frame does not wait for them.
        from tpe_tui.domain import accompaniment
        from tpe_tui.services import agenda as agenda_service
        from tpe_tui.services import sync_screen

        cat = catalog()
        today = today_iso()
        data = cls()
        in_progress, data.in_progress_total = workspace.open_sessions(limit=30)
        for session, client in in_progress:
            done, total = accompaniment.progress(session)
            step = cat.label("steps", session.get("current_step"), "Accueil")
            name = client["name"] if client else "(entreprise à saisir)"
            data.in_progress.append(
                (session["id"], (french_date(session.get("date")), name, step, f"{done}/{total}"))
            )
        due = agenda_service.items(workspace, days=0)
        # Counted from the index (11,000 overdue at 100k sessions: each one was made into
        # an item to be counted); the agenda lists them all.
        data.overdue = due.counts().get("overdue", 0)
        for item in due[:HOME_ROWS]:
            followup, client = item.followup, item.client
            late = followup["due_date"] < today
            # Words, not only colour; today's date goes without saying. No phone: at 80
            # columns it left the reason 15 characters (« Vérifier que l… » on every row);
            # the agenda, one key away, gives it.
            when = "RETARD " + french_date(followup["due_date"]) if late else "Aujourd’hui"
            name = client["name"] if client else "?"
            data.due.append((followup["id"], (when, name, followup.get("reason") or "")))
        data.nudges = len(agenda_service.nudges(workspace))
        # Records holding another value than the shown one (not equal values kept by sync).
        data.conflicts = len(sync_screen.in_conflict(workspace))
        for session, client in workspace.recent_sessions(limit=20):
            needs = session.get("needs") or []
            first = cat.label("needs", needs[0]) if needs else ""
            name = client["name"] if client else "?"
            reason = cat.label("close_reasons", session.get("close_reason"), "Clôturé")
            data.recent.append(
                (session["id"], (french_date(session.get("date")), name, first, reason))
            )
        return data


# The follow-ups due at home: fixed widths that fit 80 columns (see `_add_lists`).
DUE_COLUMNS = (("Échéance", 17), ("Entreprise", 24), ("Motif", 27))

SEARCH_LIMIT = 30  # businesses and visits shown at most (workshops, aids, actions beside)
TELLING_KEYS = ("siret", "address", "contact", "phone", "email")  # the commune is shown


def search_rows(workspace: Workspace, text: str) -> list[tuple[Hit, tuple[str, ...]]]:
    """The rows of the search results (in a thread)."""
    hits = workspace.search(text, SEARCH_LIMIT)
    rows: list[tuple[Hit, tuple[str, ...]]] = []
    cat = catalog()
    views = {
        hit.record_id: view
        for hit in hits
        if hit.table == "clients" and (view := workspace.client_view(hit.record_id)) is not None
    }
    # Namesakes among the results get what tells them apart (SIRET, address, contact…).
    telling = telling_by_name(list(views.values()), keys=TELLING_KEYS)
    for hit in hits:
        if hit.table == "clients":
            client = views.get(hit.record_id)
            if client is None:
                continue
            told = telling.get(str(client.get("id")))
            parts = (
                (client.get("commune"), told)
                if told
                else (client.get("trade"), client.get("commune"))
            )
            detail = " · ".join(str(x) for x in parts if x)
            rows.append((hit, ("Fiche", client.get("name") or "?", detail)))
        elif hit.table != "sessions":  # a workshop, an aid or an action
            from tpe_tui.services.programmes import result_row

            cells = result_row(workspace, hit.table, hit.record_id)
            if cells is not None:
                rows.append((hit, cells))
        else:
            session = workspace.store.peek("sessions", hit.record_id)
            if session is None:
                continue
            client = workspace.client_view(session.get("client_id"))
            needs = ", ".join(cat.label("needs", n) for n in session.get("needs") or [])
            detail = f"{french_date(session.get('date'))} {needs}".strip()
            rows.append((hit, ("Accomp.", client["name"] if client else "?", detail)))
    return rows


class HomeStatus(Static):
    """The home's status line, which says when the first frame holding it was drawn."""

    class Drawn(Message):
        pass

    def on_show(self) -> None:
        # Shown means laid out on the current screen: the next refresh draws it (and
        # only then do callbacks "after refresh" run; before, they may run at once).
        self.call_after_refresh(self.post_message, self.Drawn())


class HomeScreen(TpeScreen[None]):
    # Its own layout (shared form styles: ui/app.tcss); ranks with app.tcss, scoped here.
    CSS = """
    #home { padding: 0 1; }
    #home-actions { height: 1; }
    #home-status { color: $text-muted; height: auto; max-height: 3; }
    #home DataTable { height: 5; }
    #home-search { width: 1fr; margin-left: 2; }
    #home-results DataTable { height: 1fr; }
    #home-results { height: 1fr; }
    #results-title { width: 100%; }  /* wraps: the hint at its end is never cut */
    #home-lists > .section.first { margin-top: 0; }
    """
    BINDINGS = [
        Binding("n", "app.new_session", "Nouveau", id="new-session"),
        Binding("r", "resume", "Reprendre", id="resume"),
        Binding("slash", "search", "Chercher", id="search", key_display="/"),
        Binding("a", "app.agenda", "Agenda", id="agenda"),
        Binding("u", "app.directory", "Annuaire", id="directory"),
        Binding("s", "app.sync", "Sync", id="sync"),
        # Off the footer, which is full at 80 columns; both are palette entries too.
        Binding("c", "app.workshops", "Ateliers", id="workshops", show=False),
        Binding("i", "app.aids", "Aides", id="aids", show=False),
        # Issue 16 asked for t; workshops (issue 18) landed on it first.
        Binding("t", "app.stats", "Bilan d’activité", id="stats", show=False),
        Binding("escape", "clear_search", "Effacer la recherche", show=False),
        Binding("tab", "app.focus_next", "Section suivante", show=False),
    ]

    def __init__(self, data: HomeData | None = None) -> None:
        super().__init__()
        self.hits: dict[str, Hit] = {}
        self.waiting = data  # shown once the tables exist
        self.tables_ready = False
        self._results_focus_on_return = False  # Entrée opened a result (`_to_results`)

    def compose(self) -> ComposeResult:
        # The first frame holds what a person acts on first (« Nouvel accompagnement », the
        # search); the lists and their tables follow one frame later (`_add_lists`).
        yield Header()
        with Vertical(id="home"):
            with Horizontal(id="home-actions"):
                yield Button(
                    "Nouvel accompagnement", id="new-session", variant="primary", compact=True
                )
                yield Input(
                    placeholder="/ Rechercher : entreprise, commune, métier, besoin…",
                    id="home-search",
                    compact=True,
                )
            yield HomeStatus("Chargement des données…", id="home-status", markup=False)
        yield Footer(show_command_palette=False, compact=True)

    def on_mount(self) -> None:
        # The first frame may be drawn before this runs: a « / » pressed as soon as the
        # home shows has put the focus in the search box, where it stays.
        if self.focused is None:
            self.query_one("#new-session", Button).focus()

    @on(HomeStatus.Drawn)
    async def _add_lists(self) -> None:
        """The home's tables, after the first frame: building four tables (and parsing
        their styles) was a third of the time to « Nouvel accompagnement » on screen."""
        if self.tables_ready:
            return
        from tpe_tui.ui.widgets.plain_table import PlainTable

        def table(table_id: str) -> PlainTable:
            return PlainTable(id=table_id, cursor_type="row", zebra_stripes=True)

        lists = Vertical(
            Label("Accompagnements en cours", classes="section first", markup=False),
            table("in-progress"),
            Label(
                "Suivis à faire : en retard et aujourd’hui",
                classes="section",
                id="due-title",
                markup=False,
            ),
            table("due"),
            Label("Derniers accompagnements", classes="section", markup=False),
            table("recent"),
            id="home-lists",
        )
        results = Vertical(
            Label("", classes="section", id="results-title", markup=False),
            table("results"),
            id="home-results",
        )
        results.display = False
        await self.query_one("#home", Vertical).mount(lists, results)
        # Fixed widths that fit 80 columns with the scrollbar (76 with cell padding): a
        # date or a phone number gets its whole width, names and words give way.
        for table_id, columns in (
            ("#in-progress", (("Date", 10), ("Entreprise", 30), ("Étape", 21), ("Fait", 5))),
            ("#due", DUE_COLUMNS),
            ("#recent", (("Date", 10), ("Entreprise", 27), ("Besoin", 20), ("Issue", 9))),
            ("#results", (("", 7), ("Entreprise", 26), ("Détail", 35))),
        ):
            data_table = self.query_one(table_id, DataTable)
            for label, width in columns:
                data_table.add_column(label, width=width)
        self.tables_ready = True
        self._show_lists_or_results(self.query_one("#home-search", Input).value.strip())
        if self.waiting is not None:
            self.show(self.waiting)
        self.call_after_refresh(self.post_message, messages.HomeListsDrawn())

    def on_screen_resume(self) -> None:
        if self._results_focus_on_return:
            self._results_focus_on_return = False
            self.query_one("#results", DataTable).focus()
        self.post_message(messages.HomeOutdated())

    def show(self, data: HomeData) -> None:
        if not self.tables_ready:
            self.waiting = data
            return
        self.waiting = None
        for table_id, rows in (
            ("#in-progress", data.in_progress),
            ("#due", data.due),
            ("#recent", data.recent),
        ):
            table = self.query_one(table_id, DataTable)
            table.clear()
            for key, cells in rows:
                if table_id == "#due":  # cut between words (a picture may hold a phone)
                    cells = tuple(
                        shortened(c, w) for c, (_, w) in zip(cells, DUE_COLUMNS, strict=False)
                    )
                table.add_row(*cells, key=key)
        total = data.in_progress_total if data.in_progress_total >= 0 else len(data.in_progress)
        # Today's date first (day and month: the year goes without saying), so that a long
        # line never pushes it out of view; the line wraps rather than cut what follows.
        parts = [french_date(today_iso())[:5], f"{total} en cours"]
        if not data.dated:
            parts.append("suivis du jour en cours de lecture…")
        if data.overdue:
            plural = "s" if data.overdue > 1 else ""
            parts.append(f"{data.overdue} suivi{plural} EN RETARD")
        if data.nudges:
            parts.append(f"{data.nudges} à relancer (touche a)")
        if data.conflicts:
            parts.append(f"{data.conflicts} conflit(s) (touche s)")
        if data.retention_soon:
            parts.append(f"{data.retention_soon} fiche(s) bientôt anonymisée(s) (touche a)")
        self.query_one("#home-status", Static).update(" · ".join(parts))
        self.query_one("#due-title", Label).set_class(data.overdue > 0, "alert")
        text = self.query_one("#home-search", Input).value.strip()
        if text:
            self._search(text)  # typed while the file was still being read

    # ------------------------------------------------------------------ search
    def action_search(self) -> None:
        self.query_one("#home-search", Input).focus()

    def action_clear_search(self) -> None:
        """Échap empties the search and leaves the box in one key, as it leaves every
        other screen: the home's single keys (n, a, s…) work at once, and « / » searches
        again. Kept in the emptied box (an earlier rule, for a name typed right after
        Échap), « n » typed « nnouvelle » in it and every return from a business found
        by the search took three Échap (acceptance finding NEW4-15)."""
        self.query_one("#home-search", Input).value = ""
        self.query_one("#new-session", Button).focus()

    @on(Input.Changed, "#home-search")
    def _typed(self, event: Input.Changed) -> None:
        if event.value == "/":
            # « / » is the key to this box (its placeholder says so): pressed while already
            # in it, it is not a search.
            event.input.value = ""
            return
        if not self.tables_ready:
            return  # typed within the first frame: `show` searches once the data is there
        text = event.value.strip()
        self._show_lists_or_results(text)
        if text:
            self._search(text)

    def _show_lists_or_results(self, text: str) -> None:
        self.query_one("#home-lists").display = not text
        self.query_one("#home-results").display = bool(text)

    @on(Input.Submitted, "#home-search")
    def _to_results(self) -> None:
        """Entrée opens the first result, as the hint says; back here, the arrows go
        through them. The focus moves to the results once back: moved before leaving, it
        lit the cursor's row and so repainted every result just before the home was left
        (the most costly part of opening a business from the search)."""
        if not self.tables_ready:
            return
        table = self.query_one("#results", DataTable)
        if table.row_count:
            self._results_focus_on_return = True
            table.action_select_cursor()

    def _search(self, text: str) -> None:
        self.read(lambda ws: search_rows(ws, text), lambda rows: self._show_hits(text, rows))

    def _show_hits(self, text: str, rows: list[tuple[Hit, tuple[str, ...]]]) -> None:
        if self.query_one("#home-search", Input).value.strip() != text:
            return  # typed further meanwhile: a newer search is on its way
        if not self.tables_ready:
            return
        table = self.query_one("#results", DataTable)
        table.clear()
        self.hits = {}
        for hit, cells in rows:
            key = f"{hit.table}:{hit.record_id}"
            self.hits[key] = hit
            table.add_row(*cells, key=key)
        if not rows:
            title = f"Aucun résultat pour « {text} » — Échap pour revenir"
        elif len(rows) >= SEARCH_LIMIT:  # the search stopped there: there may be more
            title = f"Les {len(rows)} premiers résultats pour « {text} » (précisez pour voir les autres) — Entrée pour ouvrir"
        else:
            title = (
                f"{len(rows)} résultat(s) pour « {text} » — Entrée pour ouvrir, Échap pour revenir"
            )
        self.query_one("#results-title", Label).update(plain(title))

    # ------------------------------------------------------------------ opening
    @on(Button.Pressed, "#new-session")
    def _new(self) -> None:
        self.post_message(messages.OpenSession(None))

    @on(DataTable.RowSelected)
    def _open(self, event: DataTable.RowSelected) -> None:
        key = event.row_key.value
        if key is None:
            return
        if event.data_table.id == "results":
            hit = self.hits.get(key)
            if hit is None:
                return
            if hit.table == "clients":
                self.post_message(messages.OpenClientFile(hit.record_id))
            elif hit.table != "sessions":  # a workshop, an aid or an action
                self.post_message(messages.OpenProgramme(hit.table, hit.record_id))
            else:
                self.post_message(messages.OpenSessionOrPreview(hit.record_id))
        elif event.data_table.id == "due":
            self.post_message(messages.OpenFollowupSession(key))
        elif event.data_table.id == "recent":
            self.post_message(messages.OpenPreview(key))
        else:
            self.post_message(messages.OpenSession(key))

    def action_resume(self) -> None:
        if not self.tables_ready:
            return
        table = self.query_one("#in-progress", DataTable)
        if table.row_count:
            key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
            if key:
                self.post_message(messages.OpenSession(key))
