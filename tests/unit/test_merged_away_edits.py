"""An edit made on one laptop to a business that the other laptop merged away meanwhile is
not lost silently (acceptance finding F36): both laptops show it, after their syncs, as a
field of the kept business to settle (« modifié sur une fiche fusionnée »), and settling it
is an ordinary edit that reaches the other laptop."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from tests.helpers import open_store
from tpe_tui.domain.records import new_record
from tpe_tui.services import clients, sync_screen
from tpe_tui.services.sync import import_file
from tpe_tui.services.workspace import Workspace
from tpe_tui.sync import conflicts

PHONE = "03 44 55 66 77"


def _after(millis: int) -> None:
    """Wait until the wall clock has passed `millis` (an edit made after the merge)."""
    deadline = time.monotonic() + 5
    while time.time() * 1000 <= millis + 1:
        assert time.monotonic() < deadline
        time.sleep(0.001)


def _pending(db: Path, device: str) -> list[conflicts.FieldConflict]:
    with open_store(db, device) as store:
        ws = Workspace(store)
        found = [c for c in sync_screen.in_conflict(ws) if c.table == "clients"]
        assert len(found) <= 1
        return sync_screen.field_conflicts(ws, "clients", found[0].record_id)[0] if found else []


def test_an_edit_on_a_business_merged_away_elsewhere_is_shown_then_settled(
    tmp_path: Path,
) -> None:
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    with open_store(a, "laptop-a") as store:
        soissons = store.put(
            "clients",
            new_record(
                "clients", name="Pâtisserie Lemoine", siret="44444444444440", commune="Soissons"
            ),
        )
        laon = store.put(
            "clients",
            new_record(
                "clients", name="Pâtisserie Lemoine", siret="44444444444440", commune="Laon"
            ),
        )
    shutil.copyfile(a, b)  # the two laptops are in sync
    with open_store(a, "laptop-a") as store:  # A keeps the Laon record
        clients.merge(Workspace(store), laon["id"], soissons["id"])
        merged_at = int(store.get("clients", soissons["id"])["dot"][2])
        merged_at = max(
            merged_at,
            *(int(d[2]) for d in store.get("clients", soissons["id"]).get("dots", {}).values()),
        )
    _after(merged_at)
    with open_store(b, "laptop-b") as store:  # B, not yet aware, types the phone
        record = store.get("clients", soissons["id"])
        store.put("clients", {**record, "phone": PHONE})

    with open_store(b, "laptop-b") as store:
        from_a = import_file(store, a)
    with open_store(a, "laptop-a") as store:
        from_b = import_file(store, b)

    for outcome in (from_a, from_b):
        assert any(conflicts.MERGED_AWAY_NOTE in line for line in outcome.lines), outcome.lines
    for db, device in ((a, "laptop-a"), (b, "laptop-b")):
        fields = _pending(db, device)
        assert [f.path for f in fields] == ["phone"]
        assert conflicts.MERGED_AWAY_NOTE in fields[0].label
        assert [c.value for c in fields[0].choices] == ["", PHONE]
        # The differences the merge itself settled (the commune) are not brought back.
        with open_store(db, device) as store:
            assert store.get("clients", laon["id"])["commune"] == "Laon"

    with open_store(a, "laptop-a") as store:  # A keeps the phone on the kept business
        sync_screen.keep_value(Workspace(store), "clients", laon["id"], "phone", PHONE)
    assert _pending(a, "laptop-a") == []
    with open_store(b, "laptop-b") as store:
        again = import_file(store, a)
        assert store.get("clients", laon["id"])["phone"] == PHONE
    assert not any(conflicts.MERGED_AWAY_NOTE in line for line in again.lines)
    assert _pending(b, "laptop-b") == []


def test_keeping_the_kept_business_value_dismisses_the_edit_on_both_laptops(
    tmp_path: Path,
) -> None:
    tomb = {
        "id": "t",
        "name": "X",
        "phone": PHONE,
        "merged_into": "k",
        "deleted": True,
        "dot": ["laptop-b", 1, 1000],
        "dots": {
            "merged_into": ["laptop-a", 5, 500],
            "deleted": ["laptop-a", 5, 500],
            "phone": ["laptop-b", 2, 900],
        },
        "vv": {"laptop-a": 5, "laptop-b": 2},
    }
    kept = {
        "id": "k",
        "name": "X",
        "phone": "03 00 00 00 00",
        "dot": ["laptop-a", 4, 400],
        "vv": {"laptop-a": 4},
    }
    [field] = conflicts.merged_away_edits(kept, [tomb])
    assert [c.value for c in field.choices] == ["03 00 00 00 00", PHONE]
    # Kept's phone written again after the edit (keeping value 1): nothing pending.
    settled = {**kept, "dots": {"phone": ["laptop-a", 6, 1200]}, "vv": {"laptop-a": 6}}
    assert conflicts.merged_away_edits(settled, [tomb]) == []
    # An edit older than the merge (the merge saw it) is not brought back.
    older = {**tomb, "dots": {**tomb["dots"], "phone": ["laptop-b", 2, 300]}}
    assert conflicts.merged_away_edits(kept, [older]) == []
