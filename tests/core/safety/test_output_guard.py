"""``core.safety.outputs.check_output_path``: the one guard every writer calls (issue 17)."""
from __future__ import annotations

import hashlib
import os

import pytest

from crmdesk.core.errors import CrmError
from crmdesk.core.messages import message
from crmdesk.core.safety.outputs import check_output_path, open_database_path
from crmdesk.core.safety import backup


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def refused(path, **kwargs) -> CrmError:
    with pytest.raises(CrmError) as error:
        check_output_path(path, **kwargs)
    assert "{" not in message(error.value)  # every parameter of the sentence is filled
    return error.value


@pytest.mark.parametrize("suffix", ["", "-wal", "-shm", "-journal"])
def test_the_open_database_and_its_working_files(db, db_path, suffix):
    before = digest(db_path)
    target = db_path.with_name(db_path.name + suffix)
    assert refused(target).code == "output_is_database"  # the database open now
    assert refused(target, db_path=db_path).code == "output_is_database"
    assert digest(db_path) == before


def test_the_open_database_is_the_one_bound_now(db, db_path):
    assert open_database_path() == db_path


def test_the_database_named_but_not_open(tmp_path):
    database = tmp_path / "crm.sqlite"
    database.write_bytes(b"x")
    assert refused(database, db_path=database).code == "output_is_database"
    assert refused(tmp_path / "crm.sqlite-wal", db_path=database).code == "output_is_database"


def test_a_path_that_reaches_the_database_another_way(db, db_path, tmp_path, monkeypatch):
    link = tmp_path / "export.xlsx"
    link.symlink_to(db_path)
    hard = tmp_path / "hard.xlsx"
    os.link(db_path, hard)
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path / "sub")
    for target in (link, hard, "../crm.sqlite", tmp_path / "sub" / ".." / "crm.sqlite"):
        assert refused(target, xlsx=True).code == "output_is_database"


def test_the_database_reached_through_a_link(tmp_path):
    database = tmp_path / "real.sqlite"
    database.write_bytes(b"x")
    link = tmp_path / "crm.sqlite"
    link.symlink_to(database)
    assert refused(tmp_path / "real.sqlite-wal", db_path=link).code == "output_is_database"
    assert refused(tmp_path / "crm.sqlite-shm", db_path=link).code == "output_is_database"


def test_an_automatic_backup(db, db_path, tmp_path):
    kept = backup.automatic_backup(db_path, reason="daily")
    before = digest(kept)
    assert refused(kept).code == "output_is_backup"
    hard = tmp_path / "looks-new.sqlite"
    os.link(kept, hard)
    assert refused(hard).code == "output_is_backup"
    assert digest(kept) == before
    assert check_output_path(kept.with_name("another.sqlite")) == kept.with_name("another.sqlite")


def test_the_file_being_imported(db, tmp_path):
    source = tmp_path / "in.xlsx"
    source.write_bytes(b"PK")
    assert refused(source, sources=[source], xlsx=True).code == "output_is_source"
    link = tmp_path / "errors.xlsx"
    link.symlink_to(source)
    assert refused(link, sources=[source], xlsx=True).code == "output_is_source"


def test_a_missing_folder(db, tmp_path):
    error = refused(tmp_path / "no" / "out.xlsx")
    assert error.code == "output_folder_missing" and error.params["folder"] == str(tmp_path / "no")
    assert not (tmp_path / "no").exists()


@pytest.mark.parametrize("name", ["out.csv", "out", "out.xls", "out.xlsx.tmp"])
def test_workbooks_need_an_xlsx_name(db, tmp_path, name):
    assert refused(tmp_path / name, xlsx=True).code == "output_not_xlsx"
    assert check_output_path(tmp_path / name) == tmp_path / name  # any name where any file goes


def test_a_different_file_is_fine(db, db_path, tmp_path):
    other = tmp_path / "other.xlsx"
    assert check_output_path(other, xlsx=True, sources=[tmp_path / "in.csv"]) == other
    other.write_bytes(b"old export")
    assert check_output_path(other, xlsx=True) == other  # overwriting an old export is the user's choice
    assert check_output_path(tmp_path / "crm.sqlite.xlsx", xlsx=True)
    assert check_output_path(tmp_path / "crm-backup.sqlite", db_path=db_path)


def test_nothing_is_touched(db, db_path, tmp_path):
    before = sorted(p.name for p in tmp_path.rglob("*"))
    for target in (db_path, tmp_path / "x.csv", tmp_path / "a" / "b.xlsx", tmp_path / "fine.xlsx"):
        try:
            check_output_path(target, xlsx=True)
        except CrmError:
            pass
    assert sorted(p.name for p in tmp_path.rglob("*")) == before
