"""The shared CSV reader of the directory and aids imports: encodings (UTF-16, mixed files),
quotes left open, rows written by the csv module read back equal."""

from __future__ import annotations

import codecs
import csv
import io
import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import PYTHON, subprocess_env
from tests.helpers import open_store
from tpe_tui.domain import csv_reader
from tpe_tui.domain.errors import ImportFileError
from tpe_tui.services import aids as aid_service
from tpe_tui.services import structures as directory_service
from tpe_tui.services.workspace import Workspace

DIRECTORY = (
    "nom,commune,telephone\n"
    "Médiathèque Élisa,Liévin,03 21 00 00 00\n"
    "France Services d’Hénin,Hénin-Beaumont,\n"
    "Tiers-lieu L’Échappée,Arras,\n"
)

# Text that reads the same in every supported encoding: for Windows-1252, no byte of it can
# start or continue a UTF-8 sequence by chance (the file would then be valid UTF-8).
ANY_TEXT = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=12
)
CP1252_TEXT = st.text(st.sampled_from("abcXYZ 019,;\"'\n\r\t-éèêàâçùûîïôÉÈÀÇ"), max_size=12)
ENCODINGS = {
    "utf-8": lambda t: t.encode("utf-8"),
    "utf-8-sig": lambda t: t.encode("utf-8-sig"),
    "utf-16": lambda t: t.encode("utf-16"),
    "utf-16-le": lambda t: codecs.BOM_UTF16_LE + t.encode("utf-16-le"),
    "utf-16-be": lambda t: codecs.BOM_UTF16_BE + t.encode("utf-16-be"),
}


def _written(rows: list[list[str]], delimiter: str) -> str:
    out = io.StringIO(newline="")
    csv.writer(out, delimiter=delimiter).writerows(rows)
    return out.getvalue()


def _read_back(raw: bytes, delimiter: str, width: int) -> list[list[str]]:
    text, _ = csv_reader.decode(raw)
    rows, errors = csv_reader.read_rows(csv_reader.split_lines(text), delimiter, width)
    assert errors == []
    return [cells for _, cells in rows]


def _rows(text: st.SearchStrategy[str]) -> st.SearchStrategy[list[list[str]]]:
    return st.integers(1, 4).flatmap(
        lambda width: st.lists(
            st.lists(text, min_size=width, max_size=width).filter(
                lambda cells: any(c.strip() for c in cells)  # blank rows are skipped
            ),
            min_size=1,
            max_size=6,
        )
    )


@settings(max_examples=60, deadline=None)
@given(rows=_rows(ANY_TEXT), encoding=st.sampled_from(sorted(ENCODINGS)), sep=st.sampled_from(",;"))
def test_rows_written_by_csv_read_back_equal_in_every_unicode_encoding(
    rows: list[list[str]], encoding: str, sep: str
) -> None:
    raw = ENCODINGS[encoding](_written(rows, sep))
    assert _read_back(raw, sep, len(rows[0])) == rows


@settings(max_examples=60, deadline=None)
@given(rows=_rows(CP1252_TEXT), sep=st.sampled_from(",;"))
def test_rows_written_in_windows_1252_read_back_equal(rows: list[list[str]], sep: str) -> None:
    raw = _written(rows, sep).encode("cp1252")
    assert _read_back(raw, sep, len(rows[0])) == rows


def test_utf16_without_bom_is_recognised_by_its_nul_bytes() -> None:
    for codec in ("utf-16-le", "utf-16-be"):
        text, name = csv_reader.decode(DIRECTORY.encode(codec))
        assert (text, name) == (DIRECTORY, "utf-16")


def test_utf32_and_binary_files_are_refused_by_name() -> None:
    with pytest.raises(csv_reader.CsvFileError, match="UTF-32"):
        csv_reader.decode(DIRECTORY.encode("utf-32"))
    with pytest.raises(csv_reader.CsvFileError, match="octets nuls"):
        csv_reader.decode(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01")


def test_a_file_mixing_utf8_and_windows_1252_is_refused_with_its_lines() -> None:
    lines = DIRECTORY.splitlines(keepends=True)
    raw = (lines[0] + lines[1]).encode("utf-8") + lines[2].encode("cp1252")
    raw += lines[3].encode("utf-8") + "Café Brûlé,Lens,\n".encode("cp1252")
    with pytest.raises(csv_reader.CsvFileError) as refused:
        csv_reader.decode(raw)
    message = str(refused.value)
    assert "ligne(s) 2, 4 en UTF-8" in message
    assert "ligne(s) 3, 5 en Windows-1252" in message
    assert "Rien n’a été importé" in message


def test_a_quote_left_open_is_reported_and_swallows_no_row() -> None:
    text = (
        "nom,commune\n"
        'Atelier "Clic,Arras\n'  # a quote inside an unquoted cell: fine
        'Espace "Num,"Soissons\n'  # opens a quoted cell that is never closed
        "Cyber-base,Lens\n"
        "Mairie,Liévin\n"
        "Médiathèque,Calais\n"
        "Tiers-lieu,Douai\n"
    )
    parsed = csv_reader.parse_rows(
        text.encode("utf-8"),
        {"nom": "name", "commune": "commune"},
        lambda row, _dropped: dict(row),
        "pas de nom",
    )
    assert [line for line, _ in parsed.errors] == [3]
    assert "guillemet" in parsed.errors[0][1]
    assert [(line, row["nom"]) for line, row in parsed.rows] == [
        (2, 'Atelier "Clic'),
        (4, "Cyber-base"),
        (5, "Mairie"),
        (6, "Médiathèque"),
        (7, "Tiers-lieu"),
    ]


def test_a_quote_closed_later_reports_the_row_and_reads_the_ones_in_between() -> None:
    text = 'nom,commune\nA,"Arras\nB,Lens\nC,Calais\n"D",Douai,x\nE,Evin\n'
    rows, errors = csv_reader.read_rows(csv_reader.split_lines(text), ",", 2, start=1)
    assert [line for line, _ in errors] == [2]
    assert rows == [
        (3, ["B", "Lens"]),
        (4, ["C", "Calais"]),
        (5, ["D", "Douai", "x"]),
        (6, ["E", "Evin"]),
    ]


def test_directory_and_aids_import_a_utf16_spreadsheet_export(tmp_path: Path) -> None:
    directory = tmp_path / "lieux.csv"
    directory.write_bytes(DIRECTORY.encode("utf-16"))
    aids = tmp_path / "aides.csv"
    aids.write_bytes("nom;montant\nChèque numérique;500 €\n".encode("utf-16-le"))
    with open_store(tmp_path / "donnees.json") as store:
        workspace = Workspace(store)
        result = directory_service.import_csv(workspace, directory)
        assert (result.created, result.errors, result.encoding) == (3, [], "utf-16")
        names = sorted(s["name"] for s in store.records("structures"))
        assert names == ["France Services d’Hénin", "Médiathèque Élisa", "Tiers-lieu L’Échappée"]
        result = aid_service.import_csv(workspace, aids)
        assert (result.created, result.errors) == (1, [])
        assert [a["amount"] for a in store.records("aids")] == ["500 €"]


def test_the_command_line_refuses_a_mixed_file_in_french(tmp_path: Path) -> None:
    db = tmp_path / "donnees.json"
    with open_store(db):
        pass
    mixed = tmp_path / "melange.csv"
    mixed.write_bytes("nom\nÉcole\n".encode() + "Café\n".encode("cp1252"))
    for group in ("structures", "aids"):
        done = subprocess.run(
            [PYTHON, "-m", "tpe_tui", group, "import", str(mixed), "--db", str(db)],
            capture_output=True,
            text=True,
            env=subprocess_env(),
            timeout=60,
        )
        assert done.returncode != 0
        assert "mélange deux encodages" in done.stderr + done.stdout
        assert "Traceback" not in done.stderr
    with open_store(db) as store:
        assert store.count("structures") == store.count("aids") == 0


def test_the_service_turns_a_refusal_into_an_import_error(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_bytes("nom\nÉcole\n".encode() + "Café\n".encode("cp1252"))
    with open_store(tmp_path / "donnees.json") as store, pytest.raises(ImportFileError):
        directory_service.import_csv(Workspace(store), path)
