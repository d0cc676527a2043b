"""`tpe-tui sync --folder`: each laptop merges the others' files, then leaves its own."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import read_data
from tpe_tui.cli.main import main


def _ids(path: Path) -> set[str]:
    return {r["id"] for r in read_data(path)["sessions"].values()}


def _as_laptop(monkeypatch: pytest.MonkeyPatch, home: Path, name: str) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / f"config-{name}"))  # its own device id
    monkeypatch.setattr("platform.node", lambda: f"portable {name}")


def test_three_laptops_end_with_the_same_sessions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, isolated_home: Path, capsys
) -> None:
    team = tmp_path / "equipe"
    team.mkdir()
    dbs = {name: tmp_path / f"{name}.json" for name in "abc"}
    for seed, (name, db) in enumerate(dbs.items(), 1):
        _as_laptop(monkeypatch, isolated_home, name)
        assert main(["demo", "--db", str(db), "--sessions", "15", "--seed", str(seed)]) == 0
    everything = set().union(*(_ids(db) for db in dbs.values()))
    (team / "notes.json").write_text("pas un fichier de données", encoding="utf-8")
    (team / "lien-casse.json").symlink_to(team / "parti.json")  # said, not silently skipped
    # Each laptop passes by the folder in turn, then a and b once more.
    for name in ["a", "b", "c", "a", "b"]:
        _as_laptop(monkeypatch, isolated_home, name)
        capsys.readouterr()
        assert main(["sync", "--folder", str(team), "--db", str(dbs[name])]) == 0
        out = capsys.readouterr().out
        assert f"portable-{name}-" in out and "Ignoré — notes.json" in out
        assert "Ignoré — lien-casse.json : lien vers un fichier qui n’existe pas" in out
    names = sorted(p.name for p in team.iterdir() if not p.is_symlink())
    assert names[0] == "notes.json" and len(names) == 4
    assert [n.rsplit("-", 1)[0] for n in names[1:]] == ["portable-a", "portable-b", "portable-c"]
    for db in dbs.values():
        assert _ids(db) == everything
    # A pass with nothing new changes no one's sessions (the merge is idempotent).
    _as_laptop(monkeypatch, isolated_home, "c")
    before = _ids(dbs["c"])
    assert main(["sync", "--folder", str(team), "--db", str(dbs["c"])]) == 0
    assert _ids(dbs["c"]) == before


def test_sync_needs_a_file_or_a_folder(tmp_path: Path, capsys) -> None:
    assert main(["sync", "--db", str(tmp_path / "x.json")]) == 2
    assert "--folder DOSSIER" in capsys.readouterr().err
    assert (
        main(["sync", "--folder", str(tmp_path / "absent"), "--db", str(tmp_path / "x.json")]) == 2
    )
    assert "n’est pas un dossier" in capsys.readouterr().err


def test_two_laptops_with_the_same_host_name_still_merge(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, isolated_home: Path
) -> None:
    """Host names are often left at a default: each laptop's file carries its own id."""
    team = tmp_path / "equipe"
    team.mkdir()
    dbs = {name: tmp_path / f"{name}.json" for name in "ab"}
    for seed, (name, db) in enumerate(dbs.items(), 1):
        monkeypatch.setenv("XDG_CONFIG_HOME", str(isolated_home / f"config-{name}"))
        monkeypatch.setattr("platform.node", lambda: "ordinateur-portable")
        assert main(["demo", "--db", str(db), "--sessions", "5", "--seed", str(seed)]) == 0
    everything = _ids(dbs["a"]) | _ids(dbs["b"])
    for name in ["a", "b", "a"]:
        monkeypatch.setenv("XDG_CONFIG_HOME", str(isolated_home / f"config-{name}"))
        assert main(["sync", "--folder", str(team), "--db", str(dbs[name])]) == 0
    assert len(list(team.iterdir())) == 2
    assert _ids(dbs["a"]) == _ids(dbs["b"]) == everything


def test_our_file_is_named_after_the_laptop_name_of_the_config(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, isolated_home: Path
) -> None:
    """The name the conflicts screen shows (set once in the config), not the host name; a
    name changed since replaces our earlier file instead of leaving two of ours."""
    from tpe_tui.services.config import Config

    team = tmp_path / "equipe"
    team.mkdir()
    db = tmp_path / "b.json"
    _as_laptop(monkeypatch, isolated_home, "b")
    assert main(["demo", "--db", str(db), "--sessions", "3"]) == 0
    config = Config.load()
    config.laptop_name = "Portable Bruno"
    config.save()
    assert main(["sync", "--folder", str(team), "--db", str(db)]) == 0
    (first,) = team.iterdir()
    assert first.name.startswith("portable-bruno-")
    config.laptop_name = "Portable de l’équipe"
    config.save()
    assert main(["sync", "--folder", str(team), "--db", str(db)]) == 0
    (second,) = team.iterdir()
    assert second.name.startswith("portable-de-l-equipe-") and not first.exists()


@pytest.mark.parametrize("planted", ["link", "folder"])
def test_a_link_planted_under_our_name_is_refused_before_anything(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, isolated_home: Path, capsys, planted: str
) -> None:
    """The folder is shared: whoever writes there must not choose where our file (every
    person's details) lands. A link or a folder under our name: refused, nothing merged or
    written (NEW4-18)."""
    team = tmp_path / "equipe"
    team.mkdir()
    dbs = {name: tmp_path / f"{name}.json" for name in "ab"}
    for seed, (name, db) in enumerate(dbs.items(), 1):
        _as_laptop(monkeypatch, isolated_home, name)
        assert main(["demo", "--db", str(db), "--sessions", "3", "--seed", str(seed)]) == 0
        assert main(["sync", "--folder", str(team), "--db", str(db)]) == 0
    ours = next(p for p in team.iterdir() if p.name.startswith("portable-b-"))
    ours.unlink()
    precious = tmp_path / "precieux.txt"
    precious.write_text("à garder", encoding="utf-8")
    if planted == "link":
        ours.symlink_to(precious)
    else:
        ours.mkdir()
    before = dbs["b"].read_bytes()
    capsys.readouterr()
    assert main(["sync", "--folder", str(team), "--db", str(dbs["b"])]) == 2
    err = capsys.readouterr().err
    assert ours.name in err and "rien n’a été fusionné ni écrit" in err
    assert precious.read_text(encoding="utf-8") == "à garder"
    assert dbs["b"].read_bytes() == before
    assert sorted(p.name for p in team.iterdir() if p.name.startswith(".")) == []


def test_two_laptops_with_one_device_id_leave_each_others_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, isolated_home: Path, capsys
) -> None:
    """Finding NEW6-17: a profile copied onto a second laptop (same device id): each pass
    deleted the other laptop's file from the folder, unread, without a word. Now it stays
    and the command says why; an earlier copy of our own file is still replaced."""
    from tests.helpers import add_client, open_store
    from tpe_tui.storage import paths

    team = tmp_path / "equipe"
    team.mkdir()
    _as_laptop(monkeypatch, isolated_home, "hugo")
    hugo, fanny = tmp_path / "hugo.json", tmp_path / "fanny.json"
    assert main(["demo", "--db", str(hugo), "--sessions", "3"]) == 0
    fanny.write_bytes(hugo.read_bytes())  # the profile copied, config folder included
    with open_store(fanny, paths.device_id()) as store:
        add_client(store, "Fleuriste de Fanny")
    monkeypatch.setattr("platform.node", lambda: "portable fanny")
    assert main(["sync", "--folder", str(team), "--db", str(fanny)]) == 0
    (fannys,) = team.iterdir()
    monkeypatch.setattr("platform.node", lambda: "portable hugo")
    capsys.readouterr()
    assert main(["sync", "--folder", str(team), "--db", str(hugo)]) == 0
    out = capsys.readouterr().out
    assert fannys.exists() and len(list(team.iterdir())) == 2
    assert f"Ignoré — {fannys.name} : il porte l’identifiant de cet ordinateur" in out
    assert "deux ordinateurs ont le même identifiant" in out
    monkeypatch.setattr("platform.node", lambda: "portable hugo 2")  # renamed: ours replaced
    assert main(["sync", "--folder", str(team), "--db", str(hugo)]) == 0
    names = sorted(p.name.rsplit("-", 1)[0] for p in team.iterdir())
    assert names == ["portable-fanny", "portable-hugo-2"]
