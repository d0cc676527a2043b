"""Activity figures on screen: a period, a territory, a mediator, the key totals, and one breakdown
at a time drawn as bars; every figure's definition one key away."""

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
from textual.widgets import OptionList, Select, Static
from textual.widgets.option_list import Option

from tpe_tui.domain.records import today
from tpe_tui.domain.stats import NAMED_PERIODS, Figures, Filters, Section, named_period
from tpe_tui.services import stats as stats_service
from tpe_tui.services.workspace import Workspace
from tpe_tui.ui.screens.base import TpeScreen
from tpe_tui.ui.screens.dialogs import MessageScreen
from tpe_tui.ui.widgets.footer import Footer

T = TypeVar("T")
ALL = "*"
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
            f"{t['accompaniments']} accompagnements :",
            f"{t['individual']} individuels,",
            f"{t['collective']} collectifs",
            f"({t['workshops']} atelier(s))",
            f"· {t['hours']}",
        ],
        [
            f"{t['businesses']} entreprises :",
            f"{t['new']} nouvelles,",
            f"{t['followed']} suivies",
            f"· orientation {t['redirection_rate']}",
            f"· {t['in_progress']} en cours",
        ],
        [
            f"Aides : {t['aids_proposed']} proposée(s),",
            f"{t['aids_applied']} dossier(s) déposé(s)",
            f"· actions du plan faites : {t['actions_done']}",
        ],
    ]
    lines = [line for groups in subjects for line in fitted(groups, width)]
    return Text("\n".join(lines), no_wrap=True, overflow="ellipsis")


def definitions_text(figures: Figures) -> str:
    lines = [f"{t.label} : {t.definition}" for t in figures.totals]
    lines += [f"{s.title} : {s.definition}" for s in figures.sections]
    return "\n".join(lines)


@dataclass
class StatsView:
    figures: Figures
    territories: list[str]
    mediators: list[str]


class StatsScreen(TpeScreen[None]):
    DEFAULT_CSS = """
    #stats-filters { height: 1; }
    #stats-filters Select { width: 1fr; }
    #stats-totals { height: auto; padding: 0 1; text-wrap: nowrap; text-overflow: ellipsis; }
    #stats-body { height: 1fr; }
    #stats-sections { width: 26; height: 1fr; }  /* a long section name wraps, never cut */
    #stats-bars-box { width: 1fr; height: 1fr; padding: 0 1; }
    #stats-definition { height: auto; max-height: 3; padding: 0 1; }
    #stats-busy { height: auto; padding: 0 1; display: none; }
    """

    BINDINGS = [
        Binding("x", "export('xlsx')", "Export XLSX", id="export-xlsx"),
        Binding("v", "export('csv')", "Export CSV", id="export-csv"),
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
        self.territory = ALL
        self.mediator = ALL
        self.known: tuple[list[str], list[str]] = ([], [])
        self.writing = ""  # the document being written (« Export XLSX »…), if any

    def compose(self) -> ComposeResult:
        yield Static(" Bilan d’activité", id="screen-title", markup=False)
        with Horizontal(id="stats-filters"):
            yield Select(
                [(label, code) for code, label in NAMED_PERIODS],
                value=self.period_code,
                allow_blank=False,
                compact=True,
                id="stats-period",
            )
            yield Select(
                [("Tous les territoires", ALL)],
                value=ALL,
                allow_blank=False,
                compact=True,
                id="stats-territory",
            )
            yield Select(
                [("Tous les médiateurs", ALL)],
                value=ALL,
                allow_blank=False,
                compact=True,
                id="stats-mediator",
            )
        yield Static("Chargement…", id="stats-totals", markup=False)
        with Horizontal(id="stats-body"):
            yield OptionList(id="stats-sections", markup=False)
            with VerticalScroll(id="stats-bars-box"):
                yield Static("", id="stats-bars", markup=False)
        yield Static("", id="stats-definition", classes="hint", markup=False)
        yield Static("", id="stats-busy", markup=False)
        yield Footer(show_command_palette=False, compact=True)

    def on_mount(self) -> None:
        self.query_one("#stats-sections", OptionList).focus()
        self.reload()

    # ------------------------------------------------------------------ data
    def filters(self) -> Filters:
        return Filters(
            named_period(self.period_code, self.day),
            territory="" if self.territory == ALL else self.territory,
            mediator="" if self.mediator == ALL else self.mediator,
        )

    def reload(self) -> None:
        filters, day = self.filters(), self.day

        def load(workspace: Workspace) -> StatsView:
            return StatsView(
                stats_service.figures_of_workspace(workspace, filters, day),
                *stats_service.filter_choices(workspace),
            )

        self.read(load, self.show)

    def show(self, view: StatsView) -> None:
        self.figures = view.figures
        if (view.territories, view.mediators) != self.known:
            self.known = (view.territories, view.mediators)
            for select_id, everyone, names, current in (
                ("#stats-territory", "Tous les territoires", view.territories, self.territory),
                ("#stats-mediator", "Tous les médiateurs", view.mediators, self.mediator),
            ):
                select = self.query_one(select_id, Select)
                with self.prevent(Select.Changed):
                    # Names were typed by people: Text, never read as markup.
                    select.set_options([(everyone, ALL), *((Text(n), n) for n in names)])
                    select.value = current
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
        self.query_one("#stats-definition", Static).update(Text(section.definition))

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
        if event.select.id == "stats-period":
            self.period_code = str(event.value)
        elif event.select.id == "stats-territory":
            self.territory = str(event.value)
        elif event.select.id == "stats-mediator":
            self.mediator = str(event.value)
        self.reload()

    # ------------------------------------------------------------------ actions
    def action_definitions(self) -> None:
        if self.figures is not None:
            self.app.push_screen(MessageScreen(definitions_text(self.figures), "Définitions"))

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

    def action_report(self) -> None:
        figures, day = self.figures, self.day
        if figures is None:
            return

        def done(result: tuple[Any, list[str]]) -> None:
            path, warnings = result
            message = "\n".join([f"Bilan enregistré :\n{path}", *warnings])
            self.app.push_screen(MessageScreen(message, "Bilan d’activité"))

        self.document(
            "Bilan PDF", lambda _: stats_service.save_report(figures, "pdf", today=day), done
        )

    def action_print_report(self) -> None:
        figures, day = self.figures, self.day
        if figures is None:
            return

        def done(result: tuple[str, bool]) -> None:
            message, printed = result
            self.app.push_screen(
                MessageScreen(message, "Impression" if printed else "Impression impossible")
            )

        self.document(
            "Impression du bilan", lambda _: stats_service.print_report(figures, day), done
        )

    def action_back(self) -> None:
        self.app.pop_screen()
