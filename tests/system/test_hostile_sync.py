"""Files handed to `sync` that must not hang, eat memory or damage ours (issue 15): real
FIFOs, /dev/zero, folders, hostile conflicts, and merges that would delete everything."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from tests.conftest import PYTHON, subprocess_env
from tests.helpers import read_data, write_data
from tpe_tui.cli.main import main


def _sync(ours: Path, source: Path | str, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [PYTHON, "-m", "tpe_tui", "sync", str(source), "--db", str(ours), *extra],
        capture_output=True,
        text=True,
        env=subprocess_env(),
        timeout=120,  # a hang is a failure, not a stuck suite
    )


@pytest.fixture
def ours(tmp_path: Path, isolated_home: Path) -> Path:
    db = tmp_path / "ours.json"
    assert main(["demo", "--db", str(db), "--sessions", "30", "--seed", "1"]) == 0
    return db


def _refused(result: subprocess.CompletedProcess[str], words: str) -> None:
    assert result.returncode == 2, result.stderr
    assert words in result.stderr and "Traceback" not in result.stderr


def test_a_fifo_is_refused_without_waiting_for_a_writer(ours: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "tube.json"
    os.mkfifo(fifo)
    before = ours.read_bytes()
    _refused(_sync(ours, fifo), "pas un fichier ordinaire")
    assert ours.read_bytes() == before


def test_dev_zero_is_refused_before_reading(ours: Path) -> None:
    _refused(_sync(ours, "/dev/zero"), "pas un fichier ordinaire")


def test_a_folder_is_refused(ours: Path, tmp_path: Path) -> None:
    _refused(_sync(ours, tmp_path), "dossier")


def _schema_1_file(path: Path, ours: Path, conflicts: object) -> Path:
    """A file shaped as schema 1 wrote it, whose conflicts carry one of our ids."""
    data = read_data(ours)
    (target, other) = list(data["clients"].values())[:2]
    head = {k: v for k, v in target.items() if k not in ("dot", "dots", "conflicts", "vv")}
    head.update(device="pirate", vv={"pirate": 9}, rev=9, hlc="9999999999999-0000")
    if conflicts == "our-id-deleted":
        conflicts = [{**head, "id": other["id"], "deleted": True}]
    head["conflicts"] = conflicts
    path.write_text(json.dumps({"clients": {"1": head}, "meta": {"1": {"schema_version": 1}}}))
    return path


@pytest.mark.parametrize("conflicts", ["our-id-deleted", "texte", {"a": 1}, [{"deleted": True}]])
def test_hostile_conflicts_are_refused_and_ours_untouched(
    ours: Path, tmp_path: Path, conflicts: object
) -> None:
    before = ours.read_bytes()
    _refused(_sync(ours, _schema_1_file(tmp_path / "h.json", ours, conflicts)), "invalide")
    assert ours.read_bytes() == before


def test_a_counter_at_2_64_and_deep_nesting_are_refused(ours: Path, tmp_path: Path) -> None:
    data = read_data(ours)
    for doc in data["meta"].values():
        doc["written_by"] = "pirate"
    client = next(iter(data["clients"].values()))
    client["vv"] = {"pirate": 2**64 - 1}
    deep: object = "x"
    for _ in range(500):
        deep = [deep]
    session = next(iter(data["sessions"].values()))
    session["notes"] = deep
    hostile = tmp_path / "h.json"
    # Whole records (no layout), as a hand-made file: orjson itself refuses such nesting.
    hostile.write_text(json.dumps(data))
    before = ours.read_bytes()
    _refused(_sync(ours, hostile), "invalide")
    assert ours.read_bytes() == before


def _everything_deleted(ours: Path, other: Path) -> Path:
    """Our file as another laptop would send it after deleting every business."""
    assert main(["export", str(other), "--db", str(ours)]) == 0
    data = read_data(other)
    for doc in data["meta"].values():
        doc["written_by"] = "another-laptop"
    for record in data["clients"].values():
        record["deleted"] = True
        record["vv"] = {**record["vv"], "another-laptop": 1}
        record.setdefault("dots", {})["deleted"] = ["another-laptop", 1, 1]
    write_data(other, data)
    return other


def test_a_team_folder_file_that_deletes_everything_waits_for_yes(
    ours: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    team = tmp_path / "equipe"
    team.mkdir()
    _everything_deleted(ours, team / "autre.json")
    capsys.readouterr()
    assert main(["sync", "--folder", str(team), "--db", str(ours)]) == 0
    out = capsys.readouterr().out
    assert "Ignoré — autre.json" in out and "--yes" in out
    assert not any(r["deleted"] for r in read_data(ours)["clients"].values())
    assert main(["sync", "--folder", str(team), "--db", str(ours), "--yes"]) == 0
    assert all(r["deleted"] for r in read_data(ours)["clients"].values())


def test_a_merge_that_deletes_everything_needs_yes(ours: Path, tmp_path: Path) -> None:
    other = _everything_deleted(ours, tmp_path / "other.json")
    before = ours.read_bytes()
    asked = _sync(ours, other)
    assert asked.returncode == 1 and "--yes" in asked.stdout
    assert "supprimerait ou effacerait" in asked.stdout
    assert ours.read_bytes() == before
    done = _sync(ours, other, "--yes")
    assert done.returncode == 0, done.stderr
    merged = read_data(ours)
    assert all(r["deleted"] for r in merged["clients"].values())
