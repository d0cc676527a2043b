"""Preview of a session's summary, with saving (Markdown, page, PDF) and printing."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Markdown, Static

from tpe_tui.documents.printing import print_pdf
from tpe_tui.domain.errors import TpeError
from tpe_tui.domain.records import short_reference
from tpe_tui.services.summary import SummarySource, save_summary


class PreviewScreen(Screen):
    BINDINGS = [
        Binding("m", "save('md')", "Markdown", id="save-md"),
        Binding("h", "save('html')", "Page web", id="save-html"),
        Binding("d", "save('pdf')", "PDF", id="save-pdf"),
        Binding("p", "print", "Imprimer", id="print"),
        Binding("f", "toggle_template", "Fiche/CR", id="template"),
        Binding("e", "edit", "Modifier", id="edit"),
        Binding("escape", "back", "Retour", id="back"),
    ]

    def __init__(self, source: SummarySource) -> None:
        super().__init__()
        self.source = source
        self.template = "summary.md.j2"

    def compose(self) -> ComposeResult:
        yield Static("", id="preview-title")
        yield Static("", id="preview-status", classes="hint")
        with VerticalScroll(id="preview-body"):
            yield Markdown("", id="preview")
        yield Footer(show_command_palette=False, compact=True)

    def on_mount(self) -> None:
        self._show_document()
        self.query_one("#preview-body").focus()

    def _show_document(self) -> None:
        rendered = self.source.render(self.template)
        kind = (
            "Fiche complète (pour vous)"
            if self.template.startswith("record")
            else "Compte rendu (pour le client)"
        )
        reference = short_reference(self.source.session.get("id"))
        self.query_one("#preview-title", Static).update(
            f" {kind} · {self.source.title()} · réf. {reference}"
        )
        self.query_one("#preview", Markdown).update(rendered.text)
        status = (
            " ".join(rendered.warnings)
            or "m, h, d : enregistrer · p : imprimer · f : autre document"
            f" · en ligne de commande : tpe-tui summary {reference}"
        )
        self.query_one("#preview-status", Static).update(status)

    def action_toggle_template(self) -> None:
        self.template = "record.md.j2" if self.template == "summary.md.j2" else "summary.md.j2"
        self._show_document()

    @work(thread=True, group="io", exit_on_error=False)
    def action_save(self, fmt: str) -> None:
        try:
            path, _ = save_summary(self.source, fmt, template=self.template)
        except (TpeError, OSError) as exc:
            self.app.call_from_thread(self.app.show_error, str(exc))  # type: ignore[attr-defined]
            return
        self.app.call_from_thread(self._said, f"Enregistré : {path}")

    @work(thread=True, group="io", exit_on_error=False)
    def action_print(self) -> None:
        try:
            path, _ = save_summary(self.source, "pdf", template=self.template)
        except (TpeError, OSError) as exc:
            self.app.call_from_thread(self.app.show_error, str(exc))  # type: ignore[attr-defined]
            return
        result = print_pdf(path)
        if result.printed:
            self.app.call_from_thread(self._said, result.message)
        else:
            self.app.call_from_thread(self.app.show_error, result.message)  # type: ignore[attr-defined]

    def _said(self, message: str) -> None:
        self.query_one("#preview-status", Static).update(message)
        self.app.notify(message, markup=False)

    def action_edit(self) -> None:
        self.app.pop_screen()
        self.app.open_session(self.source.session["id"])  # type: ignore[attr-defined]

    def action_back(self) -> None:
        self.app.pop_screen()
