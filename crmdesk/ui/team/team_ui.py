"""The team in the main window: File ▸ Team (its actions enabled as the state allows), the
status bar's indicator, background syncs, and the question when the window closes with
changes that have not gone out yet."""
from __future__ import annotations

from typing import Optional

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QInputDialog, QLineEdit, QMenu, QMessageBox

from crmdesk.core.errors import CrmError
from crmdesk.ui.actions import make_action
from crmdesk.ui.team.indicator import SyncIndicator
from crmdesk.ui.team.sync_controller import SyncController


class TeamUi(QObject):
    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.controller = SyncController(window.bus, self)
        self.indicator = SyncIndicator(self.controller, window)
        window.statusBar().addPermanentWidget(self.indicator)
        self.indicator.conflicts_requested.connect(self.conflicts_dialog)
        self.indicator.sync_requested.connect(self.sync_clicked)
        self.controller.state_changed.connect(self.update_actions)
        self.controller.failed.connect(self._sync_failed)
        self.controller.synced.connect(self._synced)
        self.menu: Optional[QMenu] = None
        self.asked_sync = False  # the user asked (menu, F9): a failure is said in a box
        self.closing_after_sync = False
        self.dialog = None

    # ------------------------------------------------------------ menu
    def fill_menu(self, parent_menu: QMenu) -> QMenu:
        """File ▸ Team, made with the window's other menus (again after a language switch)."""
        w = self.window
        menu = QMenu(self.tr("&Team"), parent_menu)
        menu.setObjectName("teamMenu")
        self.connect_action = make_action(w, self.tr("&Connect to a team…"), self.connect_dialog, name="teamConnect")
        self.sync_action = make_action(w, self.tr("&Sync now"), self.sync_clicked, QKeySequence(Qt.Key.Key_F9),
                                       "teamSync")
        self.conflicts_action = make_action(w, self.tr("C&onflicts…"), self.conflicts_dialog, name="teamConflicts")
        self.handover_action = make_action(w, self.tr("&Hand over customers…"), self.handover_dialog,
                                           name="teamHandover")
        self.disconnect_action = make_action(w, self.tr("&Disconnect…"), self.disconnect, name="teamDisconnect")
        for action in (self.connect_action, self.sync_action, self.conflicts_action, None, self.handover_action,
                       None, self.disconnect_action):
            menu.addSeparator() if action is None else menu.addAction(action)
        self.menu = menu
        self.add_to_customer_list()
        self.update_actions()
        return menu

    def add_to_customer_list(self) -> None:
        """The customers list's right-click menu offers "Hand over customers…" too (shown, like
        the menu's, to a manager only). The menus are made after the tab, again after a language
        switch re-creates it: the action of an earlier menu is taken out first."""
        tab = self.window.customers_tab
        view = tab.view
        for action in view.actions():
            if action.objectName() == "teamHandover" and action is not self.handover_action:
                view.removeAction(action)
        view.addAction(self.handover_action)
        if not getattr(self, "_follows_trash", False):  # deleted customers are not handed over
            tab.trash_button.toggled.connect(lambda _on: self.update_actions())
            self._follows_trash = True

    def update_actions(self) -> None:
        if self.menu is None:
            return
        try:
            local = self.controller.local()
        except Exception:
            return
        busy = self.controller.syncing
        self.connect_action.setEnabled(not local.joined and not busy)
        self.sync_action.setEnabled(local.joined)
        self.conflicts_action.setEnabled(local.joined)
        in_trash = self.window.customers_tab.trash_button.isChecked()
        self.handover_action.setVisible(local.joined and local.role == "manager" and not in_trash)
        self.disconnect_action.setEnabled(local.joined and not busy)

    # ------------------------------------------------------------ actions
    def start(self) -> None:
        self.controller.start()
        self.indicator.refresh()

    def connect_dialog(self):
        from crmdesk.ui.team.connect_dialog import ConnectDialog
        dialog = ConnectDialog(self.controller, self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(self._connected)
        self.dialog = dialog
        dialog.open()
        return dialog

    def _connected(self) -> None:
        self.window.statusBar().showMessage(self.tr("Connected to the team."), 8000)

    def sync_clicked(self):
        if not self.controller.known_password() and not self.ask_password():
            return None
        self.asked_sync = True
        return self.controller.sync_now(self.window)

    def ask_password(self) -> bool:
        local = self.controller.local()
        text, ok = QInputDialog.getText(self.window, self.tr("Team password"),
                                        self.tr("Password of {login} on the team server:").format(login=local.login),
                                        QLineEdit.EchoMode.Password)
        if ok and text:
            self.controller.password = text
        return bool(ok and text)

    def _synced(self, result) -> None:
        asked, self.asked_sync = self.asked_sync, False
        if result.settings_refused:
            self.window.statusBar().showMessage(self.tr(
                "Only a manager (for complaints and care, also the desk) may change the team's settings: "
                "the team's were kept."), 12000)
        elif asked:
            self.window.statusBar().showMessage(
                self.tr("Synced: %n change(s) sent", "", result.pushed) + ", "
                + self.tr("%n change(s) received", "", result.pulled), 8000)
        if self.closing_after_sync:
            self.closing_after_sync = False
            self.window.close()

    def _sync_failed(self, error: BaseException) -> None:
        asked, self.asked_sync = self.asked_sync or self.closing_after_sync, False
        self.closing_after_sync = False
        if asked:
            self.window.task_failed(error)

    def conflicts_dialog(self):
        from crmdesk.ui.team.conflicts_dialog import ConflictsDialog
        dialog = ConflictsDialog(self.window.bus, self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.resolved.connect(lambda _n: self.indicator.refresh())
        self.dialog = dialog
        dialog.open()
        return dialog

    def handover_dialog(self):
        from crmdesk.ui.team.handover_dialog import HandoverDialog
        selected = self.window.customers_tab.selected_ids()
        dialog = HandoverDialog(self.window.bus, selected, self.window, self.window.undo_stack)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog = dialog
        dialog.open()
        return dialog

    def disconnect(self, confirm: bool = True) -> bool:
        local = self.controller.local()
        if not local.joined:
            return False
        question = self.tr("Stop syncing this database with the team at {server}? Your data stays here.").format(
            server=local.url)
        if local.waiting:
            question += "\n" + self.tr("%n change(s) made here have not gone out yet and never will.", "",
                                       local.waiting)
        if confirm and QMessageBox.question(self.window, self.tr("Disconnect"), question) \
                != QMessageBox.StandardButton.Yes:
            return False
        try:
            self.controller.leave()
        except CrmError as error:
            self.window.task_failed(error)
            return False
        self.window.statusBar().showMessage(self.tr("Disconnected from the team: this database is yours alone."), 8000)
        return True

    # ------------------------------------------------------------ closing
    def may_close(self) -> bool:
        """Changes waiting: Sync now (then close), Close anyway, or Cancel."""
        if self.closing_after_sync:
            return False
        try:
            local = self.controller.local()
        except Exception:
            return True
        if not local.joined or not local.waiting:
            return True
        waiting = local.waiting  # a plain name: lupdate skips an attribute as the count
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Changes waiting"), self.tr(
            "%n change(s) made here have not gone out to the team yet. They are kept and go out at the next sync.",
            "", waiting), QMessageBox.StandardButton.NoButton, self.window)
        box.setObjectName("teamCloseQuestion")
        sync = box.addButton(self.tr("&Sync now"), QMessageBox.ButtonRole.AcceptRole)
        sync.setObjectName("closeSyncNow")
        anyway = box.addButton(self.tr("&Close anyway"), QMessageBox.ButtonRole.DestructiveRole)
        anyway.setObjectName("closeAnyway")
        cancel = box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(sync)
        box.setEscapeButton(cancel)
        box.exec()
        clicked = box.clickedButton()
        if clicked is anyway:
            return True
        if clicked is sync and (self.controller.known_password() or self.ask_password()):
            self.closing_after_sync = True
            if self.controller.sync_now(self.window) is None:
                self.closing_after_sync = False
        return False

    def shutdown(self) -> None:
        self.controller.stop()
