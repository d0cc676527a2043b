"""The Synchroniser screen: simulate, merge, report and log; export; conflicts resolved."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widgets import TextArea

from tests.helpers import add_client, open_store, read_data, write_data
from tests.ui_helpers import make_app, open_conflicts, screen_text, settle, type_text, until
from tpe_tui.services.config import Config
from tpe_tui.services.sync import import_file, record_device
from tpe_tui.storage.exchange import export_file
from tpe_tui.ui.screens.conflicts import ConflictsScreen
from tpe_tui.ui.screens.dialogs import MessageScreen
from tpe_tui.ui.screens.sync import SyncScreen


def _two_laptops(db: Path, tmp_path: Path) -> tuple[Path, str]:
    """Our file and laptop B's export: one new business, one edited on both sides at once."""
    with open_store(db, "laptop-a") as store:
        shared = add_client(store, "Garage Caron", phone="03 21 00 00 00")
    export_file(db, tmp_path / "a.json", "laptop-a")
    other = tmp_path / "b.json"
    with open_store(other, "laptop-b") as store:
        import_file(store, tmp_path / "a.json")
        record_device(store, Config(mediator="Inès Roux", laptop_name="portable-ines"))
        store.put("clients", {**store.get("clients", shared["id"]), "phone": "06 99 99 99 99"})
        add_client(store, "Fleuriste Roussel")
    with open_store(db, "laptop-a") as store:
        store.put("clients", {**store.get("clients", shared["id"]), "phone": "03 21 11 11 11"})
    usb = tmp_path / "cle"
    usb.mkdir()
    return export_file(other, usb / "tpe-tui-b.json", "laptop-b"), shared["id"]


async def test_merge_from_the_screen_then_resolve_the_conflict(db: Path, tmp_path: Path) -> None:
    source, shared_id = _two_laptops(db, tmp_path)
    before = db.read_bytes()
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, SyncScreen)
        await type_text(pilot, str(source))
        await pilot.press("f4")  # simulate first
        await settle(pilot)
        report = str(app.screen.query_one("#sync-report").render())
        assert "Simulation : rien n’a été modifié" in report
        assert "Entreprises : 1 nouveau(x), 1 mis à jour" in report
        assert app.workspace.store.count("clients") == 1
        await pilot.press("f5")
        await settle(pilot)
        report = str(app.screen.query_one("#sync-report").render())
        assert "Fusion faite. Sauvegarde avant fusion" in report and "1 conflit(s)" in report
        assert "tpe-tui-b.json : 2 nouveau(x), 1 mis à jour, 1 conflit(s)" in str(  # + its laptop
            app.screen.query_one("#sync-log").render()
        )
        assert str(app.screen.query_one("#conflicts").label) == "Conflits (1)"

        await pilot.press("f7")
        await settle(pilot)
        assert isinstance(app.screen, ConflictsScreen)
        screen = app.screen
        fields = [str(w.render()) for w in screen.query(".conflict-field")]
        assert fields == ["▶ Téléphone"]  # one field in conflict, not the whole record
        values = [str(w.render()) for w in screen.query(".conflict-value")]
        headings = [str(w.render()) for w in screen.query(".conflict-heading")]
        assert sorted(values) == ["03 21 11 11 11", "06 99 99 99 99"]
        keep = values.index("06 99 99 99 99")  # the value from laptop B
        assert headings[keep].startswith(f"{keep + 1}. Inès Roux · portable-ines · ")
        await pilot.press(str(keep + 1))
        await settle(pilot)
        record = app.workspace.store.get("clients", shared_id)
        assert record["phone"] == "06 99 99 99 99" and not record.get("conflicts")
        assert "Aucun conflit" in str(app.screen.query_one("#conflict-title").render())

        # Export our file for the other laptop, from the same screen.
        await pilot.press("escape", "f6")
        await settle(pilot)
        field = app.screen.query_one("#ask-path")
        field.value = str(tmp_path / "pour-b.json")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, MessageScreen)
    app.shutdown()
    assert db.read_bytes() != before
    # The resolution is an edit that syncs: laptop B takes it without a new conflict.
    with open_store(source, "laptop-b") as store:
        outcome = import_file(store, tmp_path / "pour-b.json")
        assert outcome.report.tables["clients"].conflicts == 0
        assert store.get("clients", shared_id)["phone"] == "06 99 99 99 99"


async def _merge_from_sync_screen(pilot, source: Path) -> None:
    """Open « Synchroniser », type the file's path, merge (F5)."""
    await settle(pilot)
    await pilot.press("s")
    await settle(pilot)
    await type_text(pilot, str(source))
    await pilot.press("f5")
    await settle(pilot)


async def test_a_bad_file_is_refused_in_french_and_ours_untouched(db: Path, tmp_path: Path) -> None:
    with open_store(db, "laptop-a") as store:
        add_client(store, "Garage Caron")
    bad = tmp_path / "tronque.json"
    bad.write_text('{"clients": {"1": {"id": "x"', encoding="utf-8")
    before = db.read_bytes()
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await _merge_from_sync_screen(pilot, bad)
        assert isinstance(app.screen, MessageScreen)
        assert "tronque.json" in app.screen.message and "Traceback" not in app.screen.message
    app.shutdown()
    assert db.read_bytes() == before


def _conflict_file(db: Path) -> None:
    """A business edited on two laptops at fixed times: phone and notes changed on both,
    the address on one only (so it merged with no conflict)."""
    from tpe_tui.domain.records import new_record
    from tpe_tui.sync.registers import merge_records, stamp

    hour = 3_600_000
    start = 1_795_500_000_000
    base = stamp(
        "clients",
        None,
        new_record("clients", id="c1", name="Garage Caron", created_at="2026-11-24T08:00:00Z"),
        "laptop-a",
        start,
        "2026-11-24T08:00:00Z",
    )
    on_a = stamp(
        "clients",
        base,
        {
            **base,
            "phone": "03 21 11 11 11",
            "notes": "Rappeler lundi matin : il veut un devis pour le site vitrine et la "
            "prise de rendez-vous en ligne, budget autour de 300 euros.",
        },
        "laptop-a",
        start + hour,
        "2026-11-24T09:00:00Z",
    )
    on_b = stamp(
        "clients",
        base,
        {
            **base,
            "phone": "06 99 99 99 99",
            "address": "3 rue Haute",
            "notes": "Devis envoyé par courriel [bold]le 24[/] ; relancer si pas de réponse.",
        },
        "laptop-b",
        start + 2 * hour,
        "2026-11-24T10:00:00Z",
    )
    data = {
        "clients": {"1": merge_records("clients", on_a, on_b)},
        "devices": _devices(start),
        "meta": {"1": {"schema_version": 2}},
    }

    write_data(db, data)


def _devices(start: int) -> dict[str, dict]:
    """Laptops A (Marc Petit) and B (Inès Roux), as their edits name them."""
    from tpe_tui.domain.records import new_record
    from tpe_tui.sync.registers import stamp

    devices = {
        str(n): {**new_record("devices", id=device, laptop=laptop, mediator=mediator)}
        for n, (device, laptop, mediator) in enumerate(
            [
                ("laptop-a", "portable-accueil", "Marc Petit"),
                ("laptop-b", "portable-ines", "Inès Roux"),
            ],
            1,
        )
    }
    for n, device in devices.items():
        devices[n] = stamp("devices", None, device, device["id"], start, "2026-11-24T08:00:00Z")
    return devices


def _phone_conflicts(db: Path, businesses: list[dict]) -> None:
    """Businesses (their fields, « id » included) whose phone was changed on both laptops."""
    from tpe_tui.domain.records import new_record
    from tpe_tui.sync.registers import merge_records, stamp

    start, when = 1_795_500_000_000, "2026-11-24T08:00:00Z"
    clients = {}
    for n, fields in enumerate(businesses, 1):
        base = stamp("clients", None, new_record("clients", **fields), "laptop-a", start, when)
        on_a = stamp(
            "clients", base, {**base, "phone": "03 21 11 11 11"}, "laptop-a", start + 1, when
        )
        on_b = stamp(
            "clients", base, {**base, "phone": "06 99 99 99 99"}, "laptop-b", start + 2, when
        )
        clients[str(n)] = merge_records("clients", on_a, on_b)
    write_data(
        db, {"clients": clients, "devices": _devices(start), "meta": {"1": {"schema_version": 2}}}
    )


@pytest.fixture
def paris_time(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Dates of edits are shown in local time: pin the zone so the picture is stable."""
    monkeypatch.setenv("TZ", "Europe/Paris")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_conflicts_screen_snapshot(snap_compare, db: Path, paris_time: None) -> None:
    _conflict_file(db)

    async def run_before(pilot) -> None:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        await pilot.press("f7")
        await settle(pilot)

    assert snap_compare(make_app(db), terminal_size=(80, 24), run_before=run_before)


async def test_a_field_is_settled_by_typing_a_combined_value(db: Path) -> None:
    _conflict_file(db)
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        fields = await open_conflicts(pilot)
        assert fields == ["▶ Notes", "  Téléphone"]  # the address merged: no conflict there
        await pilot.press("e")
        await settle(pilot)
        # Both versions in a text area that wraps: all of it on screen, the start included.
        area = app.screen.query_one("#ask-value", TextArea)
        shown = "\n".join(area.render_line(y).text.rstrip() for y in range(area.size.height))
        assert area.text.startswith("Devis envoyé par courriel [bold]le 24[/]")
        assert " / Rappeler lundi matin" in area.text
        assert "Devis envoyé par courriel" in shown and "300 euros." in shown
        assert area.size.height >= 4  # wrapped over several lines, not cut to one
        # ...and drawn so on the terminal, not clipped to one row by its form row
        # (third acceptance pass, NEW3-5: only the area's top border showed).
        terminal = screen_text(app)
        assert "Devis envoyé par courriel" in terminal and "300 euros." in terminal
        assert area.cursor_location == area.document.end  # what is typed adds to the end
        await type_text(pilot, " Z")
        assert area.text.endswith(" Z") and " Z" in screen_text(app)
        area.clear()
        await type_text(pilot, "Devis envoyé ;")
        await pilot.press("enter")  # a new line in the text, not the answer
        await type_text(pilot, "rappeler lundi")
        await pilot.press("ctrl+s")
        await settle(pilot)
        record = app.workspace.store.get("clients", "c1")
        assert record["notes"] == "Devis envoyé ;\nrappeler lundi"
        assert record["address"] == "3 rue Haute" and list(record["conflicts"]) == ["phone"]
        fields = [str(w.render()) for w in app.screen.query(".conflict-field")]
        assert fields == ["▶ Téléphone"]
        await pilot.press("2")  # the second value shown: laptop A's (B's edit is later)
        await settle(pilot)
        record = app.workspace.store.get("clients", "c1")
        assert record["phone"] == "03 21 11 11 11" and not record.get("conflicts")
    app.shutdown()


async def test_choices_typed_while_one_is_written_settle_the_next_conflicts(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Acceptance finding NEW5-11: « 1 » pressed while the previous choice was being written
    settled the same conflict again; 10 presses 0.2 s apart settled 6. The keys now wait
    until the next conflict is shown: every « 1 » settles one, in the list's order."""
    import threading

    from tpe_tui.services import sync_screen

    _phone_conflicts(db, [{"id": f"c{n}", "name": f"Commerce {n}"} for n in range(1, 5)])
    written = threading.Event()  # the first choice's write waits until all keys are typed
    keep_value = sync_screen.keep_value

    def slow_keep_value(*args):  # type: ignore[no-untyped-def]
        written.wait(30)
        return keep_value(*args)

    monkeypatch.setattr(sync_screen, "keep_value", slow_keep_value)
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_conflicts(pilot)
        await pilot.press("1", "1", "1")
        written.set()
        store = app.workspace.store
        await until(
            pilot, lambda: sum(bool(c.get("conflicts")) for c in store.records("clients")) == 1
        )
        await settle(pilot)
        left = [c["name"] for c in store.records("clients") if c.get("conflicts")]
        assert left == ["Commerce 4"]  # three settled, down the list
        assert isinstance(app.screen, ConflictsScreen)
        assert "Commerce 4" in str(app.screen.query_one("#conflict-title").render())
        await pilot.press("2")  # the keyboard is free again once the next one is shown
        await until(pilot, lambda: not any(c.get("conflicts") for c in store.records("clients")))
        assert store.get("clients", "c4")["phone"] == "03 21 11 11 11"
    app.shutdown()


async def test_namesakes_in_conflict_are_listed_with_what_tells_them_apart(db: Path) -> None:
    """NEW4-26 rest: « Association de quartier Caron » listed twice, alike."""
    caron = "Association de quartier Caron"
    _phone_conflicts(
        db,
        [
            {"id": "c1", "name": caron, "commune": "Lens"},
            {"id": "c2", "name": caron, "commune": "Arras"},
            {"id": "c3", "name": "Garage Dubois", "created_at": "2026-10-02T08:00:00Z"},
            {"id": "c4", "name": "garage dubois", "created_at": "2026-11-05T08:00:00Z"},
            {"id": "c5", "name": "Fleuriste Roussel", "commune": "Arras"},
        ],
    )
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_conflicts(pilot)
        table = app.screen.query_one("#conflict-list")
        rows = [str(table.get_row_at(n)[1]) for n in range(table.row_count)]
        assert rows == [
            f"{caron} — Arras",
            f"{caron} — Lens",
            "Fleuriste Roussel",  # no namesake: its name alone
            "Garage Dubois — créée le 02/10/2026",  # nothing else differs
            "garage dubois — créée le 05/11/2026",
        ]
        title = str(app.screen.query_one("#conflict-title").render())
        assert f"« {caron} — Arras »" in title
    app.shutdown()


async def test_a_merge_that_deletes_many_records_asks_first(db: Path, tmp_path: Path) -> None:

    from tpe_tui.ui.screens.dialogs import ConfirmScreen

    with open_store(db, "laptop-a") as store:
        for n in range(5):
            add_client(store, f"Commerce {n}")
    hostile = export_file(db, tmp_path / "tout-supprime.json", "laptop-a")
    data = read_data(hostile)
    for doc in data["meta"].values():
        doc["written_by"] = "laptop-z"
    for record in data["clients"].values():  # every business deleted on another laptop
        record.update(deleted=True, vv={**record["vv"], "laptop-z": 1})
        record.setdefault("dots", {})["deleted"] = ["laptop-z", 1, 1]
    write_data(hostile, data)
    before = db.read_bytes()
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await _merge_from_sync_screen(pilot, hostile)
        assert isinstance(app.screen, ConfirmScreen)
        assert "5 sur 5 (entreprises)" in app.screen.question
        await pilot.press("escape")  # not now: nothing merged
        await settle(pilot)
        assert app.workspace.store.count("clients") == 5
        await pilot.press("f5")
        await settle(pilot)
        await pilot.press("o")  # yes, merge
        await settle(pilot)
        assert app.workspace.store.count("clients") == 0
    app.shutdown()
    assert db.read_bytes() != before
