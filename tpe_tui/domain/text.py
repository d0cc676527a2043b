"""French text folding: the one way text is compared (search, duplicates) and named (files).

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
