"""The welcome shown in the customer list's place while the database has no customers:
three ways in (import a spreadsheet, try the demo data, create the first customer);
and a "no matches" note when a search or filter finds nothing."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QLabel, QPushButton, QStackedWidget, QVBoxLayout, QWidget


class WelcomePanel(QWidget):
    import_requested = Signal()
    demo_requested = Signal()
    new_requested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("welcomePanel")
        title = QLabel(self.tr("Welcome to crmdesk"), self)
        title.setObjectName("welcomeTitle")
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        title.setFont(font)
        intro = QLabel(self.tr("There are no customers yet. Start in one of three ways:"), self)
        intro.setObjectName("welcomeIntro")
        intro.setWordWrap(True)
        grid = QGridLayout()
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(12)
        self.import_button = self._choice(grid, 0, "welcomeImport", self.tr("Import a spreadsheet…"),
                                          self.tr("Bring in your customer list from Excel, WPS or a CSV file: "
                                                  "the wizard matches the columns and shows every problem first."),
                                          self.import_requested)
        self.demo_button = self._choice(grid, 1, "welcomeDemo", self.tr("Try the demo data"),
                                        self.tr("Open a separate demo database with 2,000 sample customers to "
                                                "look around; your own data stays apart and one click brings it back."),
                                        self.demo_requested)
        self.new_button = self._choice(grid, 2, "welcomeNew", self.tr("Create the first customer…"),
                                       self.tr("Type in one customer by hand (Ctrl+N), then add more as you go."),
                                       self.new_requested)
        grid.setColumnStretch(1, 1)
        box = QVBoxLayout(self)
        box.setContentsMargins(24, 24, 24, 24)
        box.addStretch(1)
        box.addWidget(title)
        box.addWidget(intro)
        box.addSpacing(8)
        box.addLayout(grid)
        box.addStretch(2)

    def _choice(self, grid: QGridLayout, row: int, name: str, text: str, line: str, signal) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.setMinimumHeight(button.sizeHint().height() + 8)
        button.clicked.connect(signal)
        label = QLabel(line, self)
        label.setObjectName(name + "Text")
        label.setWordWrap(True)
        label.setBuddy(button)
        grid.addWidget(button, row, 0)
        grid.addWidget(label, row, 1)
        return button


class ListStack(QStackedWidget):
    """The customer list, or in its place the welcome (no customers at all) or a note
    that the search or filters find nothing."""

    def __init__(self, view: QWidget, parent: QWidget):
        super().__init__(parent)
        self.setObjectName("customerListStack")
        self.view = view
        self.welcome = WelcomePanel(self)
        self.no_matches = QLabel(self.tr("No customer matches the search or the filters: change them, or clear "
                                         "the search to see every customer."), self)
        self.no_matches.setObjectName("noMatches")
        self.no_matches.setWordWrap(True)
        self.no_matches.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.no_matches.setMargin(24)
        for widget in (view, self.welcome, self.no_matches):
            self.addWidget(widget)

    def show_state(self, total: int, shown: int, complete: bool, trash: bool) -> None:
        """``total`` live customers in the database, ``shown`` rows in the list."""
        if not complete or trash:
            page = self.view
        elif total == 0:
            page = self.welcome
        elif shown == 0:
            page = self.no_matches
        else:
            page = self.view
        if self.currentWidget() is not page:
            self.setCurrentWidget(page)

    @property
    def welcome_shown(self) -> bool:
        return self.currentWidget() is self.welcome
