"""The customer form's warning while the user types (issue 21, "On entry"): "Probably the same
customer as C000012 · 北京华润商贸有限公司 (same phone)", with "Open it" and "Merge into it".
It asks after the name, phones, e-mail, tax id or city changed, a moment after the last key."""
from __future__ import annotations

import html
from typing import Callable, Optional

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QLabel, QWidget

from crmdesk.core import dedupe
from crmdesk.ui.dedupe.reasons import reasons_text

WATCHED = frozenset(("name", "mobile", "phone", "email", "tax_id", "city", "province"))
DELAY_MS = 400
SHOWN = 3  # candidates named at most


class DuplicateWarning(QLabel):
    open_requested = Signal(int)  # a customer id
    merge_requested = Signal(int)  # the customer to merge the form's record into

    def __init__(self, values: Callable[[], dict], exclude_id: Optional[int], parent: Optional[QWidget] = None):
        super().__init__(parent)
        self.setObjectName("duplicateWarning")
        self.setWordWrap(True)
        self.setStyleSheet("background: #fff3cd; padding: 6px;")
        self.linkActivated.connect(self._link)
        self.values, self.exclude_id = values, exclude_id
        self.pairs: list[dedupe.Pair] = []
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(DELAY_MS)
        self.timer.timeout.connect(self.check)
        self.hide()

    def changed(self, key: str) -> None:
        if key in WATCHED:
            self.timer.start()

    def check(self) -> list[dedupe.Pair]:
        """Ask now (the timer calls this); shows or hides the warning."""
        self.timer.stop()
        try:
            self.pairs = dedupe.similar_to(self.values(), exclude_id=self.exclude_id, limit=SHOWN)
        except Exception:  # noqa: BLE001 - a warning that cannot ask says nothing; saving still works
            self.pairs = []
        if not self.pairs:
            self.hide()
            return []
        lines = []
        for pair in self.pairs:
            found = pair.first
            who = html.escape(" · ".join(p for p in (found.code, found.name, found.city) if p))
            why = html.escape(reasons_text(pair.reasons))
            lines.append(self.tr("Probably the same customer as {customer} ({reasons}): "
                                 "<a href=\"open:{id}\">Open it</a> · <a href=\"merge:{id}\">Merge into it</a>")
                         .format(customer=who, reasons=why, id=found.id))
        self.setText("<br>".join(lines))
        self.show()
        return self.pairs

    def _link(self, link: str) -> None:
        action, _, customer_id = link.partition(":")
        if action == "open":
            self.open_requested.emit(int(customer_id))
        elif action == "merge":
            self.merge_requested.emit(int(customer_id))
