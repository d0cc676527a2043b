"""`tpe-tui stats`: the report on the terminal or in a file, the export, a folder read-only."""

from __future__ import annotations

import os
from pathlib import Path

import openpyxl
import orjson
import pytest

from tests import stats_data
from tpe_tui.cli.main import main
from tpe_tui.storage import file_format


@pytest.fixture
def data_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("TPE_TUI_TODAY", stats_data.TODAY)
    path = tmp_path / "laptop-a.json"
    path.write_bytes(orjson.dumps(stats_data.build()))
    return path


OCTOBER = ["--from", "2026-10-01", "--to", "2026-10-31"]


def test_markdown_report_goes_to_the_terminal(data_file: Path, capsys) -> None:
    assert main(["stats", "--db", str(data_file), *OCTOBER]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# Bilan d’activité — du 01/10/2026 au 31/10/2026")
    assert "| Accompagnements | 9 |" in out and "| dont nouvelles | 3 |" in out
    assert "| dont collectifs (ateliers) | 4 |" in out and "| Aides proposées | 3 |" in out


def test_filters_and_formats(data_file: Path, tmp_path: Path, capsys) -> None:
    assert main(["stats", "--db", str(data_file), *OCTOBER, "--territory", "Arras"]) == 0
    assert "| Accompagnements | 6 |" in capsys.readouterr().out  # the workshop was in Arras
    html = tmp_path / "bilan.html"
    assert main(["stats", "--db", str(data_file), "--output", str(html)]) == 0
    assert html.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    pdf = tmp_path / "bilan.pdf"
    assert main(["stats", "--db", str(data_file), "--format", "pdf", "--output", str(pdf)]) == 0
    assert pdf.read_bytes().startswith(b"%PDF")


def test_export_xlsx_and_coordinator_csv(data_file: Path, tmp_path: Path, capsys) -> None:
    xlsx = tmp_path / "activites.xlsx"
    assert main(["stats", "--db", str(data_file), *OCTOBER, "--export", str(xlsx)]) == 0
    captured = capsys.readouterr()
    assert captured.out == ""  # the export alone: no report unless asked
    assert "9 accompagnement(s)" in captured.err
    sheet = openpyxl.load_workbook(xlsx).active
    assert sheet["A1"].value == "Informations export"
    csv_file = tmp_path / "coordination.csv"
    args = ["stats", "--db", str(data_file), "--export", str(csv_file), "--coordinator"]
    assert main(args) == 0
    text = csv_file.read_bytes().decode("utf-8-sig")
    assert "Prénom du médiateur" in text and "Garage Dufour" not in text


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--from", "1er octobre"], "--from attend une date JJ/MM/AAAA ou AAAA-MM-JJ"),
        (["--from", "31/02/2026"], "--from : la date « 31/02/2026 » n’existe pas."),
        (["--to", "2026-02-31"], "--to : la date « 2026-02-31 » n’existe pas."),
        (["--from", "2026-10-31", "--to", "2026-10-01"], "--from est après --to"),
        (["--format", "pdf"], "Le format pdf demande --output"),
        (["--export", "x.ods"], "en .xlsx ou en .csv"),
        (["--coordinator"], "--coordinator s’applique à l’export"),
    ],
)
def test_bad_input_is_one_french_sentence(data_file: Path, args, said: str, capsys) -> None:
    assert main(["stats", "--db", str(data_file), *args]) == 2
    err = capsys.readouterr().err
    assert said in err and "Traceback" not in err


def test_folder_is_read_only_with_a_per_mediator_breakdown(
    data_file: Path, tmp_path: Path, capsys
) -> None:
    folder = data_file.parent
    # A second laptop's file holding a copy of the same sessions and a broken file.
    (folder / "laptop-b.json").write_bytes(data_file.read_bytes())
    (folder / "broken.json").write_text("{pas du json", encoding="utf-8")
    before = {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}
    assert main(["stats", "--folder", str(folder), *OCTOBER]) == 0
    captured = capsys.readouterr()
    assert "| Accompagnements | 9 |" in captured.out  # copies counted once
    assert "| Hugo Perrin (3 h 59) | 4 | 44 % |" in captured.out
    assert "Fichier ignoré" in captured.err and "broken.json" in captured.err
    after = {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}
    assert after == before  # nothing written, nothing locked


def test_files_not_counted_are_named_in_the_report_and_are_no_source(
    data_file: Path, tmp_path: Path, capsys
) -> None:
    """Finding NEW4-12: an empty file counted as a source; the files left out were said on
    the terminal only, not in the document a coordinator receives."""
    folder = data_file.parent
    (folder / "laptop-b.json").write_bytes(data_file.read_bytes())
    (folder / "zero.json").write_bytes(b"")
    (folder / "cut.json").write_bytes(data_file.read_bytes()[:300])
    report = tmp_path / "out" / "bilan.md"
    report.parent.mkdir()
    assert main(["stats", "--folder", str(folder), *OCTOBER, "--output", str(report)]) == 0
    text = report.read_text(encoding="utf-8")
    assert "à partir de 2 fichiers (laptop-a, laptop-b)" in text or (
        "à partir de 2 fichiers (laptop-b, laptop-a)" in text
    )
    assert "**Fichiers non comptés (2)** : ces chiffres ne les incluent pas." in text
    assert "zero.json est vide." in text and "- Fichier ignoré : " in text
    assert "cut.json n’est pas un fichier JSON lisible (tronqué ou abîmé)." in text
    assert "| Accompagnements | 9 |" in text


def test_a_filter_that_matches_nothing_known_says_so_and_writes_nothing(
    data_file: Path, tmp_path: Path, capsys
) -> None:
    """Finding NEW6-5: « --territory Soisson » gave a full report of zeros, rc 0."""
    report, export = tmp_path / "bilan.pdf", tmp_path / "activites.csv"
    args = ["--territory", "Soisson", "--output", str(report), "--export", str(export)]
    assert main(["stats", "--db", str(data_file), *OCTOBER, *args]) == 2
    err = capsys.readouterr().err
    assert "Aucun territoire ne s’appelle « Soisson » ; vouliez-vous dire « Soissons » ?" in err
    assert not report.exists() and not export.exists()
    (data_file.parent / "laptop-b.json").write_bytes(data_file.read_bytes())
    folder = ["stats", "--folder", str(data_file.parent), *OCTOBER]
    assert main([*folder, "--mediator", "Hugo"]) == 2
    captured = capsys.readouterr()
    assert "vouliez-vous dire « Hugo Perrin » ?" in captured.err and captured.out == ""
    assert main([*folder, "--mediator", "hugo  PERRIN", "--place", "tiers lieu la fabrique"]) == 0
    assert "| Accompagnements | 1 |" in capsys.readouterr().out


def test_db_and_folder_together_is_refused(data_file: Path, capsys) -> None:
    args = ["stats", "--db", str(data_file), "--folder", str(data_file.parent)]
    assert main(args) == 2
    assert "--db ou --folder" in capsys.readouterr().err


def test_control_characters_never_reach_the_terminal(tmp_path: Path, capsys, monkeypatch) -> None:
    monkeypatch.setenv("TPE_TUI_TODAY", stats_data.TODAY)
    data = stats_data.build()
    session = next(s for s in data["sessions"].values() if s["date"] == "2026-10-05")
    session["place_label"] = "Salle \x1b]0;pirate\x07 \x1b[2J des fêtes"
    path = tmp_path / "data.json"
    path.write_bytes(orjson.dumps(data))
    assert main(["stats", "--db", str(path), *OCTOBER]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out
    assert r"| Salle \]0;pirate \[2J des fêtes | 1 |" in out  # shown, harmless


def test_dates_are_taken_as_typed_in_the_app(data_file: Path, capsys) -> None:
    """Acceptance finding NEW5-7 (c): `--from 01/10/2026` was refused, while every date in
    the app is typed JJ/MM/AAAA; both forms now give the same report."""
    assert main(["stats", "--db", str(data_file), *OCTOBER]) == 0
    iso = capsys.readouterr().out
    french = ["--from", "01/10/2026", "--to", "31/10/2026"]
    assert main(["stats", "--db", str(data_file), *french]) == 0
    assert capsys.readouterr().out == iso and "| Accompagnements | 9 |" in iso


@pytest.mark.parametrize("compact", [True, False], ids=["by-columns", "whole"])
@pytest.mark.parametrize("stale_is_newer", [True, False], ids=["stale-newer", "stale-older"])
def test_a_folder_counts_each_visit_from_its_newest_copy_and_not_at_all_once_deleted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys, compact: bool, stale_is_newer: bool
) -> None:
    """Findings NEW6-13/14: a folder's copies were chosen by file date, and a visit deleted
    on one laptop was still counted (and exported) from another laptop's older copy."""
    monkeypatch.setenv("TPE_TUI_TODAY", stats_data.TODAY)
    data = stats_data.build()
    october = sorted(
        (key for key, s in data["sessions"].items() if s["date"].startswith("2026-10")),
        key=lambda key: data["sessions"][key]["date"],
    )
    gone, longer = [k for k in october if not data["sessions"][k].get("deleted")][:2]
    went_on = orjson.loads(orjson.dumps(data))  # laptop B went on: one deleted, one edited
    went_on["sessions"][gone] |= {"deleted": True, "vv": {"laptop-b": 1}}
    went_on["sessions"][longer] |= {"duration_min": 300, "vv": {"laptop-b": 2}}
    gone, longer = data["sessions"][gone]["id"], data["sessions"][longer]["id"]

    def write(path: Path, records: dict) -> Path:
        path.write_bytes(file_format.dump(records) if compact else orjson.dumps(records))
        return path

    alone = write(tmp_path / "b-alone.json", went_on)
    assert main(["stats", "--db", str(alone), *OCTOBER]) == 0
    expected = capsys.readouterr().out
    folder = tmp_path / "equipe"
    folder.mkdir()
    stale = write(folder / "laptop-a.json", data)
    newer = write(folder / "laptop-b.json", went_on)
    older, younger = (newer, stale) if stale_is_newer else (stale, newer)
    os.utime(older, (1_700_000_000, 1_700_000_000))
    os.utime(younger, (1_800_000_000, 1_800_000_000))
    assert main(["stats", "--folder", str(folder), *OCTOBER]) == 0
    out = capsys.readouterr().out
    # The same figures as laptop B's file alone (its copies supersede A's), sources aside.
    assert _figures(out) == _figures(expected)
    assert "| Accompagnements | 8 |" in out  # 9 in October, one deleted
    exported = tmp_path / "activites.csv"
    assert main(["stats", "--folder", str(folder), *OCTOBER, "--export", str(exported)]) == 0
    text = exported.read_bytes().decode("utf-8-sig")
    assert gone not in text and longer in text and ";300;" in text


def _figures(report: str) -> list[str]:
    """The report's table rows (the lines naming the files read left out)."""
    return [line for line in report.splitlines() if line.startswith("|")]


def test_a_link_to_nothing_and_the_journals_read_are_said(
    data_file: Path, tmp_path: Path, capsys
) -> None:
    """Finding NEW6-8: a link to nothing in the folder was left out without a word, and a
    journal beside a file (its damaged lines too) was read without a word, whereas
    `sync --folder` says it."""
    from tpe_tui.storage.journal import encode_entry, journal_path

    folder = data_file.parent
    data = orjson.loads(data_file.read_bytes())
    key, session = next(iter(data["sessions"].items()))
    saved_again = encode_entry("sessions", key, session)  # a save of the open app
    for name in ("laptop-b.json", "laptop-c.json"):
        (folder / name).write_bytes(data_file.read_bytes())
    journal_path(folder / "laptop-b.json").write_bytes(saved_again + b'{"a":1}\n' + saved_again)
    journal_path(folder / "laptop-c.json").write_bytes(saved_again)
    (folder / "lien-casse.json").symlink_to(folder / "parti.json")
    report = tmp_path / "out" / "bilan.md"
    report.parent.mkdir()
    assert main(["stats", "--folder", str(folder), *OCTOBER, "--output", str(report)]) == 0
    err = capsys.readouterr().err
    text = report.read_text(encoding="utf-8")
    assert "**Fichiers non comptés (2)**" in text and "| Accompagnements | 9 |" in text
    link = "lien-casse.json est un lien vers un fichier qui n’existe pas (déplacé ou supprimé)"
    damaged = (
        "Journal trouvé à côté de laptop-b.json : 2 enregistrement(s) récent(s) de l’autre "
        "ordinateur pris en compte"
    )
    assert link in text and damaged in text and "1 ligne(s) abîmée(s) du journal" in text
    clean = "Journal trouvé à côté de laptop-c.json : 1 enregistrement(s) récent(s)"
    assert clean not in text  # counted whole: not among the files left out
    assert link in err and damaged in err and clean in err
