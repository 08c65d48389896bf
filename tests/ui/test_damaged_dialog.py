"""Issue 17, defect 4 in the GUI: a damaged database gets a dialog that names its newest
good automatic backup and restores it when the user clicks."""
from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton

from crmdesk.core import db as dbmod
from crmdesk.core.safety import backup, generations
from crmdesk.core.customers import archive as customers


def digest(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def overwrite_pages(path: Path) -> None:
    data = bytearray(Path(path).read_bytes())
    page = int.from_bytes(data[16:18], "big")
    data[page:] = bytes([0xAB]) * (len(data) - page)
    Path(path).write_bytes(bytes(data))


@pytest.fixture
def damaged(db_path):
    dbmod.open_database(db_path)
    for name in ("北京华润", "上海华联", "阿里巴巴"):
        customers.create({"name": name})
    dbmod.close_database()
    good = backup.automatic_backup(db_path, reason="daily")
    overwrite_pages(db_path)
    return good


def answer_dialog(qtbot, button_text: str, seen: list[str]) -> None:
    """Click ``button_text`` in the damaged-database dialog as soon as it shows."""
    def click():
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(10, click)
            return
        seen.append(box.text())
        button = next(b for b in box.findChildren(QPushButton) if b.text() == button_text)
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    QTimer.singleShot(0, click)


def test_starting_on_a_damaged_database_offers_its_backup(qtbot, db_path, damaged):
    from crmdesk.ui.app import create_main_window
    seen: list[str] = []
    answer_dialog(qtbot, "Restore this backup", seen)
    window = create_main_window(str(db_path))
    qtbot.addWidget(window)
    assert str(damaged) in seen[0] and "damaged" in seen[0]
    assert customers.count() == 3                                  # the backup's data, open
    kept = [p for p in generations.list_automatic(db_path) if generations.is_raw_copy(p)]
    assert len(kept) == 1
    window.tasks.wait(10000)


def test_not_now_changes_nothing(qtbot, db_path, damaged):
    from crmdesk.ui.app import create_main_window
    before = digest(db_path)
    seen: list[str] = []
    answer_dialog(qtbot, "Not now", seen)
    assert create_main_window(str(db_path)) is None
    assert seen and digest(db_path) == before


def test_malformed_met_in_the_window_offers_the_backup(qtbot, db_path, monkeypatch):
    from crmdesk.ui.app import create_main_window
    window = create_main_window(str(db_path))
    qtbot.addWidget(window)
    window.tasks.wait(10000)
    qtbot.waitUntil(lambda: window.daily_backup.done)
    good = generations.list_automatic(db_path)[0]
    customers.create({"name": "备份后"})                            # newer than the backup
    seen: list[str] = []
    answer_dialog(qtbot, "Restore this backup", seen)
    window.task_failed(sqlite3.DatabaseError("database disk image is malformed"))
    assert str(good) in seen[0]
    assert customers.count() == 0                                   # the backup's data
    assert "Customers: 0" in window.count_label.text()
