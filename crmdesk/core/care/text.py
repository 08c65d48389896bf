"""What a care event is about, in one line of Chinese or English, for the export and the
command line (the screens say the same through Qt's translation, ``ui/care_labels.py``):
whose birthday, which festival, which purchase, how many years, and for a warning the
figures that raised it."""
from __future__ import annotations

from typing import Mapping, Optional

from crmdesk.core.care import fields as C
from crmdesk.core.care.dates import FESTIVAL_NAMES

LUNAR_MONTHS = ("正", "二", "三", "四", "五", "六", "七", "八", "九", "十", "冬", "腊")


def lunar_day(month: int, day: int) -> str:
    """农历 month and day as a calendar writes them: 八月十五, 正月初一, 腊月廿三."""
    if not (1 <= month <= 12 and 1 <= day <= 30):
        return f"{month}/{day}"
    digits = "一二三四五六七八九十"
    if day <= 10:
        text = "初" + digits[day - 1]
    elif day < 20:
        text = "十" + digits[day - 11]
    elif day == 20:
        text = "二十"
    elif day < 30:
        text = "廿" + digits[day - 21]
    else:
        text = "三十"
    return f"{LUNAR_MONTHS[month - 1]}月{text}"


def festival(occasion: str, lang: str, unknown: Optional[str] = None) -> str:
    """A festival's name ("custom:店庆" is 店庆); an occasion that is no festival as itself,
    or ``unknown`` when given."""
    if occasion.startswith("custom:"):
        return occasion[len("custom:"):]
    names = FESTIVAL_NAMES.get(occasion)
    if names:
        return names[0] if lang == "zh" else names[1]
    return occasion if unknown is None else unknown


def about(kind: str, occasion: str, facts: Mapping, title: str, contact: str, lang: str) -> str:
    zh = lang == "zh"
    if kind == C.BIRTHDAY and facts.get("month"):
        month, day = facts["month"], facts.get("day", 0)
        if facts.get("calendar") == "lunar":
            when = f"农历{lunar_day(month, day)}" if zh else f"lunar {month}/{day}"
        else:
            when = f"{month}月{day}日" if zh else f"{month}/{day}"
        return f"{contact}生日（{when}）" if zh else f"{contact}'s birthday ({when})"
    if kind == C.FESTIVAL:
        return festival(occasion, lang)
    if kind == C.COMPLAINT and title:
        return f"投诉 {title} 回访" if zh else f"Follow-up on complaint {title}"
    if kind == C.PURCHASE and facts.get("date"):
        return (f"{facts['date']} 购买后回访" if zh else f"Follow-up on the purchase of {facts['date']}")
    if kind == C.ANNIVERSARY and facts.get("years"):
        return (f"首次购买 {facts['years']} 周年（{facts.get('first_purchase', '')}）" if zh else
                f"{facts['years']} years since the first purchase ({facts.get('first_purchase', '')})")
    if kind == C.INACTIVE and facts.get("reason") == "no_contact":
        return (f"{facts['days']} 天未联系（上次 {facts['last_contact']}，设定 {facts['limit']} 天）" if zh else
                f"No contact for {facts['days']} days (last {facts['last_contact']}; limit {facts['limit']} days)")
    if kind == C.INACTIVE and facts.get("reason") == "no_purchase":
        return (f"{facts['days']} 天未购买：平时约每 {facts['interval']} 天购买一次（共 {facts['purchases']} 次），"
                f"超过 1.5 倍即 {facts['threshold']} 天；上次 {facts['last_purchase']}" if zh else
                f"No purchase for {facts['days']} days: usually every {facts['interval']} days "
                f"({facts['purchases']} purchases), 1.5 × is {facts['threshold']} days; last {facts['last_purchase']}")
    if kind == C.PAYMENT_DUE and facts.get("due_on"):
        return (f"催收 ¥{facts['owed']:,.2f}：{facts['date']} 的销售，{facts['due_on']} 到期" if zh else
                f"Collect ¥{facts['owed']:,.2f}: the sale of {facts['date']}, due {facts['due_on']}")
    return title
