"""The command line: demo, check, sync, export; French messages and exit codes."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import PYTHON, subprocess_env
from tests.helpers import add_client, open_store, read_data, write_data
from tpe_tui.cli.main import main
from tpe_tui.domain.records import SCHEMA_VERSION
from tpe_tui.storage import paths
from tpe_tui.storage.file_format import dump
from tpe_tui.sync.versions import REVISION_FIELDS


def _laptop(monkeypatch: pytest.MonkeyPatch, home: Path, name: str) -> None:
    """Switch to another laptop: its own config dir, hence its own device id."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / f"config-{name}"))


def _content(path: Path) -> dict[str, list[dict]]:
    data = read_data(path)
    return {
        table: sorted(
            ({k: v for k, v in r.items() if k not in REVISION_FIELDS} for r in rows.values()),
            key=lambda r: r["id"],
        )
        for table, rows in data.items()
        if table != "meta"
    }


def test_demo_is_deterministic_for_a_seed(tmp_path: Path) -> None:
    first, second, other = tmp_path / "a.json", tmp_path / "b.json", tmp_path / "c.json"
    assert main(["demo", "--db", str(first), "--sessions", "120", "--seed", "7"]) == 0
    assert main(["demo", "--db", str(second), "--sessions", "120", "--seed", "7"]) == 0
    assert main(["demo", "--db", str(other), "--sessions", "120", "--seed", "8"]) == 0
    assert _content(first) == _content(second)
    assert _content(first) != _content(other)


def test_demo_is_realistic(db: Path) -> None:
    assert main(["demo", "--db", str(db), "--sessions", "400"]) == 0
    data = _content(db)
    sessions = data["sessions"]
    assert len(sessions) == 400
    assert {s["status"] for s in sessions} == {"draft", "in_progress", "closed"}
    assert len({s["current_step"] for s in sessions}) > 5
    communes = {c["commune"] for c in data["clients"]}
    assert {"Soissons", "Arras", "Calais"} <= communes
    per_client: dict[str, int] = {}
    for s in sessions:
        per_client[s["client_id"]] = per_client.get(s["client_id"], 0) + 1
    assert max(per_client.values()) >= 3
    from datetime import date

    today = date.today().isoformat()
    assert any(f["due_date"] < today and f["status"] == "todo" for f in data["followups"])
    from tpe_tui.domain.catalog import catalog

    assert {s["kind"] for s in data["structures"]} == set(catalog().codes("structure_kinds"))
    closed = [s for s in sessions if s["status"] == "closed"]
    assert all(len(s["solutions"]) >= 2 and s["needs"] for s in closed)


def test_demo_refuses_a_non_empty_file_without_force(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["demo", "--db", str(db), "--sessions", "5"]) == 0
    before = db.read_bytes()
    assert main(["demo", "--db", str(db), "--sessions", "9"]) == 2
    assert "--force" in capsys.readouterr().err
    assert db.read_bytes() == before
    assert main(["demo", "--db", str(db), "--sessions", "9", "--force"]) == 0
    assert len(_content(db)["sessions"]) == 9


def test_db_env_variable_is_honoured(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "env.json"
    monkeypatch.setenv("TPE_TUI_DB", str(target))
    assert main(["demo", "--sessions", "3"]) == 0
    assert target.exists() and paths.db_path() == target
    assert paths.db_path(tmp_path / "x.json") == tmp_path / "x.json"  # --db wins


def test_device_id_stays_in_the_config_dir_not_in_the_data_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, isolated_home: Path
) -> None:
    db = tmp_path / "d.json"
    assert main(["demo", "--db", str(db), "--sessions", "3"]) == 0
    mine = paths.device_id()
    assert (paths.config_dir() / "device-id").read_text().strip() == mine
    _laptop(monkeypatch, isolated_home, "other")
    assert paths.device_id() != mine  # copying the data file does not copy the identity


def test_check_reports_a_sound_file(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["demo", "--db", str(db), "--sessions", "50"])
    capsys.readouterr()
    assert main(["check", "--db", str(db)]) == 0
    assert "Le fichier est sain." in capsys.readouterr().out


def test_check_does_not_call_an_empty_file_sound(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Finding NEW4-11: a zero-length file was « sain » with 0 records everywhere."""
    empty = tmp_path / "vide.json"
    empty.write_bytes(b"")
    assert main(["check", "--db", str(empty)]) == 1
    out = capsys.readouterr().out
    assert "Le fichier est sain" not in out and "Le fichier est vide" in out
    # Beside backups that hold data, it is a file cut short: said as the app says it.
    backup = paths.backups_dir(empty) / "vide-2026-11-28T08-00-00-start.json"
    backup.parent.mkdir()
    main(["demo", "--db", str(tmp_path / "full.json"), "--sessions", "3"])
    backup.write_bytes((tmp_path / "full.json").read_bytes())
    capsys.readouterr()
    assert main(["check", "--db", str(empty)]) != 0
    err = capsys.readouterr().err
    assert "vide alors que ses sauvegardes ne le sont pas" in err and str(backup) in err
    assert empty.read_bytes() == b""  # nothing written


def test_check_finds_broken_references_and_bad_fields(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["demo", "--db", str(db), "--sessions", "20"])
    data = read_data(db)
    first = next(iter(data["sessions"].values()))
    first["client_id"] = "n-existe-pas"
    first["status"] = "perdu"
    write_data(db, data)
    capsys.readouterr()
    assert main(["check", "--db", str(db)]) == 1
    out = capsys.readouterr().out
    assert "n-existe-pas" in out and "status" in out and "problème" in out


@pytest.mark.parametrize("content", [b"{pas du json", b'"une chaine"'])
def test_check_of_a_corrupt_file_fails_in_french_and_changes_nothing(
    db: Path, content: bytes
) -> None:
    db.write_bytes(content)
    result = subprocess.run(
        [PYTHON, "-m", "tpe_tui", "check", "--db", str(db)],
        capture_output=True,
        text=True,
        env=subprocess_env(),
    )
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "tpe-tui :" in result.stderr
    assert db.read_bytes() == content


def test_bad_usage_exits_2_in_french() -> None:
    result = subprocess.run(
        [PYTHON, "-m", "tpe_tui", "demo", "--sessions", "beaucoup"],
        capture_output=True,
        text=True,
        env=subprocess_env(),
    )
    assert result.returncode == 2 and "utilisation incorrecte" in result.stderr


# --------------------------------------------------------------------- sync and export
@pytest.fixture
def two_laptops(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, isolated_home: Path):
    ours, theirs = tmp_path / "ours.json", tmp_path / "theirs.json"
    _laptop(monkeypatch, isolated_home, "a")
    assert main(["demo", "--db", str(ours), "--sessions", "30", "--seed", "1"]) == 0
    _laptop(monkeypatch, isolated_home, "b")
    assert main(["demo", "--db", str(theirs), "--sessions", "40", "--seed", "2"]) == 0
    carried = tmp_path / "usb" / "export.json"
    carried.parent.mkdir()
    assert main(["export", str(carried), "--db", str(theirs)]) == 0
    _laptop(monkeypatch, isolated_home, "a")
    return ours, carried


def test_sync_merges_another_laptops_export(
    two_laptops, capsys: pytest.CaptureFixture[str]
) -> None:
    ours, carried = two_laptops
    capsys.readouterr()
    assert main(["sync", str(carried), "--db", str(ours)]) == 0
    out = capsys.readouterr().out
    assert "Accompagnements : 40 nouveau(x)" in out and "Sauvegarde avant fusion" in out
    data = read_data(ours)
    assert len(data["sessions"]) == 70
    log = [d for d in data["meta"].values() if d.get("kind") == "sync_log"]
    assert log and log[0]["report"]["sessions"]["new"] == 40
    assert any("before-merge" in p.name for p in (ours.parent / "backups").iterdir())
    capsys.readouterr()
    assert main(["sync", str(carried), "--db", str(ours)]) == 0  # twice: nothing new
    assert "Rien de nouveau" in capsys.readouterr().out
    assert len(read_data(ours)["sessions"]) == 70


def test_sync_dry_run_changes_nothing(two_laptops, capsys: pytest.CaptureFixture[str]) -> None:
    ours, carried = two_laptops
    before = ours.read_bytes()
    assert main(["sync", str(carried), "--db", str(ours), "--dry-run"]) == 0
    assert "Simulation" in capsys.readouterr().out
    assert ours.read_bytes() == before


def _bad_files(carried: Path) -> dict[str, bytes]:
    good = carried.read_bytes()
    newer = json.loads(good)
    next(d for d in newer["meta"].values() if "schema_version" in d)["schema_version"] = (
        SCHEMA_VERSION + 1
    )
    wrong_shape = read_data(carried)
    next(iter(wrong_shape["sessions"].values())).pop("vv")
    return {
        "pas-json": b"bonjour",
        "tronque": good[: len(good) // 2],
        "pas-tinydb": b'{"autre": [1, 2]}',
        "vide": b"",
        "schema-futur": json.dumps(newer).encode(),
        "enregistrement-invalide": dump(wrong_shape),
    }


def test_sync_refuses_bad_files_with_exit_2_and_leaves_ours_byte_for_byte(
    two_laptops, tmp_path: Path
) -> None:
    ours, carried = two_laptops
    before = ours.read_bytes()
    for name, content in _bad_files(carried).items():
        bad = tmp_path / f"{name}.json"
        bad.write_bytes(content)
        result = subprocess.run(
            [PYTHON, "-m", "tpe_tui", "sync", str(bad), "--db", str(ours)],
            capture_output=True,
            text=True,
            env=subprocess_env(),
        )
        assert result.returncode == 2, name
        assert result.stderr.startswith("tpe-tui : ") and "Traceback" not in result.stderr, name
        assert ours.read_bytes() == before, name


def test_sync_of_our_own_file_or_our_own_export_is_refused(
    two_laptops, tmp_path: Path, capsys
) -> None:
    ours, _ = two_laptops
    before = ours.read_bytes()
    assert main(["sync", str(ours), "--db", str(ours)]) == 2
    mine = tmp_path / "mine.json"
    assert main(["export", str(mine), "--db", str(ours)]) == 0
    assert main(["sync", str(mine), "--db", str(ours)]) == 2
    assert "déjà votre fichier" in capsys.readouterr().err
    assert ours.read_bytes() == before


def test_export_is_a_complete_copy_including_unsaved_journal(db: Path, tmp_path: Path) -> None:
    from tests.helpers import add_client, open_store

    main(["demo", "--db", str(db), "--sessions", "5"])
    store = open_store(db)
    client = add_client(store, "Librairie Vasseur")  # only in the journal for now
    target = tmp_path / "cle-usb"
    target.mkdir()
    assert main(["export", str(target), "--db", str(db)]) == 0
    exported = read_data(target / db.name)
    assert any(r["id"] == client["id"] for r in exported["clients"].values())
    store.close()


# --------------------------------------------------------------------- an honest command line
def test_db_works_before_or_after_the_sub_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "mine.json"
    assert main(["--db", str(db), "demo", "--sessions", "6"]) == 0
    session_id = _content(db)["sessions"][0]["id"]
    csv = tmp_path / "annuaire.csv"
    for where in ("before", "after"):
        for args in (
            ["check"],
            ["agenda", "--days", "3"],
            ["summary", session_id[:8]],
            ["export", str(tmp_path / f"copy-{where}.json")],
            ["structures", "export", str(csv)],
        ):
            argv = ["--db", str(db), *args] if where == "before" else [*args, "--db", str(db)]
            capsys.readouterr()
            assert main(argv) == 0, (argv, capsys.readouterr().err)
        assert (tmp_path / f"copy-{where}.json").exists()
    assert csv.read_text(encoding="utf-8").count("\n") > 5
    # Nothing went to the default data file.
    assert not paths.db_path().exists()


@pytest.mark.parametrize(
    "args",
    [
        ["check"],
        ["agenda"],
        ["summary", "abc"],
        ["print", "abc"],
        ["export", "copie.json"],
        ["structures", "export", "s.csv"],
        ["structures", "import", "s.csv"],
        ["sync", "autre.json"],
    ],
)
def test_commands_on_a_missing_file_exit_1_in_french_and_create_nothing(
    args: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    (work / "s.csv").write_text("nom;commune\nCCI;Arras\n", encoding="utf-8")
    (work / "autre.json").write_text("{}", encoding="utf-8")
    before = sorted(work.iterdir())
    assert main(args) == 1
    err = capsys.readouterr().err
    assert "n’existe pas" in err and "Traceback" not in err
    assert sorted(work.iterdir()) == before  # no data file, lock or backup here
    assert not paths.data_dir().exists()  # nor in the default place
    # The same with a named file that is not there, for the commands that only read.
    if args[0] not in ("sync",) and args[:2] != ["structures", "import"]:
        assert main([*args, "--db", str(work / "absent.json")]) == 1
        assert sorted(work.iterdir()) == before


def test_an_import_may_create_the_file_it_is_explicitly_pointed_at(tmp_path: Path) -> None:
    csv = tmp_path / "s.csv"
    csv.write_text("nom,commune,typologie\nCCI Artois,Arras,CCI\n", encoding="utf-8")
    target = tmp_path / "nouveau.json"
    main(["structures", "import", str(csv), "--db", str(target)])
    assert target.exists()


ARGPARSE_ENGLISH = (
    "usage:",
    "positional arguments",
    "options:\n  -h, --help  show",
    "show this help message and exit",
    "the following arguments are required",
    "invalid choice",
    "invalid int value",
    "unrecognized arguments",
    "error:",
)


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["--help"], 0),
        (["summary", "--help"], 0),
        (["structures", "--help"], 0),
        (["summary"], 2),
        (["structures", "exporter", "x.csv"], 2),
        (["demo", "--sessions", "beaucoup"], 2),
        (["inconnue"], 2),
        (["check", "--en-trop"], 2),
    ],
)
def test_argparse_speaks_french(args: list[str], code: int, capsys) -> None:
    with pytest.raises(SystemExit) as exited:
        from tpe_tui.cli.main import build_parser

        build_parser().parse_args(args)
    assert exited.value.code == code
    out = capsys.readouterr()
    shown = out.out + out.err
    assert "utilisation : tpe-tui" in shown
    for english in ARGPARSE_ENGLISH:
        assert english not in shown, english
    if code == 0:
        assert "afficher cette aide et quitter" in shown and "options" in shown
    else:
        assert "utilisation incorrecte" in shown


def test_french_is_only_spoken_while_our_parser_works() -> None:
    import argparse

    from tpe_tui.cli.main import build_parser

    build_parser().format_help()
    assert "show this help message and exit" in argparse.ArgumentParser().format_help()


def test_demo_on_a_fresh_machine_fills_the_default_file() -> None:
    """`tpe-tui demo` then `tpe-tui` is the README's way to try the app: demo creates the
    default data file (it is the one command, with the app, that does so unasked)."""
    default = paths.db_path(None)
    assert not default.exists()
    assert main(["demo", "--sessions", "3"]) == 0
    assert len(_content(default)["sessions"]) == 3


def test_check_counts_only_conflicts_there_are_to_settle(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Two laptops that wrote the same INSEE code are no conflict (the conflicts screen offers
    nothing to settle, so `check` must not count one for ever); two notes are one."""
    ours, theirs = tmp_path / "a.json", tmp_path / "b.json"
    with open_store(ours, "laptop-a") as store:
        add_client(store, "Boulangerie Girard", commune="Soissons")
    shutil.copy(ours, theirs)
    for path, device, notes in ((ours, "laptop-a", "Fermée le lundi"), (theirs, "laptop-b", "")):
        with open_store(path, device) as store:
            (current,) = store.records("clients")
            store.put("clients", {**current, "insee_code": "02722", "notes": notes})
    assert main(["sync", str(theirs), "--db", str(ours)]) == 0
    capsys.readouterr()
    assert main(["check", "--db", str(ours)]) == 0
    assert "en conflit" not in capsys.readouterr().out
    with open_store(theirs, "laptop-b") as store:
        (current,) = store.records("clients")
        store.put("clients", {**current, "notes": "Rappeler après 14 h"})
    assert main(["sync", str(theirs), "--db", str(ours)]) == 0
    capsys.readouterr()
    main(["check", "--db", str(ours)])
    assert "entreprises : 1, 1 en conflit" in capsys.readouterr().out
