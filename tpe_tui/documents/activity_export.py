"""The activity export in the national tool's shape: XLSX (its layout) and a CSV twin.

XLSX: an « Informations export » block, a « Filtres » block, an empty row, then the table
(a spreadsheet table with filter buttons), multi-values on separate lines of one cell.
CSV: the table alone (header on the first line, so any tool reads it), `;`, UTF-8 with a
BOM so spreadsheet tools open it with the right accents, and the API's snake_case values.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from tpe_tui.domain import csv_cells
from tpe_tui.domain.national import Cell

SHEET = "Activités"


@dataclass
class ExportInfo:
    """The « Informations export » and « Filtres » blocks."""

    author: str = ""
    role: str = "Médiateur"
    filters: list[tuple[str, str]] = field(default_factory=list)
    when: datetime = field(default_factory=datetime.now)


def csv_bytes(headers: Sequence[str], rows: Sequence[Sequence[Cell]]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv_cells.writer(buffer, delimiter=";")
    writer.writerow(headers)
    for row in rows:
        writer.writerow(
            csv_cells.safe_row(
                "" if v is None else v.isoformat() if isinstance(v, date) else v for v in row
            )
        )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def xlsx_bytes(headers: Sequence[str], rows: Sequence[Sequence[Cell]], info: ExportInfo) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.table import Table, TableStyleInfo

    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    bold = Font(bold=True)
    first, _, last = csv_cells.without_controls(info.author).partition(" ")

    def title(text: str) -> None:
        sheet.append([text])
        sheet.cell(sheet.max_row, 1).font = bold

    title("Informations export")
    for line in (
        ["Nom", last or "-"],
        ["Prénom", first or "-"],
        ["Rôle", info.role],
        ["Total", len(rows)],
        ["Date d’export", info.when.strftime("%d/%m/%Y")],
        ["Heure d’export", info.when.strftime("%H:%M")],
        [],
    ):
        sheet.append(line)
    title("Filtres")
    for name, value in info.filters:
        sheet.append([name, csv_cells.without_controls(value) or "-"])
    sheet.append([])
    sheet.append([""])
    header_row = sheet.max_row + 1
    sheet.append(list(headers))
    for row in rows:
        sheet.append([csv_cells.without_controls(v) for v in row])
    wrap = Alignment(wrap_text=True, vertical="top")
    date_columns = [i for i, h in enumerate(headers, 1) if h in ("Date", "Suivi prévu le")]
    for row in sheet.iter_rows():
        for cell in row:
            if csv_cells.is_formula_like(cell.value):
                # openpyxl stores any text starting with "=" as a formula: keep it text,
                # as typed, with Excel's quote prefix so editing the cell keeps it text
                cell.data_type = "s"
                cell.quotePrefix = True
    for row in sheet.iter_rows(min_row=header_row + 1):
        for cell in row:
            cell.alignment = wrap
        for column in date_columns:
            if isinstance(row[column - 1].value, (date, datetime)):
                row[column - 1].number_format = "dd/mm/yyyy"
    if rows:
        ref = f"A{header_row}:{get_column_letter(len(headers))}{header_row + len(rows)}"
        table = Table(displayName="Activites", ref=ref)
        table.tableStyleInfo = TableStyleInfo(name="TableStyleLight9", showRowStripes=True)
        sheet.add_table(table)
    for index, header in enumerate(headers, 1):
        widest = max([len(header), *(_width(r[index - 1]) for r in rows[:200])])
        sheet.column_dimensions[get_column_letter(index)].width = min(max(widest + 2, 8), 50)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _width(value: Cell) -> int:
    if isinstance(value, date):
        return 10
    return max((len(line) for line in str(value).splitlines()), default=0)
