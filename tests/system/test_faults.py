"""Fault injection: processes really killed, disks really full, files really corrupted."""

from __future__ import annotations

import json
import random
import resource
import selectors
import signal
import subprocess
import time
from pathlib import Path

import pytest
import tinydb

from tests.conftest import PYTHON, subprocess_env
from tpe_tui.domain.errors import DataFileError
from tpe_tui.storage.file_format import parse_data
from tpe_tui.storage.store import Store

KILLS = 30


def _read_acks(child: subprocess.Popen[str], seconds: float, after_first: bool = False) -> int:
    """The last value the writer reported as saved within `seconds` (counted from its first
    report if `after_first`; that one is waited for up to 60 s)."""
    assert child.stdout is not None
    last = -1
    selector = selectors.DefaultSelector()
    selector.register(child.stdout, selectors.EVENT_READ)
    if after_first and selector.select(timeout=60):
        line = child.stdout.readline()
        last = int(line) if line else last
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if selector.select(timeout=max(0.0, deadline - time.monotonic())):
            line = child.stdout.readline()
            if not line:
                break
            last = int(line)
    selector.close()
    return last


def test_sigkill_at_random_moments_never_loses_an_acknowledged_save(db: Path) -> None:
    subprocess.run(
        [PYTHON, "-m", "tpe_tui", "demo", "--db", str(db), "--sessions", "1500"],
        check=True,
        env=subprocess_env(),
        capture_output=True,
    )
    rng = random.Random(20261124)
    acknowledged = 0
    for kill in range(KILLS):
        child = subprocess.Popen(
            [PYTHON, "-m", "tests.fault_writer", str(db)],
            stdout=subprocess.PIPE,
            text=True,
            env=subprocess_env(),
            bufsize=1,
        )
        # Every other kill is timed from the writer's first save: on a busy machine its start
        # (Python, opening a 1,500-session file, folding the last journal) can outlast any
        # delay, and those kills alone would never land among saves. The others, timed from
        # the start, also land while the file is opened and folded.
        last = _read_acks(child, rng.uniform(0.3, 1.0), after_first=kill % 2 == 1)
        child.send_signal(signal.SIGKILL)
        assert child.stdout is not None
        for line in child.stdout.read().split():  # acks printed before the kill landed
            last = max(last, int(line))
        child.wait()
        acknowledged = max(acknowledged, last)
        # The file people copy is always complete JSON that plain TinyDB opens.
        json.loads(db.read_bytes())
        plain = tinydb.TinyDB(db)
        assert len(plain.table("sessions")) == 1500
        plain.close()
        # And with its journal, nothing acknowledged is missing.
        with Store.open(db, "checker", backup=False) as store:
            counters = [r for r in store.records("clients") if r["name"] == "compteur"]
        # A kill before the first writer's first save (its start can outlast the delay on
        # a busy machine) leaves no counter yet: then nothing was acknowledged either.
        assert len(counters) <= 1
        if acknowledged > 0:
            assert counters and counters[0]["employees"] >= acknowledged
    # The writer did real work between kills: each kill timed from a first save adds one.
    assert acknowledged >= KILLS // 2


def _limited(max_bytes: int):
    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (max_bytes, max_bytes))

    return apply


def _demo(db: Path, sessions: int) -> None:
    subprocess.run(
        [PYTHON, "-m", "tpe_tui", "demo", "--db", str(db), "--sessions", str(sessions)],
        check=True,
        env=subprocess_env(),
        capture_output=True,
    )


def test_disk_full_during_a_save_leaves_the_file_byte_for_byte(db: Path) -> None:
    _demo(db, 2000)
    before = db.read_bytes()
    result = subprocess.run(
        [PYTHON, "-m", "tpe_tui", "demo", "--db", str(db), "--sessions", "3000", "--force"],
        capture_output=True,
        text=True,
        env=subprocess_env(),
        preexec_fn=_limited(len(before) // 3),
    )
    assert result.returncode == 1
    assert "Plus de place sur le disque" in result.stderr
    assert "n’a pas été modifié" in result.stderr and "Traceback" not in result.stderr
    assert db.read_bytes() == before
    assert not [p for p in db.parent.iterdir() if p.name.endswith(".tmp")]


def test_plain_tinydb_destroys_the_file_under_the_same_fault(tmp_path: Path) -> None:
    """Why the store does not let TinyDB's JSONStorage write: it truncates in place."""
    path = tmp_path / "plain.json"
    _demo(path, 2000)
    size = path.stat().st_size
    before = parse_data(path.read_bytes(), "avant")
    code = (
        "import tinydb, sys; db = tinydb.TinyDB(sys.argv[1]);"
        "db.table('clients').update({'notes': 'x'}, doc_ids=[1])"
    )
    result = subprocess.run(
        [PYTHON, "-c", code, str(path)],
        capture_output=True,
        env=subprocess_env(),
        preexec_fn=_limited(size // 3),
    )
    assert result.returncode != 0
    try:
        intact = parse_data(path.read_bytes(), "après") == before
    except DataFileError:
        intact = False
    # Half new bytes over half old ones: the whole file is lost (it may even stay valid
    # JSON, its records no longer matching their values).
    assert not intact


def _ours_left(folder: Path, db: Path) -> list[Path]:
    return [p for p in folder.iterdir() if p.name.startswith(f".{db.name}.") and p.suffix == ".tmp"]


def test_temporary_copies_left_by_writers_killed_mid_rewrite_go_at_the_next_open(
    db: Path,
) -> None:
    _demo(db, 1500)
    foreign = db.with_name(".photo.jpg.12.34.tmp")  # our naming, not our file: kept
    foreign.write_bytes(b"not ours")
    left_behind = 0
    for _ in range(8):
        child = subprocess.Popen(
            [PYTHON, "-m", "tests.fault_writer", str(db), "rewrites"],
            stdout=subprocess.DEVNULL,
            env=subprocess_env(),
        )
        deadline = time.monotonic() + 60
        while not _ours_left(db.parent, db) and time.monotonic() < deadline:
            time.sleep(0.005)
        child.send_signal(signal.SIGKILL)  # while a temporary copy is being written
        child.wait()
        left_behind = max(left_behind, len(_ours_left(db.parent, db)))
    assert left_behind >= 1  # the kills did land in the middle of rewrites
    with Store.open(db, "checker", backup=False) as store:
        assert store.count("sessions") == 1500
        assert _ours_left(db.parent, db) == []
    assert foreign.read_bytes() == b"not ours"
    json.loads(db.read_bytes())


def _demo_killed_after(db: Path, seconds: float, *args: str) -> None:
    child = subprocess.Popen(
        [PYTHON, "-m", "tpe_tui", "demo", "--db", str(db), *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=subprocess_env(),
    )
    try:
        child.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        child.send_signal(signal.SIGKILL)
        child.wait()


def _sessions_in(db: Path) -> int:
    return len(json.loads(db.read_bytes())["sessions"])


def test_demo_force_killed_at_any_moment_leaves_the_old_file_or_the_whole_new_one(
    tmp_path: Path, db: Path
) -> None:
    rng = random.Random(20261128)
    started = time.monotonic()
    _demo(tmp_path / "timing.json", 800)  # how long a whole run takes on this machine now
    whole_run = time.monotonic() - started
    _demo(db, 300)
    kept = replaced = 0
    for seed in range(2, 14):
        before = db.read_bytes()
        _demo_killed_after(
            db, rng.uniform(0, whole_run), "--sessions", "800", "--seed", str(seed), "--force"
        )
        after = db.read_bytes()
        if after == before:
            kept += 1
        else:
            assert _sessions_in(db) == 800  # never emptied, never half filled
            replaced += 1
    assert kept >= 1  # some kills did land before the swap
    with Store.open(db, "checker", backup=False) as store:
        assert store.count("sessions") in (300, 800)


def test_demo_killed_before_it_is_done_leaves_no_file_where_there_was_none(
    tmp_path: Path,
) -> None:
    rng = random.Random(20261129)
    started = time.monotonic()
    _demo(tmp_path / "timing.json", 800)
    whole_run = time.monotonic() - started
    absent = 0
    for attempt in range(10):
        db = tmp_path / f"nouveau-{attempt}.json"
        _demo_killed_after(db, rng.uniform(0, whole_run), "--sessions", "800")
        if db.exists():
            assert _sessions_in(db) == 800  # whole, or not there at all
        else:
            absent += 1
            assert not db.with_name(db.name + ".journal").exists()
    assert absent >= 1


def test_a_journal_line_damaged_in_the_middle_is_said_and_kept_aside(db: Path) -> None:
    """Fourth acceptance pass (NEW4-11, its rest): a writer really killed, then one byte of
    its journal's second line changed on disk (a finished save, damaged since). `check`
    says which save, when, and that the saves after it were kept, touching nothing; the
    opening keeps the line aside before folding the journal; `check` then says where."""
    code = (
        "from pathlib import Path; import time; from tpe_tui.storage.store import Store;"
        "from tpe_tui.domain.records import new_record as r;"
        f"s = Store.open(Path({str(db)!r}), 'writer');"
        "a = s.put('clients', r('clients', name='Boulangerie Girard'));"
        "s.put('clients', r('clients', name='Garage Lefèvre', trade='Garagiste'));"
        "s.put('clients', {**a, 'phone': '03 23 00 00 00'});"
        "print('ready', flush=True); time.sleep(60)"
    )
    child = subprocess.Popen(
        [PYTHON, "-c", code], stdout=subprocess.PIPE, env=subprocess_env(), text=True
    )
    assert child.stdout is not None and child.stdout.readline().strip() == "ready"
    child.send_signal(signal.SIGKILL)
    child.wait()
    journal = db.with_name(db.name + ".journal")
    with journal.open("r+b") as handle:  # one byte changed in place, the line's newline kept
        raw = handle.read()
        second = raw.index(b"\n") + 1
        handle.seek(raw.index(b"Garagiste", second) + 8)
        handle.write(b"f")
    before = (db.read_bytes(), journal.read_bytes())
    check = [PYTHON, "-m", "tpe_tui", "check", "--db", str(db)]
    said = subprocess.run(check, env=subprocess_env(), capture_output=True, text=True)
    assert said.returncode == 1, said.stdout + said.stderr
    assert "du fichier a 1 ligne abîmée au milieu" in said.stdout
    assert "- ligne 2, enregistrée à " in said.stdout
    assert (
        " : entreprise « Garage Lefèvre ». Ce que cet enregistrement changeait peut manquer. "
        "L’enregistrement qui la suivait a été repris."
    ) in said.stdout
    assert (db.read_bytes(), journal.read_bytes()) == before  # `check` changed nothing
    with Store.open(db, "laptop-a") as store:  # what the app does when it starts
        assert [c["phone"] for c in store.records("clients")] == ["03 23 00 00 00"]
        kept = store.damaged_lines_kept
    assert kept is not None and kept.read_bytes().splitlines() == [before[1].splitlines()[1]]
    said = subprocess.run(check, env=subprocess_env(), capture_output=True, text=True)
    assert said.returncode == 0, said.stdout + said.stderr
    assert (
        f"Lignes abîmées du journal gardées à part (à une ouverture précédente) : {kept}"
        in said.stdout
    )
    assert "Le fichier est sain." in said.stdout


KILLED_MID_RETENTION = """
import os, signal, sys
from pathlib import Path
from tpe_tui.services import clients
from tpe_tui.services.config import Config
from tpe_tui.services.workspace import Workspace

real, done = clients.erase, []

def erase(*args, **kwargs):
    if len(done) == 2:  # two businesses erased in memory, the third under way
        os.kill(os.getpid(), signal.SIGKILL)
    done.append(real(*args, **kwargs))
    return done[-1]

clients.erase = erase
clients.apply_retention(Workspace.open(Path(sys.argv[1]), "laptop-a", Config(retention_days=400)))
"""


def test_killed_while_the_retention_rule_anonymises_leaves_all_of_them_or_none(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The anonymisation of many businesses at opening is written by one atomic write of
    the file (NEW4-30: a journal line each made it 45 s at 10k). Killed in the middle, the
    file is as before, every person still there (none half-erased): the next opening
    anonymises them all."""
    from tests.helpers import add_client, add_session, open_store, read_data
    from tpe_tui.services import clients
    from tpe_tui.services.config import Config
    from tpe_tui.services.workspace import Workspace

    monkeypatch.setenv("TPE_TUI_TODAY", "2029-12-01")
    phones = [f"06 12 34 56 7{n}" for n in range(4)]
    with open_store(db) as store:
        for n, phone in enumerate(phones):
            client = add_client(store, f"Garage {n}", phone=phone)
            add_session(store, client["id"], date="2024-01-10", status="closed")
    before = db.read_bytes()
    child = subprocess.run(
        [PYTHON, "-c", KILLED_MID_RETENTION, str(db)],
        env={**subprocess_env(), "TPE_TUI_TODAY": "2029-12-01"},
        capture_output=True,
        check=False,
    )
    assert child.returncode == -signal.SIGKILL, child.stderr
    assert db.read_bytes() == before
    kept = read_data(db)["clients"].values()
    assert sorted(c["phone"] for c in kept) == phones
    with open_store(db) as store:
        assert clients.apply_retention(Workspace(store, Config(retention_days=400))) == (4, 0)
    raw = db.read_bytes()
    assert not [phone for phone in phones if phone.encode() in raw]
