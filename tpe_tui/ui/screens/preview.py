"""Preview of a document (a session's summary, a business's action plan), with saving
(Markdown, page, PDF) and printing."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Markdown, Static

from tpe_tui.documents.printing import PrintResult, print_pdf
from tpe_tui.documents.summary import Rendered
from tpe_tui.documents.tables import Table, longest_in, table_width, tables_as_lists
from tpe_tui.domain.errors import TpeError, os_reason
from tpe_tui.domain.records import short_reference
from tpe_tui.services.summary import SummarySource, save_summary
from tpe_tui.ui import messages
from tpe_tui.ui.screens.base import TpeScreen
from tpe_tui.ui.widgets.footer import Footer
from tpe_tui.ui.widgets.plain import plain

if TYPE_CHECKING:
    from tpe_tui.services.action_plan import PlanDocument
    from tpe_tui.services.workspace import Workspace

# A table cell longer than this is shown as a list: in 80 columns, a table with such a cell
# squeezed the solution's name and cost to nothing (finding NEW4-9).
LONG_CELL = 400
# The columns around the document's text: the body's padding, its scroll bar, the Markdown's.
AROUND_TEXT = 8


# The keys every preview has; each screen adds its own before « Retour ».
SAVE_KEYS = [
    Binding("m", "save('md')", "Markdown", id="save-md"),
    Binding("h", "save('html')", "Page web", id="save-html"),
    Binding("d", "save('pdf')", "PDF", id="save-pdf"),
    Binding("p", "print", "Imprimer", id="print"),
]
BACK = Binding("escape", "back", "Retour", id="back")


class DocumentPreview(TpeScreen[None]):
    """A document as it will print: m, h, d save it (Markdown, page, PDF) in the documents
    folder, p prints it. Subclasses say what the document is."""

    # Its own layout (shared form styles: ui/app.tcss); ranks with app.tcss, scoped here.
    CSS = """
    /* One line: a title too long ends with « … », never on a dangling « · ». */
    #preview-title {
        height: 1; background: $primary; text-style: bold;
        text-wrap: nowrap; text-overflow: ellipsis;
    }
    #preview-status { height: auto; max-height: 2; }
    #preview-body { height: 1fr; padding: 0 1; }
    """
    what = "Le document"  # the subject of « … n’a pas pu être enregistré »
    document_shown: Rendered | None = None
    shown = ""  # its Markdown on screen (its tables as lists where the width is short)

    def heading(self) -> str:
        """The title line (the reference first: it must not be cut)."""
        raise NotImplementedError

    def rendered(self) -> Rendered:
        raise NotImplementedError

    def hint(self) -> str:
        """The status line while nothing is said (no « : » after a space: the line may wrap
        there, leaving « : » alone at the start of the next line)."""
        raise NotImplementedError

    def write_file(self, workspace: Workspace, fmt: str) -> Path:
        """Runs in a thread: the document written to the documents folder."""
        raise NotImplementedError

    def compose(self) -> ComposeResult:
        yield Static("", id="preview-title", markup=False)
        yield Static("", id="preview-status", classes="hint", markup=False)
        with VerticalScroll(id="preview-body"):
            yield Markdown("", id="preview")
        yield Footer(show_command_palette=False, compact=True)

    def on_mount(self) -> None:
        self._show_document()
        self.query_one("#preview-body").focus()

    def _show_document(self) -> None:
        rendered = self.document_shown = self.rendered()
        self.query_one("#preview-title", Static).update(plain(self.heading()))
        self._lay_out()
        status = " ".join(rendered.warnings) or self.hint()
        self.query_one("#preview-status", Static).update(plain(status))

    def _as_list(self, table: Table) -> bool:
        """A table shown as a list, a row per item: one whose words would be cut at this
        width (the plan's 7 columns at 80: « Be… », « Éché… », finding NEW5-2), or with a
        cell so long that the other columns get no room beside it (NEW4-9)."""
        return longest_in(table) > LONG_CELL or table_width(table) > self.size.width - AROUND_TEXT

    def _lay_out(self) -> None:
        """The document shown with its tables as tables where the width has room, else as
        lists; again after a resize."""
        text = self.document_shown.text if self.document_shown else ""
        text = tables_as_lists(text, self._as_list)
        if text != self.shown:
            self.shown = text
            self.query_one("#preview", Markdown).update(text)

    def on_resize(self) -> None:
        if self.is_mounted:
            self._lay_out()

    def _saved_file(self, workspace: Workspace, fmt: str) -> Path:
        try:
            return self.write_file(workspace, fmt)
        except OSError as exc:
            raise TpeError(f"{self.what} n’a pas pu être enregistré ({os_reason(exc)}).") from exc

    def action_save(self, fmt: str) -> None:
        self.read(
            lambda ws: self._saved_file(ws, fmt), lambda path: self._said(f"Enregistré : {path}")
        )

    def action_print(self) -> None:
        def printed(result: PrintResult) -> None:
            if result.printed:
                self._said(result.message)
            else:
                self.show_error(result.message)

        self.read(lambda ws: print_pdf(self._saved_file(ws, "pdf")), printed)

    def _said(self, message: str) -> None:
        self.query_one("#preview-status", Static).update(plain(message))
        self.app.notify(plain(message).plain, markup=False)

    def action_back(self) -> None:
        self.app.pop_screen()


class PreviewScreen(DocumentPreview):
    """A session's summary for the client, or its full record: f switches, e edits it."""

    BINDINGS = [
        *SAVE_KEYS,
        Binding("f", "toggle_template", "Fiche/CR", id="template"),
        Binding("e", "edit", "Modifier", id="edit"),
        BACK,
    ]
    what = "Le compte rendu"

    def __init__(self, source: SummarySource) -> None:
        super().__init__()
        self.source = source
        self.template = "summary.md.j2"

    def heading(self) -> str:
        kind = (
            "Fiche complète (pour vous)"
            if self.template.startswith("record")
            else "Compte rendu (pour le client)"
        )
        reference = short_reference(self.source.session.get("id"))
        # The reference first: it is what `tpe-tui summary` takes, and must not be cut.
        return f" {kind} · réf. {reference} · {self.source.title()}"

    def rendered(self) -> Rendered:
        return self.source.render(self.template)

    def hint(self) -> str:
        reference = short_reference(self.source.session.get("id"))
        return (
            "enregistrer avec m, h ou d · imprimer avec p · autre document avec f"
            f" · en ligne de commande, tpe-tui summary {reference}"
        )

    def write_file(self, workspace: Workspace, fmt: str) -> Path:
        path, _ = save_summary(
            self.source, fmt, template=self.template, protected=workspace.store.path
        )
        return path

    def action_toggle_template(self) -> None:
        self.template = "record.md.j2" if self.template == "summary.md.j2" else "summary.md.j2"
        self._show_document()

    def action_edit(self) -> None:
        # The summary stays until the accompaniment is read, then gives it its place:
        # popped first, it showed the home for a moment (acceptance finding NEW4-14).
        self.post_message(messages.OpenSession(self.source.session["id"], instead=True))


class PlanPreview(DocumentPreview):
    """A business's action plan, to hand over (from its file or from a visit)."""

    BINDINGS = [*SAVE_KEYS, BACK]
    what = "Le plan d’actions"

    def __init__(self, document: PlanDocument) -> None:
        super().__init__()
        self.document = document

    def heading(self) -> str:
        name = self.document.client.get("name") or "entreprise"
        return f" Plan d’actions · réf. {self.document.reference()} · {name}"

    def rendered(self) -> Rendered:
        return self.document.rendered

    def hint(self) -> str:
        return (
            "enregistrer avec m, h ou d · imprimer avec p"
            f" · en ligne de commande, tpe-tui plan {self.document.reference()}"
        )

    def write_file(self, workspace: Workspace, fmt: str) -> Path:
        return self.document.save(fmt)
