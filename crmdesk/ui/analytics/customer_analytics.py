"""The customer profile's Figures page: the customer's ABC class, evaluation score and the
tier it suggests, lifetime value, loyalty index with its factors (those without data said
so), RFM segment and churn signs, against the population of the last analytics report
(its date shown); read in milliseconds when a customer is selected."""
from __future__ import annotations

import datetime as dt
import html
from typing import Optional

from PySide6.QtWidgets import QTextBrowser, QVBoxLayout, QWidget

from crmdesk.core.analytics import snapshot
from crmdesk.ui.analytics import labels as AL
from crmdesk.ui.common import formatting
from crmdesk.ui.common.labels import choice_label


class CustomerAnalytics(QWidget):
    def __init__(self, parent: Optional[QWidget] = None):
        super().__init__(parent)
        self.setObjectName("customerAnalytics")
        self.today: Optional[dt.date] = None  # tests pin it
        self.customer_id: Optional[int] = None
        self.text = QTextBrowser(self)
        self.text.setObjectName("customerFigures")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.text)

    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        self.show_customer(self.customer_id)  # the report may have run since

    def show_customer(self, customer_id: Optional[int]) -> None:
        self.customer_id = customer_id
        if not customer_id:
            self.text.clear()
            return
        mine = snapshot.for_customer(customer_id, self.today or dt.date.today())
        if mine is None:
            self.text.setHtml("<p style='color:#666'>" + html.escape(self.tr(
                "The figures appear here once the Analytics tab (or crmdesk report) has worked them out for "
                "every customer.")) + "</p>")
            return
        rows = [
            (self.tr("ABC class"), mine.abc_class),
            (self.tr("Evaluation score"), formatting.number(mine.score, 1) + " / 5" if mine.score is not None
             else self.tr("no scores yet")),
            (self.tr("Suggested tier"), f"{choice_label('tier', mine.suggestion[0])} · "
                                        f"{choice_label('relationship', mine.suggestion[1])}"),
            (self.tr("Lifetime value"), self.tr("{total}: historical {historical}, current {current}, potential "
                                                "{potential}").format(
                total=formatting.money(mine.value.total), historical=formatting.money(mine.value.historical),
                current=formatting.money(mine.value.current), potential=formatting.money(mine.value.potential))),
            (self.tr("Loyalty index"), formatting.number(mine.loyalty.index, 1) if mine.loyalty.index is not None
             else self.tr("no data")),
        ]
        for key, value in mine.loyalty.factors.items():
            rows.append(("&nbsp;&nbsp;" + html.escape(AL.label("factor", key)),
                         f"{round(100 * value)} / 100" if value is not None else self.tr("no data")))
        rows.append((self.tr("RFM"), f"{mine.rfm.code} · {AL.label('segment', mine.rfm.segment)}" if mine.rfm
                     else self.tr("never bought")))
        rows.append((self.tr("Churn signs"), "; ".join(AL.sign_text(s.reason, s.figures) for s in mine.signs)
                     or self.tr("none")))
        cells = "".join(f"<tr><td style='color:#555;padding-right:14px'>{name if name.startswith('&nbsp;') else html.escape(name)}"
                        f"</td><td>{html.escape(str(value))}</td></tr>" for name, value in rows)
        note = html.escape(self.tr("Against all customers as worked out on {date}.").format(
            date=formatting.date(mine.worked_out)))
        self.text.setHtml(f"<table cellspacing='2'>{cells}</table><p style='color:#666'>{note}</p>")
