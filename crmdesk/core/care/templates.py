"""Greetings from templates: placeholders in braces, Chinese or English names alike —
{称呼}/{salutation}, {姓名}/{name}, {公司}/{company}, {节日}/{festival} and
{客户年数}/{years} — filled for one event's customer and contact.

A placeholder crmdesk does not know ({生日} or a typo) is left in the text as written and
reported, so the user sees it and the template still works; a lone brace is just a brace.

The salutation is what a Chinese greeting uses: surname and job title (王经理), or surname
and 先生/女士 when the gender is known, else the whole name; in English "Mr. Wang" or
"Ms. Wang" (the surname in pinyin), else the name as written. Compound surnames (欧阳, 司马,
诸葛, ...) are kept whole."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Optional

from crmdesk.core.care import text as care_text
from crmdesk.core.care import fields as C

PLACEHOLDER = re.compile(r"\{([^{}\n]{1,30})\}")
NAMES = {alias: key for key, zh in C.PLACEHOLDERS for alias in (key, zh)}
COMPOUND_SURNAMES = ("欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒",
                     "夏侯", "轩辕", "令狐", "钟离", "独孤", "南宫", "西门", "端木", "百里", "呼延", "万俟", "闻人")


@dataclass(frozen=True)
class Greeting:
    text: str
    unknown: tuple[str, ...]  # placeholders left as written, e.g. ("{生日}",)


def _cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def surname(name: str) -> str:
    name = name.strip()
    if not _cjk(name):
        return name.split()[-1] if name.split() else ""
    for compound in COMPOUND_SURNAMES:
        if name.startswith(compound) and len(name) > 2:
            return compound
    return name[:1]


def salutation(name: str, title: str, gender: Optional[str], lang: str) -> str:
    name = (name or "").strip()
    if not name:
        return "客户" if lang == "zh" else "customer"
    family = surname(name)
    if lang == "zh":
        if not _cjk(name):
            return name
        if title and len(title) <= 6:
            return family + title.strip()
        if gender in ("male", "female"):
            return family + ("先生" if gender == "male" else "女士")
        return name
    if gender in ("male", "female"):
        if _cjk(family):
            from pypinyin import lazy_pinyin
            family = "".join(lazy_pinyin(family)).capitalize()
        return ("Mr. " if gender == "male" else "Ms. ") + family
    return name


def years_as_customer(first_purchase: Optional[dt.date], on: dt.date) -> int:
    """Whole years since the first purchase (at least 1: a greeting never says 0 years)."""
    if first_purchase is None:
        return 1
    years = on.year - first_purchase.year - ((on.month, on.day) < (first_purchase.month, first_purchase.day))
    return max(1, years)


def values(event, lang: str) -> dict[str, str]:
    """The placeholders' values for a ``care.Event``."""
    return {
        "salutation": salutation(event.contact_name, event.contact_title, event.gender, lang),
        "name": event.contact_name or event.customer_name,
        "company": event.company or event.customer_name,
        "festival": care_text.festival(event.occasion, lang, ""),
        "years": str(event.facts.get("years") or years_as_customer(event.first_purchase, event.due_on)),
    }


def render(template: str, filled: dict[str, str]) -> Greeting:
    unknown: list[str] = []

    def replace(match: re.Match) -> str:
        key = NAMES.get(match.group(1).strip())
        if key is None:
            if match.group(0) not in unknown:
                unknown.append(match.group(0))
            return match.group(0)
        return filled.get(key, "")
    return Greeting(PLACEHOLDER.sub(replace, template or ""), tuple(unknown))


def unknown_placeholders(template: str) -> tuple[str, ...]:
    return render(template, {}).unknown


def greeting(event, lang: str, templates: dict[str, dict[str, str]]) -> Greeting:
    """The event's own message if one was written for it, else its kind's template,
    filled for its customer and contact. A complaint's follow-up keeps the solution in its
    message: its greeting is always the template's."""
    own = event.message if event.kind != C.COMPLAINT else ""  # a follow-up's message is the solution offered
    template = own or templates.get(event.kind, {}).get(lang, "")
    return render(template, values(event, lang))
