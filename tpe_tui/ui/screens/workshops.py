"""Collective workshops (*ateliers collectifs*): plan one, register participants, tick
attendance on the day, print the attendance sheet and the recap."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import (
    DataTable,
    Label,
    Static,
    TabbedContent,
    TabPane,
)

from tpe_tui.domain.catalog import catalog
from tpe_tui.domain.records import Record, french_date
from tpe_tui.domain.workshops import Attendance, attendance
from tpe_tui.services import workshops as workshop_service
from tpe_tui.services.workspace import Workspace
from tpe_tui.ui import messages
from tpe_tui.ui.screens.dialogs import Ask, ConfirmScreen, FormDialog, MessageScreen, PickDialog
from tpe_tui.ui.screens.record_list import RecordListScreen, field_rows
from tpe_tui.ui.widgets.empty_list import EmptyListNote
from tpe_tui.ui.widgets.footer import Footer
from tpe_tui.ui.widgets.forms import ChoiceSelect, TextBox, TextInput, TickList
from tpe_tui.ui.widgets.plain_table import PlainTable
from tpe_tui.ui.widgets.value_inputs import CountInput, DateInput, ListInput, MinutesInput

TICKS = {True: "présent", False: "absent", None: "·"}
CONSENT_CHOICES = (
    ("yes", "Oui, coordonnées conservées"),
    ("no", "Non : nom et coordonnées non conservés"),  # the consent rule of a visit
)
FIELDS = (
    ("title", "Titre", TextInput),
    ("date", "Date", DateInput),
    ("duration_min", "Durée (min)", MinutesInput),
    ("place_label", "Lieu (texte)", TextInput),
    ("territory", "Territoire", TextInput),
    ("mediators", "Médiateurs", ListInput),
    ("anonymous_count", "Anonymes", CountInput),
)


def _count_cell(count: Attendance) -> str:
    """Present / registered, and the anonymous ones: « 3/5 +2 »."""
    cell = f"{count.attended}/{count.registered}"
    return f"{cell} +{count.anonymous}" if count.anonymous else cell


# The keys that act on the participant under the cursor of the participants' list.
PARTICIPANT_ACTIONS = frozenset({"tick", "followup", "accompany", "remove_participant"})


class WorkshopsScreen(RecordListScreen):
    """The list of workshops; the one under the cursor is edited in place."""

    table = "workshops"
    name_field = "title"
    list_id = "ws-table"
    form_id = "ws-tabs"
    columns = (("Date", 10), ("Atelier", 36), ("Niveau", 13), ("Présents", 12))
    places_field = "place_structure_id"
    entry_needed = "il faut d’abord un atelier. Ctrl+N pour en créer un."
    DEFAULT_CSS = """
    #ws-table { height: 6; }
    #ws-tabs { height: 1fr; }
    #ws-form { height: 1fr; }
    #ws-participants { height: 1fr; }
    #f-themes { max-height: 6; }
    """
    BINDINGS = [
        Binding("ctrl+n", "new", "Nouvel atelier", id="new"),
        Binding("f2", "register", "Inscrire", id="register"),
        Binding("f3", "tick", "Présent", id="tick"),
        Binding("f4", "followup", "Suivi", id="followup"),
        Binding("f5", "accompany", "Accompagner", id="accompany"),
        Binding("f6", "document('sheet')", "Émargement", id="sheet"),
        Binding("f7", "document('recap')", "Récap", id="recap"),
        Binding("f8", "delete", "Supprimer", id="delete"),
        Binding("ctrl+d", "remove_participant", "Désinscrire", id="remove", show=False),
        Binding("ctrl+s", "save_now", "Enregistrer", id="save", show=False),
        Binding("escape", "back", "Retour", id="back"),
    ]

    def compose(self) -> ComposeResult:
        cat = catalog()
        yield Static(" Ateliers collectifs", id="screen-title", markup=False)
        yield PlainTable(id=self.list_id, cursor_type="row", zebra_stripes=True)
        yield EmptyListNote()
        with TabbedContent(id=self.form_id):
            with TabPane("Atelier", id="tab-workshop"), VerticalScroll(id="ws-form"):
                yield from field_rows(FIELDS)
                with Horizontal(classes="field-row"):
                    yield Label("Niveau", classes="field-label", markup=False)
                    yield ChoiceSelect(
                        "level",
                        cat.choices("workshop_levels"),
                        prompt="(non précisé)",
                        compact=True,
                    )
                with Horizontal(classes="field-row"):
                    yield Label("Lieu (annuaire)", classes="field-label", markup=False)
                    yield ChoiceSelect("place_structure_id", prompt="(aucun)", compact=True)
                yield Label("Thèmes", classes="area-label", markup=False)
                yield TickList("themes", *cat.choices("needs"), *cat.choices("operational_topics"))
                yield Label("Notes", classes="area-label", markup=False)
                yield TextBox("notes", classes="text-field")
            with TabPane("Participants", id="tab-participants"):
                yield Static("", id="ws-count", markup=False)
                yield PlainTable(id="ws-participants", cursor_type="row", zebra_stripes=True)
        yield Footer(show_command_palette=False, compact=True)

    def on_mount(self) -> None:
        # Then RecordListScreen.on_mount (Textual calls each class's handler) sets the list.
        people = self.query_one("#ws-participants", DataTable)
        for label, width in (("Présence", 8), ("Entreprise", 32), ("Personne", 20), ("Rôle", 12)):
            people.add_column(label, width=width)

    def save_job(self, workspace: Workspace, snapshot: Record) -> Any:
        return workshop_service.save_details(workspace, snapshot)

    def listing(self) -> Callable[[Workspace], list[Record]]:
        return workshop_service.listing

    def cells(self, record: Record) -> tuple[str, ...]:
        return (
            french_date(record.get("date")),
            record.get("title") or "?",
            catalog().label("workshop_levels", record.get("level")),
            _count_cell(attendance(record)),
        )

    def when_empty(self) -> str:
        return "Aucun atelier pour l’instant : Ctrl+N pour en créer un."

    def created(self, workspace: Workspace) -> Record:
        return workshop_service.save(workspace, workshop_service.new_workshop(workspace))

    def reveal_form(self) -> None:
        self.query_one("#ws-tabs", TabbedContent).active = "tab-workshop"

    def form_shown(self) -> None:
        self._show_participants()

    def _show_participants(self, workshop: Record | None = None) -> None:
        """Participants of the workshop being edited (rows loaded in a worker)."""
        workshop = workshop or self.record

        def show(rows: list[Any]) -> None:
            if workshop.get("id") != self.record.get("id"):
                return  # moved to another workshop meanwhile
            table = self.query_one("#ws-participants", DataTable)
            row = table.cursor_row
            table.clear()
            for r in rows:
                table.add_row(
                    TICKS[r.attended],
                    r.business,
                    r.person,
                    catalog().label("interlocutor_roles", r.role),
                    key=f"{r.participant_id}|{r.client_id}",
                )
            if rows:
                table.move_cursor(row=min(row, len(rows) - 1))
            self.query_one("#ws-count", Static).update(
                f"{attendance(workshop).text()} · F3 présent/absent · Ctrl+D désinscrire"
            )

        self.read(lambda ws: workshop_service.rows(ws, workshop), show)

    def saved(self, key: str, result: Any) -> None:
        """A save of this screen landed: keep its bookkeeping (rev, vv) for the next one."""
        if isinstance(result, dict) and result.get("id") == self.record.get("id"):
            self.rows[result["id"]] = result

    # ------------------------------------------------------------------ participants
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """A key acts only on what is shown: the participant keys wait for their list
        (greyed in the footer while the « Atelier » tab is shown)."""
        if action in PARTICIPANT_ACTIONS and not self._participants_shown():
            return None
        return super().check_action(action, parameters)

    def _participants_shown(self) -> bool:
        return self.query_one("#ws-tabs", TabbedContent).active == "tab-participants"

    @on(TabbedContent.TabActivated, "#ws-tabs")
    def _tab_shown(self) -> None:
        self.refresh_bindings()

    def _participant(self) -> tuple[str, str] | None:
        table = self.query_one("#ws-participants", DataTable)
        if not self.record or not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value or ""
        participant_id, _, client_id = key.partition("|")
        return participant_id, client_id

    def _after_change(self, workshop: Record) -> None:
        self.rows[workshop["id"]] = workshop
        if workshop["id"] == self.record.get("id"):
            self.record = dict(workshop)
            self.update_row(workshop)
            self._show_participants(workshop)

    def action_register(self) -> None:
        if self.without_entry("Inscrire"):
            return
        workshop_id = self.record["id"]
        roles = [(code, label) for label, code in catalog().choices("interlocutor_roles")]

        def answered(values: dict[str, Any] | None) -> None:
            if not values or not values.get("business"):
                return
            newcomer = workshop_service.Newcomer(
                business=values["business"],
                person=values["person"],
                phone=values["phone"],
                email=values["email"],
                role=values["role"],
                consent=values["consent"] == "yes",
            )
            self.read(
                lambda ws: workshop_service.namesakes(ws, newcomer.business),
                lambda found: self._pick_business(workshop_id, newcomer, found),
            )

        self.query_one("#ws-tabs", TabbedContent).active = "tab-participants"
        self.app.push_screen(
            FormDialog(
                "Inscrire une entreprise (fiche choisie parmi celles du même nom, ou créée)",
                [
                    Ask("business", "Entreprise"),
                    Ask("person", "Personne"),
                    Ask("role", "Rôle", kind="choice", choices=roles),
                    Ask("phone", "Téléphone"),
                    Ask("email", "E-mail"),
                    Ask("consent", "Accord", kind="choice", value="no", choices=CONSENT_CHOICES),
                ],
                ok="Inscrire",
            ),
            answered,
        )

    def _pick_business(
        self,
        workshop_id: str,
        newcomer: workshop_service.Newcomer,
        found: list[tuple[Record, str]],
    ) -> None:
        """With client files of that name, the person picks one (or a new file); with
        none, the business is created on the spot."""

        def register(client_id: str | None) -> None:
            self.write(
                lambda ws: workshop_service.register(ws, workshop_id, newcomer, client_id),
                self._after_change,
            )

        if not found:
            register(None)
            return
        new = "--new--"
        self.app.push_screen(
            PickDialog(
                f"Quelle « {newcomer.business.strip()} » ?",
                [
                    *((c["id"], label) for c, label in found),
                    (new, f"Créer une nouvelle fiche « {newcomer.business.strip()} »"),
                ],
                hint=f"{len(found)} fiche(s) de ce nom : ↑ ↓ puis Entrée (Échap : annuler).",
            ),
            lambda picked: None if picked is None else register(None if picked == new else picked),
        )

    def action_tick(self) -> None:
        picked = self._participant()
        if picked is None:
            return
        participant_id = picked[0]
        current: Record = next(
            (p for p in self.record.get("participants") or [] if p.get("id") == participant_id),
            {},
        )
        # Unticked -> present -> absent -> present: the day's roll call, one key.
        attended = current.get("attended") is not True
        workshop_id = self.record["id"]
        self.write(
            lambda ws: workshop_service.set_attendance(ws, workshop_id, participant_id, attended),
            self._after_change,
        )

    def action_followup(self) -> None:
        picked = self._participant()
        if picked is None:
            return
        workshop = dict(self.record)
        client_id = picked[1]

        def answered(values: dict[str, Any] | None) -> None:
            if not values or not values.get("due"):
                return
            self.write(
                lambda ws: workshop_service.followup_for(ws, workshop, client_id, values["due"]),
                lambda _: self.notify("Suivi ajouté à l’agenda.", markup=False),
            )

        self.app.push_screen(
            FormDialog("Suivi après l’atelier", [Ask("due", "Date", kind="date")], ok="Ajouter"),
            answered,
        )

    def action_remove_participant(self) -> None:
        picked = self._participant()
        if picked is None:
            return
        participant_id, workshop_id = picked[0], self.record["id"]

        def answered(yes: bool | None) -> None:
            if yes:
                self.write(
                    lambda ws: workshop_service.remove_participant(ws, workshop_id, participant_id),
                    self._after_change,
                )

        self.app.push_screen(
            ConfirmScreen(
                "Désinscrire cette entreprise de l’atelier ?", yes="Désinscrire", no="Garder"
            ),
            answered,
        )

    def action_accompany(self) -> None:
        picked = self._participant()
        if picked is not None:
            self.post_message(messages.OpenSession(None, picked[1]))

    # ------------------------------------------------------------------ workshops
    def action_document(self, document: str) -> None:
        if self.without_entry("Émargement" if document == "sheet" else "Récap"):
            return
        workshop = dict(self.record)

        def write(ws: Any) -> str:
            path, warnings = workshop_service.save_document(ws, workshop, document)
            return "\n".join([f"Document enregistré :\n{path}", *warnings])

        self.read(write, lambda said: self.app.push_screen(MessageScreen(said)))

    def action_delete(self) -> None:
        question = f"Supprimer l’atelier « {self.record.get('title')} » ?"
        self.delete_current(question, workshop_service.delete)
