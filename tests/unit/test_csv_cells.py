"""No export writes a formula: cells a spreadsheet would evaluate are neutralised."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest

from tpe_tui.documents import activity_export
from tpe_tui.domain import aids, csv_cells, structures_csv

HOSTILE = [
    "=cmd|' /C calc'!A0",
    '=HYPERLINK("http://x","y")',
    "+SUM(1,2)",
    "-2+3",
    "@SUM(A1)",
    "\t=1+1",
    "\r=1+1",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_formula_like_text_gets_a_leading_apostrophe(text: str) -> None:
    assert csv_cells.neutralised(text) == "'" + text
    assert csv_cells.restored(csv_cells.neutralised(text)) == text


def test_plain_text_numbers_and_phones() -> None:
    assert csv_cells.neutralised("Café des sports") == "Café des sports"
    assert csv_cells.neutralised(12) == 12
    assert csv_cells.neutralised("") == ""
    assert csv_cells.neutralised("+33 6 12 34 56 78") == "'+33 6 12 34 56 78"
    assert csv_cells.restored("'ordinaire") == "'ordinaire"


def _cells(text: str, delimiter: str = ",") -> list[str]:
    return [
        c for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter) for c in row
    ]


@pytest.mark.parametrize("text", HOSTILE)
def test_structures_export_neutralises_and_reimports_as_typed(text: str) -> None:
    out = structures_csv.export([{"id": "s1", "name": text, "commune": "@Lyon"}])
    cells = _cells(out)
    assert "'" + text in cells and "'@Lyon" in cells
    assert not any(c.startswith(csv_cells.FORMULA_STARTS) for c in cells)
    parsed = structures_csv.parse(out.encode("utf-8"))
    assert parsed.rows[0][1]["name"] == text.strip()  # names are trimmed on import


@pytest.mark.parametrize("text", HOSTILE)
def test_aids_export_neutralises(text: str) -> None:
    out = aids.export([{"id": "a1", "name": text}], lambda _id: "=evil()")
    cells = _cells(out)
    assert "'" + text in cells and "'=evil()" in cells
    assert not any(c.startswith(csv_cells.FORMULA_STARTS) for c in cells)


@pytest.mark.parametrize("text", HOSTILE)
def test_activity_csv_neutralises(text: str) -> None:
    raw = activity_export.csv_bytes(["Nom", "Nombre"], [[text, 3]]).decode("utf-8-sig")
    cells = _cells(raw, ";")
    assert cells == ["Nom", "Nombre", "'" + text, "3"]


def test_activity_xlsx_writes_text_never_a_formula() -> None:
    info = activity_export.ExportInfo(author="=A1 Dupont", filters=[("Nom", "=1+1")])
    data = activity_export.xlsx_bytes(["Nom"], [[t] for t in HOSTILE], info)
    book = openpyxl.load_workbook(io.BytesIO(data))
    cells = [c for row in book.active.iter_rows() for c in row if c.value is not None]
    assert not any(c.data_type == "f" for c in cells)
    values = [c.value for c in cells]
    for text in HOSTILE:
        if "\r" not in text:  # XML turns a carriage return into a line feed
            assert text in values  # kept as typed, stored as a string


LINE_BREAKS = ["avant\rapr\u00e8s", "a\r\nb", "a\nb", "fin\r", "\r", "a\r\rb"]


@pytest.mark.parametrize("text", LINE_BREAKS)
def test_a_line_break_inside_a_cell_is_quoted_and_reads_back_as_one_cell(text: str) -> None:
    out = structures_csv.export([{"id": "s1", "name": "Maison", "notes": text}])
    assert '"' + csv_cells.neutralised(text) + '"' in out
    rows = list(csv.reader(io.StringIO(out, newline="")))
    assert len(rows) == 2 and len(rows[1]) == len(rows[0])
    parsed = structures_csv.parse(out.encode("utf-8"))
    assert not parsed.errors
    assert [values["notes"] for _, values in parsed.rows] == [text.strip()]


@pytest.mark.parametrize("text", LINE_BREAKS)
def test_aids_and_activity_exports_quote_line_breaks(text: str) -> None:
    for out, delimiter in (
        (aids.export([{"id": "a1", "name": "Aide", "notes": text}], lambda _id: ""), ","),
        (activity_export.csv_bytes(["Nom", "Note"], [["x", text]]).decode("utf-8-sig"), ";"),
    ):
        rows = list(csv.reader(io.StringIO(out, newline=""), delimiter=delimiter))
        assert len(rows) == 2 and text in [csv_cells.restored(c) for c in rows[1]]


ESCAPES = "Boulangerie \x1b]0;PWNED\x07\x1b[31mROUGE\x1b[0m\x9b2J"


def test_control_characters_never_reach_a_csv_cell() -> None:
    """A name brought in by a sync with an escape sequence: `cat` on the export must not
    retitle the terminal. What is left of the sequence is shown as text."""
    for raw in (
        activity_export.csv_bytes(["Nom"], [[ESCAPES]]).decode("utf-8-sig"),
        structures_csv.export([{"id": "s1", "name": ESCAPES, "commune": "Lens"}]),
    ):
        assert not any((ord(c) < 32 and c not in "\r\n") or 0x7F <= ord(c) <= 0x9F for c in raw)
        assert "Boulangerie ]0;PWNED[31mROUGE[0m2J" in raw


def test_control_characters_never_reach_a_spreadsheet_cell() -> None:
    """openpyxl refuses them (the export used to fail): they are dropped, the rest kept."""
    info = activity_export.ExportInfo(author="Claire\x1b Médiatrice", filters=[("Nom", "\x07a")])
    data = activity_export.xlsx_bytes(["Nom"], [[ESCAPES]], info)
    values = [
        c.value
        for row in openpyxl.load_workbook(io.BytesIO(data)).active.iter_rows()
        for c in row
        if c.value is not None
    ]
    assert "Boulangerie ]0;PWNED[31mROUGE[0m2J" in values
    assert "Claire" in values and "a" in values


def test_control_characters_stop_at_the_door_of_an_import() -> None:
    raw = f'nom;commune\n"{ESCAPES}";Lens\n'.encode()
    (row,) = structures_csv.parse(raw).rows
    assert row[1]["name"] == "Boulangerie ]0;PWNED[31mROUGE[0m2J"
    (aid,) = aids.parse(f'nom;notes\n"{ESCAPES}";CCI\n'.encode()).rows
    assert "\x1b" not in aid[1]["name"] and "\x07" not in aid[1]["name"]
