"""An A4 PDF from the summary's Markdown (the same Markdown: headings, lists, tables).

fpdf2 is pure Python and embeds a TrueType font: DejaVu Sans ships inside the package so
accents, œ, ’, « » and € print the same on every laptop, with or without system fonts.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

from tpe_tui.documents.summary import markdown_to_html_body
from tpe_tui.documents.tables import tables_as_lists
from tpe_tui.domain.plain_text import printable

FONT = "DejaVu"


def _font(name: str) -> str:
    return str(resources.files("tpe_tui.domain.data").joinpath("fonts", name))


def new_document(title: str) -> Any:
    """An A4 fpdf2 document with the shipped font, one page open."""
    from fpdf import FPDF

    pdf = FPDF(format="A4", unit="mm")
    pdf.set_title(printable(title))  # a business's name, shown by PDF readers
    pdf.set_creator("tpe-tui")
    pdf.set_margins(18, 16, 18)
    pdf.set_auto_page_break(True, margin=16)
    regular, bold = _font("DejaVuSans.ttf"), _font("DejaVuSans-Bold.ttf")
    pdf.add_font(FONT, "", regular)
    pdf.add_font(FONT, "B", bold)
    pdf.add_font(FONT, "I", regular)  # no italic face shipped: keep the size small
    pdf.add_font(FONT, "BI", bold)
    pdf.add_page()
    pdf.set_font(FONT, size=10)
    return pdf


def write_markdown(pdf: Any, markdown: str) -> None:
    """The Markdown (headings, lists, tables) written into the document."""
    from fpdf.fonts import FontFace

    ink = (25, 45, 85)  # a sober dark blue for headings, readable in black and white
    html = markdown_to_html_body(markdown).replace("<td>", '<td align="left">')
    pdf.write_html(
        html,
        font_family=FONT,
        table_line_separators=True,
        tag_styles={
            "h1": FontFace(color=ink, size_pt=17, emphasis="BOLD"),
            "h2": FontFace(color=ink, size_pt=13, emphasis="BOLD"),
            "h3": FontFace(color=ink, size_pt=11, emphasis="BOLD"),
            "code": FontFace(family=FONT),  # the score bars use block characters
            "pre": FontFace(family=FONT),
        },
    )


def markdown_document(markdown: str, title: str) -> Any:
    """A new document holding the Markdown; its tables become lists when a row of one is
    higher than a page (fpdf2 refuses to draw it: see `tables.tables_as_lists`)."""
    pdf = new_document(title)
    try:
        write_markdown(pdf, markdown)
    except ValueError:  # « The row … is too high and cannot be rendered on a single page »
        pdf = new_document(title)
        write_markdown(pdf, tables_as_lists(markdown))
    return pdf


def markdown_to_pdf(markdown: str, title: str) -> bytes:
    return bytes(markdown_document(markdown, title).output())


def write_pdf(markdown: str, title: str, target: Path) -> Path:
    from tpe_tui.storage.atomic import atomic_write

    atomic_write(target, markdown_to_pdf(markdown, title))
    return target
