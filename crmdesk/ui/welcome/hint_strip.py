"""A short "what's where" strip at the top of a tab, shown until the user closes it;
closed is remembered (QSettings) and Help ▸ Show tips again brings every strip back."""
from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QSizePolicy, QToolButton, QWidget

from crmdesk.ui import prefs

KEYS = ("customers", "visits", "complaints", "care", "analytics")


def dismissed(key: str) -> bool:
    return prefs.hint_dismissed(key)


def set_dismissed(key: str, value: bool) -> None:
    prefs.set_hint_dismissed(key, value)


class HintStrip(QFrame):
    """One tab's tip: what the tab is for, its main actions and shortcuts; × hides it for good."""

    def __init__(self, key: str, parent: QWidget):
        super().__init__(parent)
        self.key = key
        self.setObjectName(f"hint_{key}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)  # a strip, never a pane
        self.setStyleSheet("#hint_%s { background: palette(alternate-base); }" % key)
        self.label = QLabel(self.text(key), self)
        self.label.setObjectName("hintText")
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.close_button = QToolButton(self)
        self.close_button.setObjectName("hintClose")
        self.close_button.setText("✕")
        self.close_button.setAutoRaise(True)
        self.close_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # never takes a tab's first focus
        self.close_button.setToolTip(self.tr("Hide this tip (Help ▸ Show tips again brings it back)"))
        self.close_button.clicked.connect(self.dismiss)
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 4, 4, 4)
        row.addWidget(self.label, 1)
        row.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignTop)
        self.setVisible(not dismissed(key))

    # As tall as its text at the width it has: a wrapped label's own hint guesses a narrow width.
    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        if self.width() > 0:
            hint.setHeight(self.layout().totalHeightForWidth(self.width()))
        return hint

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if event.oldSize().width() != event.size().width():
            self.updateGeometry()

    def text(self, key: str) -> str:
        return {
            "customers": self.tr("Your customers: search by name, number, phone, city or pinyin (Ctrl+F), filter "
                                 "with the lists under it, Ctrl+N for a new customer, Enter to edit, Del to delete "
                                 "(Ctrl+Z undoes). The profile on the right shows contacts, sales and history."),
            "visits": self.tr("Visit plans: the calendar and list of planned and done visits. Ctrl+N plans a "
                              "visit; record its result when it is done, or postpone, cancel or mark it missed."),
            "complaints": self.tr("Complaints: every complaint with its deadline and next step. Ctrl+N logs one; "
                                  "open it to take the next step, and close it when the customer is satisfied."),
            "care": self.tr("Care: birthdays, festivals, anniversaries and follow-ups due. Ctrl+N plans a "
                            "reminder by hand; mark one done when you have called or written."),
            "analytics": self.tr("Analytics: sales, loyalty and tier suggestions for all customers or a "
                                 "filtered group. Apply a suggestion to change a customer's tier (Ctrl+Z undoes)."),
        }[key]

    def dismiss(self) -> None:
        set_dismissed(self.key, True)
        self.hide()

    def show_again(self) -> None:
        set_dismissed(self.key, False)
        self.show()

    @classmethod
    def attach(cls, tab: QWidget, key: str) -> "HintStrip":
        """Put the tip at the top of ``tab``'s layout (one line in each tab)."""
        strip = cls(key, tab)
        tab.layout().insertWidget(0, strip)
        tab.hint_strip = strip
        return strip


def show_all_again(window: QWidget) -> int:
    """Help ▸ Show tips again: every tab's tip back; returns how many."""
    strips = window.findChildren(HintStrip)
    for strip in strips:
        strip.show_again()
    for key in KEYS:
        set_dismissed(key, False)
    return len(strips)
