"""The action plan of one business, for the client file and the accompaniment: progress,
maturity first → last, the actions; keys to add, edit, move on and print them."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from tpe_tui.domain import action_plan
from tpe_tui.domain.catalog import catalog
from tpe_tui.domain.errors import TpeError
from tpe_tui.domain.records import ACTION_STATUSES, Record, french_date
from tpe_tui.services import action_plan as plan_service
from tpe_tui.ui.screens.base import tpe_app
from tpe_tui.ui.screens.dialogs import Ask, ConfirmScreen, FormDialog
from tpe_tui.ui.widgets.plain_table import PlainTable


def action_dialog(
    action: Record, aids: list[tuple[str, Any]], structures: list[tuple[str, Any]]
) -> FormDialog:
    """The form of one action; `aids` and `structures` are (id, name) pairs to choose from."""
    cat = catalog()

    def codes(kind: str) -> list[tuple[str, str]]:
        return [(code, label) for label, code in cat.choices(kind)]

    return FormDialog(
        "Action du plan" if action.get("title") else "Nouvelle action du plan",
        [
            Ask("title", "Action", value=action.get("title") or ""),
            Ask("need", "Besoin", "choice", action.get("need") or "", codes("needs")),
            Ask("solution", "Solution", value=action.get("solution") or ""),
            Ask("aid_id", "Aide", "choice", action.get("aid_id") or "", aids),
            Ask(
                "owner", "Qui", "choice", action.get("owner") or "business", codes("action_owners")
            ),
            Ask(
                "owner_structure_id",
                "Partenaire",
                "choice",
                action.get("owner_structure_id") or "",
                structures,
            ),
            Ask("due_date", "Échéance", "date", french_date(action.get("due_date"))),
            Ask(
                "priority",
                "Priorité",
                "choice",
                action.get("priority") or "normal",
                codes("action_priorities"),
            ),
        ],
        ok="Enregistrer",
    )


class ActionPlanPanel(Vertical):
    """Shows and edits the plan of `client_id`; new actions note `session_id` when given;
    F7 shows it as a document to save or print."""

    DEFAULT_CSS = """
    ActionPlanPanel { height: 1fr; }
    ActionPlanPanel.visit-plan { height: 12; }
    ActionPlanPanel .plan-line { height: auto; }
    ActionPlanPanel DataTable { height: 1fr; }
    """
    # In this order: a footer too narrow leaves out the last first (Suppr goes to the
    # palette before F7 does: the client file's footer at 80 columns, NEW4-29).
    BINDINGS = [
        Binding("ctrl+n", "new_action", "Nouvelle action", id="plan-new"),
        Binding("space", "next_status", "Statut", tooltip="Statut suivant", id="plan-status"),
        Binding("f7", "print_plan", "Plan PDF", id="plan-print"),
        Binding("delete", "delete_action", "Supprimer", id="plan-delete"),
    ]

    def __init__(
        self,
        client_id: str | None = None,
        session_id: str | None = None,
        *,
        of_visit: bool = False,
        **kw: Any,
    ) -> None:
        super().__init__(**kw)
        self.client_id = client_id
        self.session_id = session_id
        # In an accompaniment: the business and the visit are the screen's, read when shown.
        self.of_visit = of_visit
        self.actions: dict[str, Record] = {}

    def compose(self) -> ComposeResult:
        yield Static("", classes="plan-line plan-progress", markup=False)
        yield Static("", classes="plan-line plan-maturity", markup=False)
        yield PlainTable(classes="plan-table", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for label, width in (
            ("Statut", 9),
            ("Action (solution ou aide)", 38),
            ("Qui", 14),
            ("Échéance", 10),
        ):
            table.add_column(label, width=width)
        self.reload()

    def on_show(self) -> None:
        if self.of_visit:
            session: Record = getattr(self.screen, "session", None) or {}
            self.session_id = session.get("id")
            if session.get("client_id") != self.client_id or not self.actions:
                self.client_id = session.get("client_id")
                self.reload()

    def follow(self, client_id: str) -> None:
        """Show the plan of this business (the client file's, after a merge too)."""
        self.client_id = client_id
        self.reload()

    def reload(self, select: str | None = None) -> None:
        client_id = self.client_id
        if not client_id:
            self.query_one(".plan-progress", Static).update(
                "Le plan d’actions s’ouvre une fois l’entreprise choisie."
            )
            return
        tpe_app(self).read(
            lambda ws: plan_service.Plan.load(ws, client_id),
            lambda plan: self.show(plan, select),
            owner=self.screen,
        )

    def show(self, plan: plan_service.Plan, select: str | None = None) -> None:
        table = self.query_one(DataTable)
        keep = select or self._current()
        table.clear()
        self.actions = {a["id"]: a for a in plan.actions}
        for action in plan.actions:
            table.add_row(
                *action_plan.row_cells(action, plan.aid_names.get(action.get("aid_id") or "", "")),
                key=action["id"],
            )
        if keep in self.actions:
            table.move_cursor(row=table.get_row_index(keep))
        self.query_one(".plan-progress", Static).update(
            f"Avancement : {plan.progress.text()} · Entrée pour modifier l’action"
        )
        self.query_one(".plan-maturity", Static).update(action_plan.maturity_text(plan.maturity))

    def _current(self) -> str | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return key if key in self.actions else None

    # ------------------------------------------------------------------ actions
    def _edit(self, action: Record) -> None:
        def choices(ws: Any) -> tuple[list[tuple[str, Text]], list[tuple[str, Text]]]:
            from tpe_tui.services import aids as aid_service

            aids = [(a["id"], Text(a.get("name") or "?")) for a in aid_service.listing(ws)]
            structures = [(s["id"], Text(s.get("name") or "?")) for s in ws.structures()]
            return aids, structures

        def answered(values: dict[str, Any] | None) -> None:
            if not values or not values.get("title"):
                return
            edited = {**action, **values}
            tpe_app(self).write(
                lambda ws: plan_service.save(ws, edited),
                lambda saved: self.reload(saved["id"]),
                owner=self.screen,
            )

        tpe_app(self).read(
            choices,
            lambda pairs: self.app.push_screen(action_dialog(action, *pairs), answered),
            owner=self.screen,
        )

    def action_new_action(self) -> None:
        if self.client_id:
            self._edit({"client_id": self.client_id, "session_id": self.session_id, "title": ""})

    @on(DataTable.RowSelected)
    def _selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        key = event.row_key.value
        if key in self.actions:
            # Updated during this visit: the action now points to it.
            action = self.actions[key]
            self._edit({**action, "session_id": self.session_id or action.get("session_id")})

    def action_next_status(self) -> None:
        key = self._current()
        if key is None:
            return
        status = self.actions[key].get("status") or "todo"
        # À faire → en cours → fait → abandonné → à faire: one key moves it on.
        following = ACTION_STATUSES[(ACTION_STATUSES.index(status) + 1) % len(ACTION_STATUSES)]
        tpe_app(self).write(
            lambda ws: plan_service.set_status(ws, key, following),
            lambda saved: self.reload(saved["id"]),
            owner=self.screen,
        )

    def action_delete_action(self) -> None:
        key = self._current()
        if key is None:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                tpe_app(self).write(
                    lambda ws: plan_service.delete(ws, key),
                    lambda _: self.reload(),
                    owner=self.screen,
                )

        title = self.actions[key].get("title")
        self.app.push_screen(
            ConfirmScreen(f"Retirer « {title} » du plan ?", yes="Retirer", no="Garder"), answered
        )

    def action_print_plan(self) -> None:
        """The plan in the preview summaries use: d writes the PDF, p prints it, m and h
        the other formats (from the client file as from a visit, NEW4-29)."""
        from tpe_tui.ui.screens.preview import PlanPreview

        client_id = self.client_id
        if not client_id:
            return

        def document(ws: Any) -> plan_service.PlanDocument:
            client = ws.client(client_id)
            if client is None:
                raise TpeError("Cette entreprise n’est plus dans le fichier.")
            return plan_service.PlanDocument.of(ws, client)

        tpe_app(self).read(
            document,
            lambda document: self.app.push_screen(PlanPreview(document)),
            owner=self.screen,
        )
