"""Visits out to Excel: every visit (拜访记录), the day plan for the road (拜访路线), and the
agenda (what is planned, what was missed, who is due for a visit).

Same rules as every export (``core.io.excel_write``, ``transaction_export``): headers in the
chosen language, a frozen bold header row with a filter, column widths, times as real Excel
date-times (``yyyy-mm-dd hh:mm``), codes and phones as text, kinds and states as labels,
nothing that can become a formula, the file written atomically. The visits sheet is read in
chunks inside one read transaction (a consistent snapshot, constant memory)."""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

from openpyxl.styles import Alignment, Font

from crmdesk.core.customers import fields as F
from crmdesk.core.visits import fields as V
from crmdesk.core.io import excel_write as X
from crmdesk.core.models import database
from crmdesk.core.phones.rules import display as phone_display
from crmdesk.core.progress import Progress, report
from crmdesk.core.visits import planning as P
from crmdesk.core.visits.planning import CalendarItem, DueQuery, DueRow

LANGS = ("zh", "en")
CHUNK = 5000
SHEET_ROWS = 1_048_575  # Excel's rows per sheet, less the header: more visits go on to a next sheet
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
WRAP = Alignment(wrap_text=True, vertical="top")
GROUP_FONT = Font(bold=True)
MISSED_DAYS = 30  # how far back the agenda looks for visits nobody recorded
DUE_TOP = 20  # due customers the agenda lists (it counts all of them)
MAX_AGENDA_DAYS = 366

SHEET_TITLES = {"zh": "拜访记录", "en": "Visits"}
_WIDTHS = {"customer_code": 12, "customer_name": 30, "starts_at": 17, "ends_at": 17, "kind": 14,
           "state": 10, "rep": 10, "contacts": 16, "place": 36, "objective": 30, "talking_points": 36,
           "materials": 24, "expected_result": 24, "outcome": 48, "objections": 44, "rating": 8,
           "follow_up": 30, "reason": 24, "recorded_at": 17}
_DATETIMES = {"starts_at", "ends_at", "recorded_at"}


def _check_lang(lang: str) -> str:
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}, not {lang!r}")
    return lang


def _columns(specs, lang: str) -> list[X.Column]:
    """(key, zh, en, width, format) -> the sheet's columns in ``lang``."""
    return [X.Column(zh if lang == "zh" else en, width, number_format)
            for _key, zh, en, width, number_format in specs]


def columns(lang: str) -> list[X.Column]:
    """The visits sheet's columns (``visit_fields.VISIT_COLUMNS``) in ``lang``."""
    result = []
    for column in V.VISIT_COLUMNS:
        if column.key in _DATETIMES:
            number_format = DATETIME_FORMAT
        elif column.key == "rating":
            number_format = X.INTEGER_FORMAT
        else:
            number_format = X.TEXT_FORMAT
        result.append(X.Column(column.zh if lang == "zh" else column.en, _WIDTHS[column.key], number_format))
    return result


# ---------------------------------------------------------------- values

def _datetime(ws, value: Any):
    """A stored time ('2026-11-24 09:00:00') as a real Excel date-time."""
    if not value:
        return None
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value)
        except ValueError:
            return X.text_value(ws, value)
    return X.styled_cell(ws, value, DATETIME_FORMAT)


def _text(ws, value: Optional[str]):
    """Text as text (never a formula); several lines wrap in their cell."""
    if not value:
        return None
    if "\n" not in value:
        return X.text_value(ws, value)
    cell = X.quoted_cell(ws, value)  # set_text: a formula-like start stays text
    cell.alignment = WRAP
    return cell


def objection_lines(raw: Optional[str], lang: str = "zh") -> str:
    """The stored objections (JSON ``[[objection, answer], ...]``) as readable lines,
    ``异议 → 答复``; a text that is no such JSON is kept as it is."""
    if not raw:
        return ""
    try:
        pairs = json.loads(raw)
        if not isinstance(pairs, list):
            raise ValueError
        lines = []
        for pair in pairs:
            objection, answer = (list(pair) + ["", ""])[:2] if isinstance(pair, (list, tuple)) else (pair, "")
            objection, answer = str(objection or "").strip(), str(answer or "").strip()
            if objection and answer:
                lines.append(f"{objection} → {answer}")
            elif objection or answer:
                lines.append(objection or f"→ {answer}")
        return "\n".join(lines)
    except (ValueError, TypeError):
        return raw


def _shown_state(state: str, ends_at: Any, at: str) -> str:
    """A planned visit whose end has passed is shown as missed (``visits.shown_state``);
    ``at`` and ``ends_at`` compare as stored text."""
    if state == V.PLANNED and ends_at and str(ends_at) < at:
        return V.MISSED
    return state


# ---------------------------------------------------------------- every visit

_SELECT = ("SELECT c.code, c.name, v.starts_at, v.ends_at, v.kind, v.state, v.rep, v.contacts, v.place, "
           "v.objective, v.talking_points, v.materials, v.expected_result, v.outcome, v.objections, "
           "v.rating, v.follow_up, v.reason, v.recorded_at "
           "FROM visit v JOIN customer c ON c.id = v.customer_id "
           "WHERE v.deleted_at IS NULL AND c.deleted_at IS NULL")


def export_visits(path: Path | str, lang: str = "zh", progress: Optional[Progress] = None,
                  at: Optional[dt.datetime] = None) -> int:
    """Every live visit of a live customer, by start time, to the .xlsx file ``path``;
    returns the number of visits written. States are as the user sees them at ``at``
    (default now): a planned visit that has passed unrecorded is 未拜访 / Missed. Past
    Excel's 1,048,576 rows a sheet, the visits go on in 拜访记录 (2), (3)...
    ``progress(done, total, "")`` is called per chunk and may raise ``Cancelled``: then,
    as on any failure, no file is left behind."""
    _check_lang(lang)
    at_text = (at or dt.datetime.now()).isoformat(" ")
    kinds = {c.key: V.label(V.KINDS, c.key, lang) for c in V.KINDS}
    states = {c.key: V.label(V.STATES, c.key, lang) for c in V.STATES}
    written = 0
    with X.write_only_workbook(path) as wb:
        with database.atomic("DEFERRED"):  # a read snapshot; never the write lock
            total = database.execute_sql(
                "SELECT count(*) FROM visit v JOIN customer c ON c.id = v.customer_id "
                "WHERE v.deleted_at IS NULL AND c.deleted_at IS NULL").fetchone()[0]
            cols = columns(lang)
            ws = X.write_only_sheet(wb, SHEET_TITLES[lang], cols)
            sheets, in_sheet = 1, 0
            report(progress, 0, total, "")
            cursor = database.execute_sql(_SELECT + " ORDER BY v.starts_at, v.id")
            text, when, append = X.text_value, _datetime, ws.append
            while True:
                records = cursor.fetchmany(CHUNK)
                if not records:
                    break
                for (code, name, starts, ends, kind, state, rep, contacts, place, objective, talking,
                     materials, expected, outcome, objections, rating, follow_up, reason,
                     recorded) in records:
                    if in_sheet == SHEET_ROWS:
                        X.finish_sheet(ws, len(cols), in_sheet + 1)
                        sheets, in_sheet = sheets + 1, 0
                        ws = X.write_only_sheet(wb, f"{SHEET_TITLES[lang]} ({sheets})", cols)
                        append = ws.append
                    in_sheet += 1
                    state = _shown_state(state, ends, at_text)
                    append([text(ws, code), text(ws, name), when(ws, starts), when(ws, ends),
                            text(ws, kinds.get(kind, kind)), text(ws, states.get(state, state)),
                            text(ws, rep), text(ws, contacts), text(ws, place), _text(ws, objective),
                            _text(ws, talking), _text(ws, materials), _text(ws, expected),
                            _text(ws, outcome), _text(ws, objection_lines(objections, lang)), rating,
                            _text(ws, follow_up), _text(ws, reason), when(ws, recorded)])
                written += len(records)
                report(progress, written, total, "")
        X.finish_sheet(ws, len(cols), in_sheet + 1)
    return written


# ---------------------------------------------------------------- the day plan

DAY_PLAN_TITLES = {"zh": "{day} 拜访路线", "en": "Day plan {day}"}
NOTHING_PLANNED = {"zh": "{day} 没有安排拜访。", "en": "Nothing is planned for {day}."}
NO_AREA = {"zh": "（未填地区）", "en": "(no city)"}
_DAY_PLAN_COLUMNS = (
    ("time", "时间", "Time", 13, X.TEXT_FORMAT),
    ("customer", "客户名称", "Customer", 30, X.TEXT_FORMAT),
    ("kind", "拜访类型", "Kind", 14, X.TEXT_FORMAT),
    ("contacts", "拜访对象", "Contacts", 16, X.TEXT_FORMAT),
    ("place", "地点", "Place", 40, X.TEXT_FORMAT),
    ("phones", "电话", "Phones", 28, X.TEXT_FORMAT),
    ("objective", "拜访目的", "Objective", 30, X.TEXT_FORMAT),
    ("materials", "携带资料", "Materials", 24, X.TEXT_FORMAT),
    ("talking_points", "洽谈要点", "Talking points", 40, X.TEXT_FORMAT),
)


def time_span(item: CalendarItem) -> str:
    """09:00–10:00; an end on another day carries its date (09:00–11-25 10:00)."""
    end = f"{item.ends_at:%H:%M}" if item.ends_at.date() == item.starts_at.date() else f"{item.ends_at:%m-%d %H:%M}"
    return f"{item.starts_at:%H:%M}–{end}"


def area(city: str, district: str, lang: str = "zh") -> str:
    """杭州市 西湖区: where a group of stops is."""
    return " ".join(p for p in (city, district) if p) or NO_AREA[lang]


def export_day_plan(path: Path | str, day: dt.date, lang: str = "zh", rep: str = "",
                    at: Optional[dt.datetime] = None) -> int:
    """The day's visits for the road (``visit_planning.day_plan``): one sheet, a bold row
    per city and district followed by its stops by time. Returns the number of stops; a
    day with none writes the header and one row saying so."""
    _check_lang(lang)
    kinds = {c.key: V.label(V.KINDS, c.key, lang) for c in V.KINDS}
    cols = _columns(_DAY_PLAN_COLUMNS, lang)
    stops = rows = 0
    with X.write_only_workbook(path) as wb:
        with database.atomic("DEFERRED"):
            groups = P.day_plan(day, rep, at)
        ws = X.write_only_sheet(wb, DAY_PLAN_TITLES[lang].format(day=day.isoformat()), cols)
        if not groups:
            ws.append([X.text_value(ws, NOTHING_PLANNED[lang].format(day=day.isoformat()))])
            rows = 1
        for group in groups:
            heading = X.quoted_cell(ws, area(group.city, group.district, lang))
            heading.font = GROUP_FONT
            ws.append([heading])
            rows += 1
            for item in group.stops:
                ws.append([time_span(item), _text(ws, item.customer_name),
                           X.text_value(ws, kinds.get(item.kind, item.kind)), _text(ws, item.contacts),
                           _text(ws, item.place), X.text_value(ws, item.phones), _text(ws, item.objective),
                           _text(ws, item.materials), _text(ws, item.talking_points)])
                rows += 1
                stops += 1
        X.finish_sheet(ws, len(cols), rows + 1)
    return stops


# ---------------------------------------------------------------- the agenda

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
        f"SELECT {P._CAL_COLUMNS} FROM visit v JOIN customer c ON c.id = v.customer_id "
        f"WHERE {' AND '.join(where)} ORDER BY v.starts_at, v.id", params)
    result = []
    for (vid, cid, name, starts, ends, _state, kind, vrep, place, version, city, district, mobile, phone,
         person, contacts, objective, talking, materials) in rows:
        result.append(CalendarItem(vid, cid, name, P._datetime(starts), P._datetime(ends), V.MISSED, kind,
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
        from crmdesk.core.complaints import agenda as complaint_agenda
        complaint_count, deadlines = complaint_agenda.deadlines(
            dt.datetime.combine(day + dt.timedelta(days=days), dt.time()), at, owner=rep)
        from crmdesk.core.care.agenda import care_agenda
        care_count, care_events = care_agenda(day, days, rep)
        from crmdesk.core.sales import receivables  # issue 19: the payments due
        payments = receivables.due_between(None, day + dt.timedelta(days=days - 1), owner=rep)
        from crmdesk.core.sales import opportunities_agenda  # issue 19: the deals due
        deal_count, deals = opportunities_agenda.due(day, day + dt.timedelta(days=days), owner=rep)
    return Agenda(day, days, items, missed, count, [rows[i] for i in ids if i in rows], rep,
                  complaint_count, deadlines, care_count, care_events, payments, deal_count, deals)


AGENDA_TITLES = {"visits": {"zh": "拜访", "en": "Visits"}, "missed": {"zh": "逾期未访", "en": "Missed"},
                 "due": {"zh": "待拜访客户", "en": "Due"}}
_AGENDA_VISIT_COLUMNS = (
    ("starts_at", "开始时间", "Start", 17, DATETIME_FORMAT),
    ("ends_at", "结束时间", "End", 17, DATETIME_FORMAT),
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
        ws.append([_datetime(ws, item.starts_at), _datetime(ws, item.ends_at), _text(ws, item.customer_name),
                   X.text_value(ws, kinds.get(item.kind, item.kind)),
                   X.text_value(ws, states.get(item.state, item.state)), X.text_value(ws, item.rep),
                   _text(ws, item.contacts), X.text_value(ws, " ".join(p for p in (item.city, item.district) if p)),
                   _text(ws, item.place), X.text_value(ws, item.phones), _text(ws, item.objective)])
    return len(items)


def _date(ws, value: Optional[dt.date]):
    return X.styled_cell(ws, value, X.DATE_FORMAT) if value else None


def export_agenda(path: Path | str, agenda_: Agenda, lang: str = "zh") -> Path:
    """The agenda as a workbook: 拜访 / Visits, 逾期未访 / Missed, 待拜访客户 / Due,
    投诉期限 / Complaint deadlines, 客户关怀 / Customer care, 应收款到期 / Payments due and
    待跟进商机 / Deals due."""
    _check_lang(lang)
    with X.write_only_workbook(path) as wb:
        visit_cols = _columns(_AGENDA_VISIT_COLUMNS, lang)
        for key, items in (("visits", agenda_.visits), ("missed", agenda_.missed)):
            ws = X.write_only_sheet(wb, AGENDA_TITLES[key][lang], visit_cols)
            X.finish_sheet(ws, len(visit_cols), _visit_rows(ws, items, lang) + 1)
        due_cols = _columns(_DUE_COLUMNS, lang)
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
        from crmdesk.core.complaints import export as complaint_export
        complaint_export.agenda_sheet(wb, agenda_.complaints, lang)
        from crmdesk.core.care import export as care_export
        care_export.agenda_sheet(wb, agenda_.care, lang, agenda_.day, agenda_.care_count)
        from crmdesk.core.sales import agenda_export  # issue 19: imports no agenda module back
        agenda_export.payments_sheet(wb, agenda_.payments, agenda_.day, lang)
        agenda_export.deals_sheet(wb, agenda_.deals, lang, agenda_.deal_count)
    return Path(path).expanduser()
