"""Choose a customer by typing: name, code, pinyin or phone, with the matches in a
completer (the customer list's own search, so it stays fast at a million customers)."""
from __future__ import annotations

from typing import Optional

from PySide6.QtCore import QStringListModel, Qt, QTimer, Signal
from PySide6.QtWidgets import QCompleter, QLineEdit, QWidget

from crmdesk.core.errors import CrmError
from crmdesk.core.customers import list as customer_list, archive as customers
from crmdesk.core.customers.list import ListQuery

MATCHES = 20


class CustomerPicker(QLineEdit):
    chosen = Signal(int)  # 0: the text no longer names a chosen customer

    def __init__(self, parent: Optional[QWidget] = None):
        super().__init__(parent)
        self.setObjectName("customerPicker")
        self.setPlaceholderText(self.tr("Type a customer's name, code, pinyin or phone…"))
        self.setClearButtonEnabled(True)
        self._ids: dict[str, int] = {}
        self.customer_id = 0
        self.matches = QStringListModel(self)
        completer = QCompleter(self.matches, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        completer.activated[str].connect(self._pick)
        self.setCompleter(completer)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(150)
        self.timer.timeout.connect(self.search)
        self.textEdited.connect(self._edited)

    def _edited(self, _text: str) -> None:
        if self.customer_id:
            self.customer_id = 0
            self.chosen.emit(0)
        self.timer.start()

    def search(self) -> None:
        """Fill the completer with the customers matching the text."""
        self.timer.stop()
        text = self.text().strip()
        if not text:
            self.matches.setStringList([])
            return
        ids = customer_list.first_ids(ListQuery(search=text), MATCHES)
        rows = customer_list.rows(ids, ["name", "code", "city"])
        self._ids = {}
        for customer_id in ids:
            name, code, city = rows[customer_id]
            shown = f"{name} · {code}" + (f" · {city}" if city else "")
            self._ids[shown] = customer_id
        self.matches.setStringList(list(self._ids))
        if self._ids and self.hasFocus():
            self.completer().complete()

    def _pick(self, shown: str) -> None:
        customer_id = self._ids.get(shown)
        if customer_id:
            self.set_customer(customer_id)

    def set_customer(self, customer_id: int) -> bool:
        try:
            customer = customers.get(customer_id)
        except CrmError:
            return False
        self.customer_id = customer.id
        self.setText(f"{customer.name} · {customer.code}")
        self.chosen.emit(customer.id)
        return True
