"""The main window: tabs, menus (File, Edit, View, Help), a status bar with the database
path and the customer count; window geometry restored between runs."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Optional

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QCloseEvent, QKeySequence, QUndoStack
from PySide6.QtWidgets import (QFileDialog, QLabel, QMainWindow, QMessageBox,
                               QTabWidget, QWidget)

from crmdesk import __version__
from crmdesk.core import db as dbmod
from crmdesk.core.changes import Changes
from crmdesk.core.errors import CrmError
from crmdesk.core.safety import backup, generations, restoring
from crmdesk.core.customers import archive as customers
from crmdesk.ui import prefs
from crmdesk.ui import window_state
from crmdesk.ui.lazy_tabs import LazyTabs
from crmdesk.ui.window_menus import fill_tab_menu, make_menus
from crmdesk.ui.change_bus import ChangeBus
from crmdesk.ui.errors import show_bug, show_error
from crmdesk.ui.window_exports import RecordExports
from crmdesk.ui.window_imports import ImportActions
from crmdesk.ui.customers.tab import CustomersTab
from crmdesk.ui.tasks import TaskRunner

if TYPE_CHECKING:  # the tabs' modules load with the tabs, when first opened
    from crmdesk.ui.care.tab import CareTab
    from crmdesk.ui.complaints.tab import ComplaintsTab
    from crmdesk.ui.visits.tab import VisitsTab

DB_FILTER = "crmdesk (*.sqlite *.db);;*"


class MainWindow(ImportActions, RecordExports, QMainWindow):
    def __init__(self, db_path: Path, parent: Optional[QWidget] = None):
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.db_path = Path(db_path)
        self.bus = ChangeBus(self)
        self.tasks = TaskRunner(self)
        self.import_wizard = None
        self.import_history_window = None
        self.duplicates_dialog = None
        self.export_window = None
        self.last_wake = None  # the care reminder's last run, for the care tab when it is built
        self.undo_stack = QUndoStack(self)
        self.retranslations = 0  # how many times a new language was taken up (tests wait on it)
        self.retranslate_timer = QTimer(self, singleShot=True, interval=0)
        self.retranslate_timer.timeout.connect(self.retranslate)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("mainTabs")
        self.tabs.setDocumentMode(True)
        self.setCentralWidget(self.tabs)
        self.lazy = LazyTabs(self.tabs)
        self.lazy.built.connect(self._tab_built)
        for key, title, factory in self.tab_factories():
            self.lazy.add(key, title, factory)
        self.lazy.get("customers")  # the others when first opened
        self.tabs.currentChanged.connect(self._tab_changed)
        self.path_label = QLabel(self)
        self.path_label.setObjectName("dbPathLabel")
        self.count_label = QLabel(self)
        self.count_label.setObjectName("statusCount")
        self.statusBar().addPermanentWidget(self.count_label)
        self.statusBar().addWidget(self.path_label, 1)
        from crmdesk.ui.team.team_ui import TeamUi
        self.team = TeamUi(self)  # File ▸ Team, the sync indicator, background syncs (issue 20)
        self._make_menus()
        from crmdesk.ui.welcome.demo_switch import install as install_first_day
        self.first_day = install_first_day(self)  # welcome buttons, demo database, tips (issue 18)
        self.bus.changed.connect(lambda _c: self.update_status())
        self.update_status()
        self.restore_state()
        self.daily_backup = self.start_daily_backup()
        from crmdesk.ui.care.reminder import CareReminder
        self.reminder = CareReminder(self)
        self.reminder.woke.connect(self._care_woke)
        self.reminder.clicked.connect(self.show_care)
        QTimer.singleShot(0, self.reminder.start)  # after the window is up: the rules run first
        QTimer.singleShot(0, self.team.start)

    # ------------------------------------------------------------ tabs
    def tab_factories(self):
        """(key, title, factory) of every tab; a tab's module is imported when it is built."""
        def make(module: str, name: str):
            def factory():
                import importlib
                return getattr(importlib.import_module(f"crmdesk.ui.{module}.tab"), name)(
                    self.bus, self.undo_stack, self)
            return factory
        return (("customers", self.tr("Customers"), lambda: CustomersTab(self.bus, self.undo_stack, self)),
                ("visits", self.tr("Visits"), make("visits", "VisitsTab")),
                ("complaints", self.tr("Complaints"), make("complaints", "ComplaintsTab")),
                ("care", self.tr("Care"), make("care", "CareTab")),
                ("analytics", self.tr("Analytics"), make("analytics", "AnalyticsTab")),
                ("sales", self.tr("Sales"), self._make_sales_tab))

    def _make_sales_tab(self) -> QWidget:
        from crmdesk.ui.sales.sales_tab import SalesTab
        return SalesTab(self.bus, self.undo_stack, self)

    customers_tab = property(lambda self: self.lazy.get("customers"))
    visits_tab = property(lambda self: self.lazy.get("visits"))
    complaints_tab = property(lambda self: self.lazy.get("complaints"))
    care_tab = property(lambda self: self.lazy.get("care"))
    analytics_tab = property(lambda self: self.lazy.get("analytics"))
    sales_tab = property(lambda self: self.lazy.get("sales"))

    def _tab_built(self, key: str, tab: QWidget) -> None:
        """A tab was built (opened or asked for): its links, its menu, its saved layout."""
        if key == "customers":
            tab.log_complaint_requested.connect(lambda cid: self.show_complaints().new_complaint(customer_id=cid))
            tab.open_complaint_requested.connect(lambda cid: self.show_complaints().open_complaint(cid))
            tab.plan_care_requested.connect(lambda cid: self.show_care().new_event(customer_id=cid))
            tab.open_care_requested.connect(lambda eid: self.show_care().open_event(eid))
            tab.plan_visit_requested.connect(lambda cid: self.show_visits().plan_visit(customer_id=cid))
            tab.log_visit_requested.connect(lambda cid: self.show_visits().log_visit(cid))
            tab.count_changed.connect(self.update_status)
            if hasattr(self, "first_day"):  # a customer list re-created in a new language
                self.first_day.connect_welcome(tab)
        elif key == "care" and self.last_wake is not None:
            tab.on_wake(self.last_wake)  # what fell due while closed, said when the tab is first opened
        elif key == "analytics":
            tab.win_back_requested.connect(lambda cid: self.show_visits().plan_visit(customer_id=cid, kind="win_back"))
        window_state.restore_tab(key, tab)
        if hasattr(self, "visits_menu"):
            fill_tab_menu(self, key)
        self._tab_changed(self.tabs.currentIndex())

    def _care_woke(self, wake) -> None:
        self.last_wake = wake
        if self.lazy.is_built("care"):
            self.care_tab.on_wake(wake)

    def add_tab(self, widget: QWidget, title: str) -> int:
        """Where later features plug in."""
        return self.tabs.addTab(widget, title)

    def show_visits(self) -> VisitsTab:
        self.tabs.setCurrentIndex(self.lazy.index("visits"))
        return self.visits_tab

    def show_sales(self):
        self.tabs.setCurrentIndex(self.lazy.index("sales"))
        return self.sales_tab

    def show_complaints(self) -> ComplaintsTab:
        self.tabs.setCurrentIndex(self.lazy.index("complaints"))
        return self.complaints_tab

    def show_care(self) -> CareTab:
        self.tabs.setCurrentIndex(self.lazy.index("care"))
        if self.isMinimized():
            self.showNormal()
        self.activateWindow()
        return self.care_tab

    def _tab_changed(self, _index: int) -> None:
        """Ctrl+N makes what the tab shows: a customer, a visit plan, a complaint, a reminder;
        wherever the focus is in the window (the tab bar too, right after a click on it)."""
        new = QKeySequence(QKeySequence.StandardKey.New)
        current = self.tabs.currentWidget()
        for key, name in (("customers", "new_action"), ("visits", "plan_action"), ("complaints", "new_action"),
                          ("care", "new_action"), ("sales", "new_action")):
            if self.lazy.is_built(key):
                tab = self.lazy.get(key)
                action = getattr(tab, name)
                action.setShortcut(new if current is tab else QKeySequence())
                action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)

    def _make_menus(self) -> None:
        make_menus(self)

    def changeEvent(self, event: QEvent) -> None:
        """A new language (Settings): everything again in it, after the translators are all in."""
        if event.type() == QEvent.Type.LanguageChange and hasattr(self, "path_label") \
                and not self.retranslate_timer.isActive():
            self.retranslate_timer.start()
        super().changeEvent(event)

    def retranslate(self) -> None:
        from crmdesk.ui.retranslate import retranslate_window
        retranslate_window(self)
        self.retranslations += 1

    # ------------------------------------------------------------ status
    def update_status(self) -> None:
        self.path_label.setText(self.tr("Database: {path}").format(path=self.db_path))
        self.count_label.setText(self.tr("Customers: %n", "", customers.count()))
        self.setWindowTitle(self.tr("crmdesk — {name}").format(name=self.db_path.name))
        self.team.indicator.refresh()
        self.first_day.decorate()  # the demo database says so

    # ------------------------------------------------------------ database files
    def switch_database(self, path: Path, create: bool) -> bool:
        """Open another database; on a problem say so and keep the current one."""
        previous = self.db_path
        self.team.shutdown()  # no sync of the file being left runs on
        try:
            dbmod.open_database(path, create=create)
        except CrmError as error:
            dbmod.open_database(previous)
            self.team.start()
            show_error(self, error)
            return False
        self.team.start()
        self.db_path = Path(path)
        prefs.settings().setValue("lastDatabase", str(self.db_path))
        self.undo_stack.clear()
        self.bus.publish(Changes.reset())
        self.update_status()
        return True

    def new_database(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("New database"), str(self.db_path.parent), DB_FILTER,
                                              options=QFileDialog.Option.DontConfirmOverwrite)
        if path:
            if Path(path).exists():
                show_error(self, CrmError("file_exists", path=path))
                return
            self.switch_database(Path(path), create=True)

    def open_database_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Open database"), str(self.db_path.parent), DB_FILTER)
        if path:
            self.switch_database(Path(path), create=False)

    def backup_dialog(self) -> None:
        from crmdesk.ui.common.save_dialog import ask_save_path
        suggested = self.db_path.with_name(f"{self.db_path.stem}-backup.sqlite")
        path = ask_save_path(self, self.tr("Back up the database"), suggested, DB_FILTER)
        if path is not None:
            self.run_backup(path)

    def run_backup(self, target: Path):
        from crmdesk.ui.common.save_dialog import checked_path
        if checked_path(self, target) is None:  # never over the database, its -wal, an automatic backup
            return None
        source = self.db_path

        def done(result):
            self.statusBar().showMessage(self.tr("Backed up to {path}.").format(path=result), 8000)
        return self.tasks.start(lambda progress: backup.backup(source, target, progress), self,
                                self.tr("Backing up…"), done, self.task_failed)

    def restore_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Restore from backup"), str(self.db_path.parent), DB_FILTER)
        if path:
            self.restore_from(Path(path))

    def restore_from(self, source: Path, confirm: bool = True) -> bool:
        try:
            generations.check_backup_file(source)
        except CrmError as error:
            show_error(self, error)
            return False
        if confirm and QMessageBox.question(
                self, self.tr("Restore from backup"),
                self.tr("Replace all the data in {db} with the backup {file}? A copy of the current data is kept.")
                .format(db=self.db_path.name, file=source.name)) != QMessageBox.StandardButton.Yes:
            return False
        try:
            kept = restoring.restore(source, self.db_path)
        except CrmError as error:
            show_error(self, error)
            return False
        self.data_restored()
        text = (self.tr("Restored. The damaged database was kept as a raw copy in {path}.") if generations.is_raw_copy(kept)
                else self.tr("Restored. The previous data is kept in {path}."))
        self.statusBar().showMessage(text.format(path=kept), 10000)
        return True

    def data_restored(self) -> None:
        """The data was replaced by a backup: no undo across it, every view reads again."""
        self.undo_stack.clear()
        self.bus.publish(Changes.reset())
        self.update_status()

    def start_daily_backup(self):
        """A rotating automatic backup once a day, quietly, off the GUI thread."""
        path = self.db_path

        def failed(exc: BaseException) -> None:
            self.statusBar().showMessage(self.tr("The automatic backup failed: use File ▸ Back up to make one."), 15000)
        return self.tasks.start(lambda _progress: backup.backup_if_due(path), self, "",
                                on_error=failed, show_dialog=False)

    def task_failed(self, exc: BaseException) -> None:
        if isinstance(exc, CrmError):
            show_error(self, exc)
        else:
            show_bug(self, exc)

    # ------------------------------------------------------------ export
    def export_dialog(self):
        """File ▸ Export customers: the list as shown or all of them, to an .xlsx file."""
        from crmdesk.ui.imports.export_dialog import ExportDialog
        dialog = ExportDialog(self.customers_tab.shown_count(), customers.count(),
                              self.db_path.parent / self.tr("customers.xlsx"), self)
        dialog.accepted.connect(lambda: self.run_export(dialog.path(), dialog.shown_only()))  # checked on OK
        self.export_window = dialog
        dialog.open()
        return dialog

    def run_export(self, path: Path, shown_only: bool = True):
        from crmdesk.core.customers import export
        from crmdesk.ui.imports.wizard import ui_lang
        from crmdesk.ui.common.save_dialog import checked_path
        if checked_path(self, path, xlsx=True) is None:
            return None
        query, ids = self.customers_tab.shown_list() if shown_only else (None, None)
        lang = ui_lang()

        def done(count: int) -> None:
            text = self.tr("Exported %n customer(s) to {path}.", "", count)
            self.statusBar().showMessage(text.format(path=path), 10000)
        return self.tasks.start(
            lambda progress: export.export_customers(path, lang, query=query, ids=ids, progress=progress),
            self, self.tr("Exporting customers…"), done, self.task_failed)

    def complaint_settings(self):
        from crmdesk.ui.complaints.deadlines_dialog import ComplaintSettingsDialog
        dialog = ComplaintSettingsDialog(self.bus, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.complaint_settings_window = dialog
        dialog.open()
        return dialog

    def visit_settings(self):
        from crmdesk.ui.visits.settings_dialog import VisitSettingsDialog
        dialog = VisitSettingsDialog(self.bus, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.visit_settings_window = dialog
        dialog.open()
        return dialog

    # ------------------------------------------------------------ dialogs
    def settings_dialog(self):
        from crmdesk.ui.settings_dialog import SettingsDialog
        dialog = SettingsDialog(self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def custom_fields(self):
        from crmdesk.ui.custom_fields.settings_dialog import CustomFieldsDialog
        dialog = CustomFieldsDialog(self.bus, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def about(self) -> None:
        QMessageBox.about(self, self.tr("About crmdesk"), self.tr(
            "<h3>crmdesk {version}</h3><p>An offline-first desktop CRM: customer archive, visits, "
            "complaints and care, on your own computer.</p><p>Database: {path}</p>")
            .format(version=__version__, path=self.db_path))

    # ------------------------------------------------------------ window state
    def restore_state(self) -> None:
        window_state.restore_window(self)

    def save_state(self) -> None:
        window_state.save_window(self)

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.team.may_close():  # changes waiting for the team: sync first, or cancel
            event.ignore()
            return
        self.team.shutdown()
        self.save_state()
        self.reminder.stop()
        self.tasks.wait(10000)
        if self.lazy.is_built("analytics"):
            self.analytics_tab.stop()
            self.analytics_tab.tasks.wait(10000)
        if self.lazy.is_built("sales"):
            self.sales_tab.stop()
        super().closeEvent(event)
