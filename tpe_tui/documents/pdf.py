"""An A4 PDF from the summary's Markdown (the same Markdown: headings, lists, tables).

fpdf2 is pure Python and embeds a TrueType font: DejaVu Sans ships inside the package so
accents, œ, ’, « » and € print the same on every laptop, with or without system fonts.
"""

from __future__ import annotations

import re
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
    html = _figure_columns(markdown_to_html_body(markdown)).replace("<td>", '<td align="left">')
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


_TABLE_HEAD = re.compile(r"<thead>\s*<tr>(.*?)</tr>", re.S)
_RIGHT = ' style="text-align:right"'
# The room of a figure column (« 1234 », « 56 % ») in a table of figures, in % of the page.
_FIGURE_WIDTH = 14


def _figure_columns(html: str) -> str:
    """Columns of figures as the Markdown asks (`---:`: right-aligned, which fpdf2 reads
    from `align`, not from a style), narrow, the text columns sharing the rest: fpdf2's
    equal widths wrapped a place's name (« Tiers-lieu La Fabrique – / Soissons ») beside a
    third of the page for « 5 »."""

    def widths(found: re.Match[str]) -> str:
        cells = re.findall(r"<th[^>]*>.*?</th>", found.group(1), re.S)
        figures = [_RIGHT in cell for cell in cells]
        if not any(figures) or all(figures):
            return found.group(0)
        text = (100 - _FIGURE_WIDTH * sum(figures)) / figures.count(False)
        sized = [
            cell.replace("<th", f'<th width="{_FIGURE_WIDTH if figure else text:g}%"', 1)
            for cell, figure in zip(cells, figures, strict=True)
        ]
        return "<thead>\n<tr>\n" + "\n".join(sized) + "\n</tr>"

    return _TABLE_HEAD.sub(widths, html).replace(_RIGHT, ' align="right"')


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
