"""The words the sales figures' sheets write, in Chinese and English: the sheet titles, the
headers, the months of the year and what an empty key means in each breakdown. No Qt: the
Excel report and the command line read them; ``lang`` is "zh" or "en"."""
from __future__ import annotations

from crmdesk.core.customers import fields as CF
from crmdesk.core.sales.opportunities_io import LOST_REASON_LABELS

SHEETS = {"funnel": ("漏斗", "Funnel"), "forecast": ("预测", "Forecast"), "months": ("月度销售", "Sales by month"),
          "seasons": ("季节", "Seasons"), "products": ("产品", "Products"), "channels": ("渠道", "Channels"),
          "owners": ("销售员", "Owners"), "regions": ("地区", "Regions"), "churn": ("流失率", "Churn"),
          "reasons": ("输单原因", "Lost reasons"), "objections": ("异议", "Objections")}

# What a breakdown writes for lines with nothing recorded.
NONE = {"product": ("未填写产品", "No product"), "category": ("未分类", "No category"),
        "channel": ("未记录来源", "No source"), "owner": ("未指定销售员", "No owner"),
        "region": ("未填写地区", "No region")}

MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
             "November", "December")


def pick(pair: tuple[str, str], lang: str) -> str:
    return pair[0] if lang == "zh" else pair[1]


def sheet(key: str, lang: str) -> str:
    return pick(SHEETS[key], lang)


def month_of_year(month: int, lang: str) -> str:
    return f"{month}月" if lang == "zh" else MONTHS_EN[month - 1]


def key_label(kind: str, key: str, lang: str) -> str:
    """A breakdown's key as the sheet shows it: a source's label, or what "none" means."""
    if not key:
        return pick(NONE[kind], lang)
    if kind == "channel":
        return CF.enum_label("source", key, lang)
    return key


# Why a deal was lost (the lost dialog's reasons; "" when none was given) and the course's
# objection types ("" for the objections recorded before types).
REASONS = {**LOST_REASON_LABELS, "": ("未填写原因", "No reason given")}
OBJECTION_TYPES = {"need": ("需求异议", "Need"), "budget": ("财力异议", "Budget"), "authority": ("权力异议", "Authority"),
                   "price": ("价格异议", "Price"), "product": ("产品异议", "Product"),
                   "salesperson": ("营销员异议", "Salesperson"), "timing": ("购买时间异议", "Timing"),
                   "": ("未分类", "No type")}


def reason_label(key: str, lang: str) -> str:
    return pick(REASONS[key], lang) if key in REASONS else key


def objection_label(key: str, lang: str) -> str:
    return pick(OBJECTION_TYPES[key], lang) if key in OBJECTION_TYPES else key
