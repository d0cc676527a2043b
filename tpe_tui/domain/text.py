"""French text folding: the one way text is compared (search, duplicates) and named (files);
and file paths shown in narrow boxes, cut only between words.

"Bœuf", "boeuf" and "BOEUF" fold alike, as do "L’Atelier" and "l'atelier": French writes
œ and æ as ligatures and the apostrophe as ’ (or ‘ ʼ) where people type o e, a e and '.
Unicode decomposition leaves œ, æ and the curly apostrophes alone, hence the table first.
Pure, no I/O.
"""

from __future__ import annotations

import re
import unicodedata

# Applied after casefold (which already turns ß into ss and Œ into œ).
_SPELLED_OUT = str.maketrans(
    {"œ": "oe", "æ": "ae", "’": "'", "‘": "'", "ʼ": "'", "ß": "ss"},
)
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def fold(value: str) -> str:
    """Lower case, ligatures spelled out, curly apostrophes straight, accents removed;
    spaces and punctuation kept: for as-you-type search and sorting."""
    spelled = value.casefold().translate(_SPELLED_OUT)
    decomposed = unicodedata.normalize("NFKD", spelled)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def compact(value: str) -> str:
    """The folded letters and digits only: "Cœur d’Or" and "coeur-dor" are one key
    (for duplicates)."""
    return "".join(ch for ch in fold(value) if ch.isalnum())


def slug(value: str, fallback: str = "entreprise", max_length: int = 40) -> str:
    """A readable file-name part: "Au Bœuf d’Œuilly" -> "au-boeuf-d-oeuilly"."""
    ascii_only = fold(value).encode("ascii", "ignore").decode()
    return _NOT_SLUG.sub("-", ascii_only)[:max_length].strip("-") or fallback


# An absolute file path in a message: `/…`, `~/…` or `C:\…`, up to the next space.
_PATH = re.compile(r"(?<!\S)(?:~?/|[A-Za-z]:\\)\S+")
# Where a path may go to the next line: after a folder separator, else after a hyphen, an
# underscore or a dot inside a file name (the character stays at the end of the line).
_PATH_BREAKS = (re.compile(r"(?<=[/\\])"), re.compile(r"(?<=[-_.])"))


def _pieces(path: str, width: int, level: int = 0) -> list[str]:
    """`path` cut only at its break points, each piece as long as `width` allows."""
    if len(path) <= width or level == len(_PATH_BREAKS):
        return [path]
    parts = [p for p in _PATH_BREAKS[level].split(path) if p]
    lines: list[str] = []
    for part in parts:
        if lines and len(lines[-1]) + len(part) <= width:
            lines[-1] += part
        elif len(part) <= width:
            lines.append(part)
        else:
            lines.extend(_pieces(part, width, level + 1))
    return lines


def break_paths(message: str, width: int) -> str:
    """`message` with each file path too long for its line put on lines of its own, cut
    only after « / » (or « - », « _ », « . » inside a long file name), never inside a word:
    a narrow box (a notification) would otherwise fold « …-compte » / « rendu-…pdf »."""
    out: list[str] = []
    for line in message.split("\n"):
        found = _PATH.search(line)
        if len(line) <= width or found is None:
            out.append(line)
            continue
        before, path, after = line[: found.start()], found.group(), line[found.end() :]
        if before.strip():
            out.append(before.rstrip())
        out.extend(_pieces(path, width))
        if after.strip():
            out.append(break_paths(after.strip(), width))
    return "\n".join(out)


def shortened(text: str, width: int) -> str:
    """`text` in at most `width` characters, cut between words and ended with « … » when
    it is too long: « Vérifier que la solution… », never « Vérifier que l… ». A single
    word longer than `width` is cut where it must."""
    if len(text) <= width:
        return text
    cut = text[: width - 1]
    space = cut.rfind(" ")
    if space > 0:
        cut = cut[:space]
    return cut.rstrip(" ,;:·-–") + "…"
