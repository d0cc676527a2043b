"""Activity figures on screen: a period (named, or from one day to another), a territory, a
mediator, a commune and a place; the key totals, and one breakdown at a time drawn as bars;
every figure's definition one key away."""

from __future__ import annotations

import contextlib
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widgets import Input, OptionList, Select, Static
from textual.widgets.option_list import Option

from tpe_tui.domain.labels import counted
from tpe_tui.domain.records import ValidationError, french_date, today
from tpe_tui.domain.stats import NAMED_PERIODS, Figures, Filters, Period, Section, named_period
from tpe_tui.services import stats as stats_service
from tpe_tui.services.workspace import Workspace
from tpe_tui.ui.screens.base import TpeScreen
from tpe_tui.ui.screens.dialogs import LongMessageScreen, MessageScreen
from tpe_tui.ui.widgets.footer import Footer
from tpe_tui.ui.widgets.value_inputs import DateInput

T = TypeVar("T")
ALL = "*"
RANGE = "range"  # the period « Du … au … », its days typed in the two date fields
PERIODS = [*NAMED_PERIODS, (RANGE, "Du … au …")]
DAY_FIELDS = {"stats-from": "de début", "stats-to": "de fin"}  # field id: which day it is
BAR_WIDTH = 16
LABEL_WIDTH = 20
BARS_COLUMNS = 52  # what the bars have at 80 columns, beside the menu of breakdowns
TOTALS_COLUMNS = 78  # what the totals have at 80 columns (their padding aside)


def bars(section: Section, width: int = BAR_WIDTH, columns: int = BARS_COLUMNS) -> Text:
    """One line per row: label, bar, count and percentage; plain text, never markup.

    Every label is read whole at 80 columns: one longer than its column goes on a line of
    its own (wrapped at `columns`, the width there is), its bar on the next line; a note
    (aids filed, time spent) that would not fit after the count goes under it."""
    text = Text(no_wrap=True, overflow="ellipsis")
    if not section.total:
        text.append("Aucune donnée sur la période.", style="italic")
        return text
    top = section.maximum or 1
    indent = " " * (LABEL_WIDTH + 1)
    for index, row in enumerate(section.rows):
        if index:
            text.append("\n")
        label = row.label
        if len(label) > LABEL_WIDTH:
            for line in textwrap.wrap(label, columns) or [label]:
                text.append(f"{line}\n")
            label = ""
        filled = max(1, round(width * row.count / top)) if row.count else 0
        text.append(f"{label:<{LABEL_WIDTH}} ")
        text.append("█" * filled, style="bold")
        text.append(" " * (width - filled))
        figures = f" {row.count:>5} {row.percent:>3} %"
        text.append(figures)
        if row.extra:
            if LABEL_WIDTH + 1 + width + len(figures) + 2 + len(row.extra) <= columns:
                text.append(f"  {row.extra}", style="dim")
            else:
                text.append(f"\n{indent}{row.extra}", style="dim")
    return text


def fitted(groups: list[str], width: int) -> list[str]:
    """The groups on as few lines as `width` allows, a line breaking only between two groups
    (a figure never apart from its unit: « 7999 h 30 », « 2009 en cours »); a line that
    follows is indented and drops its leading « · »."""
    lines = [groups[0]]
    for group in groups[1:]:
        if len(lines[-1]) + 1 + len(group) <= width:
            lines[-1] += f" {group}"
        else:
            lines.append(f"  {group.removeprefix('· ')}")
    return lines


def totals_line(figures: Figures, width: int = TOTALS_COLUMNS) -> Text:
    """The key totals, one subject a line where `width` allows (three lines at 80 columns
    with small figures): accompaniments as the national tool counts them with their split,
    businesses, then aids and plans. A line too long breaks between figures, never inside."""
    t = {total.key: total.value for total in figures.totals}
    subjects = [
        [
            f"{counted(t['accompaniments'], 'accompagnement')} :",
            f"{counted(t['individual'], 'individuel')},",
            counted(t["collective"], "collectif"),
            f"({counted(t['workshops'], 'atelier')})",
            f"· {t['hours']}",
        ],
        [
            f"{counted(t['businesses'], 'entreprise')} :",
            f"{counted(t['new'], 'nouvelle')},",
            counted(t["followed"], "suivie"),
            f"· orientation {t['redirection_rate']}",
            f"· {t['in_progress']} en cours",
        ],
        [
            f"Aides : {counted(t['aids_proposed'], 'proposée')},",
            counted(t["aids_applied"], "dossier déposé", "dossiers déposés"),
            f"· actions du plan faites : {t['actions_done']}",
        ],
    ]
    lines = [line for groups in subjects for line in fitted(groups, width)]
    return Text("\n".join(lines), no_wrap=True, overflow="ellipsis")


DEFINITION_COLUMNS = 66  # the definitions' text box at 80 columns (its scroll bar aside)
# French puts a space before « ? ; : ! » and inside « … »: never a line break there
# (« Dossier déposé / ? » was read wrapped apart from its word).
_FRENCH_SPACES = {" ?": "\u00a0?", " ;": "\u00a0;", " :": "\u00a0:", " !": "\u00a0!"}
_FRENCH_SPACES |= {"« ": "«\u00a0", " »": "\u00a0»"}


def french_lines(text: str, width: int) -> list[str]:
    """`text` wrapped at `width`, never between a word and the « ? ; : ! » or the « … »
    around it (Textual's own wrapping breaks at a no-break space; textwrap does not)."""
    for space, kept in _FRENCH_SPACES.items():
        text = text.replace(space, kept)
    return textwrap.wrap(text, width, break_on_hyphens=False, break_long_words=False) or [""]


def definitions(figures: Figures) -> list[tuple[str, str]]:
    """(name, what is counted) of every figure: the totals, then each breakdown."""
    return [(t.label, t.definition) for t in figures.totals] + [
        (s.title, s.definition) for s in figures.sections
    ]


class DefinitionsScreen(LongMessageScreen):
    """What every figure counts, one line each (some wrap), scrolling inside the dialog;
    each name in bold so the eye finds it."""

    def __init__(self, figures: Figures) -> None:
        self.entries = definitions(figures)
        super().__init__(
            "\n".join(f"{name} : {what}" for name, what in self.entries), "Définitions"
        )

    def body(self) -> Content:
        """Each definition wrapped by `french_lines`, its name in bold."""
        lines = []
        for name, what in self.entries:
            first, *rest = french_lines(f"{name} : {what}", DEFINITION_COLUMNS)
            lines.append(Content.assemble((first[: len(name)], "bold"), first[len(name) :]))
            lines.extend(Content(line) for line in rest)
        return Content("\n").join(lines)


@dataclass
class StatsView:
    figures: Figures
    choices: stats_service.FilterChoices
    filters: Filters | None = None  # what the figures count (None: what the screen says)


# The choices of names: (filter, its « everyone », the attribute of FilterChoices listing
# them, its name in the title line).
NAME_FILTERS = (
    ("territory", "Tous les territoires", "territories", "territoire"),
    ("mediator", "Tous les médiateurs", "mediators", "médiateur"),
    ("commune", "Toutes les communes", "communes", "commune"),
    ("place", "Tous les lieux", "places", "lieu"),
)
TITLE = " Bilan d’activité"


class StatsScreen(TpeScreen[None]):
    DEFAULT_CSS = """
    .stats-filters { height: 1; }
    .stats-filters Select { width: 1fr; }
    .stats-filters .date-label { width: auto; padding: 0 1; }
    .stats-filters DateInput { width: 12; }
    #stats-error { height: auto; padding: 0 1; display: none; color: $error; }
    /* The names chosen, whole (a place's name is cut in its choice: NEW6-12), on two
       lines at most. */
    StatsScreen #screen-title { height: auto; max-height: 2; }
    /* Figures of the filters before, while those of the new ones are counted (NEW6-11). */
    StatsScreen.-counting #stats-totals, StatsScreen.-counting #stats-bars {
        text-opacity: 50%;
    }
    #stats-totals { height: auto; padding: 0 1; text-wrap: nowrap; text-overflow: ellipsis; }
    #stats-body { height: 1fr; }
    /* A long section name wraps, never cut. The scroll bar's room is always kept: had it
       appeared once the names were measured (on a file slow to count), the names measured
       on one line without it would have been drawn on two, the second one lost (NEW6-4). */
    #stats-sections { width: 26; height: 1fr; overflow-y: scroll; }
    #stats-bars-box { width: 1fr; height: 1fr; padding: 0 1; }
    #stats-definition { height: auto; max-height: 3; padding: 0 1; }
    #stats-busy { height: auto; padding: 0 1; display: none; }
    """

    BINDINGS = [
        # Short names: with « ? Définitions » every key fits the footer at 80 columns.
        Binding("x", "export('xlsx')", "XLSX", id="export-xlsx"),
        Binding("v", "export('csv')", "CSV", id="export-csv"),
        Binding("d", "report", "Bilan PDF", id="report-pdf"),
        Binding("p", "print_report", "Imprimer", id="print-report"),
        Binding("question_mark", "definitions", "Définitions", id="definitions", key_display="?"),
        Binding("escape", "back", "Retour", id="back"),
    ]

    def __init__(self, day: date | None = None) -> None:
        super().__init__()
        self.day = day or today()
        self.figures: Figures | None = None
        self.period_code = NAMED_PERIODS[0][0]
        self.typed_period = Period()  # the days typed, when the period is « Du … au … »
        self.chosen = {name: ALL for name, *_ in NAME_FILTERS}
        self.shown_filters: Filters | None = None  # what the figures shown count
        self.known: stats_service.FilterChoices | None = None
        self.writing = ""  # the document being written (« Export XLSX »…), if any

    def compose(self) -> ComposeResult:
        yield Static(TITLE, id="screen-title", markup=False)
        with Horizontal(id="stats-filters", classes="stats-filters"):
            yield Select(
                [(label, code) for code, label in PERIODS],
                value=self.period_code,
                allow_blank=False,
                compact=True,
                id="stats-period",
            )
            yield from self.name_filter(*NAME_FILTERS[0])
            yield from self.name_filter(*NAME_FILTERS[1])
        with Horizontal(id="stats-filters-more", classes="stats-filters"):
            yield from self.name_filter(*NAME_FILTERS[2])
            yield from self.name_filter(*NAME_FILTERS[3])
            yield Static("Du", classes="date-label", markup=False)
            yield DateInput("start", id="stats-from", compact=True)
            yield Static("au", classes="date-label", markup=False)
            yield DateInput("end", id="stats-to", compact=True)
        yield Static("", id="stats-error", markup=False)
        yield Static("Chargement…", id="stats-totals", markup=False)
        with Horizontal(id="stats-body"):
            yield OptionList(id="stats-sections", markup=False)
            with VerticalScroll(id="stats-bars-box"):
                yield Static("", id="stats-bars", markup=False)
        yield Static("", id="stats-definition", classes="hint", markup=False)
        yield Static("", id="stats-busy", markup=False)
        yield Footer(show_command_palette=False, compact=True)

    @staticmethod
    def name_filter(name: str, everyone: str, *_: str) -> ComposeResult:
        yield Select(
            [(everyone, ALL)], value=ALL, allow_blank=False, compact=True, id=f"stats-{name}"
        )

    def on_mount(self) -> None:
        self.query_one("#stats-sections", OptionList).focus()
        self.show_period_days()
        self.reload()

    # ------------------------------------------------------------------ data
    def period(self) -> Period:
        if self.period_code == RANGE:
            return self.typed_period
        return named_period(self.period_code, self.day)

    def filters(self) -> Filters:
        chosen = {name: "" if value == ALL else value for name, value in self.chosen.items()}
        return Filters(self.period(), **chosen)

    def reload(self) -> None:
        """Count the figures of the filters chosen; meanwhile the title says so and the
        figures of the filters before are dimmed (at 100k, five seconds)."""
        filters, day = self.filters(), self.day
        self.show_title(counting=True)

        def load(workspace: Workspace) -> StatsView:
            return StatsView(
                stats_service.figures_of_workspace(workspace, filters, day),
                stats_service.filter_choices(workspace),
                filters,
            )

        self.read(load, self.show)

    def show_title(self, counting: bool) -> None:
        """« Bilan d’activité », the names chosen (whole), and whether figures are counted."""
        chosen = [
            f"{said} : {self.chosen[name]}"
            for name, _, _, said in NAME_FILTERS
            if self.chosen[name] != ALL
        ]
        line = " · ".join([TITLE, *chosen, *(["calcul des chiffres…"] if counting else [])])
        self.query_one("#screen-title", Static).update(line)
        self.set_class(counting, "-counting")

    def current_figures(self) -> Figures | None:
        """The figures shown, if they count what the filters now say (else being counted)."""
        return self.figures if self.shown_filters == self.filters() else None

    def show(self, view: StatsView) -> None:
        if view.filters is not None and view.filters != self.filters():
            return  # counted for filters changed since: the count asked after them comes
        self.figures, self.shown_filters = view.figures, view.filters or self.filters()
        self.show_title(counting=False)
        if view.choices != self.known:
            self.known = view.choices
            for name, everyone, listed, _ in NAME_FILTERS:
                select = self.query_one(f"#stats-{name}", Select)
                names = getattr(view.choices, listed)
                with self.prevent(Select.Changed):
                    # Names were typed by people: Text, never read as markup.
                    select.set_options([(everyone, ALL), *((Text(n), n) for n in names)])
                    select.value = self.chosen[name] if self.chosen[name] in names else ALL
        self.show_totals(view.figures)
        sections = self.query_one("#stats-sections", OptionList)
        keep = sections.highlighted or 0
        sections.clear_options()
        sections.add_options(
            [
                Option(Text(s.title, no_wrap=True, overflow="ellipsis"), id=s.key)
                for s in view.figures.sections
            ]
        )
        sections.highlighted = min(keep, len(view.figures.sections) - 1)
        self.show_section(view.figures.sections[sections.highlighted])

    def show_totals(self, figures: Figures) -> None:
        box = self.query_one("#stats-totals", Static)
        box.update(totals_line(figures, box.content_region.width or TOTALS_COLUMNS))

    def show_section(self, section: Section) -> None:
        box = self.query_one("#stats-bars", Static)
        columns = box.content_region.width or BARS_COLUMNS  # not laid out yet: at 80 columns
        box.update(bars(section, columns=columns))
        definition = self.query_one("#stats-definition", Static)
        width = definition.content_region.width or TOTALS_COLUMNS
        definition.update(Text("\n".join(french_lines(section.definition, width))))

    # ------------------------------------------------------------------ events
    def on_resize(self) -> None:
        """Laid out again for the new width, once the widgets have it."""
        self.call_after_refresh(self._redraw)

    def _redraw(self) -> None:
        if self.figures is not None and self.is_mounted:
            self.show_totals(self.figures)
            sections = self.query_one("#stats-sections", OptionList)
            self.show_section(self.figures.sections[sections.highlighted or 0])

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if self.figures is not None and event.option.id:
            self.show_section(self.figures.section(event.option.id))

    def on_select_changed(self, event: Select.Changed) -> None:
        name = (event.select.id or "").removeprefix("stats-")
        if name == "period":
            if event.value == RANGE:  # its days are typed: the first field is next
                self.typed_period = self.period()
                self.period_code = RANGE
                self.query_one("#stats-from", DateInput).focus()
            else:  # its days shown in the fields, over a day refused there
                self.period_code = str(event.value)
                self.show_period_days()
                self.say_wrong_day("")
        elif name in self.chosen:  # a day refused stays said: it is still in its field
            self.chosen[name] = str(event.value)
        self.reload()

    def show_period_days(self) -> None:
        """The period's first and last days in the date fields (empty: no bound)."""
        period = self.period()
        for field_id, day in (("#stats-from", period.start), ("#stats-to", period.end)):
            self.query_one(field_id, DateInput).show(day.isoformat() if day else "")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id in DAY_FIELDS:
            event.stop()
            if self.apply_typed_days(refocus=True) and event.input.id == "stats-from":
                self.query_one("#stats-to", DateInput).focus()  # then the last day
            else:  # the text selected: a day typed now replaces it
                event.input.select_all()

    def on_input_blurred(self, event: Input.Blurred) -> None:
        # Not when leaving the screen (Échap): the period is then of no more use.
        if event.input.id in DAY_FIELDS and self.app.screen is self:
            self.apply_typed_days()

    def typed_days(self) -> Period | tuple[str, str]:
        """The period the two date fields say, or the field refused and why (in French)."""
        typed = []
        for field_id, which in DAY_FIELDS.items():
            try:
                typed.append(self.query_one(f"#{field_id}", DateInput).to_value())
            except ValidationError as exc:
                return field_id, f"Date {which} : {exc}"
        start, end = (date.fromisoformat(day) if day else None for day in typed)
        if start and end and start > end:
            return "stats-to", (
                f"La date de début ({french_date(typed[0])}) est après la date de fin "
                f"({french_date(typed[1])})."
            )
        return Period(start, end)

    def apply_typed_days(self, refocus: bool = False) -> bool:
        """The days typed become the period « Du … au … »; a day refused says why (with
        `refocus`, Entrée pressed: its field focused, its text selected to be typed over),
        and the figures stay those of the period before."""
        period = self.typed_days()
        if not isinstance(period, Period):
            field_id, reason = period
            self.say_wrong_day(reason)
            if refocus:
                wrong = self.query_one(f"#{field_id}", DateInput)
                wrong.focus()
                wrong.select_all()
            return False
        self.say_wrong_day("")
        if period != self.period():  # else the days shown, left as they were
            self.typed_period, self.period_code = period, RANGE
            with self.prevent(Select.Changed):
                self.query_one("#stats-period", Select).value = RANGE
            self.reload()
        return True

    def say_wrong_day(self, message: str) -> None:
        box = self.query_one("#stats-error", Static)
        if message:
            message += f" Les chiffres restent ceux d’avant ({self.period().label()})."
        box.update(message)
        box.display = bool(message)

    # ------------------------------------------------------------------ actions
    def action_definitions(self) -> None:
        if self.figures is not None:
            self.app.push_screen(DefinitionsScreen(self.figures))

    def document(self, what: str, job: Callable[[Workspace], T], done: Callable[[T], Any]) -> None:
        """Write a document off the UI thread, saying so while it runs (every visit of a
        large file takes twenty seconds): a second one asked meanwhile is refused, not
        queued behind it."""
        busy = self.query_one("#stats-busy", Static)
        if self.writing:
            busy.update(f"{self.writing} déjà en cours : attendez qu’il se termine.")
            return
        self.writing = what
        busy.update(f"{what} en cours… (sur un gros fichier, cela peut prendre un moment)")
        busy.display = True

        def run(workspace: Workspace) -> T:
            try:
                return job(workspace)
            finally:  # also when it fails (the failure is said by the app)
                with contextlib.suppress(RuntimeError):  # the app closing meanwhile
                    self.app.call_from_thread(self._document_over)

        self.read(run, done)  # reads the data, writes a document

    def _document_over(self) -> None:
        self.writing = ""
        if self.is_mounted:
            self.query_one("#stats-busy", Static).display = False

    def action_export(self, fmt: str) -> None:
        filters, day = self.filters(), self.day

        def done(result: tuple[Any, int]) -> None:
            path, count = result
            self.app.push_screen(
                MessageScreen(f"{count} accompagnement(s) exportés dans :\n{path}", "Export")
            )

        self.document(
            f"Export {fmt.upper()}",
            lambda workspace: stats_service.export_workspace(workspace, filters, fmt, day),
            done,
        )

    def figures_now(self) -> Callable[[Workspace], Figures]:
        """The figures of the filters as the screen says them now: those shown, or, while
        they are being counted, counted again for the document (finding NEW6-11: « d »
        pressed then wrote the report of the filters before under the new ones' name)."""
        figures, filters, day = self.current_figures(), self.filters(), self.day

        def count(workspace: Workspace) -> Figures:
            return figures or stats_service.figures_of_workspace(workspace, filters, day)

        return count

    def action_report(self) -> None:
        figures, day = self.figures_now(), self.day

        def done(result: tuple[Any, list[str]]) -> None:
            path, warnings = result
            message = "\n".join([f"Bilan enregistré :\n{path}", *warnings])
            self.app.push_screen(MessageScreen(message, "Bilan d’activité"))

        self.document(
            "Bilan PDF",
            lambda workspace: stats_service.save_report(figures(workspace), "pdf", today=day),
            done,
        )

    def action_print_report(self) -> None:
        figures, day = self.figures_now(), self.day

        def done(result: tuple[str, bool]) -> None:
            message, printed = result
            self.app.push_screen(
                MessageScreen(message, "Impression" if printed else "Impression impossible")
            )

        self.document(
            "Impression du bilan",
            lambda workspace: stats_service.print_report(figures(workspace), day),
            done,
        )

    def action_back(self) -> None:
        self.app.pop_screen()
