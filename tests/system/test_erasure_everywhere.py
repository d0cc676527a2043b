"""Erasure erases: after « effacement des personnes », no value of that business's people is
left in any file tpe-tui keeps (data file, journal, temporary files, backups, config) nor
in the documents it wrote: its own, which the mediator chose to delete, and the export of
the whole file for another laptop, rewritten without them.

The program runs as separate processes, as on a laptop: several starts (each makes a
backup), a merge with another laptop's file that leaves a value in conflict, summaries, the
F6 export and a sync export from the command line, then the erasure the client file does.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from tests.conftest import PYTHON, subprocess_env
from tests.helpers import files_holding, read_data

PERSONAL = {
    "name": "Quincaillerie Zébulon Wxq",
    "siret": "83746592100018",
    "address": "17 impasse des Glycines",
    "phone": "06 98 76 54 32",
    "email": "hortense@vrbk-example.fr",
    "notes": "Rachète la boutique de sa tante Odile",
    "contact": "Hortense Vrbkowicz",
    "contact_phone": "07 55 44 33 22",
    "contact_email": "h.vrbkowicz@example.fr",
    "synthesis": "Site vitrine pour la quincaillerie Zébulon",
    "request": "Hortense veut vendre ses clés en ligne",
    "reason": "Rappeler Hortense pour le devis",
    "action_notes": "Voir avec Odile Vrbkowicz",
    "conflict_phone": "07 11 22 33 44",  # written on the other laptop, held in conflict
}

STEPS = r"""
import json, shutil, sys
from pathlib import Path
from tpe_tui.domain.records import new_record
from tpe_tui.services import clients, erasure
from tpe_tui.services.sync import import_file
from tpe_tui.services.workspace import Workspace
from tpe_tui.storage import paths
from tpe_tui.storage.store import Store

step, values = sys.argv[1], json.loads(sys.argv[2])
db = paths.db_path()
state = db.parent / "ids.json"

if step == "seed":
    with Workspace.open(db, paths.device_id()) as ws:
        contact = {"id": "p1", "name": values["contact"], "phone": values["contact_phone"],
                   "email": values["contact_email"], "role": "owner",
                   "consent": {"given": True, "date": "2026-10-01", "wording": "oui"}}
        client = ws.save_client(new_record(
            "clients", name=values["name"], siret=values["siret"], address=values["address"],
            phone=values["phone"], email=values["email"], notes=values["notes"],
            commune="Arras", trade="Quincaillier", contacts=[contact]))
        other = ws.save_client(new_record("clients", name="Boulangerie Témoin", commune="Lens"))
        session = ws.save_session(new_record(
            "sessions", client_id=client["id"], status="closed", date="2026-10-02",
            needs=["website"], synthesis=values["synthesis"], request_said=values["request"],
            close_reason="completed"))
        ws.store.put("followups", new_record(
            "followups", client_id=client["id"], session_id=session["id"],
            due_date="2026-12-01", reason=values["reason"]))
        ws.save_programme("actions", new_record(
            "actions", client_id=client["id"], title="Site vitrine",
            notes=values["action_notes"]))
    ids = {"client": client["id"], "other": other["id"], "session": session["id"]}
    state.write_text(json.dumps(ids))
elif step == "other-laptop":
    # The other laptop had a copy and changed the phone; this one changed it too.
    ids = json.loads(state.read_text())
    theirs = db.parent / "autre-ordinateur.json"
    shutil.copyfile(db, theirs)
    with Store.open(theirs, "laptop-b", backup=False) as store:
        client = store.get("clients", ids["client"])
        store.put("clients", {**client, "phone": values["conflict_phone"]})
    with Workspace.open(db, paths.device_id()) as ws:
        client = ws.client(ids["client"])
        ws.save_client({**client, "phone": values["phone"] + " 0"})
        ws.save_client({**client, "phone": values["phone"]})
        import_file(ws.store, theirs)
    theirs.unlink()
elif step == "start":
    ids = json.loads(state.read_text())
    with Workspace.open(db, paths.device_id()) as ws:
        other = ws.client(ids["other"])
        ws.save_client({**other, "notes": f"visite {sys.argv[3]}"})
elif step == "export-personal":
    ids = json.loads(state.read_text())
    with Workspace.open(db, paths.device_id()) as ws:
        clients.export_personal(ws, ids["client"])
elif step == "erase":
    ids = json.loads(state.read_text())
    with Workspace.open(db, paths.device_id()) as ws:
        plan = erasure.plan(ws, ids["client"])
        report = erasure.erase(
            ws, ids["client"], plan.documents, shared=plan.shared, copies=plan.copies)
    print(json.dumps({
        "listed": [p.name for p in plan.documents],
        "removed": [p.name for p in report.documents_removed],
        "shared": [p.name for p in plan.shared],
        "copies": [p.name for p in report.copies_rewritten],
        "rewritten": [p.name for p in report.backups_rewritten],
        "dropped": [p.name for p in report.backups_removed],
        "temporaries": [p.name for p in report.temporaries_removed],
    }))
"""


def _run(*args: str) -> str:
    done = subprocess.run(
        [PYTHON, *args], capture_output=True, text=True, env=subprocess_env(), timeout=120
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def _step(script: Path, *args: str) -> str:
    return _run(str(script), args[0], json.dumps(PERSONAL), *args[1:])


def _traces(folder: Path) -> list[tuple[str, str]]:
    return files_holding(folder, PERSONAL.values())


def test_erasure_leaves_no_personal_value_in_any_file(isolated_home: Path, tmp_path: Path) -> None:
    script = tmp_path / "steps.py"
    script.write_text(STEPS, encoding="utf-8")
    _step(script, "seed")
    _step(script, "other-laptop")
    for number in range(3):  # three more starts, three more backups
        _step(script, "start", str(number))
    data = isolated_home / "data" / "tpe-tui"
    db = data / "tpe-tui.json"
    ids = json.loads((data / "ids.json").read_text())
    documents = isolated_home / "documents" / "tpe-tui"
    documents.mkdir(parents=True, exist_ok=True)
    for fmt in ("md", "html"):
        _run(
            "-m",
            "tpe_tui",
            "summary",
            ids["session"][:8],
            "--format",
            fmt,
            "--output",
            str(documents),
        )
    _step(script, "export-personal")  # F6 in the client file
    _run("-m", "tpe_tui", "export", str(documents / "tpe-tui-export.json"))
    unrelated = documents / "atelier-sans-rapport.md"
    unrelated.write_text("Atelier : messagerie, agenda partagé.\n", encoding="utf-8")
    # What a write killed midway leaves: a full copy under the temporary name of atomic.py.
    shutil.copyfile(db, data / ".tpe-tui.json.999999.1.tmp")

    # Every kind of place holds the person before: the test can see them.
    before = {place for place, _ in _traces(isolated_home)}
    assert "data/tpe-tui/tpe-tui.json" in before
    assert any(p.startswith("data/tpe-tui/backups/") for p in before)
    assert any(p.startswith("documents/tpe-tui/") for p in before)
    backups = sorted((data / "backups").iterdir())
    assert len(backups) >= 4
    conflict = read_data(db)["clients"]
    assert any("conflicts" in c for c in conflict.values())

    report = json.loads(_step(script, "erase"))

    assert _traces(isolated_home) == []
    assert _traces(tmp_path) == []
    assert "atelier-sans-rapport.md" not in report["listed"]
    assert unrelated.exists()
    assert sorted(report["removed"]) == sorted(report["listed"])
    assert report["shared"] == []
    # The export for another laptop holds everyone: rewritten without the people, kept.
    assert report["copies"] == ["tpe-tui-export.json"]
    assert sorted(p.name for p in documents.iterdir()) == [
        "atelier-sans-rapport.md",
        "tpe-tui-export.json",
    ]
    # The killed write's copy is gone: removed when the file was opened (a leftover of a
    # dead writer), or else by the erasure itself.
    assert not (data / ".tpe-tui.json.999999.1.tmp").exists()
    assert report["temporaries"] in ([], [".tpe-tui.json.999999.1.tmp"])
    assert report["dropped"] == []
    # The backups were rewritten, not dropped: each still restores the other business.
    # (the erasure's own start made one more)
    assert {p.name for p in backups} < {p.name for p in (data / "backups").iterdir()}
    for backup in (data / "backups").iterdir():
        tables = read_data(backup)
        assert any(c["id"] == ids["other"] for c in tables["clients"].values())
        erased = next(c for c in tables["clients"].values() if c["id"] == ids["client"])
        assert erased["anonymised"] is True
    live = read_data(db)
    assert [s["needs"] for s in live["sessions"].values()] == [["website"]]  # still counted
    assert not db.with_name(db.name + ".journal").exists()
