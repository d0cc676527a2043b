"""The panes of the accompaniment's steps: what each step shows and which field it binds.

Each function yields the widgets of one step. Its form fields (`forms.py`) carry their
field: a field of the session by its name, one of the business or of the person met by a
`FieldPath` within "client" or "contact"; the screen loads and collects them generically.
Only the solutions and redirections have their own widgets because they edit lists.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.suggester import SuggestFromList
from textual.widget import Widget
from textual.widgets import Button, Input, Label, OptionList, Select, Static

from tpe_tui.domain import types
from tpe_tui.domain.catalog import catalog
from tpe_tui.domain.records import (
    CONSENT_WORDING,
    SENSITIVE_DATA_REMINDER,
    clean_email,
    clean_phone,
    clean_siret,
    today_iso,
)
from tpe_tui.ui.widgets.action_plan import ActionPlanPanel
from tpe_tui.ui.widgets.aid_picker import AidPicker
from tpe_tui.ui.widgets.forms import (
    ChoiceSelect,
    ChoiceSet,
    FieldPath,
    LinesBox,
    ScoreSelect,
    TextBox,
    TextInput,
    TickField,
    TickList,
    as_path,
)
from tpe_tui.ui.widgets.value_inputs import CountInput, DateInput, MinutesInput

# The business and the person met, edited within the session.
CONSENT = FieldPath("consent", within="contact")


def _client(name: str) -> FieldPath:
    return FieldPath(name, within="client")


def _contact(name: str) -> FieldPath:
    return FieldPath(name, within="contact")


class ConsentBox(TickField):
    """The person's consent, ticked when given; the contact holds the consent itself: given
    or not, when, and the words agreed to."""

    def to_value(self) -> types.Consent:
        return types.consent(bool(self.value), CONSENT_WORDING, today_iso())

    def show(self, value: Any) -> None:
        self.value = bool(value.get("given")) if isinstance(value, dict) else bool(value)


def _label(text: str) -> Label:
    return Label(text, classes="field-label", markup=False)


def error_id(field: FieldPath) -> str:
    """The id of the line where the inline French message of a bad value shows."""
    return f"err-{field.slug}"


def _input(
    field: FieldPath | str,
    label: str,
    placeholder: str = "",
    *,
    kind: type[TextInput] = TextInput,
    **kwargs: Any,
) -> Iterator[Widget]:
    with_error = kind is not TextInput or "check" in kwargs
    row = Horizontal(
        _label(label),
        kind(field, placeholder=placeholder, compact=True, **kwargs),
        classes="field-row",
    )
    yield row
    if with_error:
        yield Static("", id=error_id(as_path(field)), classes="field-error", markup=False)


def _select(
    field: FieldPath | str, label: str, kind: str, *, prompt: str = "Non renseigné"
) -> Horizontal:
    return Horizontal(
        _label(label),
        ChoiceSelect(field, catalog().choices(kind), prompt=prompt, compact=True),
        classes="field-row",
    )


def _text(field: str, label: str, *, reminder: bool = False) -> Iterator[Widget]:
    yield Label(label, classes="area-label", markup=False)
    if reminder:
        yield Static(SENSITIVE_DATA_REMINDER, classes="reminder", markup=False)
    yield TextBox(field, classes="text-field", soft_wrap=True, show_line_numbers=False)


def _radios(field: str, label: str, choices: list[tuple[str, Any]]) -> Iterator[Widget]:
    yield Label(label, classes="area-label", markup=False)
    yield ChoiceSet(field, choices, compact=True)


def _selection(field: str, label: str, kind: str) -> Iterator[Widget]:
    yield Label(label, classes="area-label", markup=False)
    yield TickList(field, *catalog().choices(kind), compact=True)


def welcome() -> ComposeResult:
    cat = catalog()
    yield from _input("date", "Date", "JJ/MM/AAAA", kind=DateInput)
    yield from _input("duration_min", "Durée (min)", "15, 30, 45, 60, 90, 120", kind=MinutesInput)
    yield _select("place_kind", "Lieu", "place_kinds")
    yield Horizontal(
        _label("Tiers-lieu"),
        ChoiceSelect("place_structure_id", prompt="Choisir dans l’annuaire", compact=True),
        classes="field-row",
    )
    yield from _input("place_label", "Précision lieu", "nom du lieu si absent de l’annuaire")
    yield from _input(
        "territory",
        "Territoire",
        "Soissons, Arras, Calais…",
        suggester=SuggestFromList(cat.territories, case_sensitive=False),
    )
    yield from _input("mediator", "Médiateur", "votre nom (retenu pour la suite)")
    yield from _selection("equipment", "Équipement utilisé", "equipment")


def client() -> ComposeResult:
    cat = catalog()
    yield Input(
        placeholder="Rechercher une entreprise : nom, commune ou SIRET",
        id="client-search",
        compact=True,
    )
    yield OptionList(id="client-matches", markup=False)
    yield Static("", id="client-current", classes="hint", markup=False)
    # A known business that looks like the one typed here (same name and commune…).
    yield Static("", id="client-same", classes="field-error", markup=False)
    yield Label("Entreprise", classes="section", markup=False)
    yield from _input(_client("name"), "Raison sociale", "nom de l’entreprise")
    yield from _input(_client("trade"), "Métier", "boulangerie, plomberie, fleuriste…")
    yield _select(_client("activity_kind"), "Activité", "activity_kinds")
    yield _select(_client("size"), "Taille", "company_sizes")
    yield from _input(_client("employees"), "Nb salariés", "", kind=CountInput)
    yield from _input(_client("commune"), "Commune", "")
    yield from _input(
        _client("territory"),
        "Territoire",
        "",
        suggester=SuggestFromList(cat.territories, case_sensitive=False),
    )
    yield from _input(_client("siret"), "SIRET", "14 chiffres (facultatif)", check=clean_siret)
    yield Label("Interlocuteur", classes="section", markup=False)
    yield _select("interlocutor_role", "Fonction", "interlocutor_roles")
    yield ConsentBox(
        CONSENT,
        "La personne accepte que ses coordonnées soient conservées",
        id="p_consent",
        compact=True,
    )
    # Says, right under the box, what unticking a known person's consent does (and not).
    yield Static("", id="consent-note", classes="field-error", markup=False)
    yield Static(f"« {CONSENT_WORDING} »", classes="hint", markup=False)
    yield from _input(_contact("name"), "Nom", "prénom et nom")
    # Says when a name typed over a known person will add another person (not rename her).
    yield Static("", id=error_id(_contact("name")), classes="field-error", markup=False)
    yield from _input(_contact("phone"), "Téléphone", "03 21 00 00 00", check=clean_phone)
    yield from _input(_contact("email"), "E-mail", "nom@domaine.fr", check=clean_email)
    yield Static(
        "Sans consentement, seules la fonction et la session sont conservées.",
        classes="hint",
        markup=False,
    )


def request() -> ComposeResult:
    yield from _text("request_said", "La demande, telle qu’elle est dite", reminder=True)
    yield from _text("request_rephrased", "La demande reformulée, en mots simples")


def right_place() -> ComposeResult:
    yield from _radios(
        "right_place",
        "La personne est-elle au bon endroit ?",
        [("Oui", True), ("Non, il faut la réorienter", False)],
    )
    with Vertical(id="reorient"):
        yield Label(
            "Structure vers laquelle réorienter (suggestions en premier)",
            classes="area-label",
            markup=False,
        )
        yield Select([], prompt="Choisir dans l’annuaire", id="reorient-structure", compact=True)
        yield Input(
            placeholder="…ou saisir le nom d’une structure", id="reorient-label", compact=True
        )
        yield Button("Clôturer comme réorienté", id="close-redirected", compact=True)


def _score_rows(field: str, kind: str, levels: str) -> Iterator[Widget]:
    """One line per axis: its name, a short scale with "non évalué", and a bar."""
    choices = catalog().choices(levels)
    for label, code in catalog().choices(kind):
        yield Horizontal(
            Label(label, classes="score-label", markup=False),
            ScoreSelect(
                FieldPath(field, key=code),
                choices,
                prompt="Non évalué",
                classes="score",
                compact=True,
            ),
            Static("", id=f"bar-{field}--{code}", classes="score-bar", markup=False),
            classes="field-row score-row",
        )


def assessment() -> ComposeResult:
    yield Label("Compétences numériques de la personne (Pix)", classes="section", markup=False)
    yield from _score_rows("skills", "skill_areas", "skill_levels")
    yield Label("Maturité numérique de l’entreprise", classes="section", markup=False)
    yield from _score_rows("maturity", "maturity_dimensions", "maturity_levels")
    yield Static("", id="assessment-bars", classes="bars", markup=False)


def need() -> ComposeResult:
    yield from _radios("need_nature", "Nature du besoin", catalog().choices("need_natures"))
    yield from _selection("needs", "Besoins exprimés (plusieurs possibles)", "needs")
    yield from _text("needs_text", "Précisions sur le besoin")


def missions() -> ComposeResult:
    yield from _selection("missions", "Ce que nous avons fait", "missions")


def solutions() -> ComposeResult:
    yield Static("", id="solution-reminders", classes="reminder", markup=False)
    yield Vertical(id="solution-list")
    yield Button("Ajouter une solution", id="add-solution", compact=True)
    yield AidPicker()


def check() -> ComposeResult:
    yield from _radios(
        "answered",
        "L’accompagnement a-t-il répondu au besoin ?",
        catalog().choices("answered_levels"),
    )


def synthesis() -> ComposeResult:
    yield Button(
        "Pré-remplir depuis les besoins et solutions", id="prefill-synthesis", compact=True
    )
    yield from _text("synthesis", "Synthèse de l’échange")
    yield from _text("other_questions", "Autres questions posées")
    yield Label(
        "À vérifier (le droit de ne pas savoir) : une ligne par point à retrouver",
        classes="area-label",
        markup=False,
    )
    yield LinesBox("to_find_out", id="to-find-out", classes="text-field", soft_wrap=True)


def followup() -> ComposeResult:
    yield from _input("deadline", "Échéance", "JJ/MM/AAAA", kind=DateInput)
    yield from _input("deadline_note", "Objet", "ce qui doit être fait pour cette date")
    yield TickField("callback_wanted", "La personne souhaite être rappelée", compact=True)
    yield from _input("callback_date", "Date de rappel", "JJ/MM/AAAA", kind=DateInput)
    yield Label(
        "Plan d’actions de l’entreprise (ajouter, mettre à jour)",
        classes="area-label",
        markup=False,
    )
    yield ActionPlanPanel(of_visit=True, classes="visit-plan")


def redirect() -> ComposeResult:
    yield Label(
        "Orienter vers une structure (suggestions en premier)", classes="area-label", markup=False
    )
    yield Select([], prompt="Choisir dans l’annuaire", id="redirect-structure", compact=True)
    yield Input(placeholder="…ou saisir le nom d’une structure", id="redirect-label", compact=True)
    yield Input(placeholder="Pour quoi faire ?", id="redirect-reason", compact=True)
    yield Button("Ajouter l’orientation", id="add-redirect", compact=True)
    yield Label("Orientations (Suppr pour retirer)", classes="area-label", markup=False)
    yield OptionList(id="redirect-list", markup=False)
    yield AidPicker()


def awareness() -> ComposeResult:
    yield from _selection("topics_raised", "Enjeux opérationnels abordés", "operational_topics")


def closing() -> ComposeResult:
    yield _select("satisfaction", "Satisfaction", "satisfaction_levels")
    yield _select("autonomy", "Autonomie", "autonomy_levels")
    yield from _text("notes", "Notes", reminder=True)
    yield Static("", id="close-missing", classes="field-error", markup=False)
    yield Button(
        "Clôturer l’accompagnement (F9)", id="close-session", variant="primary", compact=True
    )


PANES = {
    "welcome": welcome,
    "client": client,
    "request": request,
    "right_place": right_place,
    "assessment": assessment,
    "need": need,
    "missions": missions,
    "solutions": solutions,
    "check": check,
    "synthesis": synthesis,
    "followup": followup,
    "redirect": redirect,
    "awareness": awareness,
    "closing": closing,
}


class StepPane(VerticalScroll):
    """One step's pane, composed when the step is first shown: the fourteen panes of an
    accompaniment hold ≈520 widgets, and building (and styling) them all made its opening
    take 0.4-0.7 s of the processor (acceptance finding NEW4-14)."""

    def __init__(self, code: str) -> None:
        # Not a Tab stop of its own: it scrolls to the focused field.
        super().__init__(id=pane_id(code), classes="pane", can_focus=False)
        self.code = code
        self.filled = False  # its fields show the session (the accompaniment screen's job)
        self.ready = asyncio.Event()  # set once filled

    def compose(self) -> ComposeResult:
        yield from PANES[self.code]()


def pane_id(code: str) -> str:
    return f"pane-{code}"
