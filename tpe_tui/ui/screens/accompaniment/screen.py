"""The guided accompaniment: the three phases step by step, saved as it goes.

The screen holds the session (and its client) being edited; every change of a form field
(`widgets/forms.py`: each carries its `FieldPath`, a field of the session, of its client or
of the person met, or of a solution) is read into them by one generic handler and saved
off the UI thread: while typing, after a short quiet
time but at least every 2 seconds (`SavePacing`); at once on leaving a field or a step. The rules (what closing needs, pre-filling, follow-ups)
live in `accompaniment.py`.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Mapping
from copy import deepcopy
from dataclasses import dataclass, field
from typing import Any, cast

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import (
    Button,
    Checkbox,
    ContentSwitcher,
    Input,
    OptionList,
    RadioSet,
    Select,
    SelectionList,
    Static,
    TextArea,
)
from textual.widgets.option_list import Option

from tpe_tui.domain import accompaniment, duplicates, types
from tpe_tui.domain.catalog import catalog
from tpe_tui.domain.errors import TpeError
from tpe_tui.domain.homonyms import telling_by_name
from tpe_tui.domain.personal_data import holds_nothing, keep_consented_only
from tpe_tui.domain.plain_text import printable
from tpe_tui.domain.records import (
    Record,
    ValidationError,
    client_display_name,
    french_date,
    new_record,
)
from tpe_tui.domain.text import compact
from tpe_tui.services import clients as client_files
from tpe_tui.services.workspace import Workspace
from tpe_tui.ui import messages
from tpe_tui.ui.save_queue import SavePacing
from tpe_tui.ui.screens.autosaved_form import leave_unless_refused, typed_text
from tpe_tui.ui.screens.base import TpeScreen
from tpe_tui.ui.screens.dialogs import ConfirmScreen
from tpe_tui.ui.screens.refused_fields import RefusedFields
from tpe_tui.ui.widgets import forms
from tpe_tui.ui.widgets.aid_picker import AidPicker
from tpe_tui.ui.widgets.footer import Footer
from tpe_tui.ui.widgets.plain import choices as plain_choices
from tpe_tui.ui.widgets.plain import plain
from tpe_tui.ui.widgets.solution_editor import SHAPE as SOLUTION
from tpe_tui.ui.widgets.solution_editor import SolutionEditor
from tpe_tui.ui.widgets.steps import CONSENT, StepPane, error_id, pane_id
from tpe_tui.ui.widgets.toggles import TickBox

PERSON_NAME = forms.FieldPath("name", within="contact")
SIRET = forms.FieldPath("siret", within="client")
SYNTHESIS = forms.FieldPath("synthesis")
ROLE = forms.FieldPath("interlocutor_role")
PLACE = forms.FieldPath("place_structure_id")
# The steps that list the directory's structures: the place met, or where to send the
# person (with the id of that list).
STRUCTURE_STEPS = {
    "welcome": "",
    "right_place": "#reorient-structure",
    "redirect": "#redirect-structure",
}
CLIENT_TERRITORY = forms.FieldPath("territory", within="client")
VISIT_TERRITORY = forms.FieldPath("territory")


def known_people(client: Mapping[str, Any] | None) -> dict[str, str]:
    """The named people of a business's file as stored: id -> name."""
    return {
        str(c.get("id")): str(c.get("name"))
        for c in (client or {}).get("contacts") or []
        if isinstance(c, dict) and str(c.get("name") or "").strip()
    }


SAVE_QUIET = 0.6  # seconds without a keystroke before typing is saved...
SAVE_LONGEST = 2.0  # ...but never more than this after the first change not saved


def decimal(value: float) -> str:
    """One decimal, French style: 1,6."""
    return f"{value:.1f}".replace(".", ",")


@dataclass
class AccompanimentData:
    """Everything the screen needs, loaded off the UI thread."""

    session: Record
    client: Record | None
    structures: list[Record] = field(default_factory=list)
    history: list[Mapping[str, Any]] = field(default_factory=list)

    @classmethod
    def load(
        cls, workspace: Workspace, session_id: str | None, client_id: str | None = None
    ) -> AccompanimentData:
        if session_id:
            session = workspace.session(session_id)
            if session is None:
                raise TpeError("Cet accompagnement est introuvable.")
        else:
            session = workspace.new_session(client_id)
        client = workspace.client(session.get("client_id"))
        if not session_id and client is not None:
            accompaniment.meet_known_person(session, client)
        history = accompaniment.previous_assessments(
            client["id"] if client else None,
            list(workspace.client_sessions(client["id"])) if client else [],
            session["id"],
        )
        return cls(
            session=session, client=client, structures=workspace.structures(), history=history
        )


class AccompanimentScreen(TpeScreen[None]):
    # Its own layout (shared form styles: ui/app.tcss); ranks with app.tcss, scoped here.
    CSS = """
    #acc-title { height: 1; background: $primary; color: $text; text-style: bold; }
    #acc-body { height: 1fr; }
    #step-list { width: 27; height: 100%; border: none; border-right: solid $primary-darken-2; }
    #acc-main { width: 1fr; padding: 0 1; }
    #step-title { height: 1; text-style: bold; }
    #step-hint { height: auto; max-height: 2; }
    #panes { height: 1fr; }
    .pane { height: 100%; }
    #step-footer { height: 1; }
    #step-done { width: 16; }
    #step-note { width: 1fr; }
    #client-matches { height: auto; max-height: 6; display: none; }
    #reorient { height: auto; }
    #redirect-list { height: auto; max-height: 6; }
    .bars { margin-top: 1; }
    #solution-list { height: auto; }
    """
    # No focus before the values are loaded: `_focus_first_field` gives it to the first
    # field of the step once it holds its value, selected, so typing replaces it.
    AUTO_FOCUS = ""
    BINDINGS = [
        Binding("f2", "focus_steps", "Étapes", id="steps", priority=True),
        Binding("f3", "previous_step", "Préc.", id="previous", priority=True),
        Binding("f4", "next_step", "Suiv.", id="next", priority=True),
        Binding("f5", "toggle_done", "Fait", id="done", priority=True),
        Binding("f9", "close_session", "Clôturer", id="close", priority=True),
        Binding("ctrl+s", "save_now", "Enregistrer", id="save", priority=True, show=False),
        Binding("escape", "leave", "Accueil", id="leave"),
        # Picked within the key press itself: a Tab typed right after Entrée must find the
        # form already filled, or what is typed next would be overwritten by the pick.
        Binding("enter", "pick_client", show=False, priority=True),
    ]

    def __init__(self, data: AccompanimentData) -> None:
        super().__init__()
        self.session: Record = data.session
        self.client: Record | None = data.client
        self.structures = data.structures
        self.past_assessments = data.history
        # The live businesses by SIRET, read once shown (0.1 s at 100,000 visits): a SIRET
        # typed in step 2 is checked against them.
        self.siret_owners: dict[str, Record] = {}
        # The business of step 2 was made in this screen (not picked): it is compared
        # with the known ones, and dropped if one of them is picked instead.
        self._made_here = False
        self._offered: Record | None = None  # the known business a SIRET typed belongs to
        self._owner_asked: str | None = None  # its id, while its file is being read
        self._matches: dict[str, Record] = {}  # the businesses listed at the top of step 2
        self.steps = list(catalog().steps)
        code = self.session.get("current_step") or "welcome"
        codes = [s.code for s in self.steps]
        self.step_index = codes.index(code) if code in codes else 0
        self._save_timer: Timer | None = None
        self._pacing = SavePacing(SAVE_QUIET, SAVE_LONGEST)
        self._dirty = False
        self._client_dirty = False
        self._finished = False
        # A new visit started from a business's file opens with that business: left at
        # once, it is not worth keeping (it would wait among the visits in progress).
        self._started = {
            name: self.session.get(name)
            for name in ("client_id", "contact_id", "interlocutor_role")
        }
        # The panes built so far, by step code, and their fields by shape (`_filled`).
        self._panes: dict[str, StepPane] = {}
        self._field_index: dict[str, list[forms.FormField]] = {}
        self._missing_to_close = ""  # why F9 could not close, under the closing button
        # The people already in the business's file, by id, as stored: typing another
        # name over one of them adds a person instead of renaming her (see _take_person).
        self._known_people = known_people(self.client)
        self._other_person: str | None = None  # a name typed over a known person, held
        # The people added to the business on this screen: one of whom nothing is kept is
        # not written into the file (see _client_for_saving).
        self._added_people: set[str] = set()
        self._synthesis_generated = ""  # the synthesis this screen wrote, as written
        # The values typed and refused (not saved, so leaving asks first); meanwhile their
        # fields keep in the file the value from before the typing, as the forms do.
        self.refusals = RefusedFields[forms.FieldPath](self._value_at, self._put_back)
        self.refused = self.refusals.refused  # field -> (the text typed, why refused)

    # ------------------------------------------------------------------ layout
    def compose(self) -> ComposeResult:
        yield Static("", id="acc-title", markup=False)
        with Horizontal(id="acc-body"):
            yield OptionList(id="step-list", markup=False)
            with Vertical(id="acc-main"):
                yield Static("", id="step-title", markup=False)
                yield Static("", id="step-hint", classes="hint", markup=False)
                # Only the step shown: the others are built when first shown (`_pane`).
                code = self.steps[self.step_index].code
                with ContentSwitcher(initial=pane_id(code), id="panes"):
                    yield self._panes.setdefault(code, StepPane(code))
                with Horizontal(id="step-footer"):
                    yield TickBox("Étape faite", id="step-done", compact=True)
                    yield Input(
                        placeholder="Ce qui a été dit à cette étape", id="step-note", compact=True
                    )
        yield Footer(show_command_palette=False, compact=True)

    async def on_mount(self) -> None:
        await self._filled(self._panes[self.steps[self.step_index].code])
        self._show_step()
        # Focused before the first frame: keys typed once the step is seen land in its field.
        self._focus_first_field()

    # ------------------------------------------------------------------ panes
    def _built(self, code: str) -> bool:
        """Whether the pane of step `code` is built and filled: the session (and its
        client) is the truth, a pane not built yet is filled from it when first shown."""
        pane = self._panes.get(code)
        return pane is not None and pane.filled

    async def _pane(self, code: str) -> StepPane:
        """The pane of step `code`, built and filled from the session if not yet."""
        pane = self._panes.get(code)
        if pane is None:
            pane = self._panes[code] = StepPane(code)
            await self.query_one("#panes", ContentSwitcher).add_content(pane)
            await self._filled(pane)
        else:
            await pane.ready.wait()  # being built on another key's behalf
        return pane

    async def _filled(self, pane: StepPane) -> StepPane:
        """Fill a pane just mounted from the session, its business and its person."""
        for widget in forms.fields_in(pane):
            if widget.field_path.within != SOLUTION:
                self._field_index.setdefault(widget.field_path.within, []).append(widget)
        pane.filled = True
        code = pane.code
        if code in STRUCTURE_STEPS:  # the place, or a structure to send the person to
            self._fill_structure_selects(code)
        for widget in forms.fields_in(pane, ""):
            forms.write(widget, forms.load_value(self.session, widget.field_path))
        if code == "client":
            self._load_client_form()
            # The live businesses by SIRET (0.1 s at 100,000 visits): a SIRET typed here
            # is checked against them.
            self.read(client_files.siret_owners, self._sirets_read)
        elif code == "right_place":
            self._update_reorient()
        elif code == "assessment":
            self._update_assessment()
        elif code == "solutions":
            await self._render_solutions()
        elif code == "redirect":
            self._render_redirections()
        elif code == "closing":
            self.query_one("#close-missing", Static).update(self._missing_to_close)
        pane.ready.set()
        return pane

    def _sirets_read(self, owners: dict[str, Record]) -> None:
        self.siret_owners = owners
        typed = self._field(SIRET)
        if typed is not None and self._made_here and typed_text(typed).strip():
            self._take(typed)  # typed before: checked now

    # ------------------------------------------------------------------ values
    def _fields(self, within: str) -> list[forms.FormField]:
        """The fields of one shape in the panes built so far (the solutions come and go:
        their editors read their own fields)."""
        return self._field_index.get(within, [])

    def _field(self, path: forms.FieldPath) -> forms.FormField | None:
        """The field of `path`, None while its step's pane is not built."""
        return next((w for w in self._fields(path.within) if w.field_path == path), None)

    def _target(self, path: forms.FieldPath) -> Record:
        """The record a form field's value goes in: the session, its client or contact."""
        if path.within == "client":
            return self._ensure_client()
        if path.within == "contact":
            # The form writes a field by its name: the contact as a plain dict here.
            return cast(Record, self._contact())
        return self.session

    def _value_at(self, path: forms.FieldPath) -> Any:
        """The value of a form field in the session, its client or contact (none made)."""
        if path.within == "client":
            return forms.load_value(self.client or {}, path)
        if path.within == "contact":
            return forms.load_value(self._shown_contact(), path)
        return forms.load_value(self.session, path)

    def _put_back(self, path: forms.FieldPath, value: Any) -> None:
        """A refused field's value from before the typing, back in the record (saved by
        the caller)."""
        forms.store_value(self._target(path), path, value)
        if path.within in ("client", "contact"):
            self._client_changed()

    def _shown_contact(self) -> Record:
        """The person met, as held in the business (empty when none is)."""
        return next(
            (
                c
                for c in (self.client or {}).get("contacts") or []
                if c.get("id") == self.session.get("contact_id")
            ),
            {},
        )

    def _ensure_client(self) -> Record:
        if self.client is None:
            self.client = new_record("clients", territory=self.session.get("territory") or "")
            self._made_here = True
        return self.client

    def _contact(self) -> types.Contact:
        client = self._ensure_client()
        contacts: list[types.Contact] = client.setdefault("contacts", [])
        contact_id = self.session.get("contact_id")
        for contact in contacts:
            if contact.get("id") == contact_id:
                return contact
        contact = types.contact()
        contacts.append(contact)
        self._added_people.add(contact["id"])
        self.session["contact_id"] = contact["id"]
        return contact

    def _load_client_form(self) -> None:
        if not self._built("client"):
            return  # filled when first shown
        client = self.client or {}
        # Another business (or person) shown: what was refused in its fields is gone.
        for path in [p for p in self.refused if p.within in ("client", "contact")]:
            self._show_field_error(path, "")
            del self.refused[path]
        shown = [*self._fields("client"), *self._fields("contact")]
        self._show_consent_note("")
        self._show_field_error(PERSON_NAME, "")
        for widget in self._fields("client"):
            forms.write(widget, forms.load_value(client, widget.field_path))
        contact = self._shown_contact()
        for widget in self._fields("contact"):
            forms.write(widget, forms.load_value(contact, widget.field_path))
        for widget in shown if self.client is not None else ():
            self.refusals.start(widget.field_path)  # its typing starts from the value shown
        self._update_consent(bool((contact.get("consent") or {}).get("given")))
        role = self._field(ROLE)  # in this pane, built
        if role is not None:
            forms.write(role, self.session.get("interlocutor_role"))
        current = self.query_one("#client-current", Static)
        current.update(
            plain(f"Entreprise : {client_display_name(client)}")
            if client.get("name")
            else "Aucune entreprise choisie : recherchez-la ou remplissez la fiche ci-dessous."
        )

    def _contact_details(self) -> list[forms.FormField]:
        """The fields of the person met kept only with their consent."""
        return [w for w in self._fields("contact") if w.field_path != CONSENT]

    def _update_consent(self, consent: bool) -> None:
        for widget in self._contact_details():
            widget.disabled = not consent

    # ------------------------------------------------------------------ change handling
    @on(Input.Changed)
    @on(TextArea.Changed)
    @on(Select.Changed)
    @on(SelectionList.SelectedChanged)
    @on(RadioSet.Changed)
    @on(Checkbox.Changed)
    def _changed(self, event: Any) -> None:
        widget = event.control if hasattr(event, "control") else event.sender
        self._take(widget)

    def _take_focused(self) -> None:
        """Read the field being typed in now: its last keys may still be on their way here
        as messages when the person quits or leaves at once."""
        widget = self.focused
        if widget is not None and widget.id != "client-search":
            self._take(widget)

    def _take(self, widget: Widget | None) -> None:
        """Read one widget's value into the session (or its client) and schedule a save."""
        if widget is None or self._finished:
            return
        if self._special_change(widget):
            self._schedule_save()
            return
        if not isinstance(widget, forms.FormField):
            return
        path = widget.field_path
        if path == PERSON_NAME and self._holds_other_person(widget):
            return
        if path.within == "contact" and path != PERSON_NAME and self._another_name_shown():
            # Keys typed quickly after the name reach this field before the name's field is
            # seen left: what is typed here is the new person's, not the known one's.
            self._take_other_person(typed_in=widget)
        if path.within == SOLUTION:
            self._collect_solutions()  # an entry of a list: the list is read again
            self._schedule_save()
            return
        try:
            value = forms.read(widget)
        except ValidationError as exc:
            if self.refusals.refuse(path, typed_text(widget), str(exc)):
                self._schedule_save()  # the value from before the typing, back in the file
            self._show_field_error(path, str(exc))
            if path == SIRET:
                self._withdraw_offer()
            return
        if path == SIRET and self._siret_taken(widget, value):
            return
        if self.refusals.accept(path):
            # Only a refusal is cleared: the name's line may be saying something else (a
            # consent to ask), and its late Changed messages must not wipe that out.
            self._show_field_error(path, "")
        if path == CONSENT and not value.get("given") and self._unticks_known_person():
            return
        forms.store_value(self._target(path), path, value)
        if path == CONSENT:
            self._consent_changed(bool(value.get("given")))
        if path.within in ("client", "contact"):
            self._client_changed()
        if path.name == "interlocutor_role":
            self._contact()["role"] = value
            self._client_changed()
        if path.name == "right_place":
            self._update_reorient()
        if path.name in ("skills", "maturity"):
            self._update_assessment()
        self._schedule_save()

    def _siret_taken(self, widget: forms.FormField, siret: str) -> bool:
        """A SIRET another business already has is not written in this one: it says whose
        it is, and offers that file instead (Entrée in the field takes it). Two live files
        with one SIRET were made without a word (acceptance finding NEW3-35)."""
        owner = self.siret_owners.get(siret) if siret else None
        mine = (self.client or {}).get("id")
        if owner is None or owner.get("id") == mine:
            self._withdraw_offer()
            return False
        why = (
            f"Ce SIRET est celui de {client_display_name(owner)}, déjà connue : Entrée pour "
            "prendre sa fiche, ou corrigez le SIRET (il n’est pas enregistré)."
        )
        if self.refusals.refuse(SIRET, typed_text(widget), why):
            self._schedule_save()
        self._show_field_error(SIRET, why)
        if self._made_here and self.client and self.client.get("siret") == siret:
            self.client["siret"] = ""  # taken before the SIRETs were read: not kept
            self._client_changed()
            self._schedule_save()
        owner_id = self._owner_asked = str(owner["id"])
        self.read(lambda ws: ws.client(owner_id), self._offer_siret_owner)
        return True

    def _withdraw_offer(self) -> None:
        """The SIRET typed is no longer another business's: its file is no longer offered."""
        self._owner_asked = None
        if self._offered is None:
            return
        self._offered = None
        if not self.query_one("#client-search", Input).value.strip():
            matches = self.query_one("#client-matches", OptionList)
            matches.clear_options()
            matches.display = False

    def _offer_siret_owner(self, owner: Record | None) -> None:
        """The file the SIRET typed belongs to, offered in the list of step 2."""
        if owner is None or owner.get("id") != self._owner_asked:
            return  # the SIRET was changed meanwhile
        self._offered = owner
        self._offer([owner])

    def _offer(self, known: list[Record]) -> None:
        """Known businesses offered at the top of step 2, as the search lists them."""
        if self.query_one("#client-search", Input).value.strip():
            return  # a search is shown: its results stay
        telling = telling_by_name(known)
        self._matches = {str(c["id"]): c for c in known}
        matches = self.query_one("#client-matches", OptionList)
        matches.set_options(
            Option(
                plain(f"Prendre la fiche : {c['name']} · {_told(c, telling.get(str(c['id'])))}"),
                id=str(c["id"]),
            )
            for c in known
        )
        matches.display = True

    @on(Input.Submitted)
    def _take_offered(self, event: Input.Submitted) -> None:
        """Entrée in the SIRET field of another business's SIRET: that file is taken."""
        if getattr(event.input, "field_path", None) == SIRET and self._offered is not None:
            event.stop()
            owner_id = str(self._offered["id"])
            self._matches[owner_id] = self._offered
            self._pick_client(owner_id)

    def _look_for_same(self) -> None:
        """A business made here that looks like a known one (same name and commune, phone…,
        as the duplicates tab finds them) gets a hint line and that file offered."""
        client = self.client
        if not self._made_here or client is None or not (client.get("name") or "").strip():
            return
        mine = deepcopy(client)
        self.read(
            lambda ws: client_files.duplicates_of(ws, mine), lambda found: self._same(mine, found)
        )

    def _same(self, mine: Record, found: list[Record]) -> None:
        hint = self.query_one("#client-same", Static)
        if self.client is None or self.client.get("id") != mine.get("id") or not self._made_here:
            return
        found = found[:3]
        known = " ; ".join(
            f"{client_display_name(c)} ({duplicates.reason(mine, c)})" for c in found
        )
        hint.update(
            f"Déjà connue ? {known}. Si c’est elle, prenez sa fiche dans la liste en haut "
            "de l’étape."
            if found
            else ""
        )
        hint.display = bool(found)
        if found:
            self._offer(found)

    def _holds_other_person(self, widget: forms.FormField) -> bool:
        """A name typed over a person already in the file is held, not written into her
        record: it is another person met today (the secretary, not the owner), added when
        the field is left. Renaming a known person is done in the client file."""
        contact = self._contact()
        known = self._known_people.get(str(contact.get("id")))
        typed = str(forms.read(widget) or "")
        if not known:
            # The person met today is not one of the file: her name is hers to type, and
            # the line asking for her consent stays until it is answered.
            self._other_person = None
            return False
        if compact(typed) == compact(known):
            self._other_person = None
            self._show_field_error(PERSON_NAME, "")
            return False
        self._other_person = typed
        self._show_field_error(
            PERSON_NAME,
            f"Une autre personne que {known} : elle sera ajoutée à la fiche en quittant ce "
            f"champ ({known} y reste ; son nom se corrige dans la fiche entreprise).",
        )
        return True

    def _unticks_known_person(self) -> bool:
        """Unticking the consent of a person already in the file who had given it: the
        person met today does not agree to be kept — she is not written over, nor her
        details wiped by one key (acceptance finding NEW3-33). The visit's interlocutor
        becomes an unnamed person; withdrawing a known person's consent is done in the
        client file."""
        contact = self._contact()
        known = self._known_people.get(str(contact.get("id")))
        if not known or not (contact.get("consent") or {}).get("given"):
            return False
        person = types.contact()
        self._ensure_client().setdefault("contacts", []).append(person)
        self._added_people.add(person["id"])
        self.session["contact_id"] = person["id"]
        self._other_person = None
        for widget in self._fields("contact"):
            if widget.field_path != CONSENT:
                forms.write(widget, forms.load_value(cast(Record, person), widget.field_path))
        self._update_consent(False)
        self._show_field_error(PERSON_NAME, "")
        # Under the box just unticked, in view: the fields below it are disabled now, so
        # the focus cannot go down to a line under them (acceptance finding NEW4-2).
        self._show_consent_note(
            f"{known} garde son accord dans la fiche ; la personne rencontrée aujourd’hui "
            "ne sera pas conservée. Retirer l’accord de "
            f"{known} : fiche entreprise."
        )
        self._client_changed()
        self._schedule_save()
        return True

    def _another_name_shown(self) -> bool:
        """Whether the name field shows another name than the known person the visit is
        with: read from the field itself, as messages of keys typed quickly arrive late."""
        name = self._field(PERSON_NAME)
        if name is None:
            return False  # step 2 not shown yet: nothing typed there
        known = self._known_people.get(str(self._contact().get("id")))
        return bool(known) and compact(typed_text(name)) != compact(known or "")

    def _take_other_person(self, typed_in: Widget | None = None) -> None:
        """The name typed over a known person becomes the person met today: one already in
        the file if she has that name, else a new person, whose consent is asked (it is
        not her predecessor's). The name is read from its field as it is now, and the
        fields of her details show hers, but for those typed in meanwhile (`typed_in`, or
        any not showing the known person's any more): keys typed without a pause reach
        them before the name's field is seen left (acceptance finding NEW4-1)."""
        if self._other_person is None and not self._another_name_shown():
            return
        self._other_person = None
        typed = typed_text(cast(forms.FormField, self._field(PERSON_NAME)))
        before = cast(Record, self._contact())
        client = self._ensure_client()
        contacts: list[types.Contact] = client.setdefault("contacts", [])
        same = [c for c in contacts if compact(str(c.get("name") or "")) == compact(typed)]
        person = same[0] if same and compact(typed) else types.contact()
        if not same or not compact(typed):
            contacts.append(person)
            self._added_people.add(person["id"])
        self.session["contact_id"] = person["id"]
        given = bool((person.get("consent") or {}).get("given"))
        for widget in self._fields("contact"):
            if widget.field_path == PERSON_NAME or widget is typed_in:
                continue
            if widget.field_path != CONSENT and self._typed_since(widget, before):
                continue
            forms.write(widget, forms.load_value(cast(Record, person), widget.field_path))
        # Her details stay typable even before her consent (the box is above her name, and
        # the focus is moving into Téléphone now: disabling it would swallow the phone typed
        # next, acceptance finding NEW4-1). What is typed is held on this screen and kept
        # only once the box is ticked (`_client_for_saving`); unticking it disables them.
        self._update_consent(True)
        if given:
            forms.store_value(cast(Record, person), PERSON_NAME, person.get("name") or typed)
        self._show_field_error(
            PERSON_NAME,
            ""
            if given
            else "Nouvelle personne : cochez son accord pour garder son nom et ses coordonnées.",
        )
        self._client_changed()
        self._schedule_save()

    @staticmethod
    def _typed_since(widget: forms.FormField, shown_for: Record) -> bool:
        """Whether a field no longer shows the value it was filled with for `shown_for`."""
        try:
            return bool(forms.read(widget) != forms.load_value(shown_for, widget.field_path))
        except ValidationError:
            return True

    def _show_consent_note(self, text: str) -> None:
        note = self.query_one("#consent-note", Static)
        note.update(text)
        note.display = bool(text)
        if text:
            self.call_after_refresh(note.scroll_visible, animate=False)

    def _show_field_error(self, path: forms.FieldPath, text: str) -> None:
        """The French reason a typed value is refused, right under its field."""
        if path.slug is None:
            return
        for error in self.query(f"#{error_id(path)}").results(Static):
            error.update(text)
            error.display = bool(text)

    @property
    def step_done(self) -> Checkbox:
        return self.query_one("#step-done", Checkbox)

    @property
    def step_note(self) -> Input:
        return self.query_one("#step-note", Input)

    def _special_change(self, widget: Widget) -> bool:
        """Widgets that are not a field of a record: the step's own state, the search."""
        step = self.steps[self.step_index].code
        if widget is self.step_done:
            accompaniment.mark_step(self.session, step, self.step_done.value)
            self._render_step_list()
            self._render_title()  # its count of steps done too (acceptance finding NEW4-4)
            return True
        if widget is self.step_note:
            accompaniment.mark_step(self.session, step, self._step_state().get("done", False))
            self.session["steps"][step]["note"] = self.step_note.value
            return True
        if isinstance(widget, Input) and widget.id == "client-search":
            self._search(widget.value)
        return False

    def _consent_changed(self, given: bool) -> None:
        """Ticked: what was typed for the person is kept; unticked: it can no longer be."""
        self._update_consent(given)
        if given:
            self._show_field_error(PERSON_NAME, "")  # « cochez son accord » is answered
            self._show_consent_note("")
            contact = cast(Record, self._contact())
            for widget in self._contact_details():
                with contextlib.suppress(ValidationError):
                    forms.store_value(contact, widget.field_path, forms.read(widget))

    def _client_changed(self) -> None:
        client = self._ensure_client()
        self._client_dirty = True
        if (client.get("name") or "").strip():
            self.session["client_id"] = client["id"]
        self.session["interlocutor_role"] = self._contact().get("role")
        self._render_title()  # the business picked or named shows at once in the title

    def _schedule_save(self) -> None:
        self._dirty = True
        if self._save_timer is not None:
            self._save_timer.stop()
        # Never a 0 s timer: Textual's timer divides by its delay when it runs late (a busy
        # machine), which crashed the app while someone typed without a pause.
        delay = max(self._pacing.delay(time.monotonic()), 0.001)
        self._save_timer = self.set_timer(delay, self.action_save_now)

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        """Leaving a field saves what was typed in it at once."""
        self._take_other_person()
        if getattr(event.widget, "field_path", forms.FieldPath("")).within == "client":
            self._look_for_same()
        if self._save_timer is not None and not self._finished:
            self.action_save_now()

    # ------------------------------------------------------------------ saving
    def action_save_now(self) -> None:
        """Queue the current state for saving (client first: the session points to it)."""
        if self._save_timer is not None:
            self._save_timer.stop()
            self._save_timer = None
        self._pacing.saved()
        if self._client_dirty and self.client and (self.client.get("name") or "").strip():
            client = self._client_for_saving()
            self.write(
                lambda ws: ws.save_client(client),
                lambda saved: self._territory_filled_in(client, saved),
                key=f"clients:{client['id']}",
            )
            self._client_dirty = False
        if self._dirty and not accompaniment.is_blank(self.session, self._started):
            if self.session.get("status") == "draft" and self.session.get("client_id"):
                self.session["status"] = "in_progress"
            session = deepcopy(self.session)
            self.write(lambda ws: ws.save_session(session), key=f"sessions:{session['id']}")
            self._dirty = False

    def _territory_filled_in(self, snapshot: Record, saved: Any) -> None:
        """The territory the save gave the business from its commune (NEW4-25): shown in
        step 2 unless typed there meanwhile, and taken by this visit when it has none."""
        client = self.client
        if not isinstance(saved, dict) or client is None or saved.get("id") != client["id"]:
            return
        found = str(saved.get("territory") or "")
        before = str(snapshot.get("territory") or "")
        if not found or found == before:
            return
        if str(client.get("territory") or "") == before:
            client["territory"] = found
            self._show_value(CLIENT_TERRITORY, found)
        self._visit_takes_territory(found)

    def _visit_takes_territory(self, territory: str) -> None:
        """Step 1's « Territoire », when empty, takes the business's (never one typed)."""
        if territory and not str(self.session.get("territory") or "").strip():
            self.session["territory"] = territory
            self._show_value(VISIT_TERRITORY, territory)
            self._schedule_save()

    def _show_value(self, path: forms.FieldPath, value: Any) -> None:
        """Show `value` in its field, if its step is built (else it is shown from the
        record when the step is first shown)."""
        widget = self._field(path)
        if widget is not None:
            forms.write(widget, value)

    def _client_for_saving(self) -> Record:
        """A copy of the client where contacts without consent keep no personal data, and
        a person added here of whom nothing is kept is left out: a visit abandoned after
        her consent was refused left an empty person in the file (finding NEW4-8)."""
        client = keep_consented_only(self.client or {})
        client["contacts"] = [
            c
            for c in client["contacts"]
            if not (isinstance(c, dict) and c.get("id") in self._added_people and holds_nothing(c))
        ]
        return client

    def flush_edits(self) -> None:
        """Called before the app quits: queue whatever is not saved yet."""
        self._take_focused()
        self._take_other_person()
        self._dirty = True
        self.action_save_now()

    # ------------------------------------------------------------------ navigation
    def _step_state(self) -> dict[str, Any]:
        return (self.session.get("steps") or {}).get(self.steps[self.step_index].code) or {}

    def _show_step(self) -> None:
        step = self.steps[self.step_index]
        self.query_one("#panes", ContentSwitcher).current = pane_id(step.code)
        self.query_one("#step-title", Static).update(
            f"Étape {self.step_index + 1}/{len(self.steps)} · {step.label}"
        )
        self.query_one("#step-hint", Static).update(step.hint)
        state = self._step_state()
        done, note = self.step_done, self.step_note
        with done.prevent(Checkbox.Changed):
            done.value = bool(state.get("done", False))
        with note.prevent(Input.Changed):
            note.value = printable(str(state.get("note") or ""))
        if step.code == "synthesis" and not (self.session.get("synthesis") or "").strip():
            self._prefill_empty_synthesis()
        if step.code == "solutions":
            self._update_solution_reminders()
        self._render_step_list()
        self._render_title()

    def _render_title(self) -> None:
        done, total = accompaniment.progress(self.session)
        name = (
            client_display_name(self.client)
            if self.client and self.client.get("name")
            else "Nouvelle entreprise"
        )
        status = catalog().label("session_statuses", self.session.get("status"))
        day = french_date(self.session.get("date"))
        line = accompaniment.title_line(
            name, day, status, f"{done}/{total} étapes", self.app.size.width
        )
        self.query_one("#acc-title", Static).update(plain(line))

    def on_resize(self) -> None:
        self._render_title()  # the name cut to the new width, the count of steps whole

    def _render_step_list(self) -> None:
        options: list[Option | None] = []
        cat = catalog()
        for phase_code in cat.codes("phases"):
            options.append(
                Option(cat.phase_short(phase_code).upper(), disabled=True, id=f"phase-{phase_code}")
            )
            for step in cat.phase_steps(phase_code):
                mark = "✓" if accompaniment.step_is_done(self.session, step.code) else "·"
                options.append(Option(f" {mark} {step.label}", id=f"step-{step.code}"))
        step_list = self.query_one("#step-list", OptionList)
        with step_list.prevent(OptionList.OptionHighlighted):
            step_list.set_options(options)
            step_list.highlighted = step_list.get_option_index(
                f"step-{self.steps[self.step_index].code}"
            )

    async def go_to(self, index: int) -> None:
        """Every change of step saves at once. A step shown for the first time has its
        pane built first: the keys typed after F4 wait for it (the app's queue), then go
        to its first field."""
        index = max(0, min(index, len(self.steps) - 1))
        self.step_index = index
        self.session["current_step"] = self.steps[index].code
        self._dirty = True
        self.action_save_now()
        await self._pane(self.steps[index].code)
        if self.step_index != index:
            return  # another step was asked for meanwhile: it is the one shown
        self._show_step()
        self._focus_first_field()

    def _focus_first_field(self) -> None:
        pane = self._panes[self.steps[self.step_index].code]
        for widget in pane.query(
            "Input, TextArea, Select, SelectionList, RadioSet, Checkbox, Button"
        ):
            if widget.focusable:
                # At once, not after the messages already queued (`focus()` waits for
                # them): a paste that arrived with F4 goes to the step shown (NEW3-12).
                self.set_focus(widget)
                return

    async def action_next_step(self) -> None:
        await self.go_to(self.step_index + 1)

    async def action_previous_step(self) -> None:
        await self.go_to(self.step_index - 1)

    def action_focus_steps(self) -> None:
        self.query_one("#step-list", OptionList).focus()

    @on(OptionList.OptionSelected, "#step-list")
    async def _jump(self, event: OptionList.OptionSelected) -> None:
        option_id = event.option.id or ""
        if option_id.startswith("step-"):
            await self.go_to(catalog().step_index(option_id[5:]))

    def action_toggle_done(self) -> None:
        self.step_done.value = not self.step_done.value

    def action_leave(self) -> None:
        """Leave with the session still in progress, resumable exactly where it is; while
        a typed value is refused (a date that does not exist), ask first: it is not kept."""
        self._take_focused()
        self._dirty = True
        self.action_save_now()
        self.leave_then(self.app.pop_screen)

    def leave_then(self, leave: Callable[[], object], doing: str = "Quitter") -> None:
        """Run `leave` (home, quit the app, close the visit), after asking while a value
        is refused; left without them, each such field keeps its value from before, as in
        the forms (`RefusedFields`). « Corriger » shows the first one, its step first."""

        def without_refused() -> None:
            self._drop_refused()
            leave()

        leave_unless_refused(
            self,
            self.refused.values(),
            without_refused,
            self._correct_refused,
            question=f"{doing} quand même ? Elles seront perdues.",
            yes=f"{doing} sans elles",
        )

    def _drop_refused(self) -> None:
        """Forget the values refused: their fields show, and the file holds, the value
        each held before the typing."""
        dropped = list(self.refused)
        if self.refusals.drop():
            self._schedule_save()
        for path in dropped:
            self._show_field_error(path, "")
            widget = self._field(path)
            if widget is not None:
                forms.write(widget, self._value_at(path))

    def _correct_refused(self) -> None:
        path = next(iter(self.refused), None)
        widget = None if path is None else self._field(path)
        pane = (
            None
            if widget is None
            else next((a for a in widget.ancestors if isinstance(a, StepPane)), None)
        )
        if widget is not None and pane is not None:
            self.call_later(self._show_field, catalog().step_index(pane.code), widget)

    async def _show_field(self, step: int, widget: Widget) -> None:
        if step != self.step_index:
            await self.go_to(step)
        widget.focus()

    # ------------------------------------------------------------------ client search
    def _search(self, text: str) -> None:
        self.read(lambda ws: ws.search_clients(text), lambda found: self._show_matches(text, found))

    def _show_matches(self, text: str, found: list[Record]) -> None:
        if self.query_one("#client-search", Input).value != text:
            return  # typed further meanwhile: a newer search is on its way
        matches = self.query_one("#client-matches", OptionList)
        # Namesakes get what tells them apart; a missing commune is said, as at home.
        telling = telling_by_name(found)
        options = [
            Option(plain(f"{c['name']} · {_told(c, telling.get(str(c['id'])))}"), id=c["id"])
            for c in found
        ]
        if text.strip():
            options.append(Option(plain(f"+ Créer l’entreprise « {text.strip()} »"), id="create"))
        self._matches = {c["id"]: c for c in found}
        matches.set_options(options)
        matches.display = bool(options)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "pick_client":
            focused = self.focused
            return isinstance(focused, OptionList) and focused.id == "client-matches"
        return True

    def action_pick_client(self) -> None:
        matches = self.query_one("#client-matches", OptionList)
        if matches.highlighted is not None:
            self._pick_client(matches.get_option_at_index(matches.highlighted).id)

    @on(OptionList.OptionSelected, "#client-matches")
    def _clicked_client(self, event: OptionList.OptionSelected) -> None:
        self._pick_client(event.option.id)

    def _pick_client(self, option_id: str | None) -> None:
        text = self.query_one("#client-search", Input).value.strip()
        if option_id == "create":
            self.client = new_record(
                "clients", name=text, territory=self.session.get("territory") or ""
            )
            self._made_here = True
            self.session["contact_id"] = None
        else:
            self._drop_made_here(option_id)
            self.client = deepcopy(self._matches[option_id or ""])
            self._known_people = known_people(self.client)
            accompaniment.meet_known_person(self.session, self.client)
            self._reload_history()
            self._visit_takes_territory(str(self.client.get("territory") or ""))
        self._client_changed()
        self._load_client_form()
        matches = self.query_one("#client-matches", OptionList)
        matches.clear_options()
        matches.display = False
        self._offered = None
        self.query_one("#client-same", Static).display = False
        self._update_assessment()
        self._schedule_save()
        # At once, before the next key.
        self.set_focus(self._field(forms.FieldPath("name", within="client")))

    def _drop_made_here(self, picked: str | None) -> None:
        """A known business picked instead of the one made here: the one made here (saved
        once named) is deleted, unless something else refers to it already."""
        made = self.client
        self._made_here, was_made = False, self._made_here
        if not was_made or made is None or made.get("id") == picked:
            return
        self._client_dirty = False
        if (made.get("name") or "").strip():
            made_id, session_id = str(made["id"]), str(self.session["id"])
            self.write(
                lambda ws: client_files.discard_unused(ws, made_id, session_id),
                key=f"clients:{made_id}",
            )

    def _reload_history(self) -> None:
        client_id = self.client["id"] if self.client else None
        session_id = self.session["id"]

        def load(workspace: Workspace) -> list[Mapping[str, Any]]:
            sessions = list(workspace.client_sessions(client_id)) if client_id else []
            return accompaniment.previous_assessments(client_id, sessions, session_id)

        self.read(load, self._set_history)

    def _set_history(self, history: list[Mapping[str, Any]]) -> None:
        self.past_assessments = history
        self._update_assessment()

    # ------------------------------------------------------------------ right place, redirections
    def on_screen_resume(self) -> None:
        """Back from another screen (the directory, opened from the palette): a structure
        created there is offered at once; so is an aid (Aides, from the palette)."""
        self.read(lambda workspace: workspace.structures(), self._structures_loaded)
        for picker in self.query(AidPicker):
            picker.refresh_choices()

    def _structures_loaded(self, structures: list[Record]) -> None:
        if structures != self.structures:
            self.structures = structures
            self._fill_structure_selects()

    def _fill_structure_selects(self, only: str | None = None) -> None:
        """The directory's structures in the lists of the panes built (or of `only`)."""
        steps = [c for c in STRUCTURE_STEPS if self._built(c) and only in (None, c)]
        redirect_selects = [STRUCTURE_STEPS[c] for c in steps if c != "welcome"]
        if redirect_selects:
            suggested = accompaniment.suggest_structures(
                self.client, self.structures, self.session.get("territory") or ""
            )
            kinds = catalog().redirect_kinds((self.client or {}).get("activity_kind"))
            choices = plain_choices(
                (("★ " if s.get("kind") in kinds else "") + s["name"], s["id"]) for s in suggested
            )
            offered = {value for _, value in choices}
            for select_id in redirect_selects:
                select = self.query_one(select_id, Select)
                chosen = None if select.is_blank() else select.value
                with select.prevent(Select.Changed):
                    select.set_options(choices)
                    if chosen in offered:
                        select.value = chosen  # a choice in progress survives the refresh
        place = self._field(PLACE)
        if place is None or "welcome" not in steps:
            return
        places = plain_choices(
            (s["name"], s["id"]) for s in self.structures if s.get("kind") == "tiers_lieu"
        )
        with place.prevent(Select.Changed):
            cast(Select[str], place).set_options(places)
            if self.session.get("place_structure_id") in {v for _, v in places}:
                cast(Select[str], place).value = self.session["place_structure_id"]

    def _update_reorient(self) -> None:
        if self._built("right_place"):
            self.query_one("#reorient").display = self.session.get("right_place") is False

    def _redirection_from(
        self, select_id: str, label_id: str, reason: str = ""
    ) -> types.Redirection | None:
        select = self.query_one(select_id, Select)
        typed = self.query_one(label_id, Input).value.strip()
        if not select.is_blank():
            structure = next((s for s in self.structures if s["id"] == select.value), None)
            if structure:
                return types.redirection(structure["name"], reason, structure["id"])
        if typed:
            return types.redirection(typed, reason)
        return None

    @on(Button.Pressed, "#close-redirected")
    def _close_redirected(self) -> None:
        redirection = self._redirection_from(
            "#reorient-structure", "#reorient-label", "Réorientation : pas le bon endroit"
        )
        if redirection is None:
            self.show_error("Choisissez ou saisissez la structure vers laquelle réorienter.")
            return
        self.session.setdefault("redirections", []).append(redirection)
        self._close("redirected")

    @on(Button.Pressed, "#add-redirect")
    def _add_redirect(self) -> None:
        reason = self.query_one("#redirect-reason", Input).value.strip()
        redirection = self._redirection_from("#redirect-structure", "#redirect-label", reason)
        if redirection is None:
            self.show_error("Choisissez ou saisissez une structure.")
            return
        self.session.setdefault("redirections", []).append(redirection)
        for input_id in ("#redirect-label", "#redirect-reason"):
            self.query_one(input_id, Input).value = ""
        self.query_one("#redirect-structure", Select).clear()
        self._render_redirections()
        self._schedule_save()

    def _render_redirections(self) -> None:
        items = self.session.get("redirections") or []
        options = [
            Option(
                plain(f"{r['label']}" + (f" — {r['reason']}" if r.get("reason") else "")),
                id=f"redir-{i}",
            )
            for i, r in enumerate(items)
        ]
        if self._built("redirect"):
            self.query_one("#redirect-list", OptionList).set_options(options)

    @on(Input.Submitted, "#client-search")
    def _to_matches(self) -> None:
        matches = self.query_one("#client-matches", OptionList)
        if matches.option_count:
            self.set_focus(matches)  # at once: Entrée typed right after picks from the list
            matches.highlighted = 0

    def on_key(self, event: Any) -> None:
        focused = self.focused
        if event.key == "down" and isinstance(focused, Input) and focused.id == "client-search":
            self._to_matches()
            event.stop()
            return
        if (
            event.key == "delete"
            and isinstance(focused, OptionList)
            and focused.id == "redirect-list"
        ):
            index = focused.highlighted
            if index is not None and index < len(self.session.get("redirections") or []):
                del self.session["redirections"][index]
                self._render_redirections()
                self._schedule_save()
                event.stop()

    # ------------------------------------------------------------------ assessment
    def _update_assessment(self) -> None:
        """A bar beside each score, the previous value when the business was seen before,
        and the averages at a glance."""
        if not self._built("assessment"):
            return  # drawn when first shown
        cat = catalog()
        previous = self.past_assessments[0] if self.past_assessments else None
        summary = []
        for title, kind, field_name in (
            ("compétences", "skill_areas", "skills"),
            ("maturité", "maturity_dimensions", "maturity"),
        ):
            scores = self.session.get(field_name) or {}
            before = (previous or {}).get(field_name) or {}
            for code in cat.codes(kind):
                level = scores.get(code)
                text = accompaniment.bar(level, width=4) if isinstance(level, int) else ""
                if isinstance(before.get(code), int):
                    text += f" av. {before[code]}"  # fits beside the bar at 80 columns
                self.query_one(f"#bar-{field_name}--{code}", Static).update(text)
            mean = accompaniment.average(scores)
            summary.append(
                f"{title} {decimal(mean)}/4" if mean is not None else f"{title} non évaluée"
            )
        line = "Moyennes : " + " · ".join(summary)
        if previous:
            old = [accompaniment.average(previous.get(f) or {}) for f in ("skills", "maturity")]
            shown = " · ".join(decimal(v) if v is not None else "–" for v in old)
            line += f"\nÉvaluation précédente du {french_date(previous.get('date'))} : {shown}"
        self.query_one("#assessment-bars", Static).update(line)

    # ------------------------------------------------------------------ solutions
    async def _render_solutions(self) -> None:
        """The solutions of the session, each in its editor (two empty ones at first)."""
        solutions = list(self.session.get("solutions") or [])
        while len(solutions) < 2:
            solutions.append(types.solution())
        container = self.query_one("#solution-list", Vertical)
        # Awaited: the step's first field, focused once shown, is the first title.
        await container.mount_all([SolutionEditor(s, i + 1) for i, s in enumerate(solutions)])
        self._update_solution_reminders()

    def _collect_solutions(self) -> None:
        values = [editor.value() for editor in self.query(SolutionEditor)]
        self.session["solutions"] = [v for v in values if SolutionEditor.holds_text(v)]
        self._update_solution_reminders()

    def _update_solution_reminders(self) -> None:
        self.query_one("#solution-reminders", Static).update(
            "\n".join(accompaniment.solution_reminders(self.session))
        )

    @on(Button.Pressed, "#add-solution")
    async def _add_solution(self) -> None:
        editor = await self._mount_blank_solution()
        editor.title_input.focus()

    async def _mount_blank_solution(self) -> SolutionEditor:
        """A blank solution form after the others, its fields composed once this returns
        (focusing its title before that raised NoMatches and closed the app: NEW5-3)."""
        editor = SolutionEditor(types.solution(), len(self.query(SolutionEditor)) + 1)
        await self.query_one("#solution-list", Vertical).mount(editor)
        return editor

    @on(Button.Pressed, ".remove-solution")
    def _remove_solution(self, event: Button.Pressed) -> None:
        editor = next(a for a in event.button.ancestors if isinstance(a, SolutionEditor))
        title = editor.value().get("title") or ""
        if not SolutionEditor.holds_text(editor.value()):
            self.run_worker(self._remove_solution_editor(editor))
            return
        named = f"la solution « {printable(title)} »" if title.strip() else "cette solution"

        def decided(remove: bool | None) -> None:
            if remove:
                self.run_worker(self._remove_solution_editor(editor))
            else:
                event.button.focus()

        # One key removed everything typed in a solution, with no way back (NEW5-1).
        self.app.push_screen(
            ConfirmScreen(
                f"Retirer {named} et tout ce qui y est écrit ?",
                yes="Retirer",
                no="Revenir",
                danger=True,
            ),
            decided,
        )

    async def _remove_solution_editor(self, editor: SolutionEditor) -> None:
        """Remove one solution's form; two forms stay shown (blank ones after the others),
        numbered in order, as when the step opens. The focus goes to the title of the form
        now in its place: with nothing focused, the next keys went nowhere (NEW5-16)."""
        place = list(self.query(SolutionEditor)).index(editor)
        await editor.remove()
        editors = list(self.query(SolutionEditor))
        for number, kept in enumerate(editors, 1):
            kept.number = number
        while len(editors) < 2:
            editors.append(await self._mount_blank_solution())
        editors[min(place, len(editors) - 1)].title_input.focus()
        self._collect_solutions()
        self._schedule_save()

    # ------------------------------------------------------------------ synthesis
    @on(Button.Pressed, "#prefill-synthesis")
    def _prefill_button(self) -> None:
        """Never replaces what the mediator wrote (NEW5-5, `synthesis_prefill`); an edit of
        the box, so Ctrl+Z there takes it back, and the box focused to read the result."""
        box = cast(forms.TextBox, self._field(SYNTHESIS))
        generated = accompaniment.prefill_synthesis(self.session)
        prefill = accompaniment.synthesis_prefill(box.text, generated, self._synthesis_generated)
        if prefill.text:
            start = (0, 0) if prefill.replace else box.document.end
            box.replace(prefill.text, start, box.document.end, maintain_selection_offset=False)
            if prefill.replace:
                self._synthesis_generated = prefill.text
            box.focus()  # its Changed message takes the new text into the session
        self.app.notify(prefill.said, markup=False)

    def _prefill_empty_synthesis(self) -> None:
        """On arrival at the step with nothing written yet: the generated text to start from."""
        box = self._field(SYNTHESIS)
        if box is None or forms.read(box).strip():
            return  # written, its change still on its way to the session
        text = accompaniment.prefill_synthesis(self.session)
        self._synthesis_generated = text
        self.session["synthesis"] = text
        forms.write(box, text)
        self._schedule_save()

    # ------------------------------------------------------------------ closing
    @on(Button.Pressed, "#close-session")
    async def action_close_session(self) -> None:
        await self.keys_typed_so_far()  # F9 typed right after a date: the date counts
        self._take_focused()
        # A value refused (a callback date that does not exist) asks first, as leaving does.
        self.leave_then(lambda: self._close("completed"), doing="Clôturer")

    def _close(self, reason: str) -> None:
        missing = accompaniment.missing_to_close({**self.session, "close_reason": reason})
        if missing:
            message = "Pour clôturer, il manque : " + ", ".join(missing) + "."
            self._missing_to_close = message  # under the button, when its step is shown
            if self._built("closing"):
                self.query_one("#close-missing", Static).update(message)
            self.show_error(message + " Les autres étapes peuvent rester vides.")
            return
        self._dirty = True
        self.action_save_now()
        session = deepcopy(self.session)
        self.write(lambda ws: ws.close_session(session, reason), self._session_closed)

    def _session_closed(self, result: tuple[Record, list[Record]]) -> None:
        """The session is closed in the file (on the UI thread)."""
        session, followups = result
        self.session = session
        self._finished = True
        created = f" {len(followups)} suivi(s) ajouté(s) à l’agenda." if followups else ""
        self.app.notify(f"Accompagnement clôturé.{created}", markup=False)
        self.app.pop_screen()
        self.app.post_message(messages.SessionClosed(session["id"]))


def _told(client: Record, telling: str | None) -> str:
    """What a search result shows after the name: what tells namesakes apart, else its
    commune (« sans commune » when there is none) and SIRET."""
    if telling:
        return telling
    siret = f" · {client['siret']}" if client.get("siret") else ""
    return f"{client.get('commune') or 'sans commune'}{siret}"
