"""Issue 17, defects 1, 5, 8, 10 and 11 on the command line: no command writes over the
database, its working files, an automatic backup or the file it imports; workbooks only as
.xlsx; bad dates, encodings, an empty --db and an empty database file are one sentence,
exit 2, the database unchanged."""
from __future__ import annotations

import hashlib
import os
import sqlite3

import pytest

from crmdesk.core.db import SQLITE_MAGIC
from crmdesk.core.safety import backup
from tests.cli.test_cli import call, make_db


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def crm(tmp_path):
    path = tmp_path / "crm.sqlite"
    make_db(path, ["甲公司", "乙公司"])
    return path


@pytest.fixture
def source(tmp_path):
    path = tmp_path / "rej.csv"
    path.write_text("客户名称,手机\n甲,12\n", encoding="utf-8")
    return path


# Every command that writes a file, with {out} where the file goes.
WRITERS = [
    ("export", "customers", "{out}"),
    ("export", "transactions", "{out}"),
    ("export", "visits", "{out}"),
    ("export", "complaints", "{out}"),
    ("export", "care", "{out}"),
    ("template", "customers", "{out}"),
    ("template", "transactions", "{out}"),
    ("report", "{out}"),
    ("agenda", "--xlsx", "{out}"),
    ("import", "customers", "{source}", "--errors", "{out}"),
    ("backup", "{out}"),
]


def argv(command, crm, out, source):
    return ["--db", str(crm)] + [part.format(out=out, source=source) for part in command]


def assert_refused(code, out, err, crm, before, words):
    assert code == 2, (out, err)
    assert err.count("\n") == 1 and words in err, err
    assert digest(crm) == before
    assert crm.read_bytes().startswith(SQLITE_MAGIC)  # no workbook where the database was


@pytest.mark.parametrize("command", WRITERS, ids=lambda c: " ".join(c[:2]))
@pytest.mark.parametrize("suffix", ["", "-wal", "-shm", "-journal"])
def test_no_command_writes_over_the_database_or_its_working_files(crm, source, command, suffix):
    before = digest(crm)
    target = crm.with_name(crm.name + suffix)
    code, out, err = call(*argv(command, crm, target, source))
    assert_refused(code, out, err, crm, before, "is the database crmdesk is using")
    if suffix:
        assert not target.exists()


@pytest.mark.parametrize("command", WRITERS, ids=lambda c: " ".join(c[:2]))
def test_no_command_writes_through_a_link_to_the_database(crm, source, command, tmp_path):
    link = tmp_path / "innocent.xlsx"
    link.symlink_to(crm)
    hard = tmp_path / "hard.xlsx"
    os.link(crm, hard)
    before = digest(crm)
    for target in (link, hard):
        code, out, err = call(*argv(command, crm, target, source))
        assert_refused(code, out, err, crm, before, "is the database crmdesk is using")
    assert link.is_symlink()


@pytest.mark.parametrize("command", WRITERS, ids=lambda c: " ".join(c[:2]))
def test_no_command_writes_over_an_automatic_backup(crm, source, command):
    kept = backup.automatic_backup(crm, reason="daily")
    before, kept_before = digest(crm), digest(kept)
    code, out, err = call(*argv(command, crm, kept, source))
    assert_refused(code, out, err, crm, before, "automatic backups")
    assert digest(kept) == kept_before


@pytest.mark.parametrize("command", WRITERS, ids=lambda c: " ".join(c[:2]))
def test_no_command_writes_into_a_missing_folder(crm, source, command, tmp_path):
    before = digest(crm)
    target = tmp_path / "no" / "such" / "out.xlsx"
    code, out, err = call(*argv(command, crm, target, source))
    assert_refused(code, out, err, crm, before, "does not exist")
    assert not (tmp_path / "no").exists()


def test_the_database_given_by_the_environment_is_protected_too(crm, monkeypatch):
    monkeypatch.setenv("CRMDESK_DB", str(crm))
    before = digest(crm)
    code, out, err = call("export", "customers", str(crm))
    assert_refused(code, out, err, crm, before, "is the database crmdesk is using")


def test_import_never_writes_its_errors_over_the_file_it_reads(crm, source):
    before, source_before = digest(crm), digest(source)
    xlsx_source = source.with_suffix(".xlsx")
    xlsx_source.write_bytes(b"PK\x03\x04")  # as the import would see it; never parsed: refused first
    for target in (source, xlsx_source):
        code, out, err = call("--db", str(crm), "import", "customers", str(target), "--errors", str(target))
        assert code == 2 and err.count("\n") == 1, err
        assert "is the file being imported" in err or "does not end in .xlsx" in err
    code, out, err = call("--db", str(crm), "import", "customers", str(xlsx_source), "--errors", str(xlsx_source))
    assert "is the file being imported" in err
    assert digest(crm) == before and digest(source) == source_before


@pytest.mark.parametrize("command", [c for c in WRITERS if c[0] != "backup"], ids=lambda c: " ".join(c[:2]))
@pytest.mark.parametrize("name", ["out.csv", "out.xls", "out", "out.xlsx.bak"])
def test_workbooks_are_written_only_under_an_xlsx_name(crm, source, command, name, tmp_path):
    before = digest(crm)
    target = tmp_path / name
    code, out, err = call(*argv(command, crm, target, source))
    assert_refused(code, out, err, crm, before, "does not end in .xlsx")
    assert not target.exists()


def test_an_xlsx_name_in_capitals_is_fine(crm, tmp_path):
    code, out, _err = call("--db", str(crm), "export", "customers", str(tmp_path / "OUT.XLSX"))
    assert code == 0 and (tmp_path / "OUT.XLSX").exists()


def test_backup_into_a_missing_folder_creates_none(crm, tmp_path):
    code, _out, err = call("--db", str(crm), "backup", str(tmp_path / "new" / "folder" / "b.sqlite"))
    assert code == 2 and err.count("\n") == 1
    assert "the folder" in err and "does not exist" in err and "create it" in err
    assert not (tmp_path / "new").exists()


def test_backup_into_the_backups_folder_under_a_new_name_is_fine(crm, data_dir):
    kept = backup.automatic_backup(crm, reason="daily")
    target = kept.with_name("my-own-copy.sqlite")
    code, out, err = call("--db", str(crm), "backup", str(target))
    assert code == 0 and err == "" and target.exists()


def test_backup_without_a_name_still_goes_beside_the_database(crm):
    code, out, err = call("--db", str(crm), "backup")
    assert code == 0 and len(list(crm.parent.glob("crm-backup-*.sqlite"))) == 1


@pytest.mark.parametrize("args, words", [
    (["agenda", "--date", "0001-01-01"], "0001-01-01 lies outside the years 1900 to 2999"),
    (["agenda", "--date", "9999-12-31"], "9999-12-31 lies outside the years 1900 to 2999"),
    (["agenda", "--date", "1899-12-31"], "lies outside the years"),
    (["report", "r.xlsx", "--to", "9999-12-31"], "9999-12-31 lies outside the years"),
    (["report", "r.xlsx", "--from", "0001-01-01"], "0001-01-01 lies outside the years"),
])
def test_dates_past_the_calendar_are_one_sentence(crm, args, words, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    before = digest(crm)
    code, out, err = call("--db", str(crm), *args)
    assert_refused(code, out, err, crm, before, words)
    assert not (tmp_path / "r.xlsx").exists()


def test_the_last_and_first_years_are_fine(crm, tmp_path):
    assert call("--db", str(crm), "agenda", "--date", "2999-12-31", "--days", "3")[0] == 0
    assert call("--db", str(crm), "agenda", "--date", "1900-01-01")[0] == 0
    assert call("--db", str(crm), "report", str(tmp_path / "r.xlsx"), "--to", "2999-12-31")[0] == 0


@pytest.mark.parametrize("encoding, words", [
    ("utf-16", "is not written in the utf-16 encoding"),
    ("utf-32", "is not written in the utf-32 encoding"),
    ("nonsense", "--encoding takes one of"),
    ("base64", "--encoding takes one of"),
])
def test_a_wrong_encoding_is_one_sentence(tmp_path, source, encoding, words):
    db = tmp_path / "new.sqlite"
    code, out, err = call("--db", str(db), "import", "customers", str(source), "--encoding", encoding)
    assert code == 2 and err.count("\n") == 1 and words in err, err
    assert not db.exists()  # refused before the database is created
    assert not (tmp_path / "rej-errors.xlsx").exists()


def test_a_wrong_encoding_into_an_existing_database_changes_nothing(crm, source):
    before = digest(crm)
    code, out, err = call("--db", str(crm), "import", "customers", str(source), "--encoding", "utf-16")
    assert_refused(code, out, err, crm, before, "utf-16")


def test_the_csv_reader_says_the_encoding_is_wrong(source):
    from crmdesk.core.errors import CrmError
    from crmdesk.core.io.csv_read import CsvReader
    with pytest.raises(CrmError) as error:
        CsvReader(source, "utf-16")
    assert error.value.code == "file_wrong_encoding" and error.value.params["encoding"] == "utf-16"


@pytest.mark.parametrize("args", [
    ["export", "customers", "out.xlsx"], ["backup"], ["agenda"], ["report", "r.xlsx"],
    ["demo", "--customers", "1"], ["undo-import"], ["import", "customers", "rej.csv"],
    ["template", "customers", "t.xlsx"], ["restore", "b.sqlite"],
])
def test_an_empty_db_option_never_means_the_default_database(args, tmp_path, data_dir, monkeypatch, source):
    monkeypatch.chdir(tmp_path)
    for position in ("before", "after"):
        argv_ = ["--db", "", *args] if position == "before" else [*args, "--db", ""]
        code, out, err = call(*argv_)
        assert code == 2 and err.count("\n") == 1 and "--db was given an empty path" in err, err
    assert not (data_dir / "crmdesk.sqlite").exists()
    assert not (tmp_path / "out.xlsx").exists() and not (tmp_path / "t.xlsx").exists()


@pytest.mark.parametrize("args", [
    ["export", "customers", "{dir}/out.xlsx"], ["export", "visits", "{dir}/out.xlsx"], ["backup"],
    ["backup", "{dir}/b.sqlite"], ["agenda"], ["report", "{dir}/r.xlsx"], ["undo-import"],
])
def test_an_empty_file_is_an_empty_database_to_the_commands_that_read(args, tmp_path):
    empty = tmp_path / "empty.sqlite"
    empty.write_bytes(b"")
    code, out, err = call("--db", str(empty), *[a.format(dir=tmp_path) for a in args])
    assert code == 2 and err.count("\n") == 1, err
    assert "is an empty file without crmdesk data" in err and "There is no database" not in err
    assert empty.read_bytes() == b""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "empty.sqlite"]


def test_an_empty_file_becomes_a_new_database_for_demo_import_and_template(tmp_path, source):
    for command in (["demo", "--customers", "2", "--no-visits"], ["import", "customers", str(source)]):
        empty = tmp_path / "empty.sqlite"
        empty.write_bytes(b"")
        code, out, err = call("--db", str(empty), *command)
        assert code in (0, 3), err
        with sqlite3.connect(empty) as conn:
            assert conn.execute("PRAGMA user_version").fetchone()[0] > 0  # a crmdesk database now
        empty.unlink()
    empty = tmp_path / "empty.sqlite"
    empty.write_bytes(b"")
    code, out, err = call("--db", str(empty), "template", "customers", str(tmp_path / "t.xlsx"))
    assert code == 0 and empty.read_bytes() == b""  # a template needs no database


def test_agenda_help_says_it_writes(capsys):
    from crmdesk.cli import run
    with pytest.raises(SystemExit):
        run(["agenda", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "write the reminders due today into the database" in text
    with pytest.raises(SystemExit):
        run(["--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "writes the care reminders due today into the database" in text


def test_an_empty_db_option_without_a_command_opens_no_window(data_dir, capsys, monkeypatch):
    """`crmdesk --db ""` (the GUI) is refused like the commands, before Qt is imported."""
    import crmdesk.ui.app as app
    monkeypatch.setattr(app, "run_gui", lambda **kw: pytest.fail("the GUI opened on the default database"))
    from crmdesk.__main__ import main
    assert main(["--db", ""]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--db was given an empty path" in err
    assert not (data_dir / "crmdesk.sqlite").exists()
