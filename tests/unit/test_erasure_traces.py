"""What an erasure must leave nowhere: the values it takes out (conflicts included), how they
are looked for in files, a backup's tables erased, the leftovers of killed writes."""

from __future__ import annotations

import json
import os
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from tpe_tui.domain import personal_data
from tpe_tui.domain.records import ANONYMOUS_NAME
from tpe_tui.storage import backups


def _client() -> dict:
    return {
        "id": "c1",
        "name": "Garage Ébène",
        "commune": "Arras",
        "phone": "06 12 34 56 78",
        "siret": "73282932000074",
        "notes": "Le fils reprend\nen 2027 avec Loïc",
        "contacts": [{"id": "p1", "name": "Loïc Caron", "email": "loic@caron.fr", "role": "owner"}],
        "created_at": "2026-10-01T10:00:00Z",
        "vv": {"a": 3},
        "conflicts": {
            "phone": [[["b", 2, 1], "07 99 88 77 66"]],
            "contacts/p1": [[["b", 3, 2], {"id": "p1", "name": "L. Caron", "phone": "0611"}]],
            "commune": [[["b", 4, 3], "Lens"]],
        },
    }


def test_erased_values_take_the_personal_fields_and_their_conflicts() -> None:
    values = personal_data.erased_values("clients", _client())
    assert {
        "Garage Ébène",
        "06 12 34 56 78",
        "73282932000074",
        "Le fils reprend",
        "en 2027 avec Loïc",
        "Loïc Caron",
        "loic@caron.fr",
        "07 99 88 77 66",
        "L. Caron",
        "0611",
    } <= values
    # Not personal (commune, role, ids, dates) or too short to be told apart.
    assert not values & {"Arras", "Lens", "owner", "c1", "p1", "2026-10-01T10:00:00Z"}


def test_an_erased_record_yields_nothing_more() -> None:
    from tpe_tui.domain.records import anonymise

    erased = {k: v for k, v in anonymise("clients", _client()).items() if k != "conflicts"}
    assert personal_data.erased_values("clients", erased) == set()
    assert erased["name"] == ANONYMOUS_NAME


@given(st.text(min_size=4, max_size=30).filter(lambda t: t.strip() == t and len(t) >= 4))
def test_a_value_is_found_however_json_html_or_markdown_wrote_it(value: str) -> None:
    from tpe_tui.domain.markdown import md_cell

    for written in (
        json.dumps({"v": value}).encode(),
        json.dumps({"v": value}, ensure_ascii=False).encode(),
        f"<p>{__import__('html').escape(value)}</p>".encode(),
        value.encode("utf-8"),
    ):
        assert personal_data.traces_in(b"xx" + written + b"yy", [value]) == [value]
    if len(md_cell(value)) >= personal_data.MIN_TRACE_LENGTH:  # not all control characters
        written = f"| {md_cell(value)} |".encode()
        assert personal_data.traces_in(written, [value]) == [value]


def test_a_name_escaped_in_a_markdown_document_is_found() -> None:
    """The documents escape what people typed (NEW5-12): « Garage_Caron » is written
    « Garage\\_Caron », « l'Atelier » « l’Atelier »; an erasure still finds them."""
    document = "# Données\n**Garage\\_Caron**, chez l’Atelier\n".encode()
    found = personal_data.traces_in(document, ["Garage_Caron", "chez l'Atelier", "Autre"])
    assert found == ["Garage_Caron", "chez l'Atelier"]
    assert personal_data.traces_in(b"a b c d", ["\x01\x02\x03a"]) == []


def test_file_names_carrying_the_business_name() -> None:
    assert personal_data.names_business("2026-11-20-garage-ebene-compte-rendu.md", "Garage Ébène")
    assert not personal_data.names_business("2026-11-20-garage-martin.md", "Garage Ébène")
    assert not personal_data.names_business("bar.md", "Bar")  # too short to tell


def test_a_backup_keeps_everyone_else_and_takes_the_erased_records() -> None:
    erased_client = {"id": "c1", "name": ANONYMOUS_NAME, "anonymised": True}
    tables = {
        "clients": {"1": _client(), "2": {"id": "c2", "name": "Boulangerie"}},
        "sessions": {
            "1": {"id": "s1", "client_id": "c1", "notes": "Loïc"},
            "2": {"id": "s2", "client_id": "c2", "notes": "autre"},
        },
        "meta": {"1": {"schema_version": 2}},
    }
    out = personal_data.erased_copy(tables, {"clients": {"c1": erased_client}}, {"c1"})
    assert out["clients"]["1"] == erased_client
    assert out["clients"]["2"] == {"id": "c2", "name": "Boulangerie"}
    # A session the live file no longer names is anonymised in place.
    assert out["sessions"]["1"]["notes"] == "" and out["sessions"]["1"]["anonymised"] is True
    assert out["sessions"]["2"]["notes"] == "autre"
    assert out["meta"] == tables["meta"]
    assert tables["clients"]["1"]["name"] == "Garage Ébène"  # the input is left alone


def test_leftover_temporaries_are_those_of_other_processes(tmp_path: Path) -> None:
    db = tmp_path / "donnees.json"
    db.write_text("{}")
    (tmp_path / "backups").mkdir()
    killed = tmp_path / ".donnees.json.999999.1.tmp"
    in_backups = tmp_path / "backups" / ".donnees-20261120T101010000000Z-start.json.999999.2.tmp"
    ours = tmp_path / f".donnees.json.{os.getpid()}.3.tmp"
    other = tmp_path / ".autre.json.999999.1.tmp"
    for path in (killed, in_backups, ours, other):
        path.write_text("x")
    assert backups.leftover_temporaries(db) == sorted([killed, in_backups])


def test_a_backup_of_a_newer_schema_is_dropped_and_a_file_outside_documents_kept(
    tmp_path: Path, isolated_home: Path
) -> None:
    from tests.helpers import add_client, open_store
    from tpe_tui.services import erasure
    from tpe_tui.services.workspace import Workspace
    from tpe_tui.storage import paths

    db = tmp_path / "donnees.json"
    with open_store(db) as store:
        client = add_client(store, "Garage Ébène", phone="06 12 34 56 78")
    store = open_store(db)  # a second start: a backup holding the business
    newest = backups.list_backups(db)[0]
    data = json.loads(newest.read_bytes())
    data["meta"]["1"]["schema_version"] = 99  # written by a newer app: not ours to rewrite
    older = newest.with_name(newest.name.replace("-start", "-before-merge"))
    older.write_text(json.dumps(data), encoding="utf-8")
    elsewhere = tmp_path / "garage-ebene.md"
    elsewhere.write_text("Garage Ébène")
    with Workspace(store) as workspace:
        report = erasure.erase(workspace, client["id"], [elsewhere])
    assert report.backups_removed == [older] and not older.exists()
    assert report.backups_rewritten == [newest]
    assert b"06 12 34 56 78" not in newest.read_bytes()
    assert report.documents_kept == [elsewhere] and elsewhere.exists()
    assert paths.documents_dir() not in elsewhere.parents
    assert "supprimées (illisibles ou d’un format plus récent)" in report.as_french()


def test_only_the_business_s_own_documents_are_offered_for_deletion(
    tmp_path: Path, isolated_home: Path
) -> None:
    """Acceptance run: erasing one « Boulangerie Girard » offered the namesake's summary and
    another business's export, because the visit's place and the contact's phone (the
    mediator's own) are printed on every document."""
    from tests.helpers import add_client, add_session, open_store
    from tpe_tui.services import erasure
    from tpe_tui.services.config import Config
    from tpe_tui.services.summary import SummarySource, save_summary
    from tpe_tui.services.workspace import Workspace
    from tpe_tui.storage import paths

    Config(
        mediator="Claire Médiatrice",
        mediator_structure="Tiers-lieu La Fabrique",
        mediator_phone="03 23 45 67 89",
    ).save()
    db = tmp_path / "donnees.json"
    contact = {"id": "p1", "name": "Marie Girard", "phone": "03 23 45 67 89"}
    contact["consent"] = {"given": True, "date": "2026-11-28"}
    with open_store(db) as store:
        ours = add_client(store, "Boulangerie Girard", siret="12345678901237", contacts=[contact])
        namesake = add_client(store, "Boulangerie Girard", siret="73282932000074")
        other = add_client(store, "Ferme Fournier")
        # Only our visit names the place: the others' documents print it within the
        # mediator's structure, « Tiers-lieu La Fabrique ».
        visits = [
            add_session(store, c["id"], status="closed", date="2026-11-28", place_label=place)
            for c, place in ((ours, "La Fabrique"), (namesake, ""), (other, ""))
        ]
    with Workspace.snapshot(db) as workspace:
        written = [save_summary(SummarySource.of(workspace, v), "md")[0] for v in visits]
    legacy = paths.documents_dir() / "2026-11-01-ferme-fournier-notes.md"
    legacy.write_text("Tiers-lieu La Fabrique, 03 23 45 67 89", encoding="utf-8")
    with open_store(db) as store, Workspace(store) as workspace:
        offered = erasure.plan(workspace, ours["id"]).documents
    assert offered == [written[0]]


def test_the_report_names_the_documents_left_unticked(tmp_path: Path, isolated_home: Path) -> None:
    from tests.helpers import add_client, open_store
    from tpe_tui.services import erasure
    from tpe_tui.services.workspace import Workspace
    from tpe_tui.storage import paths

    folder = paths.documents_dir()
    folder.mkdir(parents=True, exist_ok=True)
    asked = folder / "garage-ebene-compte-rendu.md"
    left = folder / "garage-ebene-donnees-personnelles.md"
    for path in (asked, left):
        path.write_text("Garage Ébène", encoding="utf-8")
    with open_store(tmp_path / "donnees.json") as store, Workspace(store) as workspace:
        client = add_client(store, "Garage Ébène", phone="06 12 34 56 78")
        report = erasure.erase(workspace, client["id"], [asked], left=[left])
    assert report.documents_removed == [asked] and not asked.exists()
    assert report.documents_left == [left] and left.exists()
    text = report.as_french()
    assert "Documents supprimés (1) :\n • garage-ebene-compte-rendu.md" in text
    assert (
        "Documents gardés (case non cochée), qui nomment encore l’entreprise (1) :\n"
        " • garage-ebene-donnees-personnelles.md"
    ) in text


def test_the_backup_taken_before_a_migration_is_erased_and_kept(
    tmp_path: Path, isolated_home: Path
) -> None:
    """Second acceptance pass: erasing one business deleted the only copy taken before the
    schema migration, everyone else's data with it. It is migrated, erased and kept."""
    import orjson

    from tests.helpers import add_client, open_store, read_data
    from tpe_tui.services import erasure
    from tpe_tui.services.workspace import Workspace

    db = tmp_path / "donnees.json"
    with open_store(db) as store:
        gone = add_client(store, "Garage Ébène", phone="06 12 34 56 78")
        kept = add_client(store, "Fleuriste Roussel", phone="03 21 00 00 00")
    whole = read_data(db)
    whole["meta"]["1"]["schema_version"] = 2
    db.write_bytes(orjson.dumps(whole))  # as a laptop on schema 2 left it
    store = open_store(db)  # migrated, with its backup first
    (before,) = [p for p in backups.list_backups(db) if "before-migration-2" in p.name]
    with Workspace(store) as workspace:
        report = erasure.erase(workspace, gone["id"])
    assert before in report.backups_rewritten and before.exists()
    assert b"06 12 34 56 78" not in before.read_bytes()
    assert (
        read_data(before)["clients"][
            next(k for k, c in read_data(before)["clients"].items() if c["id"] == kept["id"])
        ]["phone"]
        == "03 21 00 00 00"
    )


def test_documents_about_many_are_listed_apart_and_never_deleted(
    tmp_path: Path, isolated_home: Path
) -> None:
    """Third acceptance pass (NEW3-10): erasing « Boulangerie Girard » offered the month's
    activity export (.csv) and a workshop attendance sheet (.md) for deletion, as if they were
    its own, while their .xlsx and .pdf twins stayed unmentioned, still naming it."""
    from tests.helpers import add_client, add_session, open_store
    from tpe_tui.domain.stats import Filters
    from tpe_tui.services import erasure, sync, workshops
    from tpe_tui.services import stats as stats_service
    from tpe_tui.services.summary import SummarySource, save_summary
    from tpe_tui.services.workspace import Workspace
    from tpe_tui.storage import paths

    db = tmp_path / "donnees.json"
    with open_store(db) as store:
        ours = add_client(store, "Boulangerie Girard", siret="12345678901237", commune="Soissons")
        other = add_client(store, "Ferme Fournier", siret="73282932000074")
        visit = add_session(store, ours["id"], status="closed", date="2026-11-28")
        add_session(store, other["id"], status="closed", date="2026-11-28")
    folder = paths.documents_dir()
    with open_store(db) as store, Workspace(store) as workspace:
        summaries = [
            save_summary(SummarySource.of(workspace, visit), fmt)[0]
            for fmt in ("md", "html", "pdf")
        ]
        exports = [
            stats_service.export_workspace(workspace, Filters(), fmt)[0] for fmt in ("csv", "xlsx")
        ]
        workshop = workshops.save(workspace, workshops.new_workshop(workspace, "Vendre en ligne"))
        workshop = workshops.add_client(workspace, workshop["id"], ours["id"])
        workshop = workshops.add_client(workspace, workshop["id"], other["id"])
        sheets = [
            workshops.save_document(workspace, workshop, "sheet", f)[0] for f in ("md", "pdf")
        ]
        copy = sync.export(db, folder / "pour-portable-b.json", "a")
        plan = erasure.plan(workspace, ours["id"])
        assert plan.documents == sorted(summaries)
        assert sorted(plan.shared) == sorted([*exports, *sheets])
        assert plan.copies == [copy]
        report = erasure.erase(
            workspace, ours["id"], plan.documents, shared=plan.shared, copies=plan.copies
        )
    assert not any(p.exists() for p in summaries)
    assert all(p.exists() for p in [*exports, *sheets])  # everyone else's record too
    assert report.documents_shared == plan.shared and report.copies_rewritten == [copy]
    assert b"12345678901237" not in copy.read_bytes()
    assert b"73282932000074" in copy.read_bytes()  # the other business still restores
    text = report.as_french()
    assert "contiennent aussi cette entreprise" in text
    assert all(p.name in text for p in [*exports, *sheets])


@given(
    st.text(alphabet='ab"é_ \\&<', max_size=80),
    st.lists(st.text(alphabet='ab"é_ &<', min_size=1, max_size=9), max_size=6),
)
def test_traces_are_found_exactly_as_a_search_of_the_whole_bytes(
    text: str, values: list[str]
) -> None:
    """The search over a file's distinct pieces between quotes (NEW4-30: hundreds of values
    in a 12 MB file) finds what a search of every byte finds, quotes in values included."""
    raw = text.encode("utf-8")
    whole = sorted(v for v in values if any(form in raw for form in personal_data.trace_forms(v)))
    assert personal_data.traces_in(raw, values) == whole
