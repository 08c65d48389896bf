"""The selected visit, as a rep reads it before and after: customer, when, where, whom,
why, what to say and bring; then what happened, objections and answers, the result and
the follow-up; and where it came from or led to."""
from __future__ import annotations

import datetime as dt
import html
from typing import Optional

from PySide6.QtWidgets import QTextBrowser, QWidget

from crmdesk.core.visits import fields as V
from crmdesk.core.errors import CrmError
from crmdesk.core.phones.rules import display as phone_display
from crmdesk.core.sales import objections as typed_objections
from crmdesk.core.sales import opportunities
from crmdesk.core.visits import visits
from crmdesk.ui.visits.form import objection_type_label
from crmdesk.ui.visits.labels import STATE_COLORS, kind_label, state_label
from crmdesk.ui.visits.sources import when


class VisitDetails(QTextBrowser):
    def __init__(self, parent: Optional[QWidget] = None):
        super().__init__(parent)
        self.setObjectName("visitDetails")
        self.setOpenExternalLinks(False)
        self.visit_id: Optional[int] = None
        self.visit = None  # the visit shown, as last read: the tab's actions follow its state
        self.now: Optional[dt.datetime] = None
        self.show_visit(None)

    def show_visit(self, visit_id: Optional[int]) -> None:
        self.visit_id = visit_id
        visit = None
        if visit_id:
            try:
                visit = visits.get(visit_id)
            except CrmError:
                visit = None
        self.visit = visit
        if visit is None:
            self.visit_id = None
            hint = self.tr("Select a visit to see its plan and what came of it, or plan one with Ctrl+N.")
            self.setHtml(f"<p style='color:#666'>{html.escape(hint)}</p>")
            return
        self.setHtml(self.render(visit))

    def refresh(self) -> None:
        self.show_visit(self.visit_id)

    def render(self, visit) -> str:
        esc = lambda text: html.escape(str(text or "")).replace("\n", "<br>")  # noqa: E731
        state = visits.shown_state(visit, self.now)
        color = STATE_COLORS.get(state, "#555")
        parts = [f"<h3 style='margin-bottom:2px'>{esc(visit.customer.name)}</h3>",
                 f"<p><span style='color:{color}; font-weight:bold'>{esc(state_label(state))}</span>"
                 f" · {esc(kind_label(visit.kind))} · {esc(when(visit.starts_at))}–{visit.ends_at:%H:%M}</p>"]

        def row(label: str, value) -> None:
            if value:
                parts.append(f"<p><b>{esc(label)}</b><br>{esc(value)}</p>")
        row(self.tr("Rep"), visit.rep)
        row(self.tr("Contacts"), visit.contacts)
        row(self.tr("Place"), visit.place)
        phones = " / ".join(phone_display(p) for p in (visit.customer.mobile, visit.customer.phone) if p)
        row(self.tr("Phone"), phones)
        row(self.tr("Objective"), visit.objective)
        row(self.tr("Talking points"), visit.talking_points)
        row(self.tr("Materials to bring"), visit.materials)
        row(self.tr("Expected result"), visit.expected_result)
        if visit.opportunity_id:
            try:
                row(self.tr("For the deal"), opportunities.get(visit.opportunity_id).title)
            except CrmError:
                pass  # the deal was deleted since
        if visit.state in (V.POSTPONED, V.CANCELLED, V.MISSED):
            row(self.tr("Reason"), visit.reason or self.tr("No reason given"))
        if visit.state == V.DONE:
            parts.append("<hr>")
            row(self.tr("What happened"), visit.outcome)
            rows = typed_objections.parse(visit.objections)
            if rows:
                items = "".join(f"<li>{esc(r.text)} → {esc(r.answer)}"
                                + (f" <i>({esc(objection_type_label(r.type))})</i>" if r.type else "") + "</li>"
                                for r in rows)
                label = self.tr("Objections and answers")
                parts.append(f"<p><b>{esc(label)}</b></p><ul>{items}</ul>")
            if visit.rating:
                row(self.tr("Result"), "★" * visit.rating + "☆" * (5 - visit.rating))
            row(self.tr("Follow-up actions"), visit.follow_up)
        if visit.next_visit_id:
            try:
                following = visits.get(visit.next_visit_id)
                row(self.tr("Next visit"), f"{when(following.starts_at)} · {kind_label(following.kind)}")
            except CrmError:
                pass
        if visit.series_id:
            note = self.tr("Part of a repeating plan.")
            parts.append(f"<p style='color:#666'>{esc(note)}</p>")
        return "".join(parts)
