"""The agenda: one day or a few, everything that is due across the capabilities (the
visits planned and those nobody recorded, the customers due for a visit, the complaints'
deadlines, the care reminders, the payments and the deals due), and its workbook, a sheet
for each. It reads the capabilities; none of them reads it, so their exports stay apart.
``crmdesk agenda`` and File ▸ Export ▸ Agenda use it."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from crmdesk.core.care import export as care_export
from crmdesk.core.care.agenda import care_agenda
from crmdesk.core.complaints import agenda as complaint_agenda, export as complaint_export
from crmdesk.core.io import excel_write as X
from crmdesk.core.sales import agenda_export, opportunities_agenda, receivables
from crmdesk.core.visits import planning as P
from crmdesk.core.customers import fields as F
from crmdesk.core.models import database
from crmdesk.core.phones.rules import display as phone_display
from crmdesk.core.visits import fields as V
from crmdesk.core.visits.export import columns_in
from crmdesk.core.visits.planning import CalendarItem, DueQuery, DueRow

MISSED_DAYS = 30  # how far back the agenda looks for visits nobody recorded
DUE_TOP = 20  # due customers the agenda lists (it counts all of them)
MAX_AGENDA_DAYS = 366


@dataclass
class Agenda:
    """What a rep's (or everyone's) days ahead hold."""
    day: dt.date
    days: int
    visits: list[CalendarItem] = field(default_factory=list)  # planned or done, by start
    missed: list[CalendarItem] = field(default_factory=list)  # passed unrecorded, by start
    due_count: int = 0  # customers due for a visit on ``day`` with none planned
    due: list[DueRow] = field(default_factory=list)  # the most overdue DUE_TOP of them
    rep: str = ""
    complaint_count: int = 0  # open complaints with a deadline before the agenda's end
    complaints: list = field(default_factory=list)  # complaint_agenda.Deadline, the soonest first
    care_count: int = 0  # open care events shown on or before the agenda's last day, overdue included
    care: list = field(default_factory=list)  # care.Event, the soonest first (at most care_agenda.MAX_SHOWN)
    payments: list = field(default_factory=list)  # receivables.Due falling due by the agenda's end, overdue first
    deal_count: int = 0  # open deals with a next step or expected close before the agenda's end
    deals: list = field(default_factory=list)  # opportunities_agenda.DueDeal, the soonest first

    def by_day(self) -> list[tuple[dt.date, list[CalendarItem]]]:
        """Every day of the agenda, with its visits (possibly none)."""
        result = [(self.day + dt.timedelta(days=n), []) for n in range(self.days)]
        for item in self.visits:
            index = (item.starts_at.date() - self.day).days
            if 0 <= index < self.days:
                result[index][1].append(item)
        return result


def missed_visits(day: dt.date, rep: str = "", days: int = MISSED_DAYS) -> list[CalendarItem]:
    """Planned visits that ended before ``day`` began, started within the ``days`` before
    it, and were never recorded (nor postponed, cancelled or marked missed)."""
    midnight = dt.datetime.combine(day, dt.time())
    where = ["v.state = 'planned'", "v.starts_at >= ?", "v.starts_at < ?", "v.ends_at < ?",
             "v.deleted_at IS NULL", "c.deleted_at IS NULL"]
    params: list = [(midnight - dt.timedelta(days=days)).isoformat(" "), midnight.isoformat(" "),
                    midnight.isoformat(" ")]
    if rep:
        where.append("v.rep = ?")
        params.append(rep)
    rows = database.execute_sql(
        f"SELECT {P.CALENDAR_COLUMNS} FROM visit v JOIN customer c ON c.id = v.customer_id "
        f"WHERE {' AND '.join(where)} ORDER BY v.starts_at, v.id", params)
    result = []
    for (vid, cid, name, starts, ends, _state, kind, vrep, place, version, city, district, mobile, phone,
         person, contacts, objective, talking, materials) in rows:
        result.append(CalendarItem(vid, cid, name, P.stored_datetime(starts), P.stored_datetime(ends), V.MISSED, kind,
                                   vrep, place, version, False, city, district,
                                   " / ".join(phone_display(p) for p in (mobile, phone) if p), contacts or person,
                                   objective, talking, materials))
    return result


def agenda(day: dt.date, days: int = 1, rep: str = "", at: Optional[dt.datetime] = None) -> Agenda:
    """The visits planned (or already made) from ``day`` for ``days`` days, the visits of
    the last ``MISSED_DAYS`` days nobody recorded, and the customers due for a visit on
    ``day``: how many, and the ``DUE_TOP`` most overdue. One read snapshot."""
    days = max(1, min(int(days), MAX_AGENDA_DAYS))
    with database.atomic("DEFERRED"):
        items = P.in_range(day, day + dt.timedelta(days=days), rep, at, include_closed=False, details=True)
        missed = missed_visits(day, rep)
        query = DueQuery(day, owner=rep)
        count = P.due_count(query)
        ids = P.first_due_ids(query, DUE_TOP)
        rows = P.due_rows(ids, day)
        complaint_count, deadlines = complaint_agenda.deadlines(
            dt.datetime.combine(day + dt.timedelta(days=days), dt.time()), at, owner=rep)
        care_count, care_events = care_agenda(day, days, rep)
        payments = receivables.due_between(None, day + dt.timedelta(days=days - 1), owner=rep)
        deal_count, deals = opportunities_agenda.due(day, day + dt.timedelta(days=days), owner=rep)
    return Agenda(day, days, items, missed, count, [rows[i] for i in ids if i in rows], rep,
                  complaint_count, deadlines, care_count, care_events, payments, deal_count, deals)


AGENDA_TITLES = {"visits": {"zh": "拜访", "en": "Visits"}, "missed": {"zh": "逾期未访", "en": "Missed"},
                 "due": {"zh": "待拜访客户", "en": "Due"}}
_AGENDA_VISIT_COLUMNS = (
    ("starts_at", "开始时间", "Start", 17, X.DATETIME_FORMAT),
    ("ends_at", "结束时间", "End", 17, X.DATETIME_FORMAT),
    ("customer", "客户名称", "Customer", 30, X.TEXT_FORMAT),
    ("kind", "拜访类型", "Kind", 14, X.TEXT_FORMAT),
    ("state", "状态", "State", 10, X.TEXT_FORMAT),
    ("rep", "拜访人", "Rep", 10, X.TEXT_FORMAT),
    ("contacts", "拜访对象", "Contacts", 16, X.TEXT_FORMAT),
    ("area", "地区", "Area", 18, X.TEXT_FORMAT),
    ("place", "地点", "Place", 36, X.TEXT_FORMAT),
    ("phones", "电话", "Phones", 28, X.TEXT_FORMAT),
    ("objective", "拜访目的", "Objective", 30, X.TEXT_FORMAT),
)
_DUE_COLUMNS = (
    ("code", "客户编号", "Customer No.", 12, X.TEXT_FORMAT),
    ("name", "客户名称", "Name", 30, X.TEXT_FORMAT),
    ("tier", "客户等级", "Tier", 12, X.TEXT_FORMAT),
    ("city", "城市", "City", 10, X.TEXT_FORMAT),
    ("district", "区县", "District", 10, X.TEXT_FORMAT),
    ("owner", "负责人", "Owner", 10, X.TEXT_FORMAT),
    ("mobile", "手机", "Mobile", 14, X.TEXT_FORMAT),
    ("last_visit", "上次拜访", "Last visit", 12, X.DATE_FORMAT),
    ("every_days", "拜访周期（天）", "Every (days)", 8, X.INTEGER_FORMAT),
    ("due_date", "应拜访日期", "Due", 12, X.DATE_FORMAT),
    ("overdue_days", "逾期天数", "Days overdue", 8, X.INTEGER_FORMAT),
)
MORE_DUE = {"zh": "共 {count} 位客户待拜访，这里列出逾期最久的 {shown} 位。",
            "en": "{count} customers are due for a visit; these are the {shown} most overdue."}


def _visit_rows(ws, items: list[CalendarItem], lang: str) -> int:
    kinds = {c.key: V.label(V.KINDS, c.key, lang) for c in V.KINDS}
    states = {c.key: V.label(V.STATES, c.key, lang) for c in V.STATES}
    for item in items:
        ws.append([X.datetime_cell(ws, item.starts_at), X.datetime_cell(ws, item.ends_at), X.text_cell(ws, item.customer_name),
                   X.text_value(ws, kinds.get(item.kind, item.kind)),
                   X.text_value(ws, states.get(item.state, item.state)), X.text_value(ws, item.rep),
                   X.text_cell(ws, item.contacts), X.text_value(ws, " ".join(p for p in (item.city, item.district) if p)),
                   X.text_cell(ws, item.place), X.text_value(ws, item.phones), X.text_cell(ws, item.objective)])
    return len(items)


def _date(ws, value: Optional[dt.date]):
    return X.styled_cell(ws, value, X.DATE_FORMAT) if value else None


def export_agenda(path: Path | str, agenda_: Agenda, lang: str = "zh") -> Path:
    """The agenda as a workbook: 拜访 / Visits, 逾期未访 / Missed, 待拜访客户 / Due,
    投诉期限 / Complaint deadlines, 客户关怀 / Customer care, 应收款到期 / Payments due and
    待跟进商机 / Deals due."""
    X.check_lang(lang)
    with X.write_only_workbook(path) as wb:
        visit_cols = columns_in(_AGENDA_VISIT_COLUMNS, lang)
        for key, items in (("visits", agenda_.visits), ("missed", agenda_.missed)):
            ws = X.write_only_sheet(wb, AGENDA_TITLES[key][lang], visit_cols)
            X.finish_sheet(ws, len(visit_cols), _visit_rows(ws, items, lang) + 1)
        due_cols = columns_in(_DUE_COLUMNS, lang)
        ws = X.write_only_sheet(wb, AGENDA_TITLES["due"][lang], due_cols)
        text = X.text_value
        for row in agenda_.due:
            ws.append([text(ws, row.code), text(ws, row.name), text(ws, F.enum_label("tier", row.tier, lang)),
                       text(ws, row.city), text(ws, row.district), text(ws, row.owner), text(ws, phone_display(row.mobile)),
                       _date(ws, row.last_visit), row.every_days, _date(ws, row.due_date), row.overdue_days])
        X.finish_sheet(ws, len(due_cols), len(agenda_.due) + 1)
        if agenda_.due_count > len(agenda_.due):  # below the filtered range: not a data row
            ws.append([])
            ws.append([text(ws, MORE_DUE[lang].format(count=agenda_.due_count, shown=len(agenda_.due)))])
        complaint_export.agenda_sheet(wb, agenda_.complaints, lang)
        care_export.agenda_sheet(wb, agenda_.care, lang, agenda_.day, agenda_.care_count)
        agenda_export.payments_sheet(wb, agenda_.payments, agenda_.day, lang)
        agenda_export.deals_sheet(wb, agenda_.deals, lang, agenda_.deal_count)
    return Path(path).expanduser()
