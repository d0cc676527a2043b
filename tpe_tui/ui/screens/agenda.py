"""Agenda: follow-ups by due date with their actions, closed sessions to nudge, and the
businesses whose people's data will soon be anonymised."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.events import DescendantFocus
from textual.widgets import DataTable, Label, Static

from tpe_tui.domain import agenda
from tpe_tui.domain.agenda import BUCKETS, WORKED_CHOICES, consented_contact, consented_phone
from tpe_tui.domain.agenda_index import AgendaView, MadeWhenRead, Nudges
from tpe_tui.domain.catalog import catalog
from tpe_tui.domain.records import french_date, today
from tpe_tui.services import agenda as agenda_service
from tpe_tui.services.workspace import Workspace
from tpe_tui.ui import messages
from tpe_tui.ui.screens.base import TpeScreen
from tpe_tui.ui.screens.dialogs import Ask, ConfirmScreen, FormDialog
from tpe_tui.ui.widgets.footer import Footer
from tpe_tui.ui.widgets.paged_table import PagedTable
from tpe_tui.ui.widgets.plain import plain

Row = tuple[str, tuple[str, ...]]


class KeyedRows(MadeWhenRead[Row]):
    """Rows made when the table first asks for them, found by their key."""

    def key(self, index: int) -> str:
        return self[index][0]

    def index_of(self, key: str) -> int | None:
        return next((i for i in range(len(self)) if self.key(i) == key), None)


class ListedRows(KeyedRows):
    """Rows already made (short lists)."""

    def __init__(self, rows: Sequence[Row]) -> None:
        self.rows = list(rows)

    def __len__(self) -> int:
        return len(self.rows)

    def _at(self, index: int) -> Row:
        return self.rows[index]


class NudgeRows(KeyedRows):
    """The closed sessions to nudge (31k at 100k sessions), a row made when shown."""

    def __init__(self, nudges: Sequence[agenda.Nudge]) -> None:
        self.nudges = nudges

    def __len__(self) -> int:
        return len(self.nudges)

    def _at(self, index: int) -> Row:
        nudge = self.nudges[index]
        s = nudge.session
        name = nudge.client["name"] if nudge.client else "?"
        cat = catalog()
        needs = ", ".join(cat.label("needs", n) for n in s.get("needs") or [])
        return s["id"], (french_date(s.get("date")), name, f"{nudge.days} j", needs)

    def index_of(self, key: str) -> int | None:
        if isinstance(self.nudges, Nudges):
            return self.nudges.position(key)
        return super().index_of(key)

    def nudge(self, key: str | None) -> agenda.Nudge | None:
        at = None if key is None else self.index_of(key)
        return None if at is None else self.nudges[at]

    def client_id(self, key: str | None) -> str:
        nudge = self.nudge(key)
        return "" if nudge is None else str(nudge.session.get("client_id") or "")


@dataclass
class AgendaExtras:
    """The lists under the follow-ups: closed sessions to nudge, businesses soon anonymised
    (loaded after the follow-ups are on screen)."""

    nudges: NudgeRows = field(default_factory=lambda: NudgeRows([]))
    soon: ListedRows = field(default_factory=lambda: ListedRows([]))

    @classmethod
    def load(cls, workspace: Workspace) -> AgendaExtras:
        soon = [
            (client["id"], (client.get("name") or "?", client.get("commune") or ""))
            for client in agenda_service.retention_soon(workspace)
        ]
        return cls(NudgeRows(agenda_service.nudges(workspace)), ListedRows(soon))


class AgendaRows(KeyedRows):
    """The follow-ups' rows, a heading before each bucket, each row made when the table
    first asks for it: at 100k sessions, formatting 43k follow-ups before the first page
    took longer than finding them."""

    def __init__(self, view: AgendaView | None = None) -> None:
        self.view = view or AgendaView([], {}, date.today(), lambda _: None)
        # (first, last + 1) positions in the view of each bucket that has items, in order:
        # the k-th one's heading is at row first + k, its items just below.
        self._buckets: list[tuple[int, int, str]] = []
        start = 0
        for name in BUCKETS:
            end = self.view.ends[name]
            if end > start:
                self._buckets.append((start, end, name))
            start = end

    def _entry(self, index: int) -> int | str:
        """The position in the view of the item at row `index`, or a heading's bucket."""
        if index < 0:
            index += len(self)
        for k, (start, end, name) in enumerate(self._buckets):
            if index == start + k:
                return name
            if index <= end + k:
                return index - k - 1
        raise IndexError(index)

    def __len__(self) -> int:
        return len(self.view) + len(self._buckets)

    def _at(self, index: int) -> Row:
        entry = self._entry(index)
        if isinstance(entry, str):
            return f"section:{entry}", ("", f"── {BUCKETS[entry]} ──", "", "")
        item = self.view[entry]
        name, reason, phone = _described(item)
        return str(item.followup["id"]), (item.when, name, reason, phone)

    def key(self, index: int) -> str:
        entry = self._entry(index)
        return f"section:{entry}" if isinstance(entry, str) else self.view.id_at(entry)

    def index_of(self, key: str) -> int | None:
        at = self.view.position(key)
        for k, (start, end, name) in enumerate(self._buckets):
            if key == f"section:{name}":
                return start + k
            if at is not None and start <= at < end:
                return at + k + 1
        return None


def _described(item: agenda.AgendaItem) -> tuple[str, str, str]:
    """The business's name, the reason (with its status) and the phone one may call."""
    f = item.followup
    name = item.client["name"] if item.client else "?"
    reason = f.get("reason") or catalog().label("followup_kinds", f.get("kind"), "")
    if item.status_note:
        reason = f"({item.status_note}) {reason}"
    return name, reason, consented_phone(item.client)


@dataclass
class AgendaData:
    """The follow-ups by due date, what the agenda shows first."""

    rows: AgendaRows = field(default_factory=AgendaRows)
    counts: dict[str, int] = field(default_factory=dict)

    @classmethod
    def load(cls, workspace: Workspace) -> AgendaData:
        view = agenda_service.items(workspace)
        return cls(rows=AgendaRows(view), counts=view.counts())

    def item(self, key: str | None) -> agenda.AgendaItem | None:
        return self.rows.view.get(key) if key else None

    def detail(self, key: str | None) -> str:
        """The whole line under the table: who to ask for, the phone, the whole reason."""
        item = self.item(key)
        if item is None:
            return ""
        name, reason, phone = _described(item)
        return " · ".join(
            part for part in (name, consented_contact(item.client), phone, reason) if part
        )


# Keys of the follow-up list, and the nudge list's own: a key never means two things.
FOLLOWUP_ACTIONS = {"done", "reschedule", "unreachable", "abandon"}
NUDGE_ACTIONS = {"plan_callback", "nothing_to_do"}


class AgendaScreen(TpeScreen[None]):
    DEFAULT_CSS = """
    AgendaScreen #agenda-table { height: 1fr; }
    AgendaScreen #agenda-detail { height: auto; max-height: 2; color: $text-muted; }
    AgendaScreen #agenda-detail.-asked { color: $warning; }
    AgendaScreen #nudge-table { height: 6; }
    AgendaScreen #soon-table { height: 4; }
    """
    BINDINGS = [
        Binding("d", "done", "Fait", id="done"),
        Binding("r", "reschedule", "Reporter", id="reschedule"),
        Binding("i", "unreachable", "Injoignable", id="unreachable"),
        Binding("x", "abandon", "Abandon", id="abandon"),
        Binding("p", "plan_callback", "Programmer un rappel", id="plan-callback"),
        Binding("e", "nothing_to_do", "Rien à faire", id="nothing-to-do"),
        Binding("o", "open", "Ouvrir", id="open"),
        Binding("n", "new_for_client", "Nouveau", id="new"),
        Binding("f", "client_file", "Fiche", id="client-file"),
        Binding("escape", "back", "Retour", id="back"),
    ]

    # A key that changes a follow-up acts only on a row the person has had the time to see:
    # keys typed ahead (« a », then letters meant for a search) must not close, reschedule
    # or mark unreachable whatever happened to be under the cursor once the agenda showed.
    SEEN_AFTER = 0.4  # seconds since the rows were last shown

    def __init__(self) -> None:
        super().__init__()
        self.data = AgendaData()
        self.extras = AgendaExtras()
        self.shown_at = 0.0  # time.monotonic() when the rows were last shown
        self.loaded = False  # the follow-ups have been read once (« Chargement… » until)

    def compose(self) -> ComposeResult:
        yield Static(" Agenda des suivis", id="screen-title", markup=False)
        yield Static("Chargement…", id="agenda-status", classes="hint", markup=False)
        yield PagedTable(id="agenda-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="agenda-detail", markup=False)
        yield Label(
            "À relancer : clôturés sans suivi (p : programmer un rappel, e : rien à faire)",
            classes="section",
            id="nudge-title",
            markup=False,
        )
        # Six and four rows high: a page of 20 is built ahead, not the default 50.
        yield PagedTable(id="nudge-table", cursor_type="row", zebra_stripes=True, page=20)
        yield Label(
            "Bientôt anonymisées faute d’activité (Entrée : fiche)",
            classes="section",
            id="soon-title",
            markup=False,
        )
        yield PagedTable(id="soon-table", cursor_type="row", page=20)
        yield Footer(show_command_palette=False, compact=True)

    def on_mount(self) -> None:
        for table_id, columns in (
            (
                "#agenda-table",
                (("Quand", 11), ("Entreprise", 20), ("Motif", 23), ("Téléphone", 14)),
            ),
            ("#nudge-table", (("Date", 10), ("Entreprise", 24), ("Depuis", 6), ("Besoin", 28))),
            ("#soon-table", (("Entreprise", 40), ("Commune", 30))),
        ):
            table = self.query_one(table_id, DataTable)
            for label, width in columns:
                table.add_column(label, width=width)
        self._show_extra_lists()  # hidden until loaded
        self.query_one("#agenda-table").focus()
        self.reload()

    def on_screen_resume(self) -> None:
        # Also sent when the screen is first shown, right after `on_mount`; and back from a
        # business's file or a session nothing may have changed: no second computation.
        self.shown_at = time.monotonic()
        if not self.shows_current_data():
            self.reload()

    def reload(self) -> None:
        """The follow-ups first (the table the person reads), then the lists under them."""
        self.read_current(AgendaData.load, self.show)

    def show(self, data: AgendaData) -> None:
        self.data = data
        self.loaded = True
        self._set_rows("#agenda-table", data.rows)
        self._show_detail()
        self._show_status()
        self.read(AgendaExtras.load, self.show_extras)

    def show_extras(self, extras: AgendaExtras) -> None:
        self.extras = extras
        self._set_rows("#nudge-table", extras.nudges)
        self._set_rows("#soon-table", extras.soon)
        self._show_extra_lists()
        self._show_status()

    def _set_rows(self, table_id: str, rows: KeyedRows) -> None:
        table = self.query_one(table_id, PagedTable)
        row = table.cursor_row
        kept = self._key(table_id, sections=True)
        if rows:
            # The cursor follows the record it was on (a rescheduled follow-up moves):
            # a key pressed next acts on that one, never on whatever took its row.
            found = None if kept is None else rows.index_of(kept)
            if found is not None:
                row = found
            elif kept is None and rows.key(0).startswith("section:") and len(rows) > 1:
                row = 1  # first opening: on the first follow-up, not on its heading
        table.set_rows(rows, cursor=row)  # a page built now, the next ones on scrolling
        self.shown_at = time.monotonic()

    def _show_extra_lists(self) -> None:
        for name, rows in (("nudge", self.extras.nudges), ("soon", self.extras.soon)):
            self.query_one(f"#{name}-title").display = bool(rows)
            self.query_one(f"#{name}-table").display = bool(rows)

    def _show_status(self) -> None:
        counts = self.data.counts
        parts = [f"{counts.get(b, 0)} {BUCKETS[b].lower()}" for b in BUCKETS if counts.get(b)]
        nudges = self.extras.nudges
        self.query_one("#agenda-status", Static).update(
            (" · ".join(parts) or "Aucun suivi à faire.")
            + (f" · {len(nudges)} à relancer" if nudges else "")
        )

    # ------------------------------------------------------------------ selection
    def _key(self, table_id: str, sections: bool = False) -> str | None:
        table = self.query_one(table_id, DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        if key is None or (key.startswith("section:") and not sections):
            return None
        return key

    @on(DataTable.RowHighlighted, "#agenda-table")
    def _show_detail(self) -> None:
        """The highlighted follow-up in full: the business, who to ask for, the phone and
        the whole reason, which the table's columns cut."""
        key = self._key("#agenda-table")
        detail = self.query_one("#agenda-detail", Static)
        detail.remove_class("-asked")
        detail.update(plain(self.data.detail(key)))

    @on(DescendantFocus)
    def _focus_moved(self) -> None:
        self.refresh_bindings()  # the footer shows the keys of the focused list

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        where = self._focused()
        if action in FOLLOWUP_ACTIONS:
            return where == "#agenda-table"
        if action in NUDGE_ACTIONS:
            return where == "#nudge-table"
        return True

    def _focused(self) -> str:
        focused = self.focused
        return f"#{focused.id}" if focused is not None and focused.id else "#agenda-table"

    def _too_soon(self) -> bool:
        """Whether the rows were shown too recently for a key to be meant for them (the
        key is then ignored, and the person told)."""
        if time.monotonic() - self.shown_at >= self.SEEN_AFTER:
            return False
        self.notify("Touche ignorée : l’agenda venait de s’afficher.", markup=False)
        return True

    def _still_loading(self) -> bool:
        """Whether the follow-ups are still being read: a key meant for a row then says
        so (acceptance finding NEW4-6: « f » pressed under « Chargement… » did nothing,
        silently). It is not kept for later: it would act on a row nobody has seen."""
        if self.loaded:
            return False
        self.notify(
            "Touche ignorée : l’agenda se charge encore. Appuyez de nouveau une fois"
            " les suivis affichés.",
            markup=False,
        )
        return True

    def _item(self, key_name: str) -> agenda.AgendaItem | None:
        """The follow-up under the cursor, for the key `key_name` (« Fait »…); with none
        there, the line under the list says why nothing happens (an empty agenda met d / r /
        i / x without a word)."""
        if self._focused() != "#agenda-table" or self._still_loading() or self._too_soon():
            return None
        item = self.data.item(self._key("#agenda-table"))
        if item is None:
            why = (
                "choisissez d’abord un suivi avec ↑ ↓ (le curseur est sur un titre)."
                if self.query_one("#agenda-table", DataTable).row_count
                else "aucun suivi dans l’agenda. Un suivi naît d’un accompagnement (rappel "
                "prévu), du plan d’actions ou d’un atelier."
            )
            detail = self.query_one("#agenda-detail", Static)
            detail.add_class("-asked")
            detail.update(f"« {key_name} » : {why}")
        return item

    def _run(self, job: Any, said: str | Callable[[Any], str]) -> None:
        """Run `job` on the write path, then say `said` (or what it makes of the result)."""

        def done(result: Any) -> None:
            self.notify(said(result) if callable(said) else said, markup=False)
            self.reload()

        self.write(job, done)

    # ------------------------------------------------------------------ actions
    def action_nothing_to_do(self) -> None:
        session_id = self._key("#nudge-table")
        if session_id and not self._too_soon():
            self._run(
                lambda ws: agenda_service.dismiss_nudge(ws, session_id),
                "Rien à faire pour l’instant : relance au prochain délai.",
            )

    def action_plan_callback(self) -> None:
        session_id = self._key("#nudge-table")
        nudge = self.extras.nudges.nudge(session_id)
        if session_id and nudge is not None and not self._too_soon():
            self._ask_date(
                f"Programmer un rappel : {nudge.described}",
                lambda ws, v: agenda_service.add_followup(ws, session_id, v["date"], v["reason"]),
                with_reason=True,
            )

    def action_done(self) -> None:
        item = self._item("Fait")
        if item is None:
            return
        followup_id = item.followup["id"]

        def answered(values: dict[str, Any] | None) -> None:
            if values is not None:
                self._run(
                    lambda ws: agenda_service.complete(
                        ws, followup_id, values["note"], values["worked"]
                    ),
                    "Suivi marqué fait.",
                )

        self.app.push_screen(
            FormDialog(
                f"Suivi fait : {item.described}",
                [
                    Ask("note", "Note", value=""),
                    # The statistics count filed applications from this answer (NEW3-21).
                    Ask(
                        "worked",
                        "Déposé ?"  # the title names the aid: « Dossier déposé ? … »
                        if item.followup.get("kind") == "aid_filed"
                        else "Ça a marché ?",
                        "choice",
                        choices=WORKED_CHOICES,
                    ),
                ],
                ok="Marquer fait",
            ),
            answered,
        )

    def action_reschedule(self) -> None:
        item = self._item("Reporter")
        if item is None:
            return
        followup_id = item.followup["id"]
        self._ask_date(
            f"Reporter le suivi : {item.described}",
            lambda ws, v: agenda_service.reschedule(ws, followup_id, v["date"]),
        )

    def _ask_date(self, title: str, job: Any, with_reason: bool = False) -> None:
        asks = [Ask("date", "Nouvelle date", "date")]
        if with_reason:
            asks.append(Ask("reason", "Motif", value="Prendre des nouvelles"))

        def answered(values: dict[str, Any] | None) -> None:
            if values is not None:
                self._run(lambda ws: job(ws, values), f"Prévu le {french_date(values['date'])}.")

        self.app.push_screen(FormDialog(title, asks), answered)

    def action_unreachable(self) -> None:
        item = self._item("Injoignable")
        if item is not None:
            followup_id = item.followup["id"]
            described = item.described
            self._run(
                lambda ws: agenda_service.unreachable(ws, followup_id),
                lambda saved: (
                    f"Injoignable ({described}) : " + agenda.unreachable_said(saved, today())
                ),
            )

    def action_abandon(self) -> None:
        item = self._item("Abandon")
        if item is None:
            return
        followup_id = item.followup["id"]

        def answered(yes: bool | None) -> None:
            if yes:
                self._run(lambda ws: agenda_service.abandon(ws, followup_id), "Suivi abandonné.")

        self.app.push_screen(
            ConfirmScreen(
                f"Abandonner ce suivi ?\n{item.described}", yes="Abandonner", no="Garder"
            ),
            answered,
        )

    def _client_id(self, key_name: str) -> str | None:
        where = self._focused()
        if where == "#nudge-table":
            key = self._key(where)
            return self.extras.nudges.client_id(key)
        if where == "#soon-table":
            return self._key(where)
        item = self._item(key_name)
        return item.followup.get("client_id") if item else None

    def action_open(self) -> None:
        where = self._focused()
        if where == "#soon-table":
            self.action_client_file()
            return
        if where == "#nudge-table":
            session_id = self._key(where)
        else:
            item = self._item("Ouvrir")
            session_id = item.followup.get("session_id") if item else None
        if session_id:
            self.post_message(messages.OpenSessionOrPreview(session_id))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_open()

    def action_new_for_client(self) -> None:
        client_id = self._client_id("Nouveau")
        if client_id:
            self.post_message(messages.OpenSession(None, client_id))

    def action_client_file(self) -> None:
        client_id = self._client_id("Fiche")
        if client_id:
            self.post_message(messages.OpenClientFile(client_id))

    def action_back(self) -> None:
        self.app.pop_screen()
