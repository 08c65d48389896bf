"""Visits out to Excel: every visit (拜访记录) and the day plan for the road (拜访路线); the
agenda's visit sheets are written by ``core.agenda`` with these columns.

Same rules as every export (``core.io.excel_write``, ``transaction_export``): headers in the
chosen language, a frozen bold header row with a filter, column widths, times as real Excel
date-times (``yyyy-mm-dd hh:mm``), codes and phones as text, kinds and states as labels,
nothing that can become a formula, the file written atomically. The visits sheet is read in
chunks inside one read transaction (a consistent snapshot, constant memory)."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any, Optional

from openpyxl.styles import Font

from crmdesk.core.visits import fields as V
from crmdesk.core.io import excel_write as X
from crmdesk.core.models import database
from crmdesk.core.progress import Progress, report
from crmdesk.core.visits import planning as P
from crmdesk.core.visits.planning import CalendarItem

CHUNK = 5000
SHEET_ROWS = 1_048_575  # Excel's rows per sheet, less the header: more visits go on to a next sheet
GROUP_FONT = Font(bold=True)

SHEET_TITLES = {"zh": "拜访记录", "en": "Visits"}
_WIDTHS = {"customer_code": 12, "customer_name": 30, "starts_at": 17, "ends_at": 17, "kind": 14,
           "state": 10, "rep": 10, "contacts": 16, "place": 36, "objective": 30, "talking_points": 36,
           "materials": 24, "expected_result": 24, "outcome": 48, "objections": 44, "rating": 8,
           "follow_up": 30, "reason": 24, "recorded_at": 17}
_DATETIMES = {"starts_at", "ends_at", "recorded_at"}


def columns_in(specs, lang: str) -> list[X.Column]:
    """(key, zh, en, width, format) -> the sheet's columns in ``lang``."""
    return [X.Column(zh if lang == "zh" else en, width, number_format)
            for _key, zh, en, width, number_format in specs]


def columns(lang: str) -> list[X.Column]:
    """The visits sheet's columns (``visit_fields.VISIT_COLUMNS``) in ``lang``."""
    result = []
    for column in V.VISIT_COLUMNS:
        if column.key in _DATETIMES:
            number_format = X.DATETIME_FORMAT
        elif column.key == "rating":
            number_format = X.INTEGER_FORMAT
        else:
            number_format = X.TEXT_FORMAT
        result.append(X.Column(column.zh if lang == "zh" else column.en, _WIDTHS[column.key], number_format))
    return result


# ---------------------------------------------------------------- values


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
    X.check_lang(lang)
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
            text, when, append = X.text_value, X.datetime_cell, ws.append
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
                            text(ws, rep), text(ws, contacts), text(ws, place), X.text_cell(ws, objective),
                            X.text_cell(ws, talking), X.text_cell(ws, materials), X.text_cell(ws, expected),
                            X.text_cell(ws, outcome), X.text_cell(ws, objection_lines(objections, lang)), rating,
                            X.text_cell(ws, follow_up), X.text_cell(ws, reason), when(ws, recorded)])
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
    X.check_lang(lang)
    kinds = {c.key: V.label(V.KINDS, c.key, lang) for c in V.KINDS}
    cols = columns_in(_DAY_PLAN_COLUMNS, lang)
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
                ws.append([time_span(item), X.text_cell(ws, item.customer_name),
                           X.text_value(ws, kinds.get(item.kind, item.kind)), X.text_cell(ws, item.contacts),
                           X.text_cell(ws, item.place), X.text_value(ws, item.phones), X.text_cell(ws, item.objective),
                           X.text_cell(ws, item.materials), X.text_cell(ws, item.talking_points)])
                rows += 1
                stops += 1
        X.finish_sheet(ws, len(cols), rows + 1)
    return stops


# ---------------------------------------------------------------- the agenda


