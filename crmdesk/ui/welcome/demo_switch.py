"""The window's part of the first day: the welcome's buttons, "Try the demo data" into a
separate demo database (paths.demo_db_path) filled in the background, a plain "this is the
demo database" in the title and status bar with one click back to the user's own data,
and Help ▸ Show tips again."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMainWindow, QPushButton, QWidget

from crmdesk import paths
from crmdesk.core.changes import Changes
from crmdesk.core.customers import archive as customers
from crmdesk.ui import prefs
from crmdesk.ui.actions import make_action
from crmdesk.ui.welcome.hint_strip import show_all_again

DEMO_CUSTOMERS = 2_000  # enough to look around; made in a few seconds
PREVIOUS_KEY = "demo/previousDatabase"


def _same(a: Path, b: Path) -> bool:
    try:
        return Path(a).expanduser().resolve() == Path(b).expanduser().resolve()
    except OSError:
        return False


class FirstDay(QObject):
    """Installed once on the main window (``install``)."""

    def __init__(self, window: QMainWindow):
        super().__init__(window)
        self.window = window
        self.task = None
        self.connect_welcome(window.customers_tab)
        self.make_actions()
        self.banner = QWidget(window)
        self.banner.setObjectName("demoBanner")
        self.banner_label = QLabel(self.banner)
        self.banner_label.setObjectName("demoBannerText")
        self.banner_label.setStyleSheet("font-weight: bold;")
        self.back_button = QPushButton(self.banner)
        self.back_button.setObjectName("demoBackButton")
        self.back_button.clicked.connect(self.back_to_my_data)
        self.set_texts()
        row = QHBoxLayout(self.banner)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.banner_label)
        row.addWidget(self.back_button)
        window.statusBar().addPermanentWidget(self.banner)

    def connect_welcome(self, tab) -> None:
        """The customer list's welcome buttons: again for a tab re-created in a new language."""
        welcome = tab.list_stack.welcome
        welcome.import_requested.connect(lambda: self.window.import_customers())
        welcome.demo_requested.connect(self.try_demo)

    def make_actions(self) -> None:
        """The demo and tips actions, in the File and Help menus the window has now."""
        window = self.window
        self.demo_action = make_action(window, self.tr("Try the de&mo data"), self.try_demo, name="tryDemo")
        self.back_action = make_action(window, self.tr("Back to my d&ata"), self.back_to_my_data, name="backToMyData")
        self.tips_action = make_action(window, self.tr("Show &tips again"), self.show_tips, name="showTipsAgain")
        menus = [a.menu() for a in window.menuBar().actions() if a.menu() is not None]
        file_menu, help_menu = menus[0], menus[-1]
        before = getattr(window, "import_action", None)
        file_menu.insertActions(before, [self.demo_action, self.back_action])
        file_menu.insertSeparator(before)
        help_menu.insertAction(help_menu.actions()[0] if help_menu.actions() else None, self.tips_action)

    def set_texts(self) -> None:
        self.banner_label.setText(self.tr("Demo database: sample data, not yours."))
        self.back_button.setText(self.tr("Back to my data"))

    def retranslate(self) -> None:
        """After the window made its menus again in a new language."""
        self.make_actions()
        self.set_texts()
        self.decorate()

    # ------------------------------------------------------------ state
    def in_demo(self) -> bool:
        return _same(self.window.db_path, paths.demo_db_path())

    def decorate(self) -> None:
        """After the window's own status: say plainly when the demo database is open."""
        demo = self.in_demo()
        self.banner.setVisible(demo)
        self.back_action.setEnabled(demo)
        self.demo_action.setEnabled(not demo)
        if demo:
            self.window.setWindowTitle(self.tr("crmdesk — DEMO DATABASE (sample data, not yours)"))

    def previous(self) -> Path:
        saved = prefs.settings().value(PREVIOUS_KEY)
        path = Path(str(saved)) if saved else paths.default_db_path()
        return paths.default_db_path() if _same(path, paths.demo_db_path()) else path

    # ------------------------------------------------------------ actions
    def try_demo(self):
        """Open the demo database (made and filled the first time); returns the filling task, if any."""
        window = self.window
        if self.task is not None:
            return self.task
        if not self.in_demo():
            prefs.settings().setValue(PREVIOUS_KEY, str(window.db_path))
            if not window.switch_database(paths.demo_db_path(), create=True):
                return None
        if customers.count():
            return None
        return self.fill()

    def fill(self):
        from crmdesk.core import demo
        window = self.window
        count = DEMO_CUSTOMERS

        def done(_result) -> None:
            self.task = None
            window.bus.publish(Changes.reset())
            window.update_status()
            window.statusBar().showMessage(self.tr("The demo database is ready: %n sample customer(s).", "", count), 8000)

        def failed(exc: BaseException) -> None:
            self.task = None
            window.task_failed(exc)

        self.task = window.tasks.start(lambda progress: demo.generate(count, progress=progress), window,
                                       self.tr("Creating the demo data…"), done, failed)
        self.task.cancelled.connect(lambda: setattr(self, "task", None))
        return self.task

    def back_to_my_data(self) -> bool:
        if self.task is not None or not self.in_demo():
            return False
        target = self.previous()
        return self.window.switch_database(target, create=not target.exists())

    def show_tips(self) -> int:
        count = show_all_again(self.window)
        self.window.statusBar().showMessage(self.tr("Each tab shows its tip again."), 5000)
        return count


def install(window: QMainWindow) -> FirstDay:
    """One call from the main window, after its menus are made."""
    return FirstDay(window)
