"""QApplication set-up: translations (the user's choice, else the system language), locale,
style, and opening the database with a dialog, not a traceback, when it can't be used."""
from __future__ import annotations

import logging
import os
import sys
import time
from pathlib import Path
from typing import Optional

from PySide6.QtCore import QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from crmdesk import APP_NAME, paths
from crmdesk.core import db as dbmod
from crmdesk.core.errors import CrmError
from crmdesk.ui.translations import install_translations

log = logging.getLogger("crmdesk")


def make_app() -> QApplication:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    icon = paths.resources_dir() / "icons" / "crmdesk.svg"
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    style = paths.resources_dir() / "styles" / "crmdesk.qss"
    if style.exists():
        app.setStyleSheet(style.read_text(encoding="utf-8"))
    return app


def open_or_ask(path: Path) -> Optional[Path]:
    """Open ``path``; if it can't be used, say why and offer to choose another file."""
    from crmdesk.ui.errors import error_text
    while True:
        try:
            dbmod.open_database(path)
            return path
        except CrmError as error:
            from crmdesk.ui import damaged_dialog
            if error.code in damaged_dialog.DAMAGED_CODES:
                if damaged_dialog.offer_restore(None, error):
                    continue  # restored: open it again
                return None
            box = QMessageBox(QMessageBox.Icon.Warning, QApplication.translate("App", "crmdesk"),
                              error_text(error))
            choose = box.addButton(QApplication.translate("App", "Choose another database…"),
                                   QMessageBox.ButtonRole.AcceptRole)
            box.addButton(QApplication.translate("App", "Quit"), QMessageBox.ButtonRole.RejectRole)
            box.exec()
            if box.clickedButton() is not choose:
                return None
            chosen, _ = QFileDialog.getSaveFileName(
                None, QApplication.translate("App", "Choose a database"), str(paths.data_dir()),
                "crmdesk (*.sqlite *.db);;*", options=QFileDialog.Option.DontConfirmOverwrite)
            if not chosen:
                return None
            path = Path(chosen)


def create_main_window(db: Optional[str] = None):
    """Open the database and build the window (also what tests call)."""
    from crmdesk.ui.main_window import MainWindow
    app = make_app()
    install_translations(app)
    path = open_or_ask(Path(db).expanduser() if db else paths.default_db_path())
    if path is None:
        return None
    return MainWindow(path)


def install_excepthook() -> None:
    """Anything unexpected on the GUI thread: a dialog with the details to copy, logged,
    and the app goes on (every write is a transaction, so the data is as it was)."""
    def hook(kind, exc, tb):
        from crmdesk.ui.errors import show_bug
        if isinstance(exc, CrmError):
            from crmdesk.ui.errors import show_error
            show_error(QApplication.activeWindow(), exc)
        else:
            show_bug(QApplication.activeWindow(), exc.with_traceback(tb))
    sys.excepthook = hook


def time_to_first_rows(app: QApplication, window, started: float) -> None:
    """benchmarks/bench_start.py: once the customer list has painted its first rows, print
    the seconds since ``started`` (the epoch time the benchmark launched the process) and quit."""
    def check() -> None:
        if window.customers_tab.model.pages_fetched or window.customers_tab.model.rowCount() == 0:
            timer.stop()
            print(f"CRMDESK_FIRST_ROWS {time.time() - started:.3f}", flush=True)
            app.quit()
    timer = QTimer(window)
    timer.timeout.connect(check)
    timer.start(0)


def run_gui(db: Optional[str] = None) -> int:
    logging.basicConfig(level=logging.INFO)
    install_excepthook()
    app = make_app()
    window = create_main_window(db)
    if window is None:
        return 2
    window.show()
    if os.environ.get("CRMDESK_BENCH_START"):
        time_to_first_rows(app, window, float(os.environ["CRMDESK_BENCH_START"]))
    code = app.exec()
    dbmod.close_database()
    return code
