"""The activity report: Markdown from `templates/report.md.j2` (a mediator's own copy first),
a printable HTML page, and a PDF with bar charts drawn under the figures."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Any

from tpe_tui.documents import summary
from tpe_tui.domain.markdown import md_cell
from tpe_tui.domain.stats import Figures, Section

TEMPLATE = "report.md.j2"
TITLE = "Bilan d’activité"
BAR_WIDTH = 20


def text_bar(count: int, maximum: int, width: int = BAR_WIDTH) -> str:
    """A bar of block characters, its length proportional to `count`."""
    if maximum <= 0 or count <= 0:
        return ""
    return "█" * max(1, round(width * count / maximum))


def context(figures: Figures, generated: date, bars: bool = True) -> dict[str, Any]:
    """The template's context; labels may come from what people typed: escaped for Markdown.
    `bars`: a column of text bars in the tables (not in the PDF, which draws its charts)."""
    sections = []
    for section in figures.sections:
        top = section.maximum
        rows = [
            {**asdict(row), "label": md_cell(row.label), "bar": text_bar(row.count, top)}
            for row in section.rows
        ]
        sections.append(
            {
                "key": section.key,
                "title": section.title,
                "definition": section.definition,
                "rows": rows,
                "total": section.total,
            }
        )
    return {
        "period": figures.period,
        "filters": [
            (name, "—" if value == "-" else md_cell(value)) for name, value in figures.filters
        ],
        "sources": [md_cell(s) for s in figures.sources if s],
        "ignored": [md_cell(i) for i in figures.ignored],
        "totals": [asdict(t) for t in figures.totals],
        "sections": sections,
        "generated": generated.isoformat(),
        "bars": bars,
    }


def render(
    figures: Figures, generated: date, user_dir: Path | None = None, *, bars: bool = True
) -> summary.Rendered:
    return summary.render(TEMPLATE, context(figures, generated, bars), user_dir)


def html(markdown: str) -> str:
    return summary.html_page(markdown, TITLE)


def pdf_bytes(markdown: str, figures: Figures) -> bytes:
    """The report's PDF: the Markdown as text, then one drawn bar chart per section."""
    from tpe_tui.documents.pdf import FONT, markdown_document

    document = markdown_document(markdown, TITLE)
    charts = [s for s in figures.sections if s.total]
    if charts:
        document.add_page()
        document.set_font(FONT, "B", 15)
        document.cell(0, 9, "Graphiques", new_x="LMARGIN", new_y="NEXT")
        for section in charts:
            _draw_chart(document, section)
    return bytes(document.output())


def _draw_chart(document: Any, section: Section) -> None:
    """Horizontal bars: label, bar proportional to the count, count and percentage."""
    from tpe_tui.documents.pdf import FONT

    line = 5.0
    needed = 10 + line * len(section.rows)
    if document.get_y() + min(needed, 60) > document.h - document.b_margin:
        document.add_page()
    document.ln(3)
    document.set_font(FONT, "B", 10)
    document.cell(0, 7, section.title, new_x="LMARGIN", new_y="NEXT")
    document.set_font(FONT, "", 7)
    label_width, value_width = 78.0, 22.0
    bar_room = document.w - document.l_margin - document.r_margin - label_width - value_width
    top = section.maximum or 1
    for row in section.rows:
        if document.get_y() + line > document.h - document.b_margin:
            document.add_page()
        x, y = document.l_margin, document.get_y()
        label = row.label if len(row.label) <= 52 else row.label[:51] + "…"
        document.set_xy(x, y)
        document.cell(label_width, line, label)
        length = bar_room * row.count / top
        if length > 0:
            document.set_fill_color(40, 70, 130)
            document.rect(x + label_width, y + 1, max(length, 0.6), line - 2, style="F")
        document.set_xy(x + label_width + bar_room, y)
        document.cell(value_width, line, f"{row.count} · {row.percent} %", align="R")
        document.set_xy(x, y + line)


def save(markdown: str, figures: Figures, fmt: str, target: Path) -> Path:
    """Write the report as md, html or pdf, atomically."""
    from tpe_tui.storage.atomic import atomic_write

    if fmt == "md":
        payload = markdown.encode("utf-8")
    elif fmt == "html":
        payload = html(markdown).encode("utf-8")
    elif fmt == "pdf":
        payload = pdf_bytes(markdown, figures)
    else:
        raise ValueError(fmt)
    atomic_write(target, payload)
    return target
