"""Bidirectional controls (U+202A–202E, U+2066–2069) are cleaned as control characters are:
at every door (typed, synced, imported from a CSV) and in every document printed from a file
that already holds one (acceptance finding NEW4-23). One U+202E turned the rest of a summary's
line around in a browser. The marks U+200E/U+200F/U+061C stay (see `plain_text`)."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from tests.helpers import add_client, open_store, read_data, write_data
from tests.unit.test_summary import fixed_session
from tpe_tui.documents import summary
from tpe_tui.domain import aids, structures_csv
from tpe_tui.domain.plain_text import printable
from tpe_tui.services import clients as client_files
from tpe_tui.services.sync import import_file
from tpe_tui.services.workspace import Workspace
from tpe_tui.storage.exchange import holds_controls, may_hold_controls
from tpe_tui.ui.widgets.plain import plain

BIDI = [chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))]
MARKS = "\u200e\u200f\u061c"
HOSTILE = "Boulangerie \u202eEGUOR\u202c \u2067عربي\u2069 é 👩‍👩‍👧"
CLEAN = "Boulangerie EGUOR عربي é 👩‍👩‍👧"


def _removed(ch: str) -> bool:
    code = ord(ch)
    return (code < 32 and ch not in "\n\t") or 0x7F <= code <= 0x9F or ch in BIDI


# Text rich in what matters here: bidi controls and marks, C0/C1 controls, RTL letters,
# joiners, among any other characters (`st.text` over a union would rarely draw them).
_SPECIAL = [*BIDI, *MARKS, "\x1b", "\x07", "\x9b", "\n", "\t", "\u200d", "ع", "é", "a"]
_TEXT = st.lists(st.sampled_from(_SPECIAL) | st.characters()).map("".join)


@given(_TEXT)
def test_the_cleaner_drops_every_bidi_control_and_keeps_the_rest_in_order(text: str) -> None:
    out = printable(text)
    assert not any(_removed(c) for c in out)
    assert out == "".join(c for c in text if not _removed(c))
    assert printable(out) == out  # a fixed point: two laptops cleaning agree
    assert all(out.count(m) == text.count(m) for m in MARKS)  # the marks are writing


@given(_TEXT)
def test_the_byte_search_finds_a_bidi_control_raw_or_escaped(text: str) -> None:
    if printable(text) != text:
        assert holds_controls({"name": text})  # raw UTF-8, as our files are written
        assert may_hold_controls(json.dumps({"name": text}).encode())  # « \u202e »


def test_a_synced_file_brings_no_bidi_control(tmp_path: Path) -> None:
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    with open_store(a, "laptop-a"):
        pass
    with open_store(b, "laptop-b") as store:
        client_id = add_client(store, "Boulangerie")["id"]
    data = read_data(b)  # written raw, as an older or hostile program could
    for doc in data["clients"].values():
        doc["commune"] = HOSTILE
    write_data(b, data)
    with open_store(a, "laptop-a") as store:
        import_file(store, b)
        assert store.get("clients", client_id)["commune"] == CLEAN
    assert not any(c in repr(read_data(a)) for c in BIDI)


def test_csv_imports_drop_bidi_controls() -> None:
    (row,) = structures_csv.parse(f'nom;commune\n"{HOSTILE}";Lens\n'.encode()).rows
    assert row[1]["name"] == CLEAN
    (aid,) = aids.parse(f'nom;notes\n"{HOSTILE}";CCI\n'.encode()).rows
    assert aid[1]["name"] == CLEAN


def test_documents_and_screens_printed_from_an_old_file_hold_no_bidi_control(
    tmp_path: Path,
) -> None:
    session, client = fixed_session(synthesis=HOSTILE)
    client["commune"] = HOSTILE
    text = summary.render("summary.md.j2", summary.build_context(session, client)).text
    page = summary.html_page(text, f"Accompagnement — {HOSTILE}")
    db = tmp_path / "d.json"
    with open_store(db) as store:
        client_id = add_client(store, "Boulangerie")["id"]
    data = read_data(db)  # a file that got the name raw before the fix
    for doc in data["clients"].values():
        doc["name"] = HOSTILE
    write_data(db, data)
    with open_store(db) as store:
        held, _ = client_files.export_personal(Workspace(store), client_id, tmp_path / "out")
    held_text = held.read_text(encoding="utf-8")
    assert "EGUOR" in text and "EGUOR" in page and CLEAN in held_text
    for document in (text, page, held_text, str(plain(HOSTILE))):
        assert not any(c in document for c in BIDI), document
    # A mediator's own template that prints a bidi control of its own.
    (tmp_path / "summary.md.j2").write_text("\u202e{{ client.name }}\n", encoding="utf-8")
    own = summary.render("summary.md.j2", summary.build_context(session, client), tmp_path)
    assert own.text == "Fleuriste Roussel\n"
