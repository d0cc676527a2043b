"""French text folding: one function for search, duplicates and file names."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tpe_tui.domain import duplicates
from tpe_tui.domain.records import new_record
from tpe_tui.domain.search import SearchIndex
from tpe_tui.domain.text import compact, fold, shortened, slug

# Each written form and how it is typed on a keyboard without the ligature or curly quote.
SPELLINGS = {
    "œ": "oe",
    "Œ": "oe",
    "æ": "ae",
    "Æ": "ae",
    "’": "'",
    "‘": "'",
    "ʼ": "'",
    "ß": "ss",
    "é": "e",
    "È": "e",
    "ç": "c",
    "Ï": "i",
    "ô": "o",
}
plain = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789 '-", max_size=12)


def test_accents_case_ligatures_and_apostrophes_fold_alike() -> None:
    assert fold("École Élémentaire") == "ecole elementaire"
    assert fold("Boucherie Au Bœuf") == "boucherie au boeuf"
    assert fold("L’Atelier de Julie") == "l'atelier de julie"
    assert fold("Cæcilia Straße") == "caecilia strasse"
    assert compact("Boulangerie  Dupont-Lefèvre") == "boulangeriedupontlefevre"


@given(st.lists(st.tuples(plain, st.sampled_from(sorted(SPELLINGS))), max_size=6), plain)
def test_any_mix_of_french_letters_folds_to_its_typed_spelling(parts, tail) -> None:
    written = "".join(text + letter for text, letter in parts) + tail
    typed = "".join(text + SPELLINGS[letter] for text, letter in parts) + tail
    assert fold(written) == fold(typed) == typed.casefold()
    assert compact(written) == compact(typed)
    assert slug(written) == slug(typed)
    assert fold(fold(written)) == fold(written)  # folding twice changes nothing


@given(st.text(max_size=30))
def test_a_slug_is_always_a_safe_readable_file_name_part(name: str) -> None:
    made = slug(name)
    assert made and len(made) <= 40
    assert set(made) <= set("abcdefghijklmnopqrstuvwxyz0123456789-") or made == "entreprise"
    assert not made.startswith("-") and not made.endswith("-")


def test_the_slug_of_a_name_with_ligatures_and_curly_apostrophes_is_readable() -> None:
    assert slug("Au Bœuf d’Œuilly") == "au-boeuf-d-oeuilly"
    assert slug("") == "entreprise" and slug("???", fallback="x") == "x"


def test_search_finds_ligatures_and_curly_apostrophes_typed_plainly() -> None:
    boeuf = new_record("clients", name="Boucherie Au Bœuf", commune="Arras")
    atelier = new_record("clients", name="L’Atelier de Julie", commune="Calais")
    by_id = {c["id"]: c for c in (boeuf, atelier)}
    index = SearchIndex.build([boeuf, atelier], [], lambda cid: by_id.get(cid or ""))
    assert index is not None
    assert [h.record_id for h in index.search("boeuf")] == [boeuf["id"]]
    assert [h.record_id for h in index.search("BŒUF")] == [boeuf["id"]]
    assert [h.record_id for h in index.search("l'atelier")] == [atelier["id"]]


def test_coeur_and_cœur_are_probable_duplicates() -> None:
    a = new_record("clients", name="Au Cœur d’Arras", commune="Arras")
    b = new_record("clients", name="Au Coeur d'Arras", commune="ARRAS")
    c = new_record("clients", name="Au Cour d'Arras", commune="Arras")
    assert duplicates.probable_duplicates(a, b)
    assert not duplicates.probable_duplicates(a, c)


PRINTED = "/home/claire/Documents/tpe-tui/2026-11-28-boulangerie-girard-compte-rendu-737d794b.pdf"


def test_a_long_path_is_cut_only_after_a_separator() -> None:
    from tpe_tui.domain.text import break_paths

    shown = break_paths(f"Envoyé à l’imprimante. PDF enregistré : {PRINTED}", 37)
    assert shown.split("\n") == [
        "Envoyé à l’imprimante. PDF enregistré :",
        "/home/claire/Documents/tpe-tui/",
        "2026-11-28-boulangerie-girard-compte-",
        "rendu-737d794b.pdf",
    ]
    assert break_paths("Enregistré : /tmp/a.md", 37) == "Enregistré : /tmp/a.md"  # fits


@given(
    st.lists(st.text("abcdéf-_.", min_size=1, max_size=30), min_size=1, max_size=6),
    st.integers(min_value=12, max_value=60),
)
def test_a_path_keeps_every_character_and_breaks_only_at_separators(
    parts: list[str], width: int
) -> None:
    from tpe_tui.domain.text import break_paths

    path = "/" + "/".join(parts)
    message = f"Fichier enregistré : {path} (PDF)"
    lines = break_paths(message, width).split("\n")
    if len(message) <= width:
        assert lines == [message]
        return
    assert lines[0] == "Fichier enregistré :" and lines[-1] == "(PDF)"
    pieces = lines[1:-1]
    assert "".join(pieces) == path
    for piece in pieces:
        assert len(piece) <= width or not any(c in piece[:-1] for c in "/-_.")
    for piece in pieces[:-1]:  # each cut falls after a separator
        assert piece[-1] in "/-_.", pieces


def test_a_reason_too_long_is_cut_between_words() -> None:
    reason = "Vérifier que la solution retenue fonctionne"
    assert shortened(reason, 27) == "Vérifier que la solution…"
    assert shortened(reason, 60) == reason
    assert shortened("Garage automobile Roussel", 24) == "Garage automobile…"
    assert shortened("Anticonstitutionnellement", 10) == "Anticonst…"  # one word: cut


@given(st.text(alphabet="abcdé ,-", max_size=40), st.integers(min_value=2, max_value=30))
def test_shortened_fits_and_keeps_the_start(text: str, width: int) -> None:
    short = shortened(text, width)
    assert len(short) <= width
    assert short == text or (short.endswith("…") and text.startswith(short[:-1]))
