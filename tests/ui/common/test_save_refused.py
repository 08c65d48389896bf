"""Issue 17, defect 1 in the app: a save dialog given the open database (or its -wal, or an
automatic backup) shows the sentence and writes nothing; the database stays as it was."""
from __future__ import annotations

import hashlib

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QFileDialog

from crmdesk.core.safety import backup


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def refused(window, monkeypatch):
    shown: list[str] = []
    monkeypatch.setattr("crmdesk.ui.common.save_dialog.show_error", lambda parent, error: shown.append(error.code))
    return shown


def choose(monkeypatch, path) -> None:
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(path), "")))


@pytest.mark.parametrize("target", ["db", "wal", "automatic"])
def test_backing_up_onto_the_database_or_a_backup_is_refused(qtbot, window, some_customers, refused,
                                                            monkeypatch, target):
    db = window.db_path
    paths = {"db": db, "wal": db.with_name(db.name + "-wal"),
             "automatic": backup.automatic_backup(db, reason="daily")}
    before = {p: digest(p) for p in paths.values() if p.exists()}
    choose(monkeypatch, paths[target])
    window.backup_action.trigger()
    assert refused == ["output_is_database" if target != "automatic" else "output_is_backup"]
    assert {p: digest(p) for p in before} == before


def test_the_export_dialog_refuses_a_missing_folder_and_stays_open(qtbot, window, some_customers, refused,
                                                                  tmp_path):
    db = window.db_path
    before = digest(db)
    dialog = window.export_dialog()
    qtbot.waitExposed(dialog)
    dialog.path_edit.clear()
    target = tmp_path / "gone" / "customers.xlsx"
    qtbot.keyClicks(dialog.path_edit, str(target))
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    assert refused == ["output_folder_missing"]
    assert dialog.isVisible(), "the dialog stays open for another name"
    assert not target.parent.exists() and digest(db) == before


def test_typing_the_database_in_the_export_dialog_writes_beside_it(qtbot, window, some_customers, refused):
    """The dialog writes workbooks: crm.sqlite typed becomes crm.sqlite.xlsx, never the database."""
    db = window.db_path
    before = digest(db)
    dialog = window.export_dialog()
    dialog.path_edit.setText(str(db))
    assert dialog.path() == db.with_name(db.name + ".xlsx")
    assert digest(db) == before


def test_the_export_dialog_browse_refuses_a_backup(qtbot, window, some_customers, refused, monkeypatch):
    kept = backup.automatic_backup(window.db_path, reason="daily")
    choose(monkeypatch, kept.with_suffix(".xlsx"))  # a new name in the backups folder is fine...
    dialog = window.export_dialog()
    dialog.browse()
    assert refused == [] and dialog.path_edit.text().endswith(".xlsx")
    choose(monkeypatch, window.db_path)  # ...the database is not
    dialog.browse()
    assert refused == ["output_not_xlsx"] or refused == ["output_is_database"]
