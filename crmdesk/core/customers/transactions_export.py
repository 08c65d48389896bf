"""The transactions sheet out (交易记录, ``spec/customer-sheet.md``): export and template.

Same rules as the customer export: headers in the chosen language, frozen and filtered
header row, dates as dates, codes as text, money as numbers, nothing that can become a
formula, the file written atomically. The import reads it back as it is.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Optional

from crmdesk.core.customers import fields as F
from crmdesk.core.io import excel_write as X
from crmdesk.core.models import database
from crmdesk.core.progress import Progress, report
from crmdesk.core.imports.rows import EXAMPLE_MARKERS

SHEET_TITLES = {"zh": "交易记录", "en": "Transactions"}
_WIDTHS = {"customer_code": 14, "customer_name": 32, "date": 12, "product": 28, "category": 16,
           "quantity": 10, "amount": 14, "paid": 14, "notes": 40}
_FORMATS = {"customer_code": X.TEXT_FORMAT, "customer_name": X.TEXT_FORMAT, "date": X.DATE_FORMAT,
            "product": X.TEXT_FORMAT, "category": X.TEXT_FORMAT, "amount": X.MONEY_FORMAT,
            "paid": X.MONEY_FORMAT, "notes": X.TEXT_FORMAT}
CHUNK = 5000


def columns(lang: str) -> list[X.Column]:
    return [X.Column(c.zh if lang == "zh" else c.en, _WIDTHS[c.key], _FORMATS.get(c.key))
            for c in F.TRANSACTION_COLUMNS]


def _money(ws, cents: Optional[int]):
    if cents is None:
        return None
    return X.styled_cell(ws, cents // 100 if cents % 100 == 0 else cents / 100, X.MONEY_FORMAT)


def _date(ws, value):
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value[:10])
        except ValueError:
            return X.text_value(ws, value)
    return X.styled_cell(ws, value, X.DATE_FORMAT) if value else None


def _row(ws, record) -> list:
    code, name, date, product, category, quantity, amount, paid, notes = record
    if quantity is not None and float(quantity).is_integer():
        quantity = int(quantity)
    return [X.text_value(ws, code), X.text_value(ws, name), _date(ws, date),
            X.text_value(ws, product), X.text_value(ws, category), quantity,
            _money(ws, amount), _money(ws, paid), X.text_value(ws, notes)]


def export_transactions(path: Path | str, lang: str = "zh", progress: Optional[Progress] = None) -> int:
    """Every transaction of a live customer, by customer number and date."""
    written = 0
    with X.write_only_workbook(path) as wb:
        with database.atomic("DEFERRED"):
            total = database.execute_sql(
                "SELECT count(*) FROM transactions t JOIN customer c ON c.id = t.customer_id "
                "WHERE t.deleted_at IS NULL AND c.deleted_at IS NULL").fetchone()[0]
            cols = columns(lang)
            ws = X.write_only_sheet(wb, SHEET_TITLES[lang], cols)
            report(progress, 0, total, "")
            cursor = database.execute_sql(
                "SELECT c.code, c.name, t.date, t.product, t.category, t.quantity, t.amount, t.paid, t.notes "
                "FROM transactions t JOIN customer c ON c.id = t.customer_id "
                "WHERE t.deleted_at IS NULL AND c.deleted_at IS NULL ORDER BY c.code, t.date, t.id")
            while True:
                records = cursor.fetchmany(CHUNK)
                if not records:
                    break
                for record in records:
                    ws.append(_row(ws, record))
                written += len(records)
                report(progress, written, total, "")
        X.finish_sheet(ws, len(cols), written + 1)
    return written


# The notes cell marks the example row: the import recognises it and leaves it out.
EXAMPLE = {"zh": ("C000001", "上海明华贸易有限公司", dt.date(2026, 3, 18), "不锈钢阀门 DN50", "阀门",
                  20, 1_280_000, 1_000_000, EXAMPLE_MARKERS["zh"]),
           "en": ("C000001", "Minghua Trading Co., Ltd.", dt.date(2026, 3, 18), "Stainless valve DN50",
                  "Valves", 20, 1_280_000, 1_000_000, EXAMPLE_MARKERS["en"])}


def template_transactions(path: Path | str, lang: str = "zh") -> Path:
    with X.write_only_workbook(path) as wb:
        cols = columns(lang)
        ws = X.write_only_sheet(wb, SHEET_TITLES[lang], cols)
        ws.append(_row(ws, EXAMPLE[lang]))
        X.finish_sheet(ws, len(cols), 2)
    return Path(path).expanduser()
