"""Wrong output paths and hostile names at the command line: the data file is never
replaced, a device or a pipe is never written, a link does not get around the lock, no
escape sequence reaches the terminal (issue 15)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from tests.helpers import add_client, add_session, open_store, read_data
from tpe_tui.cli.main import main
from tpe_tui.domain.errors import LockedError
from tpe_tui.storage import paths
from tpe_tui.storage.backups import list_backups
from tpe_tui.storage.journal import JOURNAL_SUFFIX
from tpe_tui.storage.lock import LOCK_SUFFIX
from tpe_tui.storage.store import Store


def _filled(db: Path, name: str = "Boulangerie Martin") -> str:
    """A data file with one business and one session; returns the session id."""
    with open_store(db) as store:
        client = add_client(store, name)
        session = add_session(store, client["id"])
    with open_store(db):  # a second opening leaves a start backup
        pass
    return session["id"]


def _unchanged(db: Path, before: bytes) -> None:
    assert db.read_bytes() == before
    assert read_data(db)["sessions"]


@pytest.mark.parametrize("fmt", ["md", "html", "pdf"])
def test_summary_output_onto_the_data_file_is_refused(
    db: Path, fmt: str, capsys: pytest.CaptureFixture[str]
) -> None:
    session_id = _filled(db)
    before = db.read_bytes()
    code = main(["summary", session_id[:8], "--db", str(db), "--format", fmt, "--output", str(db)])
    assert code == 2
    assert "fichier de données" in capsys.readouterr().err
    _unchanged(db, before)


def test_summary_output_onto_a_backup_journal_or_lock_is_refused(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    session_id = _filled(db)
    backup = list_backups(db)[0]
    kept = backup.read_bytes()
    for target in (
        backup,
        db.with_name(db.name + JOURNAL_SUFFIX),
        db.with_name(db.name + LOCK_SUFFIX),
    ):
        code = main(["summary", session_id[:8], "--db", str(db), "--output", str(target)])
        assert code == 2, target
    assert backup.read_bytes() == kept
    assert not db.with_name(db.name + JOURNAL_SUFFIX).exists()


def test_summary_through_a_symlink_to_the_data_file_is_refused(tmp_path: Path, db: Path) -> None:
    session_id = _filled(db)
    before = db.read_bytes()
    link = tmp_path / "innocent.md"
    link.symlink_to(db)
    assert main(["summary", session_id[:8], "--db", str(db), "--output", str(link)]) == 2
    _unchanged(db, before)
    assert link.is_symlink()


def test_summary_through_a_symlink_to_another_file_writes_through_it(
    tmp_path: Path, db: Path
) -> None:
    session_id = _filled(db)
    real = tmp_path / "vrai.md"
    real.write_text("ancien")
    link = tmp_path / "lien.md"
    link.symlink_to(real)
    assert main(["summary", session_id[:8], "--db", str(db), "--output", str(link)]) == 0
    assert link.is_symlink()  # the link stays a link; what it points to got the summary
    assert "Boulangerie Martin" in real.read_text()


def test_structures_export_onto_the_data_file_is_refused(db: Path) -> None:
    _filled(db)
    before = db.read_bytes()
    assert main(["structures", "export", str(db), "--db", str(db)]) == 2
    _unchanged(db, before)
    # and the next start finds the file as it was, nothing set aside
    with open_store(db) as store:
        assert store.count("sessions") == 1


def test_aids_export_onto_the_data_file_is_refused(db: Path) -> None:
    _filled(db)
    before = db.read_bytes()
    assert main(["aids", "export", str(db), "--db", str(db)]) == 2
    _unchanged(db, before)


def test_export_to_the_data_files_own_folder_is_refused(
    db: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _filled(db)
    before = db.read_bytes()
    monkeypatch.chdir(db.parent)
    capsys.readouterr()
    assert main(["export", ".", "--db", str(db)]) == 2
    _unchanged(db, before)
    said = capsys.readouterr().err
    # A folder is not « the data file »: the message says what is in it.
    assert f"Le dossier . contient déjà {db.name}, le fichier de données" in said
    assert ". est le fichier" not in said


def test_csv_exports_only_read_and_work_while_the_app_is_open(
    tmp_path: Path, db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _filled(db)
    with open_store(db):  # the app holds the lock
        before = db.read_bytes()
        capsys.readouterr()
        assert main(["structures", "export", str(tmp_path / "s.csv"), "--db", str(db)]) == 0
        assert main(["aids", "export", str(tmp_path / "a.csv"), "--db", str(db)]) == 0
        out = capsys.readouterr().out
        assert "structure(s) exportée(s)" in out and "aide(s) exportée(s)" in out
        assert (tmp_path / "s.csv").read_text(encoding="utf-8").startswith("id,pivot,nom,")
        assert (tmp_path / "a.csv").exists()
        assert db.read_bytes() == before
        # An import writes: it still waits for the app to close.
        (tmp_path / "in.csv").write_text("nom;commune\nCCI;Arras\n", encoding="utf-8")
        assert main(["structures", "import", str(tmp_path / "in.csv"), "--db", str(db)]) != 0
        assert "déjà ouvert" in capsys.readouterr().err


def test_export_to_a_fifo_or_a_device_is_refused_and_leaves_the_node(
    tmp_path: Path, db: Path
) -> None:
    _filled(db)
    fifo = tmp_path / "tube"
    os.mkfifo(fifo)
    assert main(["export", str(fifo), "--db", str(db)]) == 2
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    link = tmp_path / "nul.json"
    link.symlink_to("/dev/null")
    assert main(["export", str(link), "--db", str(db)]) == 2
    assert link.is_symlink() and os.readlink(link) == "/dev/null"
    assert main(["structures", "export", str(fifo), "--db", str(db)]) == 2
    assert stat.S_ISFIFO(fifo.stat().st_mode)


def test_a_symlinked_db_takes_the_same_lock(tmp_path: Path, db: Path) -> None:
    _filled(db)
    link = tmp_path / "lien.json"
    link.symlink_to(db)
    with open_store(db), pytest.raises(LockedError):
        Store.open(link, "laptop-b")


def test_a_store_opened_through_a_link_keeps_the_link_and_backs_up_the_file(
    tmp_path: Path, db: Path
) -> None:
    _filled(db)
    link = tmp_path / "lien.json"
    link.symlink_to(db)
    with Store.open(link, "laptop-a") as store:
        add_client(store, "Garage du Centre")
    assert link.is_symlink()
    names = {c["name"] for c in read_data(db)["clients"].values()}
    assert names == {"Boulangerie Martin", "Garage du Centre"}
    for backup in list_backups(db):
        assert backup.is_file() and not backup.is_symlink()
        read_data(backup)  # a real copy, readable


def test_agenda_prints_no_escape_sequence(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from tpe_tui.domain.records import new_record, today_iso

    with open_store(db) as store:
        client = add_client(store, "Évil\x1b]0;pwned\x07 SARL\x1b[2J\x9b31m")
        store.put(
            "followups",
            new_record(
                "followups",
                client_id=client["id"],
                due_date=today_iso(),
                reason="rappel\x1b[5m",
            ),
        )
    assert main(["agenda", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "Évil]0;pwned SARL[2J31m" in out  # what is left of the sequences is plain text
    assert "rappel" in out
    assert not any((ord(ch) < 32 and ch not in "\n\t") or 0x7F <= ord(ch) <= 0x9F for ch in out)


def test_agenda_with_an_absurd_horizon_says_so_in_french(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _filled(db)
    assert main(["agenda", "--days", "99999999999", "--db", str(db)]) == 2
    err = capsys.readouterr().err
    assert "--days" in err and "inattendue" not in err


def test_a_db_in_a_missing_folder_is_refused_not_created(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "pas-la" / "sous" / "donnees.json"
    assert main(["demo", "--db", str(target), "--sessions", "3"]) == 2
    assert "n’existe pas" in capsys.readouterr().err
    assert not (tmp_path / "pas-la").exists()


def test_log_is_private_and_own_folders_are_0700(db: Path) -> None:
    session_id = _filled(db)
    assert main(["summary", session_id[:8], "--db", str(db), "--output", str(db)]) == 2
    log = paths.log_dir() / "tpe-tui.log"
    assert stat.S_IMODE(log.stat().st_mode) == 0o600
    assert stat.S_IMODE(paths.log_dir().stat().st_mode) == 0o700
    assert stat.S_IMODE(paths.backups_dir(db).stat().st_mode) == 0o700
    assert main(["print", session_id[:8], "--db", str(db)]) in (0, 1)  # printer or not
    assert stat.S_IMODE(paths.documents_dir().stat().st_mode) == 0o700
    assert main(["demo", "--db", str(db.with_name("autre.json")), "--sessions", "2"]) == 0
    assert stat.S_IMODE(paths.config_dir().stat().st_mode) == 0o700


def test_no_output_path_creates_folders_behind_a_link_that_leads_nowhere(
    tmp_path: Path, db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """F38: a link to a missing folder is refused with a French message; nothing is
    created behind it (neither the folder nor the file), whichever command writes."""
    session_id = _filled(db)
    with open_store(db) as store:
        client_id = next(store.records("clients"))["id"]
    missing = tmp_path / "nulle-part"
    folder_link = tmp_path / "dossier-lien"
    folder_link.symlink_to(missing / "sous-dossier")
    base = ["--db", str(db)]
    for number, args in enumerate(
        [
            ["summary", session_id[:8], "--output"],
            ["summary", session_id[:8], "--format", "pdf", "--output"],
            ["plan", client_id[:8], "--output"],
            ["stats", "--output"],
            ["stats", "--export"],
            ["export"],
            ["structures", "export"],
        ]
    ):
        suffix = {"--export": ".csv", "export": ".json"}.get(args[-1], ".md")
        if "pdf" in args:
            suffix = ".pdf"
        file_link = tmp_path / f"lien-{number}{suffix}"
        file_link.symlink_to(missing / f"doc-{number}{suffix}")
        for target in (file_link, folder_link / f"doc{suffix}"):
            capsys.readouterr()
            assert main([*args, str(target), *base]) == 2, (args, target)
            said = capsys.readouterr().err
            assert "qui n’existe pas" in said and "aucun dossier créé" in said, said
            assert "Traceback" not in said
            assert not missing.exists(), (args, target)


def test_stats_output_and_export_onto_the_data_file_are_refused(db: Path) -> None:
    """The statistics report and export went to any path unchecked."""
    _filled(db)
    before = db.read_bytes()
    assert main(["stats", "--format", "md", "--output", str(db), "--db", str(db)]) == 2
    csv_link = db.with_name("lien.csv")
    csv_link.symlink_to(db)
    assert main(["stats", "--export", str(csv_link), "--db", str(db)]) == 2
    _unchanged(db, before)


def test_the_plan_onto_the_data_file_in_use_is_refused(tmp_path: Path) -> None:
    """`--db other.json plan ID --output other.json` wrote the plan over the data file: the
    plan's documents now go through the same checked path as summaries (NEW4-29)."""
    other = tmp_path / "autre.json"
    with open_store(other) as store:
        client_id = add_client(store, "Boulangerie Girard")["id"]
    before = other.read_bytes()
    for fmt in ("md", "pdf"):
        args = ["plan", client_id[:8], "--format", fmt, "--output", str(other)]
        assert main([*args, "--db", str(other)]) == 2
        assert other.read_bytes() == before


def test_a_failing_write_is_said_in_french_not_in_the_system_s_english(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """NEW5-10: « … a échoué (No such file or directory) »; and a file where the folder
    should be was « une erreur inattendue »."""
    session_id = _filled(db)
    in_a_file = tmp_path / "fichier.txt"
    in_a_file.write_text("x")
    cases = [(in_a_file / "x.md", "fichier.txt n’est pas un dossier")]
    if Path("/proc/self").is_dir():  # Linux: nothing can be created in /proc
        cases.append((Path("/proc/x.md"), "(fichier ou dossier introuvable)"))
    for target, said in cases:
        code = main(["summary", session_id[:8], "--db", str(db), "--output", str(target)])
        err = capsys.readouterr().err
        assert code == 1 and said in err, err
        assert "inattendue" not in err and "No such" not in err and "Errno" not in err


def test_every_system_error_has_french_words() -> None:
    import errno
    import os

    from tpe_tui.domain.errors import os_reason

    for code in errno.errorcode:
        english = os.strerror(code)
        reason = os_reason(OSError(code, english))
        assert english not in reason and reason, code
    for code in (errno.ENOENT, errno.EACCES, errno.EROFS, errno.ENOSPC, errno.EIO):
        assert "erreur du système" not in os_reason(OSError(code, "x"))


def test_the_backups_folder_as_output_says_so(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """NEW3-11: it said the folder « contient déjà » the summary, « le fichier de données »."""
    session_id = _filled(db)
    folder = list_backups(db)[0].parent
    before = sorted(p.name for p in folder.iterdir())
    assert main(["summary", session_id[:8], "--db", str(db), "--output", str(folder)]) == 2
    said = capsys.readouterr().err
    assert "est le dossier des sauvegardes de tpe-tui" in said and "contient déjà" not in said
    assert sorted(p.name for p in folder.iterdir()) == before


def test_the_pdf_library_s_english_warnings_go_to_the_log_not_the_terminal(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """NEW3-28: « Font MPDFAA+DejaVuSansBold is missing the following glyphs: '🥐' » was
    printed after « Enregistré : … »."""
    with open_store(db) as store:
        client = add_client(store, "Boulangerie ☕🥐 مخبز")
        session = add_session(store, client["id"])
    target = tmp_path / "cr.pdf"
    code = main(
        ["summary", session["id"][:8], "--db", str(db), "--format", "pdf", "--output", str(target)]
    )
    said = capsys.readouterr()
    assert code == 0 and target.exists()
    assert "glyph" not in said.err + said.out
    assert "missing the following glyphs" in (paths.log_dir() / "tpe-tui.log").read_text()


def test_no_message_of_the_command_line_carries_a_control_character(tmp_path: Path) -> None:
    """Values given as arguments and names of files, quoted in the command line's messages
    (usage errors, unknown ids, unreadable files), reach the terminal without ESC, BEL, a
    C1 control or a bidi control: « arguments non reconnus : … » printed them raw."""
    import subprocess

    from tests.conftest import PYTHON, subprocess_env

    evil = "x\x1b]0;PWNED\x07\u202eY\x1b[31m"
    bad = tmp_path / f"d{evil}.json"
    bad.write_text("{ pas du json", encoding="utf-8")
    _filled(tmp_path / "d.json")
    db = ["--db", str(tmp_path / "d.json")]
    for args in (
        [*db, "check", evil],  # an argument not expected
        [*db, "agenda", "--days", evil],  # a value of the wrong kind
        [*db, "summary", evil],  # an unknown id
        ["--db", str(bad), "check"],  # a file's name
        [*db, "sync", str(bad)],
    ):
        done = subprocess.run(
            [PYTHON, "-m", "tpe_tui", *args],
            capture_output=True,
            env=subprocess_env(),
            timeout=120,
        )
        said = done.stdout + done.stderr
        assert done.returncode in (1, 2) and b"pwned" in said.lower(), (args, said)
        for control in (b"\x1b", b"\x07", "\u202e".encode(), b"\xc2\x9b"):
            assert control not in said, (args, said)
        assert b"Traceback" not in said
