"""Client file (*fiche entreprise*): details to edit, every session and follow-up, probable
duplicates to merge, and the people's rights (export, erasure)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, ScrollableContainer, VerticalScroll
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.widget import Widget
from textual.widgets import (
    Button,
    DataTable,
    Label,
    Static,
    TabbedContent,
    TabPane,
)

from tpe_tui.domain import homonyms
from tpe_tui.domain.catalog import catalog
from tpe_tui.domain.duplicates import reason
from tpe_tui.domain.labels import field_label
from tpe_tui.domain.records import (
    ValidationError,
    clean_email,
    clean_insee_code,
    clean_phone,
    clean_postal_code,
    clean_siret,
    client_display_name,
    french_date,
    short_reference,
)
from tpe_tui.domain.text import compact
from tpe_tui.services import clients as client_files
from tpe_tui.services import erasure
from tpe_tui.services.clients import ClientFile
from tpe_tui.services.erasure import ErasurePlan, ErasureReport
from tpe_tui.services.workspace import Workspace
from tpe_tui.sync.conflicts import compare
from tpe_tui.ui import messages
from tpe_tui.ui.screens.autosaved_form import AutosavedForm
from tpe_tui.ui.screens.dialogs import ConfirmScreen, MessageScreen
from tpe_tui.ui.screens.erasure import EraseDialog, ErasureReportScreen
from tpe_tui.ui.widgets.action_plan import ActionPlanPanel
from tpe_tui.ui.widgets.attended_workshops import AttendedWorkshops
from tpe_tui.ui.widgets.footer import Footer
from tpe_tui.ui.widgets.forms import ChoiceSelect, TextBox, TextInput
from tpe_tui.ui.widgets.plain import plain
from tpe_tui.ui.widgets.plain_table import PlainTable

TEXT_FIELDS = (
    ("name", "Nom", None),
    ("trade", "Métier", None),
    ("siret", "SIRET", clean_siret),
    ("address", "Adresse", None),
    ("postal_code", "Code postal", clean_postal_code),
    ("commune", "Commune", None),
    ("insee_code", "Code INSEE", clean_insee_code),
    ("territory", "Territoire", None),
    ("phone", "Téléphone", clean_phone),
    ("email", "E-mail", clean_email),
)


# Each tab's key, shown on the tab and in the footer (F-keys: Alt+digit is Alt+& on the
# French AZERTY keyboard, and F7 belongs to the action plan once its tab has the focus).
TABS = (
    ("tab-details", "f3", "Coordonnées"),
    ("tab-history", "f4", "Historique"),
    ("tab-plan", "f5", "Plan d’actions"),
    ("tab-duplicates", "f9", "Doublons"),
)
TAB_KEYS = Binding.Group("Onglets", compact=True)


def tab_title(tab_id: str, suffix: str = "") -> str:
    """A tab's label with its key: « F4 Historique »."""
    key, label = next((k, lbl) for t, k, lbl in TABS if t == tab_id)
    return f"{key.upper()} {label}{suffix}"


def _scrolling_box(widget: Widget) -> bool:
    """A scrolling container (not a field that scrolls its own content, like a table)."""
    return isinstance(widget, ScrollableContainer) and not isinstance(widget, ScrollView)


class ClientFileScreen(AutosavedForm):
    # Its own layout (shared form styles: ui/app.tcss); ranks with app.tcss, scoped here.
    CSS = """
    #file-tabs { height: 1fr; }
    #file-tabs TabPane { padding: 0 1; }
    #sessions-table { height: 1fr; }
    #followups-table { height: 6; }
    #dup-table { height: 1fr; }
    #dup-intro { height: auto; }
    #dup-list { height: auto; }
    #dup-buttons { height: 1; }
    #dup-buttons Button { margin-right: 2; }
    #contacts { height: auto; }
    """
    table = "clients"
    # From the directory when it knows the commune; the territory from the commune.
    filled_by_save = ("insee_code", "territory")

    BINDINGS = [
        Binding("f2", "new_session", "Nouveau", id="new-session"),
        *(
            Binding(key, f"show_tab('{tab_id}')", label, id=tab_id, group=TAB_KEYS)
            for tab_id, key, label in TABS
        ),
        Binding("f6", "export_personal", "Export", id="export"),
        Binding("f8", "erase", "Effacer", id="erase"),
        Binding("ctrl+s", "save_now", "Enregistrer", id="save", show=False),
        Binding("escape", "back", "Retour", id="back"),
    ]

    def __init__(self, client_id: str = "") -> None:
        """No `client_id`: a blank file built ahead (`ScreensAhead`), given its business
        before it is shown."""
        super().__init__()
        self.record_id = client_id
        self.file: ClientFile | None = None
        self.duplicate_index = 0
        self.tabs_filled: set[str] = set()  # built when first opened (`_tab_opened`)
        self.focus_when_built: str | None = None  # a tab opened by its key, not built yet
        # The live businesses by SIRET (read once the file is shown): one SIRET, one file.
        self.siret_owners: dict[str, dict[str, Any]] = {}
        self._duplicates_wanted = False  # looked for once the file is drawn
        self.laid_out_for: Size | None = None  # built ahead: laid out for this size
        self._theme_when_built = ""

    def compose(self) -> ComposeResult:
        yield Static(" Fiche entreprise", id="screen-title", markup=False)
        yield Static("", id="file-status", classes="hint", markup=False)
        with TabbedContent(id="file-tabs"):
            # Not a Tab stop of its own (F32: the first Tab after the tab bar went to it, seen
            # nowhere): it scrolls to the focused field.
            with (
                TabPane(tab_title("tab-details"), id="tab-details"),
                VerticalScroll(can_focus=False),
            ):
                for name, label, clean in TEXT_FIELDS:
                    with Horizontal(classes="field-row"):
                        yield Label(label, classes="field-label", markup=False)
                        yield TextInput(name, compact=True, check=clean)
                with Horizontal(classes="field-row"):
                    yield Label("Activité", classes="field-label", markup=False)
                    yield ChoiceSelect(
                        "activity_kind",
                        catalog().choices("activity_kinds"),
                        prompt="(non précisée)",
                        compact=True,
                    )
                yield Label("Notes", classes="area-label", markup=False)
                yield TextBox("notes", classes="text-field")
                yield Label("Interlocuteurs", classes="area-label", markup=False)
                yield Static("", id="contacts", markup=False)
            # Built when first opened (`_tab_opened`).
            yield TabPane(tab_title("tab-history"), id="tab-history")
            yield TabPane(tab_title("tab-plan"), id="tab-plan")
            yield TabPane(tab_title("tab-duplicates"), id="tab-duplicates")
        yield Footer(show_command_palette=False, compact=True)

    def on_mount(self) -> None:
        self._theme_when_built = self.app.theme
        if self.record_id:  # else given its business before shown (`open_ahead`)
            self.reload()

    @on(events.ScreenResume)
    def _styled_when_built(self, event: events.ScreenResume) -> None:
        """Shown for the first time under the theme it was built with, its styles are those
        of its mount (and of each class changed since): Textual's restyle of every widget on
        showing a screen (20-25 ms of the processor here) would change nothing. Runs before
        Textual's own handler (a subclass's handlers come first)."""
        if self.stack_updates == 0 and self.app.theme == self._theme_when_built:
            event.refresh_styles = False

    @on(TabbedContent.TabActivated, "#file-tabs")
    async def _tab_opened(self, event: TabbedContent.TabActivated) -> None:
        """A tab's tables and panels are built when it is first opened: built with the
        screen, they were half the cost of opening a file (and most people never look)."""
        pane = event.pane
        if pane.id in self.tabs_filled or pane.id == "tab-details":
            return
        self.tabs_filled.add(pane.id or "")
        if pane.id == "tab-history":
            await pane.mount_all(
                [
                    Label(
                        "Accompagnements (Entrée : ouvrir)", classes="section first", markup=False
                    ),
                    PlainTable(id="sessions-table", cursor_type="row", zebra_stripes=True),
                    Label("Suivis", classes="section", markup=False),
                    PlainTable(id="followups-table", cursor_type="row", zebra_stripes=True),
                    # It reads the workshops itself once mounted, as the plan its actions.
                    AttendedWorkshops(self.record_id, id="attended-workshops"),
                ]
            )
            self._add_columns(
                "#sessions-table",
                # Réf. : what `tpe-tui summary REF` takes.
                (("Date", 10), ("Réf.", 8), ("Besoins", 22), ("Issue", 11), ("Orienté vers", 13)),
            )
            self._add_columns(
                "#followups-table", (("Date", 10), ("Motif", 32), ("État", 11), ("Note", 15))
            )
            if self.file is not None:
                self._show_history()
        elif pane.id == "tab-plan":
            await pane.mount(ActionPlanPanel(self.record_id, id="action-plan"))
        elif pane.id == "tab-duplicates":
            await pane.mount_all(
                [
                    Static("", id="dup-intro", markup=False),
                    Static("", id="dup-list", markup=False),
                    PlainTable(id="dup-table", cursor_type="row", zebra_stripes=True),
                    Horizontal(
                        Button(
                            "Garder cette fiche", id="keep-this", variant="primary", compact=True
                        ),
                        Button("Garder l’autre", id="keep-other", compact=True),
                        Button("Doublon suivant", id="next-dup", compact=True),
                        id="dup-buttons",
                    ),
                ]
            )
            self._add_columns("#dup-table", (("Champ", 16), ("Cette fiche", 26), ("Doublon", 26)))
            if self.file is not None:
                self._show_duplicate()
        if self.focus_when_built == pane.id:
            self.focus_when_built = None
            self._focus_first_field(pane)

    def _add_columns(self, table_id: str, columns: tuple[tuple[str, int], ...]) -> None:
        table = self.query_one(table_id, DataTable)
        for label, width in columns:
            table.add_column(label, width=width)

    def on_screen_resume(self) -> None:
        # Also sent when first shown, right after `on_mount`: read once, and again on coming
        # back only if something was written meanwhile (or the day changed).
        if not self.shows_current_data():
            self.reload()
        elif self._duplicates_wanted:  # filled before shown (`open_ahead`)
            self.call_after_refresh(self._find_duplicates)

    def open_ahead(self, client_id: str, shown: Callable[[ClientFileScreen], object]) -> None:
        """This blank file built ahead, for `client_id`: the business is read and filled in
        before `shown(self)` pushes it, so the first frame is the whole file (laid out and
        painted once, not once blank and again filled: half the cost of an opening)."""
        stamp = self.app.data_stamp()
        self.record_id = client_id

        def loaded(file: ClientFile | None) -> None:
            if file is not None:  # else read again once shown, which says it is gone
                self._read_stamp = stamp
                self.show(file)
            shown(self)

        self.app.read(lambda ws: ClientFile.load(ws, client_id, with_duplicates=False), loaded)

    def reload(self) -> None:
        client_id = self.record_id
        self.read_current(
            lambda ws: ClientFile.load(ws, client_id, with_duplicates=False), self.show
        )

    # ------------------------------------------------------------------ showing
    def show(self, file: ClientFile | None) -> None:
        if file is None:
            self.app.pop_screen()
            self.app.push_screen(
                MessageScreen("Cette entreprise n’existe plus (supprimée ou fusionnée).")
            )
            return
        self.file = file
        self.fill(file.client)
        self.record_id = self.record["id"]
        self.query_one("#screen-title", Static).update(
            plain(f" Fiche entreprise · {client_display_name(self.record)}")
        )
        self._show_contacts()
        self.duplicate_index = min(self.duplicate_index, max(len(file.duplicates) - 1, 0))
        if "tab-history" in self.tabs_filled:
            self._show_history()
            self.query_one(AttendedWorkshops).reload(self.record_id)
        if "tab-plan" in self.tabs_filled:
            self.query_one(ActionPlanPanel).follow(self.record_id)
        if "tab-duplicates" in self.tabs_filled:
            self._show_duplicate()
        self._show_status()
        # Looked for once the file is drawn: a scan of every business in a thread, which
        # took the processor from the first frame (half of it, on two cores).
        self._duplicates_wanted = True
        if self.is_current:
            self.call_after_refresh(self._find_duplicates)

    def _find_duplicates(self) -> None:
        if not self._duplicates_wanted or self.file is None:
            return
        self._duplicates_wanted = False
        client = self.file.client
        self.read(lambda ws: client_files.duplicates_of(ws, client), self._duplicates_found)
        self.read(client_files.siret_owners, self._sirets_found)

    def _sirets_found(self, owners: dict[str, dict[str, Any]]) -> None:
        self.siret_owners = owners

    def refuse(self, field: str, value: Any) -> None:
        """A SIRET another live business has is not written in this one (acceptance
        finding NEW3-35: two files for one business, made without a word)."""
        owner = self.siret_owners.get(value) if field == "siret" and value else None
        if owner is not None and owner.get("id") != self.record.get("id"):
            raise ValidationError(
                f"Ce SIRET est celui d’une autre fiche, {client_display_name(owner)} : il "
                "n’est pas enregistré ici (une entreprise, une fiche)."
            )

    def _duplicates_found(self, found: list[dict[str, Any]]) -> None:
        """Looked for apart (a scan of every business), once the file is on screen."""
        if self.file is None:
            return
        self.file.duplicates = found
        self.file.duplicates_known = True
        self.duplicate_index = min(self.duplicate_index, max(len(found) - 1, 0))
        if "tab-duplicates" in self.tabs_filled:
            self._show_duplicate()
        self._show_status()

    def _show_status(self) -> None:
        file = self.file
        assert file is not None
        status = f"{len(file.sessions)} accompagnement(s) · {len(file.followups)} suivi(s)"
        if self.record.get("anonymised"):
            status += " · personnes effacées (anonymisée)"
        if file.duplicates:
            status += f" · {len(file.duplicates)} doublon(s) probable(s) : onglet Doublons"
        if file.retention == "soon":
            status += " · sera anonymisée sous 30 jours faute d’activité"
        self.query_one("#file-status", Static).update(status)
        known = len(file.duplicates) if file.duplicates_known else "…"
        self.query_one(TabbedContent).get_tab("tab-duplicates").label = tab_title(
            "tab-duplicates", f" ({known})"
        )

    def _show_contacts(self) -> None:
        cat = catalog()
        lines = []
        for contact in self.record.get("contacts") or []:
            consent = contact.get("consent") or {}
            role = cat.label("interlocutor_roles", contact.get("role"), "")
            who = contact.get("name") or "(sans nom)"
            details = " · ".join(x for x in (contact.get("phone"), contact.get("email")) if x)
            given = (
                f"accord le {french_date(consent.get('date'))}"
                if consent.get("given")
                else "sans accord"
            )
            lines.append(f"• {who}{f' ({role})' if role else ''} {details} — {given}")
        self.query_one("#contacts", Static).update(
            plain("\n".join(lines) or "Aucun (ils s’ajoutent pendant un accompagnement).")
        )

    def _show_history(self) -> None:
        assert self.file is not None
        cat = catalog()
        table = self.query_one("#sessions-table", DataTable)
        table.clear()
        for s in self.file.sessions:
            needs = ", ".join(cat.label("needs", n) for n in s.get("needs") or [])
            outcome = (
                cat.label("close_reasons", s.get("close_reason"), "Clôturé")
                if s.get("status") == "closed"
                else "En cours"
            )
            to = ", ".join(
                r.get("label") or r.get("name") or ""
                for r in s.get("redirections") or []
                if isinstance(r, dict)
            )
            table.add_row(
                french_date(s.get("date")),
                short_reference(s["id"]),
                needs,
                outcome,
                to,
                key=s["id"],
            )
        table = self.query_one("#followups-table", DataTable)
        table.clear()
        for f in self.file.followups:
            status = cat.label("followup_statuses", f.get("status"), "")
            table.add_row(
                french_date(f.get("due_date")),
                f.get("reason") or "",
                status,
                f.get("outcome_note") or "",
                key=f["id"],
            )

    def _show_duplicate(self) -> None:
        assert self.file is not None
        table = self.query_one("#dup-table", DataTable)
        table.clear()
        dups = self.file.duplicates
        for button in self.query("#dup-buttons Button"):
            button.disabled = not dups
        # No duplicate (left): no list, no table, no buttons under « Aucun doublon probable ».
        for part in ("#dup-list", "#dup-table", "#dup-buttons"):
            self.query_one(part).display = bool(dups)
        if not dups:
            self.query_one("#dup-intro", Static).update(
                "Aucun doublon probable."
                if self.file.duplicates_known
                else "Recherche des doublons probables…"
            )
            return
        other = dups[self.duplicate_index]
        why = reason(self.record, other)
        self.query_one("#dup-intro", Static).update(
            f"Doublon probable {self.duplicate_index + 1}/{len(dups)} ({why}). "
            "La fiche gardée complète ses blancs avec l’autre ; accompagnements et suivis la suivent."
        )
        # Homonyms told apart: each one with what differs among them all.
        details = homonyms.telling([self.record, *dups])
        lines = [f"  Cette fiche : {details[self.record_id] or client_display_name(self.record)}"]
        own_name = compact(client_display_name(self.record))
        for index, dup in enumerate(dups):
            mark = "▸" if index == self.duplicate_index else " "
            # A homonym's name says nothing: what tells it apart is enough.
            parts = [client_display_name(dup), details[dup["id"]]]
            if details[dup["id"]] and compact(parts[0]) == own_name:
                parts = parts[1:]
            lines.append(f"{mark} {index + 1}. {' — '.join(p for p in parts if p)}")
        self.query_one("#dup-list", Static).update("\n".join(lines))
        # The fields that tell two businesses apart come first, side by side.
        first = [field_label(k) for k in (*homonyms.DETAILS, "contacts") if k != "contact"]
        rows = compare("clients", self.record, other)
        rows.sort(key=lambda row: first.index(row[0]) if row[0] in first else len(first))
        for label, mine, theirs in rows:
            table.add_row(label, mine, theirs)

    def save_job(self, workspace: Workspace, snapshot: dict[str, Any]) -> Any:
        return workspace.save_client(snapshot)

    # ------------------------------------------------------------------ actions
    @on(DataTable.RowSelected, "#sessions-table")
    def _open_session(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value:
            self.post_message(messages.OpenSessionOrPreview(event.row_key.value))

    def action_show_tab(self, tab_id: str) -> None:
        """Open a tab and put the focus in it, so the arrows work there at once (a tab
        opened for the first time is built first: the focus goes in once it is)."""
        tabs = self.query_one(TabbedContent)
        tabs.active = tab_id
        if tab_id in self.tabs_filled or tab_id == "tab-details":
            self._focus_first_field(tabs.get_pane(tab_id))
        else:
            self.focus_when_built = tab_id

    def _focus_first_field(self, pane: Widget) -> None:
        """The first field of the pane in reading order, focused now (not after a refresh),
        so a key typed right after the tab's key already reaches it."""
        for widget in pane.query("*"):
            if (
                widget.can_focus
                and not widget.disabled
                and not _scrolling_box(widget)
                and all(a.display for a in widget.ancestors_with_self if a is not pane)
            ):
                self.set_focus(widget)
                return

    def action_new_session(self) -> None:
        self.post_message(messages.OpenSession(None, self.record_id))

    def action_export_personal(self) -> None:
        client_id = self.record_id

        def done(paths: tuple[Any, Any]) -> None:
            md, js = paths
            self.app.push_screen(
                MessageScreen(
                    f"Données exportées :\n{md}\n{js}", title="Export des données personnelles"
                )
            )

        self.read(lambda ws: client_files.export_personal(ws, client_id), done)

    def action_erase(self) -> None:
        """F8: the erasure dialog lists what will be erased and the documents that name
        the business; the report says what was erased, rewritten and deleted."""
        client_id = self.record_id

        def erased(report: ErasureReport) -> None:
            self.app.push_screen(ErasureReportScreen(report.as_french()))
            self.reload()

        def planned(plan: ErasurePlan) -> None:
            def answered(documents: list[Path] | None) -> None:
                if documents is None:
                    return
                left = [p for p in plan.documents if p not in documents]
                self.write(
                    lambda ws: erasure.erase(
                        ws, client_id, documents, left=left, shared=plan.shared, copies=plan.copies
                    ),
                    erased,
                )

            self.app.push_screen(EraseDialog(plan), answered)

        self.read(lambda ws: erasure.plan(ws, client_id), planned)

    @on(Button.Pressed, "#next-dup")
    def _next_duplicate(self) -> None:
        if self.file and self.file.duplicates:
            self.duplicate_index = (self.duplicate_index + 1) % len(self.file.duplicates)
            self._show_duplicate()

    @on(Button.Pressed, "#keep-this, #keep-other")
    def _merge(self, event: Button.Pressed) -> None:
        if not self.file or not self.file.duplicates:
            return
        other = self.file.duplicates[self.duplicate_index]
        keep_this = event.button.id == "keep-this"
        kept, gone = (self.record, other) if keep_this else (other, self.record)
        # Irreversible: asked first, saying which file goes into which (namesakes told apart).
        details = homonyms.telling([kept, gone])

        def named(record: dict[str, Any]) -> str:
            name = client_display_name(record)
            return (
                f"« {name} » ({details[record['id']]})" if details[record["id"]] else f"« {name} »"
            )

        question = (
            f"Fusionner {named(gone)} dans {named(kept)} ?\n\n"
            f"La fiche gardée sera {named(kept)} : elle complète ses blancs avec l’autre, dont "
            "les accompagnements et les suivis la rejoignent. C’est définitif."
        )

        def merged(record: dict[str, Any]) -> None:
            self.record_id = record["id"]
            self.notify("Fiches fusionnées.", markup=False)
            self.reload()

        def answered(yes: bool | None) -> None:
            if yes:
                self.write(lambda ws: client_files.merge(ws, kept["id"], gone["id"]), merged)

        self.app.push_screen(
            ConfirmScreen(question, yes="Fusionner", no="Annuler", danger=True), answered
        )
