"""The day plan to take on the road: a day's visits grouped by city and district, in
order, with addresses, phone numbers, whom to meet, why, what to say and to bring;
printed, saved as PDF, or exported to Excel."""
from __future__ import annotations

import datetime as dt
import html
from pathlib import Path
from typing import Optional

from PySide6.QtCore import QDate, QLocale
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPainter, QTextDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (QComboBox, QDateEdit, QDialog, QHBoxLayout, QLabel, QPushButton,
                               QTextBrowser, QVBoxLayout, QWidget)

from crmdesk.core.errors import CrmError
from crmdesk.core.visits import planning as visit_planning, visits
from crmdesk.ui.errors import show_bug, show_error
from crmdesk.ui.common.save_dialog import ask_save_path, checked_path
from crmdesk.ui.visits.labels import kind_label

STYLE = """
body { font-size: 10.5pt; }
h2 { margin: 0 0 4px 0; }
.group { background: #1f4e8c; color: white; font-weight: bold; }
table { border-collapse: collapse; width: 100%; }
td, th { border: 1px solid #999; padding: 4px 6px; vertical-align: top; }
th { background: #e8eef7; text-align: left; }
.time { white-space: nowrap; font-weight: bold; }
.muted { color: #666; }
"""


class DayPlanDialog(QDialog):
    def __init__(self, day: dt.date, rep: str = "", parent: Optional[QWidget] = None,
                 now: Optional[dt.datetime] = None):
        super().__init__(parent)
        self.setObjectName("dayPlanDialog")
        self.setWindowTitle(self.tr("Day plan"))
        self.resize(900, 700)
        self.now = now
        self.day_edit = QDateEdit(QDate(day.year, day.month, day.day), self)
        self.day_edit.setObjectName("dayPlanDate")
        self.day_edit.setCalendarPopup(True)
        self.day_edit.dateChanged.connect(lambda _d: self.refresh())
        self.rep = QComboBox(self)
        self.rep.setObjectName("dayPlanRep")
        self.rep.addItem(self.tr("All reps"), "")
        for name in visits.reps():
            self.rep.addItem(name, name)
        self.rep.setCurrentIndex(max(self.rep.findData(rep), 0))
        self.rep.currentIndexChanged.connect(lambda _i: self.refresh())
        self.preview = QTextBrowser(self)
        self.preview.setObjectName("dayPlanPreview")
        self.print_button = QPushButton(self.tr("Print…"), self)
        self.print_button.setObjectName("dayPlanPrint")
        self.print_button.clicked.connect(lambda: self.print_plan())
        self.pdf_button = QPushButton(self.tr("Save as PDF…"), self)
        self.pdf_button.setObjectName("dayPlanPdf")
        self.pdf_button.clicked.connect(lambda: self.save_pdf())
        self.excel_button = QPushButton(self.tr("Export to Excel…"), self)
        self.excel_button.setObjectName("dayPlanExcel")
        self.excel_button.clicked.connect(lambda: self.export_excel())
        close = QPushButton(self.tr("Close"), self)
        close.clicked.connect(self.accept)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Day"), self))
        top.addWidget(self.day_edit)
        top.addWidget(QLabel(self.tr("Rep"), self))
        top.addWidget(self.rep)
        top.addStretch(1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.print_button)
        bottom.addWidget(self.pdf_button)
        bottom.addWidget(self.excel_button)
        bottom.addStretch(1)
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.preview, 1)
        layout.addLayout(bottom)
        self.groups: list = []
        self.refresh()

    def day(self) -> dt.date:
        return self.day_edit.date().toPython()

    def refresh(self) -> None:
        self.groups = visit_planning.day_plan(self.day(), self.rep.currentData() or "", self.now)
        self.preview.setHtml(self.html())

    def stops(self) -> int:
        return sum(len(g.stops) for g in self.groups)

    def html(self) -> str:
        esc = lambda text: html.escape(str(text or "")).replace("\n", "<br>")  # noqa: E731
        day = self.day()
        title = QLocale().toString(QDate(day.year, day.month, day.day), QLocale.FormatType.LongFormat)
        rep = self.rep.currentData() or ""
        heading = self.tr("Day plan")
        parts = [f"<html><head><style>{STYLE}</style></head><body>",
                 f"<h2>{esc(heading)} · {esc(title)}{(' · ' + esc(rep)) if rep else ''}</h2>"]
        if not self.groups:
            nothing = self.tr("Nothing is planned for this day.")
            parts.append(f"<p class='muted'>{esc(nothing)}</p></body></html>")
            return "".join(parts)
        count = self.stops()
        counted = self.tr("%n visit(s)", "", count)
        parts.append(f"<p class='muted'>{esc(counted)}</p>")
        say, bring = self.tr("Say"), self.tr("Bring")
        headers = (self.tr("Time"), self.tr("Customer and contacts"), self.tr("Address and phone"),
                   self.tr("Objective, talking points, materials"))
        # One table, a header row per city and district: the columns line up on every page.
        widths = ("10%", "24%", "30%", "36%")
        parts.append("<table width='100%' border='1' cellspacing='0' cellpadding='5'><tr>"
                     + "".join(f"<th width='{w}'>{esc(h)}</th>" for w, h in zip(widths, headers)) + "</tr>")
        for group in self.groups:
            place = " ".join(p for p in (group.city, group.district) if p) or self.tr("No city given")
            parts.append(f"<tr><td colspan='4' class='group'>{esc(place)}</td></tr>")
            for stop in group.stops:
                plan = [f"<b>{esc(kind_label(stop.kind))}</b>" + (f": {esc(stop.objective)}" if stop.objective else "")]
                if stop.talking_points:
                    plan.append(f"{esc(say)}: {esc(stop.talking_points)}")
                if stop.materials:
                    plan.append(f"{esc(bring)}: {esc(stop.materials)}")
                parts.append(
                    f"<tr><td class='time'>{stop.starts_at:%H:%M}–{stop.ends_at:%H:%M}</td>"
                    f"<td><b>{esc(stop.customer_name)}</b><br>{esc(stop.contacts)}</td>"
                    f"<td>{esc(stop.place)}<br>{esc(stop.phones)}</td><td>{'<br>'.join(plan)}</td></tr>")
        parts.append("</table>")
        parts.append("</body></html>")
        return "".join(parts)

    def document(self) -> QTextDocument:
        document = QTextDocument(self)
        document.setHtml(self.html())
        return document

    # ------------------------------------------------------------ out
    def _printer(self) -> QPrinter:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        printer.setPageOrientation(QPageLayout.Orientation.Landscape)
        return printer

    def print_plan(self) -> None:
        printer = self._printer()
        if QPrintDialog(printer, self).exec() == QDialog.DialogCode.Accepted:
            self.document().print_(printer)

    def save_pdf(self, path: Optional[Path | str] = None) -> Optional[Path]:
        if path is None:
            suggested = Path.home() / self.tr("day-plan-{day}.pdf").format(day=self.day().isoformat())
            path = ask_save_path(self, self.tr("Save the day plan as PDF"), suggested, "PDF (*.pdf)")
        else:
            path = checked_path(self, path)
        if path is None:
            return None
        printer = self._printer()
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(path))
        self.document().print_(printer)
        if not Path(path).exists():
            show_error(self, CrmError("file_unwritable", path=str(path)))
            return None
        return Path(path)

    def export_excel(self, path: Optional[Path | str] = None) -> Optional[Path]:
        from crmdesk.core.visits import export as visit_export
        from crmdesk.ui.imports.wizard import ui_lang
        if path is None:
            suggested = Path.home() / self.tr("day-plan-{day}.xlsx").format(day=self.day().isoformat())
            path = ask_save_path(self, self.tr("Export the day plan"), suggested, "Excel (*.xlsx)", xlsx=True)
        else:
            path = checked_path(self, path, xlsx=True)
        if path is None:
            return None
        try:
            visit_export.export_day_plan(path, self.day(), ui_lang(), self.rep.currentData() or "")
        except CrmError as error:
            show_error(self, error)
            return None
        except Exception as exc:  # noqa: BLE001 - a bug: shown with details, nothing lost
            show_bug(self, exc)
            return None
        return Path(path)

    def render_png(self, path: Path | str, width: int = 1400) -> Path:
        """The printed page as an image (for the screenshots in the docs)."""
        document = self.document()
        document.setTextWidth(width - 80)
        height = int(document.size().height()) + 80
        image = QImage(width, height, QImage.Format.Format_ARGB32)
        image.fill(0xFFFFFFFF)
        painter = QPainter(image)
        painter.translate(40, 40)
        document.drawContents(painter)
        painter.end()
        image.save(str(path))
        return Path(path)
