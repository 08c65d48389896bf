"""The customer sheet out: exports and the import template (``spec/customer-sheet.md``).

Exactly the spec's columns in the spec's order (``fields.CUSTOMER_FIELDS``), headers in the
chosen language, enumerations as labels, dates as real Excel dates, phones, codes and
accounts as text, nothing that could become a formula (``core.io.excel_write``). Rows are
read in chunks of ids with plain SQL inside one read transaction (a consistent snapshot,
constant memory) and streamed into a write-only workbook; the file appears, atomically,
only when everything was written.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Callable, Optional, Sequence

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from crmdesk.core import custom_fields as CF
from crmdesk.core.customers import fields as F
from crmdesk.core.io import excel_write as X
from crmdesk.core.models import database
from crmdesk.core.phones.rules import display as phone_display
from crmdesk.core.progress import Progress, report
from crmdesk.core.customers import list as customer_list
from crmdesk.core.customers.list import ListQuery
from crmdesk.core.imports.rows import EXAMPLE_MARKERS

LANGS = ("zh", "en")
SHEET_TITLES = {"zh": "客户", "en": "Customers"}
CHUNK = 2000

_TYPE_WIDTHS = {F.TEXT: 14, F.LONGTEXT: 40, F.CODE: 14, F.PHONE: 16, F.EMAIL: 26,
                F.DECIMAL: 16, F.MONTH: 8, F.SCORE: 8, F.DATE: 12, F.BIRTHDAY: 12, F.TAGS: 24}
_KEY_WIDTHS = {"name": 32, "address": 40, "website": 28, "bank_account": 24, "tax_id": 22,
               "postal_code": 10, "bank_name": 20, "industry": 16, "payment_terms": 16,
               "hobbies": 24, "preferences": 24, "delivery_preference": 24}
# The format a column gives what the user types into it later: text where Excel would
# otherwise turn 001 into 1, a phone into 1.38E+10 or 4/2 into this year's date.
_TYPE_FORMATS = {F.TEXT: X.TEXT_FORMAT, F.LONGTEXT: X.TEXT_FORMAT, F.CODE: X.TEXT_FORMAT,
                 F.PHONE: X.TEXT_FORMAT, F.EMAIL: X.TEXT_FORMAT, F.TAGS: X.TEXT_FORMAT,
                 F.BIRTHDAY: X.TEXT_FORMAT, F.DATE: X.DATE_FORMAT, F.DECIMAL: X.MONEY_FORMAT}


def _check_lang(lang: str) -> str:
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}, not {lang!r}")
    return lang


def header(field: F.Field, lang: str) -> str:
    return field.zh if lang == "zh" else field.en


_CUSTOM_FORMATS = {CF.TEXT: X.TEXT_FORMAT, CF.CHOICE: X.TEXT_FORMAT, CF.DATE: X.DATE_FORMAT}
_CUSTOM_YES_NO = {"zh": ("是", "否"), "en": ("Yes", "No")}  # what the import reads back


def custom_columns(lang: str, fields: Sequence[CF.CustomField]) -> list[X.Column]:
    """The user's own fields after the spec's: their names in ``lang``, widths and formats."""
    return [X.Column(f.name(lang), max(12, X.display_width(f.name(lang)) + 2), _CUSTOM_FORMATS.get(f.type))
            for f in fields]


def custom_converters(ws, lang: str, fields: Sequence[CF.CustomField]) -> list[Callable[[dict], Any]]:
    """One function per custom field: the customer's {"cf:…": value} -> cell value."""
    yes, no = _CUSTOM_YES_NO[lang]
    result = []
    for field in fields:
        key = field.field_key
        if field.type in (CF.NUMBER, CF.DATE):
            def convert(values, key=key, field=field):
                return CF.as_python(field, values.get(key))
        elif field.type == CF.YESNO:
            def convert(values, key=key):
                value = values.get(key)
                return None if value is None else (yes if value else no)
        else:
            def convert(values, key=key):
                value = values.get(key)
                return None if value is None else X.text_value(ws, str(value))
        result.append(convert)
    return result


def columns(lang: str) -> list[X.Column]:
    """The sheet's columns in ``lang``: headers, widths and formats."""
    result = []
    for field in F.CUSTOMER_FIELDS:
        if field.type == F.ENUM:
            labels = [F.enum_label(field.key, c.key, lang) for c in field.choices]
            width = max(X.display_width(label) for label in labels) + 2
        else:
            width = _KEY_WIDTHS.get(field.key, _TYPE_WIDTHS.get(field.type, 12))
        result.append(X.Column(header(field, lang), width, _TYPE_FORMATS.get(field.type)))
    return result


# ---------------------------------------------------------------- rows

def _select_columns() -> list[str]:
    """The customer table's columns the sheet needs, after the id."""
    names = []
    for field in F.CUSTOMER_FIELDS:
        if field.type == F.BIRTHDAY:
            names += ["birthday_year", "birthday_month", "birthday_day"]
        else:
            names.append(field.key)
    return names


SELECT_COLUMNS = _select_columns()


def _converters(ws, lang: str) -> list[Callable[[tuple], Any]]:
    """One function per sheet column: raw row (id, *SELECT_COLUMNS) -> cell value."""
    index = {name: i for i, name in enumerate(SELECT_COLUMNS, 1)}
    text_value = X.text_value
    result: list[Callable[[tuple], Any]] = []
    for field in F.CUSTOMER_FIELDS:
        kind = field.type
        if kind == F.BIRTHDAY:
            result.append(_birthday_converter(ws, index))
            continue
        i = index[field.key]
        if kind == F.ENUM:
            labels = {c.key: F.enum_label(field.key, c.key, lang) for c in field.choices}

            def convert(row, i=i, labels=labels):
                value = row[i]
                return None if value is None else text_value(ws, labels.get(value, value))
        elif kind == F.DECIMAL:  # money: integer cents in the database
            def convert(row, i=i):
                cents = row[i]
                if cents is None:
                    return None
                return X.styled_cell(ws, cents // 100 if cents % 100 == 0 else cents / 100,
                                     X.MONEY_FORMAT)
        elif kind in (F.MONTH, F.SCORE):
            def convert(row, i=i):
                return row[i]
        elif kind == F.DATE:  # created_at: 'YYYY-MM-DD HH:MM:SS' (UTC), written as its date
            def convert(row, i=i):
                value = row[i]
                if not value:
                    return None
                if isinstance(value, str):
                    try:
                        return dt.date.fromisoformat(value[:10])
                    except ValueError:
                        return text_value(ws, value)
                return value.date() if isinstance(value, dt.datetime) else value
        elif kind == F.TAGS:
            def convert(row, i=i):
                value = row[i]
                if not value:
                    return None
                return text_value(ws, ", ".join(t.strip() for t in value.split(",") if t.strip()))
        elif kind == F.PHONE:  # stored in E.164, written as dialled (imported back the same)
            def convert(row, i=i):
                return text_value(ws, phone_display(row[i]))
        else:  # text, long text, codes, emails: always text
            def convert(row, i=i):
                return text_value(ws, row[i])
        result.append(convert)
    return result


def _birthday_converter(ws, index: dict[str, int]) -> Callable[[tuple], Any]:
    """A full solar birthday is a real date; without a year it is the text ``--MM-DD``; a
    lunar one is the text ``农历1985年8月15日`` (it is no day of the solar calendar), which
    the import reads back, and the calendar column says 农历 / Lunar."""
    iy, im, id_, ic = (index["birthday_year"], index["birthday_month"], index["birthday_day"],
                       index["birthday_calendar"])

    def convert(row):
        month, day = row[im], row[id_]
        if not month or not day:
            return None
        year = row[iy]
        if year and row[ic] != "lunar":
            try:
                return dt.date(year, month, day)
            except ValueError:
                pass
        if row[ic] == "lunar":  # 农历2月30日 is no solar date: the text the import reads back
            return f"农历{year}年{month}月{day}日" if year else f"农历{month}月{day}日"
        if year:
            return f"{year:04d}-{month:02d}-{day:02d}"
        return f"--{month:02d}-{day:02d}"
    return convert


def _chunks(customer_ids: Sequence[int], size: int = CHUNK):
    for start in range(0, len(customer_ids), size):
        yield customer_ids[start:start + size]


def _fetch(chunk: Sequence[int], deleted: bool) -> dict[int, tuple]:
    marks = ",".join("?" * len(chunk))
    condition = "c.deleted_at IS NOT NULL" if deleted else "c.deleted_at IS NULL"
    sql = (f"SELECT c.id, {', '.join('c.' + name for name in SELECT_COLUMNS)} FROM customer c "
           f"WHERE c.id IN ({marks}) AND {condition}")
    return {row[0]: row for row in database.execute_sql(sql, list(chunk))}


# ---------------------------------------------------------------- export

def export_customers(path: Path | str, lang: str = "zh", query: Optional[ListQuery] = None,
                     ids: Optional[Sequence[int]] = None,
                     progress: Optional[Progress] = None) -> int:
    """Write customers to the .xlsx file ``path``; returns the number of rows written.

    ``ids``: these customers in this order (the list as the user filtered and sorted it);
    ``query``: the customers it finds, in its order; neither: all live customers by name.
    Deleted customers are left out, unless ``query.deleted`` (the trash) asks for them.
    ``progress(done, total, "")`` is called per chunk and may raise ``Cancelled``: then, as
    on any failure, no file is left behind. A target that can't be written is
    ``CrmError('file_unwritable', path=...)``, raised before any work is done.
    """
    _check_lang(lang)
    query = query or ListQuery()
    with X.write_only_workbook(path) as wb:
        with database.atomic("DEFERRED"):  # a read snapshot; never the write lock
            if ids is None:
                ids = customer_list.ids(query)
            total = len(ids)
            report(progress, 0, total, "")
            own = CF.all_fields()
            cols = columns(lang) + custom_columns(lang, own)
            ws = X.write_only_sheet(wb, SHEET_TITLES[lang], cols)
            converters = _converters(ws, lang)
            own_converters = custom_converters(ws, lang, own)
            written = done = 0
            append = ws.append
            for chunk in _chunks(ids, CHUNK):
                found = _fetch(chunk, query.deleted)
                values = CF.read(chunk) if own else {}
                for customer_id in chunk:
                    row = found.get(customer_id)
                    if row is not None:
                        mine = values.get(customer_id, {})
                        append([convert(row) for convert in converters] + [convert(mine) for convert in own_converters])
                        written += 1
                done += len(chunk)
                report(progress, done, total, "")
        X.finish_sheet(ws, len(cols), written + 1)
    return written


# ---------------------------------------------------------------- template

EXAMPLE = {
    "code": "", "kind": "company", "title": "采购经理",  # blank: an import numbers it
    "mobile": "13800138000", "phone": "021-62345678", "fax": "021-62345679",
    "email": "zhangwei@example.com", "wechat": "zhangwei_sh", "province": "上海",
    "city": "上海", "district": "徐汇区", "address": "漕溪北路88号", "postal_code": "200030",
    "website": "www.example.com", "industry": "批发零售", "ownership": "民营",
    "company_size": "50-100人", "annual_revenue": 12_000_000_00, "fiscal_year_start": 1,
    "source": "referral", "owner": "李娜", "tier": "key", "stage": "developing",
    "relationship": "preferred_supplier", "credit_rating": "A", "need_score": 4,
    "volume_score": 3, "purchasing_power_score": 4, "credit_score": 5, "decision_score": 3,
    "gender": "male", "birthday_year": None, "birthday_month": 4, "birthday_day": 2,
    "birthday_calendar": "solar", "hometown": "浙江宁波", "education": "本科",
    "hobbies": "羽毛球", "preferences": "喜欢喝茶", "delivery_preference": "工作日送货",
    "payment_terms": "月结30天", "bank_name": "中国工商银行上海徐汇支行",
    "bank_account": "6222020200112233445", "tax_id": "91310104MA1FL0XX2K",
    "tags": "华东, 老客户", "notes": "", "created_at": None,
}
# The notes cell marks the example row: the import recognises it and leaves it out.
EXAMPLE_TEXT = {
    "zh": {"name": "上海明华贸易有限公司", "contact_person": "张伟", "notes": EXAMPLE_MARKERS["zh"]},
    "en": {"name": "Minghua Trading Co., Ltd.", "contact_person": "Zhang Wei",
           "title": "Purchasing Manager", "city": "Shanghai", "province": "Shanghai",
           "district": "Xuhui", "address": "88 Caoxi North Road", "industry": "Wholesale",
           "owner": "Li Na", "hometown": "Ningbo", "education": "Bachelor",
           "hobbies": "Badminton", "preferences": "Likes tea", "payment_terms": "30 days",
           "delivery_preference": "Weekdays", "bank_name": "ICBC Shanghai Xuhui",
           "ownership": "Private", "company_size": "50-100", "tags": "East, Loyal",
           "notes": EXAMPLE_MARKERS["en"]},
}


def _validations(lang: str) -> list[DataValidation]:
    """Drop-downs for the enumerations, ranges for months and scores. Warnings, not
    stops: the import also takes synonyms (VIP, 大客户...) the list doesn't show."""
    result = []
    for number, field in enumerate(F.CUSTOMER_FIELDS, 1):
        letter = get_column_letter(number)
        if field.type == F.ENUM:
            labels = [F.enum_label(field.key, c.key, lang) for c in field.choices]
            rule = DataValidation(type="list", formula1='"' + ",".join(labels) + '"',
                                  allow_blank=True)
        elif field.type in (F.MONTH, F.SCORE):
            high = 12 if field.type == F.MONTH else 5
            rule = DataValidation(type="whole", operator="between", formula1="1",
                                  formula2=str(high), allow_blank=True)
        else:
            continue
        rule.showErrorMessage = True
        rule.errorStyle = "warning"
        rule.add(f"{letter}2:{letter}1048576")
        result.append(rule)
    return result


def _custom_validations(lang: str, fields: Sequence[CF.CustomField]) -> list[DataValidation]:
    """Drop-downs for the custom choice and yes/no fields (warnings, as above)."""
    result = []
    for number, field in enumerate(fields, len(F.CUSTOMER_FIELDS) + 1):
        options = field.choices if field.type == CF.CHOICE else _CUSTOM_YES_NO[lang] if field.type == CF.YESNO else ()
        formula = '"' + ",".join(options) + '"'
        if not options or len(formula) > 255 or any(c in "\",\"" for o in options for c in o):
            continue  # Excel's list is at most 255 characters, without commas and quotes
        rule = DataValidation(type="list", formula1=formula, allow_blank=True)
        rule.showErrorMessage = True
        rule.errorStyle = "warning"
        letter = get_column_letter(number)
        rule.add(f"{letter}2:{letter}1048576")
        result.append(rule)
    return result


def template_customers(path: Path | str, lang: str = "zh", own: Sequence[CF.CustomField] = ()) -> Path:
    """An empty customer sheet to fill in: the headers, one example row, drop-downs for
    the enumerations (a normal workbook: write-only mode has no data validation). ``own``:
    custom fields to add as columns (the command line: those of the database, if there is one)."""
    _check_lang(lang)
    path = X.check_target(path)
    wb = Workbook()
    ws = X.normal_sheet(wb, SHEET_TITLES[lang], columns(lang) + custom_columns(lang, own), ws=wb.active)
    example = {**EXAMPLE, **EXAMPLE_TEXT[lang]}
    raw = (0, *(example.get(name) for name in SELECT_COLUMNS))
    for number, convert in enumerate(_converters(ws, lang), 1):
        _put(ws.cell(row=2, column=number), convert(raw))
    for rule in _validations(lang) + _custom_validations(lang, own):
        ws.add_data_validation(rule)
    X.finish_sheet(ws, len(F.CUSTOMER_FIELDS) + len(own), 2)
    return X.save(wb, path)


def _put(cell, value: Any) -> None:
    """A converter's value (plain, or a detached cell) into a normal worksheet's cell."""
    if isinstance(value, Cell):
        if value.data_type == "s":
            X.set_text(cell, value.value)
        else:
            cell.value = value.value
            cell.number_format = value.number_format
    elif isinstance(value, str):
        X.set_text(cell, value)
    elif value is not None:
        cell.value = value
