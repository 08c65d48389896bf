"""File ▸ Team ▸ Connect to a team: the server address, the name and password the manager
gave. Checked as typed; the join (upload or download, with its progress) runs off the GUI
thread; a refusal is said in one sentence and the dialog stays, with what was typed."""
from __future__ import annotations

from typing import Optional

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QCheckBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout,
                               QWidget)

from crmdesk.core.errors import CrmError
from crmdesk.core.sync.connection import parse
from crmdesk.ui.errors import error_text, show_bug


class ConnectDialog(QDialog):
    def __init__(self, controller, parent: Optional[QWidget] = None):
        super().__init__(parent)
        self.setObjectName("teamConnectDialog")
        self.controller = controller
        self.task = None
        self.setWindowTitle(self.tr("Connect to a team"))
        intro = QLabel(self.tr("This database joins your team's server: what you have here goes up, what your "
                               "login may see comes down, and from then on your changes are shared."), self)
        intro.setWordWrap(True)
        self.server = QLineEdit(self)
        self.server.setObjectName("teamServer")
        self.server.setPlaceholderText("postgresql://192.168.1.10/crm")
        hint = QLabel(self.tr("As your manager gave it: postgresql://SERVER/DATABASE"), self)
        hint.setObjectName("teamServerHint")
        hint.setEnabled(False)
        self.name = QLineEdit(self)
        self.name.setObjectName("teamName")
        self.password = QLineEdit(self)
        self.password.setObjectName("teamPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.remember = QCheckBox(self.tr("Remember the password on this computer"), self)
        self.remember.setObjectName("teamRemember")
        self.remember.setChecked(True)
        self.message = QLabel(self)
        self.message.setObjectName("connectError")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.setStyleSheet("color: #b00020;")
        form = QFormLayout()
        form.addRow(self.tr("&Server:"), self.server)
        form.addRow("", hint)
        form.addRow(self.tr("&Name:"), self.name)
        form.addRow(self.tr("&Password:"), self.password)
        form.addRow("", self.remember)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(self.tr("&Connect"))
        self.ok.setObjectName("teamConnect")
        self.buttons.accepted.connect(self.connect_now)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        for edit in (self.server, self.name, self.password):
            edit.textChanged.connect(self.check)
        self.setMinimumWidth(520)
        self.check()

    def problem(self) -> Optional[str]:
        """What keeps Connect off, as the sentence to show ("" when only something is missing)."""
        url = self.server.text().strip()
        if not url:
            return ""
        try:
            address = parse(url, self.name.text().strip() or None, self.password.text() or None)
        except CrmError as error:
            if error.code == "sync_no_user" and not self.name.text().strip():
                return ""  # the name is typed next
            return error_text(error)
        if not address.password:
            return ""
        return None

    def check(self) -> None:
        problem = self.problem()
        busy = self.task is not None
        self.ok.setEnabled(problem is None and not busy)
        self.message.setText(problem or "")

    def connect_now(self) -> None:
        if self.problem() is not None or self.task is not None:
            return
        self.message.setText("")
        self._busy(True)
        self.task = self.controller.join(self.server.text().strip(), self.name.text().strip() or None,
                                         self.password.text(), self.remember.isChecked(), self)
        self.task.finished.connect(self._joined)
        self.task.failed.connect(self._failed)

    def _busy(self, busy: bool) -> None:
        for widget in (self.server, self.name, self.password, self.remember):
            widget.setEnabled(not busy)
        self.ok.setEnabled(not busy)

    def _joined(self, _result) -> None:
        self.task = None
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self.task = None
        self._busy(False)
        self.check()
        if isinstance(error, CrmError):
            self.message.setText(error_text(error))
            self.password.setFocus()
            self.password.selectAll()
        else:
            show_bug(self, error)
