"""Reading the CSV files people bring in: the directory of structures and the catalogue of
aids share it. Pure: bytes in, rows and French reports out.

Encodings: UTF-8 (with or without BOM), UTF-16 (little or big endian, with its BOM, or
without one when the NUL bytes of ASCII text give it away), else Windows-1252 / Latin-1, what
older spreadsheets write. A file that mixes encodings (valid UTF-8 lines and lines that are
not, typically rows pasted from another file) is refused with the lines of each: decoding it
one way or the other would silently turn one half into mojibake. UTF-32 is refused by name.

Rows: a quote left open runs over the following lines; when the row it makes has the wrong
number of columns, it is reported at its first line and reading starts again at the next
line, so the rows it swallowed are read (or reported) one by one, not lost in silence.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from tpe_tui.domain import csv_cells
from tpe_tui.domain.records import ValidationError

SHOWN_LINES = 8  # line numbers quoted in a message about a mixed file


@dataclass
class ParsedCsv:
    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)  # (line, values)
    errors: list[tuple[int, str]] = field(default_factory=list)  # (line, reason in French)
    warnings: list[tuple[int, str]] = field(default_factory=list)  # (line, value dropped)
    encoding: str = "utf-8"
    delimiter: str = ","
    ignored_columns: list[str] = field(default_factory=list)


class CsvFileError(ValueError):
    """The file as a whole cannot be read as the CSV expected (message in French)."""


# ---------------------------------------------------------------------------- encodings
def _utf16_without_bom(raw: bytes) -> str | None:
    """ "utf-16-le" or "utf-16-be" when NUL bytes sit on one side of most byte pairs, as in
    UTF-16 text that is mostly ASCII; None otherwise."""
    pairs = len(raw) // 2
    if pairs == 0:
        return None
    even = raw[0::2].count(0)
    odd = raw[1::2].count(0)
    if odd >= pairs * 0.6 and even < pairs * 0.1:
        return "utf-16-le"
    if even >= pairs * 0.6 and odd < pairs * 0.1:
        return "utf-16-be"
    return None


def _lines_list(numbers: list[int]) -> str:
    shown = ", ".join(str(n) for n in numbers[:SHOWN_LINES])
    return shown + (" …" if len(numbers) > SHOWN_LINES else "")


def _single_byte(raw: bytes) -> str:
    """Windows-1252, the Latin-1 of spreadsheets; a byte it leaves unused reads as Latin-1."""
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def decode(raw: bytes) -> tuple[str, str]:
    """The text of a CSV file and the name of its encoding, or a French refusal."""
    if raw.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        raise CsvFileError(
            "Ce fichier est encodé en UTF-32, qui n’est pas pris en charge : enregistrez-le "
            "en UTF-8 (« CSV UTF-8 » dans le tableur). Rien n’a été importé."
        )
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8) :]
    elif raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _utf16(raw, "utf-16")
    elif b"\x00" in raw:
        guessed = _utf16_without_bom(raw)
        if guessed is None:
            raise CsvFileError(
                "Ce fichier contient des octets nuls : ce n’est pas un fichier texte CSV. "
                "Rien n’a été importé."
            )
        return _utf16(raw, guessed)
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    utf8, other = [], []
    for number, line in enumerate(raw.split(b"\n"), start=1):
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
            utf8.append(number)
        except UnicodeDecodeError:
            other.append(number)
    if utf8:
        raise CsvFileError(
            "Ce fichier mélange deux encodages : "
            f"ligne(s) {_lines_list(utf8)} en UTF-8, "
            f"ligne(s) {_lines_list(other)} en Windows-1252 (Latin-1). "
            "Les lire d’une seule façon abîmerait les accents d’une partie des lignes : "
            "corrigez-les puis enregistrez le fichier en UTF-8. Rien n’a été importé."
        )
    return _single_byte(raw), "latin-1"


def _utf16(raw: bytes, codec: str) -> tuple[str, str]:
    try:
        text = raw.decode(codec)
    except UnicodeDecodeError:
        raise CsvFileError(
            "Ce fichier UTF-16 est abîmé (tronqué ou mal encodé) : enregistrez-le de nouveau "
            "en UTF-8. Rien n’a été importé."
        ) from None
    return text.removeprefix("\ufeff"), "utf-16"


# ---------------------------------------------------------------------------- rows
def split_lines(text: str) -> list[str]:
    """The physical lines of a text, each with its end (`\\n`, `\\r\\n` or a bare `\\r`),
    split as the csv module reads them (not at `\\v`, `\\f`… as `str.splitlines` does)."""
    return list(io.StringIO(text, newline=""))


def read_rows(
    lines: list[str], delimiter: str, width: int, start: int = 0
) -> tuple[list[tuple[int, list[str]]], list[tuple[int, str]]]:
    """Rows (first line number, cells) of `lines[start:]`, and errors (line, French).

    A row that spans several lines and has not `width` cells was made by a quote left
    open: it is reported at its first line, and reading starts again at the line after,
    so no row is swallowed silently."""
    rows: list[tuple[int, list[str]]] = []
    errors: list[tuple[int, str]] = []
    position = start
    while position < len(lines):
        reader = csv.reader(iter(lines[position:]), delimiter=delimiter)
        consumed = 0
        while True:
            first = position + consumed + 1
            try:
                cells = next(reader)
            except StopIteration:
                position = len(lines)
                break
            except csv.Error:  # a field over csv's size limit: a quote never closed, surely
                errors.append((first, _OPEN_QUOTE))
                position = first  # the next line, read afresh
                break
            spans = reader.line_num - consumed
            consumed = reader.line_num
            # Across lines, a row of the wrong width, or one still inside quotes when the
            # file ends (the lenient reader hands that one back as if it were whole).
            if spans > 1 and (
                len(cells) != width
                or (
                    position + consumed == len(lines)
                    and _ends_inside_quotes(lines[first - 1 :], delimiter)
                )
            ):
                errors.append((first, _OPEN_QUOTE))
                position = first
                break
            if any(c.strip() for c in cells):
                rows.append((first, cells))
    return rows, errors


def _ends_inside_quotes(lines: list[str], delimiter: str) -> bool:
    try:
        for _ in csv.reader(iter(lines), delimiter=delimiter, strict=True):
            pass
    except csv.Error as exc:
        return "unexpected end of data" in str(exc)
    return False


_OPEN_QUOTE = (
    "guillemet ouvert et jamais fermé : ligne ignorée, les lignes suivantes sont lues "
    "chacune pour elle-même"
)


def parse_rows(
    raw: bytes,
    columns: Mapping[str, str],
    row_values: Callable[[Mapping[str, str], list[str]], dict[str, Any]],
    no_name_column: str,
    check_header: Callable[[list[str]], None] | None = None,
) -> ParsedCsv:
    """A CSV with a « nom » column read row by row: `row_values` turns a row (column ->
    text) into a record's values or raises ValidationError (the row is refused), and adds
    to its list what it dropped from the row; both are listed by line. `check_header` may
    refuse the whole file (CsvFileError) from its columns."""
    text, encoding = decode(raw)
    if not text.strip():
        raise CsvFileError("Le fichier CSV est vide.")
    lines = split_lines(text.removeprefix("\ufeff"))
    header_line = lines[0]
    delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
    try:
        header_cells = next(csv.reader([header_line], delimiter=delimiter))
    except (csv.Error, StopIteration) as exc:
        raise CsvFileError(f"Ligne d’en-tête illisible ({exc}).") from None
    header = [h.strip().lstrip("\ufeff").lower() for h in header_cells]
    if "nom" not in header:
        raise CsvFileError(no_name_column)
    if check_header is not None:
        check_header(header)
    parsed = ParsedCsv(
        encoding=encoding,
        delimiter=delimiter,
        ignored_columns=[h for h in header if h and h not in columns],
    )
    rows, parsed.errors = read_rows(lines, delimiter, len(header), start=1)
    for line, cells in rows:
        if len(cells) != len(header):
            parsed.errors.append(
                (
                    line,
                    f"{len(cells)} colonnes au lieu de {len(header)} (séparateur dans un champ sans guillemets ?)",
                )
            )
            continue
        dropped: list[str] = []
        try:
            # Control characters stop at the door (an escape sequence in a name would reach
            # every terminal the name is later printed on); tabs and line breaks are text.
            values = row_values(
                {
                    h: csv_cells.restored(csv_cells.without_controls(c))
                    for h, c in zip(header, cells, strict=True)
                },
                dropped,
            )
        except ValidationError as exc:
            parsed.errors.append((line, str(exc).rstrip(".")))
            continue
        parsed.rows.append((line, values))
        parsed.warnings += [(line, text) for text in dropped]
    parsed.errors.sort()
    return parsed
