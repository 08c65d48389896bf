"""Care out to Excel: every care event (关怀记录), the greetings of chosen events ready for a
mail merge (祝福语), and the agenda's care sheet.

Same rules as every export (``core.io.excel_write``, ``complaint_export``): headers in the
chosen language, a frozen bold header row with a filter, dates as real Excel dates, phones
as text, kinds, states and channels as labels, nothing that can become a formula, the file
written atomically; the events are read in chunks inside one read transaction. An event
without a title of its own is described by ``care_text.about`` (whose birthday, which
festival, which purchase), as the screens describe it."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Optional, Sequence

from crmdesk.core.care import fields as C
from crmdesk.core.care import text as care_text
from crmdesk.core.io import excel_write as X
from crmdesk.core.models import database
from crmdesk.core.progress import Progress
from crmdesk.core.care import events as care, settings as care_settings, templates as care_templates
from crmdesk.core.care.list import CONTACT_NAME, FROM, SHOWN, SUBJECT

CHUNK = 5000
TITLES = {"care": {"zh": "关怀记录", "en": "Care"}, "greetings": {"zh": "祝福语", "en": "Greetings"},
          "agenda": {"zh": "客户关怀", "en": "Customer care"}}
_WIDTHS = {"due_on": 12, "kind": 12, "state": 8, "customer_code": 12, "customer_name": 30, "contact": 10,
           "phone": 14, "wechat": 14, "channel": 8, "title": 36, "message": 40, "snoozed_until": 12,
           "done_at": 17, "result": 30, "response": 30, "owner": 10}
_DATES = {"due_on", "snoozed_until"}
_GREETING_WIDTHS = {"customer_code": 12, "customer_name": 30, "recipient": 12, "salutation": 12, "mobile": 14,
                    "email": 24, "wechat": 14, "address": 40, "occasion": 30, "due_on": 12, "text": 60}


def columns(lang: str) -> list[X.Column]:
    return [X.Column(c.zh if lang == "zh" else c.en, _WIDTHS[c.key],
                     X.DATE_FORMAT if c.key in _DATES else X.DATETIME_FORMAT if c.key == "done_at" else X.TEXT_FORMAT)
            for c in C.CARE_COLUMNS]


def labels(lang: str) -> dict[str, dict[str, str]]:
    """kind / state / channel key → its label in ``lang``."""
    return {name: {c.key: C.label(choices, c.key, lang) for c in choices}
            for name, choices in (("kind", C.KINDS), ("state", C.STATES), ("channel", C.CHANNELS))}


def _day(value) -> Optional[dt.date]:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _date(ws, value):
    day = value if isinstance(value, dt.date) else _day(value)
    return X.styled_cell(ws, day, X.DATE_FORMAT) if day else None


def _facts(raw) -> dict:
    try:
        facts = json.loads(raw) if raw else {}
    except ValueError:
        return {}
    return facts if isinstance(facts, dict) else {}


def subject(kind: str, occasion: str, facts, title: str, contact: str, lang: str) -> str:
    """The event's own title, else what ``care_text.about`` says it is about."""
    if title:
        return title
    return care_text.about(kind, occasion or "", facts if isinstance(facts, dict) else _facts(facts), "",
                           contact or "", lang)


_SELECT = (f"SELECT e.due_on, e.kind, e.state, c.code, c.name, {CONTACT_NAME}, "
           "CASE WHEN p.id IS NOT NULL THEN COALESCE(NULLIF(p.mobile, ''), p.phone) "
           "ELSE COALESCE(NULLIF(c.mobile, ''), c.phone) END, "
           f"CASE WHEN p.id IS NOT NULL THEN p.wechat ELSE c.wechat END, e.channel, {SUBJECT}, e.message, "
           "e.snoozed_until, e.done_at, e.result, e.response, c.owner, e.occasion, e.facts "
           f"{FROM} WHERE e.deleted_at IS NULL AND c.deleted_at IS NULL")


def _care_row(ws, row: tuple, lang: str, names: dict) -> list:
    (due, kind, state, code, name, contact, phone, wechat, channel, title, message, snoozed, done_at, result,
     response, owner, occasion, facts) = row
    text = X.text_value
    return [_date(ws, due), text(ws, names["kind"].get(kind, kind)), text(ws, names["state"].get(state, state)),
            text(ws, code), text(ws, name), text(ws, contact), text(ws, phone), text(ws, wechat),
            text(ws, names["channel"].get(channel, channel)),
            X.text_cell(ws, subject(kind, occasion, facts, title, contact, lang)), X.text_cell(ws, message),
            _date(ws, snoozed), X.datetime_cell(ws, done_at), X.text_cell(ws, result), X.text_cell(ws, response), text(ws, owner)]


def export_care(path: Path | str, lang: str = "zh", progress: Optional[Progress] = None) -> int:
    """Every live care event of a live customer, by due day, to the .xlsx file ``path``;
    returns the number written. Past Excel's rows a sheet, they go on in 关怀记录 (2)...
    ``progress`` may raise ``Cancelled``: then, as on any failure, no file is left behind."""
    X.check_lang(lang)
    names = labels(lang)
    with X.write_only_workbook(path) as wb:
        with database.atomic("DEFERRED"):  # one consistent snapshot; never the write lock
            total = database.execute_sql(
                "SELECT count(*) FROM care_event e JOIN customer c ON c.id = e.customer_id "
                "WHERE e.deleted_at IS NULL AND c.deleted_at IS NULL").fetchone()[0]
            cursor = database.execute_sql(_SELECT + " ORDER BY e.due_on, e.id")
            written = X.write_rows(wb, TITLES["care"][lang], columns(lang), cursor,
                                   lambda ws, record: _care_row(ws, record, lang, names), total, progress, CHUNK)
    return written


# ---------------------------------------------------------------- greetings for a mail merge

def _addresses(customer_ids: Sequence[int]) -> dict[int, str]:
    found: dict[int, str] = {}
    ids = list(dict.fromkeys(customer_ids))
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        for cid, province, city, district, address in database.execute_sql(
                f"SELECT id, province, city, district, address FROM customer WHERE id IN ({','.join('?' * len(chunk))})",
                chunk):
            parts = [p for p in (province, city, district, address) if p]
            # 上海市 上海市: a municipality is its own province
            if len(parts) >= 2 and parts[0] == parts[1]:
                parts = parts[1:]
            found[cid] = " ".join(parts)
    return found


def greeting_columns(lang: str) -> list[X.Column]:
    return [X.Column(c.zh if lang == "zh" else c.en, _GREETING_WIDTHS[c.key],
                     X.DATE_FORMAT if c.key == "due_on" else X.TEXT_FORMAT) for c in C.GREETING_COLUMNS]


def export_greetings(path: Path | str, event_ids: Sequence[int], lang: str = "zh",
                     templates: Optional[dict[str, dict[str, str]]] = None) -> int:
    """One row per event of ``event_ids`` (those that still exist, in that order): who it
    goes to, the salutation, how to reach them, the customer's address, the occasion, the
    day, and the greeting filled from the event's message or its kind's template, ready for
    a mail merge. Returns the number of rows."""
    X.check_lang(lang)
    with database.atomic("DEFERRED"):
        events = care.many(list(event_ids))
        addresses = _addresses([e.customer_id for e in events])
        templates = templates if templates is not None else care_settings.templates()
    cols = greeting_columns(lang)
    with X.write_only_workbook(path) as wb:
        ws = X.write_only_sheet(wb, TITLES["greetings"][lang], cols)
        text = X.text_value
        for event in events:
            recipient = event.contact_name or event.customer_name
            greeting = care_templates.greeting(event, lang, templates)
            ws.append([text(ws, event.customer_code), text(ws, event.customer_name), text(ws, recipient),
                       text(ws, care_templates.salutation(event.contact_name, event.contact_title, event.gender,
                                                          lang)),
                       text(ws, event.mobile), text(ws, event.email), text(ws, event.wechat),
                       text(ws, addresses.get(event.customer_id, "")),
                       X.text_cell(ws, subject(event.kind, event.occasion, event.facts, event.subject, event.contact_name,
                                         lang)),
                       _date(ws, event.due_on), X.text_cell(ws, greeting.text)])
        X.finish_sheet(ws, len(cols), len(events) + 1)
    return len(events)


# ---------------------------------------------------------------- the agenda

_AGENDA_COLUMNS = (("日期", "Date", 12, X.DATE_FORMAT), ("类型", "Kind", 12, X.TEXT_FORMAT),
                   ("客户名称", "Customer", 30, X.TEXT_FORMAT), ("联系人", "Contact", 10, X.TEXT_FORMAT),
                   ("电话", "Phone", 14, X.TEXT_FORMAT), ("方式", "Channel", 8, X.TEXT_FORMAT),
                   ("事由", "Subject", 40, X.TEXT_FORMAT), ("负责人", "Owner", 10, X.TEXT_FORMAT),
                   ("逾期", "Overdue", 8, X.TEXT_FORMAT))
OVERDUE = {"zh": "逾期", "en": "overdue"}


MORE = {"zh": "共 {count} 条关怀提醒，这里列出最早的 {shown} 条；全部见 crmdesk export care。",
        "en": "{count} care reminders in all; these are the {shown} soonest. crmdesk export care writes them all."}


def agenda_sheet(wb, events: list, lang: str, day: Optional[dt.date] = None, count: int = 0) -> None:
    """The agenda's open care events (``care.Event``) as a sheet; with ``day``, those shown
    before it are marked overdue; ``count`` (all of them) above the rows listed says how
    many more there are, under the filtered range."""
    names = labels(lang)
    cols = [X.Column(zh if lang == "zh" else en, width, fmt) for zh, en, width, fmt in _AGENDA_COLUMNS]
    ws = X.write_only_sheet(wb, TITLES["agenda"][lang], cols)
    text = X.text_value
    for event in events:
        late = day is not None and event.shown_on < day
        ws.append([_date(ws, event.shown_on), text(ws, names["kind"].get(event.kind, event.kind)),
                   text(ws, event.customer_name), text(ws, event.contact_name), text(ws, event.mobile or event.phone),
                   text(ws, names["channel"].get(event.channel, event.channel)),
                   X.text_cell(ws, subject(event.kind, event.occasion, event.facts, event.subject, event.contact_name, lang)),
                   text(ws, event.owner), text(ws, OVERDUE[lang]) if late else None])
    X.finish_sheet(ws, len(cols), len(events) + 1)
    if count > len(events):  # below the filtered range: not a data row
        ws.append([])
        ws.append([text(ws, MORE[lang].format(count=count, shown=len(events)))])
