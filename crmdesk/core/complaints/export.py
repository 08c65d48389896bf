"""Complaints out to Excel: every complaint (投诉记录) with its contact log (联系记录) and the
statistics (统计), or the statistics alone, the same figures the complaints tab charts.

Same rules as every export (``core.io.excel_write``): headers in the chosen language, a
frozen bold header row with a filter, times as real Excel date-times, numbers and phones
as text, categories and states as labels, nothing that can become a formula, the file
written atomically; the complaints are read in chunks inside one read transaction."""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Optional

from crmdesk.core.complaints import fields as K
from crmdesk.core.io import excel_write as X
from crmdesk.core.models import database
from crmdesk.core.phones.rules import display as phone_display
from crmdesk.core.progress import Progress
from crmdesk.core.complaints import stats as complaint_stats
from crmdesk.core.complaints.stats import Stats

CHUNK = 5000
TITLES = {"complaints": {"zh": "投诉记录", "en": "Complaints"}, "contacts": {"zh": "联系记录", "en": "Contact log"},
          "summary": {"zh": "统计", "en": "Statistics"}, "category": {"zh": "按类别", "en": "By category"},
          "month": {"zh": "按月份", "en": "By month"}, "satisfaction": {"zh": "满意度", "en": "Satisfaction"},
          "severity": {"zh": "按严重程度", "en": "By severity"}}
YES_NO = {"zh": ("是", "否"), "en": ("Yes", "No")}
_WIDTHS = {"number": 18, "customer_code": 12, "customer_name": 30, "contact": 10, "contact_phone": 14,
           "channel": 8, "received_at": 17, "category": 12, "subcategory": 14, "product": 20, "severity": 8,
           "state": 10, "owner": 10, "words": 40, "facts": 36, "root_cause": 30, "solution": 36,
           "compensation_kind": 10, "compensation_amount": 12, "accepted": 8, "response_due_at": 17,
           "first_response_at": 17, "resolution_due_at": 17, "resolved_at": 17, "closed_at": 17,
           "response_hours": 10, "resolution_hours": 10, "on_time": 8, "satisfaction": 10, "repeat_of": 18,
           "reopened": 8}
_DATETIMES = {"received_at", "response_due_at", "first_response_at", "resolution_due_at", "resolved_at",
              "closed_at"}
_NUMBERS = {"compensation_amount": X.MONEY_FORMAT, "response_hours": "0.0", "resolution_hours": "0.0",
            "reopened": X.INTEGER_FORMAT}


def columns(lang: str) -> list[X.Column]:
    return [X.Column(c.zh if lang == "zh" else c.en, _WIDTHS[c.key],
                     X.DATETIME_FORMAT if c.key in _DATETIMES else _NUMBERS.get(c.key, X.TEXT_FORMAT))
            for c in K.COMPLAINT_COLUMNS]


_SELECT = ("SELECT m.number, c.code, c.name, m.contact, m.contact_phone, m.channel, m.received_at, m.category, "
           "m.subcategory, m.product, m.severity, m.state, m.owner, m.words, m.facts, m.root_cause, m.solution, "
           "m.compensation_kind, m.compensation_amount, m.accepted, m.response_due_at, m.first_response_at, "
           "m.resolution_due_at, m.resolved_at, m.closed_at, m.response_minutes, m.resolution_minutes, "
           "m.satisfaction, m.satisfaction_scale, r.number, m.reopened "
           "FROM complaint m JOIN customer c ON c.id = m.customer_id LEFT JOIN complaint r ON r.id = m.repeat_of_id "
           "WHERE m.deleted_at IS NULL AND c.deleted_at IS NULL")


def _hours(minutes: Optional[int]) -> Optional[float]:
    return None if minutes is None else round(minutes / 60, 1)


def _complaint_row(ws, row: tuple, lang: str, labels: dict) -> list:
    (number, code, name, contact, phone, channel, received, category, subcategory, product, severity, state,
     owner, words, facts, root_cause, solution, compensation_kind, amount, accepted, response_due, first_response,
     resolution_due, resolved, closed, response_minutes, resolution_minutes, satisfaction, scale, repeat,
     reopened) = row
    text, when = X.text_value, X.datetime_cell
    yes, no = YES_NO[lang]
    on_time = None
    if resolved and resolution_due:
        on_time = yes if str(resolved) <= str(resolution_due) else no
    return [text(ws, number), text(ws, code), text(ws, name), text(ws, contact), text(ws, phone_display(phone)),
            text(ws, labels["channel"].get(channel, channel)), when(ws, received),
            text(ws, labels["category"].get(category, category)), text(ws, subcategory), X.text_cell(ws, product),
            text(ws, labels["severity"].get(severity, severity)), text(ws, labels["state"].get(state, state)),
            text(ws, owner), X.text_cell(ws, words), X.text_cell(ws, facts), X.text_cell(ws, root_cause), X.text_cell(ws, solution),
            text(ws, labels["compensation"].get(compensation_kind, compensation_kind)),
            None if amount is None else X.styled_cell(ws, amount / 100, X.MONEY_FORMAT),
            None if accepted is None else text(ws, yes if accepted else no),
            when(ws, response_due), when(ws, first_response), when(ws, resolution_due), when(ws, resolved),
            when(ws, closed), _hours(response_minutes), _hours(resolution_minutes), on_time and text(ws, on_time),
            text(ws, K.satisfaction_label(satisfaction, scale or 5, lang)), text(ws, repeat), reopened or None]


def _labels(lang: str) -> dict[str, dict[str, str]]:
    return {name: {c.key: K.label(choices, c.key, lang) for c in choices}
            for name, choices in (("channel", K.CHANNELS), ("category", K.CATEGORIES), ("severity", K.SEVERITIES),
                                  ("state", K.STATES), ("compensation", K.COMPENSATIONS))}


def export_complaints(path: Path | str, lang: str = "zh", progress: Optional[Progress] = None,
                      at: Optional[dt.datetime] = None) -> int:
    """Every live complaint, by time of receipt, its contact log, and the statistics of
    all of them, to the .xlsx file ``path``; returns the number of complaints written.
    ``progress`` may raise ``Cancelled``: then, as on any failure, no file is left behind."""
    X.check_lang(lang)
    labels = _labels(lang)
    with X.write_only_workbook(path) as wb:
        with database.atomic("DEFERRED"):  # one consistent snapshot; never the write lock
            total = database.execute_sql(
                "SELECT count(*) FROM complaint m JOIN customer c ON c.id = m.customer_id "
                "WHERE m.deleted_at IS NULL AND c.deleted_at IS NULL").fetchone()[0]
            cursor = database.execute_sql(_SELECT + " ORDER BY m.received_at, m.id")
            written = X.write_rows(wb, TITLES["complaints"][lang], columns(lang), cursor,
                                   lambda ws, record: _complaint_row(ws, record, lang, labels), total, progress,
                                   CHUNK)
            _contact_sheet(wb, lang, labels)
            stats = complaint_stats.statistics(now=at)
        _stats_sheets(wb, stats, lang)
    return written


def _contact_sheet(wb, lang: str, labels: dict) -> None:
    cols = [X.Column(c.zh if lang == "zh" else c.en, width, fmt) for c, width, fmt in zip(
        K.CONTACT_COLUMNS, (18, 17, 8, 10, 60), (X.TEXT_FORMAT, X.DATETIME_FORMAT, X.TEXT_FORMAT, X.TEXT_FORMAT,
                                                 X.TEXT_FORMAT))]
    ws = X.write_only_sheet(wb, TITLES["contacts"][lang], cols)
    rows = 0
    cursor = database.execute_sql(
        "SELECT m.number, k.at, k.channel, k.by, k.note, k.step FROM complaint_contact k "
        "JOIN complaint m ON m.id = k.complaint_id JOIN customer c ON c.id = m.customer_id "
        "WHERE k.deleted_at IS NULL AND m.deleted_at IS NULL AND c.deleted_at IS NULL "
        "ORDER BY m.received_at, m.id, k.at, k.id")
    for number, at, channel, by, note, step in cursor:
        if rows == X.SHEET_ROWS:
            break
        shown = note if not step else f"[{labels['state'].get(step, step)}] {note}".strip()
        ws.append([X.text_value(ws, number), X.datetime_cell(ws, at), X.text_value(ws, labels["channel"].get(channel, channel)),
                   X.text_value(ws, by), X.text_cell(ws, shown)])
        rows += 1
    X.finish_sheet(ws, len(cols), rows + 1)


# ---------------------------------------------------------------- statistics

SUMMARY = (
    ("total", "投诉总数", "Complaints"),
    ("open", "未解决", "Open"),
    ("overdue", "已逾期", "Overdue now"),
    ("repeat", "重复投诉", "Repeat complaints"),
    ("resolved", "已解决", "Resolved"),
    ("on_time_share", "按期解决率", "Resolved within the deadline"),
    ("response_on_time_share", "按期响应率", "First answered in time"),
    ("avg_response_hours", "平均响应用时(工时)", "Average hours to first response (business hours)"),
    ("avg_resolution_hours", "平均解决用时(工时)", "Average hours to resolution (business hours)"),
    ("surveyed", "回访人数", "Surveyed after closing"),
    ("avg_satisfaction", "平均满意度(1-5)", "Average satisfaction (1-5)"),
    ("satisfied_share", "满意率", "Satisfied or very satisfied"),
)
_SHARES = {"on_time_share", "response_on_time_share", "satisfied_share"}
PERIOD = {"zh": ("统计期间", "全部", "至今"), "en": ("Period", "all time", "now")}


def _stats_sheets(wb, stats: Stats, lang: str) -> None:
    label_col = X.Column("项目" if lang == "zh" else "Figure", 34, X.TEXT_FORMAT)
    value_col = X.Column("数值" if lang == "zh" else "Value", 14, None)
    ws = X.write_only_sheet(wb, TITLES["summary"][lang], [label_col, value_col])
    title, everything, until = PERIOD[lang]
    period = (everything if stats.start is None and stats.end is None else
              f"{stats.start.isoformat() if stats.start else ''} – "
              f"{(stats.end - dt.timedelta(days=1)).isoformat() if stats.end else until}")
    ws.append([X.text_value(ws, title), X.text_value(ws, period)])
    for key, zh, en in SUMMARY:
        value: Any = getattr(stats, key)
        if value is not None and key in _SHARES:
            value = X.styled_cell(ws, value, "0.0%")
        elif isinstance(value, float):
            value = X.styled_cell(ws, round(value, 2), "0.00")
        ws.append([X.text_value(ws, zh if lang == "zh" else en), value])
    X.finish_sheet(ws, 2, len(SUMMARY) + 2)

    def table(key: str, headers: tuple[str, ...], rows: list[list]) -> None:
        sheet = X.write_only_sheet(wb, TITLES[key][lang], [X.Column(h, 16) for h in headers])
        for row in rows:
            sheet.append([X.text_value(sheet, v) if isinstance(v, str) else v for v in row])
        X.finish_sheet(sheet, len(headers), len(rows) + 1)

    zh = lang == "zh"
    table("category", ("类别", "投诉数") if zh else ("Category", "Complaints"),
          [[K.label(K.CATEGORIES, key, lang), n] for key, n in stats.by_category])
    table("severity", ("严重程度", "投诉数") if zh else ("Severity", "Complaints"),
          [[K.label(K.SEVERITIES, key, lang), n] for key, n in stats.by_severity])
    table("month", ("月份", "收到", "解决", "按期解决") if zh else ("Month", "Received", "Resolved", "On time"),
          [[m.month, m.received, m.resolved, m.on_time] for m in stats.by_month])
    table("satisfaction", ("满意度", "人数") if zh else ("Satisfaction", "Customers"),
          [[K.satisfaction_label(level, stats.scale, lang), n] for level, n in enumerate(stats.satisfaction, 1)])


def export_statistics(path: Path | str, stats: Stats, lang: str = "zh") -> Path:
    """The figures of ``complaint_stats.statistics`` as a workbook: 统计 (the headline
    figures), 按类别, 按严重程度, 按月份, 满意度."""
    X.check_lang(lang)
    with X.write_only_workbook(path) as wb:
        _stats_sheets(wb, stats, lang)
    return Path(path).expanduser()


# ---------------------------------------------------------------- the agenda

AGENDA_TITLE = {"zh": "投诉期限", "en": "Complaint deadlines"}
_AGENDA_COLUMNS = (("投诉编号", "Complaint No.", 18, X.TEXT_FORMAT), ("客户名称", "Customer", 30, X.TEXT_FORMAT),
                   ("负责人", "Owner", 10, X.TEXT_FORMAT), ("严重程度", "Severity", 8, X.TEXT_FORMAT),
                   ("状态", "State", 10, X.TEXT_FORMAT), ("期限", "Deadline", 12, X.TEXT_FORMAT),
                   ("到期时间", "Due", 17, X.DATETIME_FORMAT), ("逾期(工时)", "Late (business hours)", 10, "0.0"))
DEADLINE_NAMES = {"zh": {"response": "首次响应", "resolution": "解决"},
                  "en": {"response": "First response", "resolution": "Resolution"}}


def agenda_sheet(wb, deadlines: list, lang: str) -> None:
    """The agenda's complaint deadlines (``complaint_agenda.Deadline``) as a sheet."""
    labels = _labels(lang)
    cols = [X.Column(zh if lang == "zh" else en, width, fmt) for zh, en, width, fmt in _AGENDA_COLUMNS]
    ws = X.write_only_sheet(wb, AGENDA_TITLE[lang], cols)
    text = X.text_value
    for item in deadlines:
        ws.append([text(ws, item.number), text(ws, item.customer_name), text(ws, item.owner),
                   text(ws, labels["severity"].get(item.severity, item.severity)),
                   text(ws, labels["state"].get(item.state, item.state)),
                   text(ws, DEADLINE_NAMES[lang][item.deadline]), X.datetime_cell(ws, item.due_at),
                   _hours(item.late_minutes) if item.overdue else None])
    X.finish_sheet(ws, len(cols), len(deadlines) + 1)
