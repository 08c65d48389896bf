"""The agenda workbook's sales sheets (issue 19): 应收款到期 / Payments due and 待跟进商机 /
Deals due, written as the agenda's other sheets are (``core.agenda.export_agenda``): headers
in the chosen language, dates as real Excel dates, amounts as numbers, text as text.

Only ``excel_write`` and the sales modules are imported here, never the agenda itself, so that
``visit_export`` can call this module without an import circle."""
from __future__ import annotations

import datetime as dt
from typing import Optional

from crmdesk.core.io import excel_write as X
from crmdesk.core.sales import opportunities_agenda as A

TITLES = {"payments": {"zh": "应收款到期", "en": "Payments due"},
          "deals": {"zh": "待跟进商机", "en": "Deals due"}}
_PAYMENT_COLUMNS = (
    ("due_on", "到期日", "Due", 12, X.DATE_FORMAT),
    ("customer", "客户名称", "Customer", 30, X.TEXT_FORMAT),
    ("owed", "欠款金额", "Owed", 14, X.MONEY_FORMAT),
    ("sale", "销售单号", "Sale No.", 10, X.INTEGER_FORMAT),
    ("sale_date", "销售日期", "Sale date", 12, X.DATE_FORMAT),
    ("owner", "负责人", "Owner", 10, X.TEXT_FORMAT),
    ("overdue_days", "逾期天数", "Days overdue", 10, X.INTEGER_FORMAT),
)
_DEAL_COLUMNS = (
    ("what", "跟进事项", "Due", 14, X.TEXT_FORMAT),
    ("due_on", "日期", "Date", 12, X.DATE_FORMAT),
    ("customer", "客户名称", "Customer", 30, X.TEXT_FORMAT),
    ("deal", "商机", "Deal", 30, X.TEXT_FORMAT),
    ("stage", "阶段", "Stage", 14, X.TEXT_FORMAT),
    ("amount", "预计金额", "Amount", 14, X.MONEY_FORMAT),
    ("next_step", "下一步", "Next step", 36, X.TEXT_FORMAT),
    ("owner", "负责人", "Owner", 10, X.TEXT_FORMAT),
    ("overdue", "逾期", "Overdue", 8, X.TEXT_FORMAT),
)
WHAT = {"next_step": {"zh": "下一步行动", "en": "Next step"}, "close": {"zh": "预计成交", "en": "Expected close"}}
OVERDUE = {"zh": "逾期", "en": "overdue"}
MORE_DEALS = {"zh": "共 {count} 个商机待跟进，这里列出最早的 {shown} 个。",
              "en": "{count} deals are due; these are the {shown} soonest."}


def _columns(specs, lang: str) -> list[X.Column]:
    return [X.Column(zh if lang == "zh" else en, width, fmt) for _key, zh, en, width, fmt in specs]


def _date(ws, value: Optional[dt.date]):
    return X.styled_cell(ws, value, X.DATE_FORMAT) if value else None


def _money(ws, value):
    return None if value is None else X.styled_cell(ws, value, X.MONEY_FORMAT)


def payments_sheet(wb, payments: list, day: dt.date, lang: str) -> int:
    """The agenda's payments due (``receivables.Due``), overdue first as given; days overdue
    counted from ``day`` (empty when not yet due). Returns the rows written."""
    cols = _columns(_PAYMENT_COLUMNS, lang)
    ws = X.write_only_sheet(wb, TITLES["payments"][lang], cols)
    text = X.text_value
    for due in payments:
        late = due.days_overdue(day)
        ws.append([_date(ws, due.due_on), text(ws, due.customer), _money(ws, due.owed),
                   X.styled_cell(ws, due.sale_id, X.INTEGER_FORMAT), _date(ws, due.date), text(ws, due.owner),
                   X.styled_cell(ws, late, X.INTEGER_FORMAT) if late > 0 else None])
    X.finish_sheet(ws, len(cols), len(payments) + 1)
    return len(payments)


def deals_sheet(wb, deals: list, lang: str, count: int = 0, stage_list: Optional[list] = None) -> int:
    """The agenda's deals due (``opportunities_agenda.DueDeal``), the soonest first: which
    date is due, stage names in ``lang``; ``count`` (all of them) above the rows listed says
    how many more there are, under the filtered range. Returns the rows written."""
    cols = _columns(_DEAL_COLUMNS, lang)
    ws = X.write_only_sheet(wb, TITLES["deals"][lang], cols)
    text = X.text_value
    for deal in deals:
        step = deal.next_step if deal.what == "next_step" else ""
        ws.append([text(ws, WHAT[deal.what][lang]), _date(ws, deal.due_on), text(ws, deal.customer_name),
                   text(ws, deal.title), text(ws, A.stage_name(deal.stage, lang, stage_list)),
                   _money(ws, deal.amount), text(ws, " ".join((step or "").split())), text(ws, deal.owner),
                   text(ws, OVERDUE[lang]) if deal.overdue else None])
    X.finish_sheet(ws, len(cols), len(deals) + 1)
    if count > len(deals):  # below the filtered range: not a data row
        ws.append([])
        ws.append([text(ws, MORE_DEALS[lang].format(count=count, shown=len(deals)))])
    return len(deals)
