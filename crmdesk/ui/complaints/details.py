"""The selected complaint as the desk reads it: who, what, how serious, whose; how its
deadlines stand; the customer's words, the facts, the root cause, the solution and any
compensation; each step's checklist ticked; and every contact with the customer."""
from __future__ import annotations

import datetime as dt
import html
from typing import Optional

from PySide6.QtWidgets import QTextBrowser, QWidget

from crmdesk.core.complaints import fields as K
from crmdesk.core.errors import CrmError
from crmdesk.core.models import Complaint
from crmdesk.core.phones.rules import display as phone_display
from crmdesk.core.complaints import flow as complaint_flow, complaints
from crmdesk.ui.complaints import labels as CL
from crmdesk.ui.common import formatting
from crmdesk.ui.visits.sources import when


def _esc(text) -> str:
    return html.escape(str(text or "")).replace("\n", "<br>")


class ComplaintDetails(QTextBrowser):
    def __init__(self, parent: Optional[QWidget] = None):
        super().__init__(parent)
        self.setObjectName("complaintDetails")
        self.setOpenExternalLinks(False)
        self.complaint_id: Optional[int] = None
        self.complaint: Optional[Complaint] = None  # as last read: the tab's actions follow it
        self.now: Optional[dt.datetime] = None
        self.show_complaint(None)

    def show_complaint(self, complaint_id: Optional[int]) -> None:
        self.complaint_id = complaint_id
        complaint = None
        if complaint_id:
            try:
                complaint = complaints.get(complaint_id)
            except CrmError:
                complaint = None
        self.complaint = complaint
        if complaint is None:
            self.complaint_id = None
            hint = self.tr("Select a complaint to see its deadlines, checklist and contacts, or log one with Ctrl+N.")
            self.setHtml(f"<p style='color:#666'>{html.escape(hint)}</p>")
            return
        self.setHtml(self.render(complaint))

    def refresh(self) -> None:
        self.show_complaint(self.complaint_id)

    def _row(self, label: str, value: str) -> str:
        return f"<tr><td style='color:#666; padding-right:10px'>{html.escape(label)}</td><td>{value}</td></tr>"

    def render(self, c: Complaint) -> str:
        now = self.now or complaints.now()
        status = complaints.status(c, now)
        parts = [f"<h3>{_esc(c.number)} · {_esc(c.customer.name)}</h3>"]
        badge = CL.label("state", c.state)
        if status:
            badge += f" · <span style='color:{CL.STATUS_COLORS[status]}; font-weight:bold'>{_esc(CL.label('status', status))}</span>"
        parts.append(f"<p>{badge}</p>")
        rows = [
            self._row(self.tr("Category"), _esc(CL.label("category", c.category) + (
                f" / {c.subcategory}" if c.subcategory else ""))),
            self._row(self.tr("Severity"), _esc(CL.label("severity", c.severity))),
            self._row(self.tr("Received"), _esc(f"{when(c.received_at)} · {CL.label('channel', c.channel)}")),
            self._row(self.tr("Contact"), _esc(" ".join(p for p in (c.contact, phone_display(c.contact_phone)) if p))),
            self._row(self.tr("Owner"), _esc(c.owner)),
        ]
        if c.product:
            rows.append(self._row(self.tr("Product or sale"), _esc(c.product)))
        if c.repeat_of_id:
            earlier = Complaint.get_or_none(Complaint.id == c.repeat_of_id)
            rows.append(self._row(self.tr("Repeat"), "<span style='color:#c62828'>" + _esc(self.tr(
                "Repeat complaint: the same customer complained about the same within 90 days ({number}).")
                .format(number=earlier.number if earlier else "")) + "</span>"))
        if c.state == K.NEW:
            rows.append(self._row(self.tr("Respond by"), _esc(when(c.response_due_at))))
        elif c.first_response_at:
            rows.append(self._row(self.tr("First response"), _esc(when(c.first_response_at))))
        if c.state in K.OPEN_STATES:
            due = self.tr("waiting for the customer since {time}").format(time=when(c.waiting_since)) \
                if c.waiting_since else when(c.resolution_due_at)
            rows.append(self._row(self.tr("Resolve by"), _esc(due)))
        if c.resolved_at:
            rows.append(self._row(self.tr("Resolved"), _esc(when(c.resolved_at))))
        if c.closed_at:
            rows.append(self._row(self.tr("Closed"), _esc(when(c.closed_at))))
        if c.satisfaction:
            rows.append(self._row(self.tr("Satisfaction"), _esc(
                CL.satisfaction(c.satisfaction, c.satisfaction_scale) + (f" — {c.survey_note}" if c.survey_note else ""))))
        if c.reopened:
            rows.append(self._row(self.tr("Reopened"), _esc(self.tr("%n time(s)", "", c.reopened))))
        parts.append("<table>" + "".join(rows) + "</table>")
        for title, text in ((self.tr("The customer's words"), c.words), (self.tr("Facts established"), c.facts),
                            (self.tr("Root cause"), c.root_cause), (self.tr("Solution offered"), c.solution)):
            if text:
                parts.append(f"<h4>{_esc(title)}</h4><p>{_esc(text)}</p>")
        if c.compensation_kind and c.compensation_kind != "none":
            amount = f" {formatting.money(c.compensation_amount)}" if c.compensation_amount else ""
            title = self.tr("Compensation")
            parts.append(f"<p><b>{_esc(title)}</b>: "
                         f"{_esc(CL.label('compensation_kind', c.compensation_kind) + amount)}</p>")
        title = self.tr("Checklist")
        parts.append(f"<h4>{_esc(title)}</h4><table>")
        for item in complaint_flow.checklist(c):
            mark = "☑" if item.done else ("☐" if not item.required else "<span style='color:#c62828'>☐</span>")
            parts.append(f"<tr><td>{mark}</td><td style='color:#666; padding-right:8px'>"
                         f"{_esc(CL.label('state', item.state))}</td><td>{_esc(CL.label('checklist', item.key))}</td></tr>")
        parts.append("</table>")
        contacts = complaints.contacts_of(c.id)
        if contacts:
            title = self.tr("Contacts with the customer")
            parts.append(f"<h4>{_esc(title)}</h4><table>")
            for contact in contacts:
                step = f"[{CL.label('state', contact.step)}] " if contact.step else ""
                parts.append(f"<tr><td style='color:#666; padding-right:8px'>{_esc(when(contact.at))}</td>"
                             f"<td style='padding-right:8px'>{_esc(CL.label('channel', contact.channel))} "
                             f"{_esc(contact.by)}</td><td>{_esc(step + contact.note)}</td></tr>")
            parts.append("</table>")
        return "".join(parts)
