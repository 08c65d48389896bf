"""The care rules and greeting templates, kept in the database (DESIGN §4).

Each rule is on or off with its number of days: birthdays and festivals and anniversaries
appear ``days`` ahead of the day; a purchase is followed up ``days`` after it; a customer
nobody contacted for ``days`` gets an inactivity check; one that has not bought for 1.5 ×
its usual interval gets a churn warning. Festivals go to the customers of the chosen tiers
(none chosen: every customer). Points are earned per purchase at ``rate`` points per yuan.
A wrong value is refused with its field named and nothing is stored; a damaged stored
value falls back to its default."""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass, replace
from typing import Any, Mapping, Optional

from crmdesk.core.care import fields as C
from crmdesk.core.customers import fields as F
from crmdesk.core.care.dates import FESTIVALS, BadDate, check_birthday
from crmdesk.core.changes import Changes
from crmdesk.core.db import transaction
from crmdesk.core.errors import FieldError, ValidationError
from crmdesk.core.models import Setting

RULES_KEY = "care.rules"
TEMPLATES_KEY = "care.templates"
MAX_CUSTOM = 50
MAX_RATE = 1000
MAX_TEMPLATE = 2000
DAY_LIMITS = {"birthdays": 60, "festivals": 60, "anniversary": 60, "purchase": 365, "no_contact": C.MAX_DAYS,
              "payment_due": 365}


@dataclass(frozen=True)
class Rule:
    on: bool = True
    days: int = 7


@dataclass(frozen=True)
class Rules:
    birthdays: Rule = Rule(True, 7)
    festivals: Rule = Rule(True, 7)
    purchase: Rule = Rule(True, 3)
    anniversary: Rule = Rule(True, 7)
    no_contact: Rule = Rule(True, 90)
    no_purchase: Rule = Rule(True, 0)  # its threshold is the customer's own interval
    payment_due: Rule = Rule(True, 1)  # a sale unpaid so many days past its due date (issue 19)
    festival_keys: tuple[str, ...] = FESTIVALS
    custom_festivals: tuple[tuple[str, int, int], ...] = ()  # (name, month, day)
    festival_tiers: tuple[str, ...] = ("key",)  # none: every customer
    points_on: bool = True
    points_rate: float = 1.0  # points per yuan spent
    points_from: str = ""  # purchases from this day on earn points ("" : from the first run)

    def as_json(self) -> dict:
        data = asdict(self)
        data["custom_festivals"] = [list(c) for c in self.custom_festivals]
        return data


TIER_KEYS = tuple(c.key for c in F.TIER)

DEFAULT_TEMPLATES: dict[str, dict[str, str]] = {
    C.BIRTHDAY: {"zh": "{称呼}，祝您生日快乐，身体健康，万事如意！感谢您一直以来对{公司}的支持。",
                 "en": "Dear {salutation}, happy birthday! Thank you for your support of {company} all along."},
    C.FESTIVAL: {"zh": "{称呼}，{节日}快乐！感谢您{客户年数}年来的信任与支持，祝您阖家幸福。",
                 "en": "Dear {salutation}, happy {festival}! Thank you for {years} years of trust and support."},
    C.ANNIVERSARY: {"zh": "{称呼}，今天是我们合作{客户年数}周年的日子，感谢{公司}的一路同行！",
                    "en": "Dear {salutation}, today marks {years} years of working together. Thank you, {company}!"},
    C.PURCHASE: {"zh": "{称呼}您好，请问最近收到的货品使用是否顺利？有任何问题请随时联系我们。",
                 "en": "Dear {salutation}, is everything working well with your recent purchase? We are here to help."},
    C.INACTIVE: {"zh": "{称呼}您好，好久没有联系了，最近一切都好吗？有什么需要我们随时为您服务。",
                 "en": "Dear {salutation}, it has been a while. How are things? Let us know if we can help."},
    C.COMPLAINT: {"zh": "{称呼}您好，上次您反映的问题我们已经处理，想回访一下现在使用是否正常、您是否满意？",
                  "en": "Dear {salutation}, we have dealt with the problem you reported. Is everything working "
                        "well now, and are you satisfied?"},
    C.SURVEY: {"zh": "{称呼}您好，想请您花一分钟对我们的产品和服务做个评价，您的意见对我们很重要。",
               "en": "Dear {salutation}, could you spare a minute to rate our products and service?"},
}


def _stored(key: str) -> Any:
    row = Setting.get_or_none(Setting.key == key)
    if row is None:
        return None
    try:
        return json.loads(row.value)
    except (TypeError, ValueError):
        return None  # damaged: the defaults


def _days_value(value: Any, key: str, low: int, high: int) -> int:
    if isinstance(value, bool):
        raise FieldError("care_days_invalid", key, low=low, high=high)
    try:
        number = float(str(value).strip())
    except (TypeError, ValueError):
        raise FieldError("care_days_invalid", key, low=low, high=high) from None
    if number != number or number != int(number) or not low <= number <= high:
        raise FieldError("care_days_invalid", key, low=low, high=high)
    return int(number)


def validate(raw: Mapping[str, Any]) -> Rules:
    """Checked rules from a mapping shaped like ``Rules.as_json()``. Field keys in errors:
    ``birthdays.days``, ``custom_festivals``, ``points_rate``, ..."""
    errors: dict[str, FieldError] = {}
    values: dict[str, Any] = {}
    for name, high in DAY_LIMITS.items():
        if name not in raw:
            values[name] = getattr(Rules(), name)
            continue
        rule = raw.get(name) or {}
        on = bool(rule.get("on", True)) if isinstance(rule, Mapping) else True
        try:
            days = _days_value(rule.get("days") if isinstance(rule, Mapping) else rule, f"{name}.days", 1, high)
        except FieldError as error:
            if on:  # a rule that is off keeps whatever it had
                errors[error.key] = error
            days = getattr(Rules(), name).days
        values[name] = Rule(on, days)
    purchase_rule = raw.get("no_purchase") or {}
    values["no_purchase"] = Rule(bool(purchase_rule.get("on", True)) if isinstance(purchase_rule, Mapping) else True, 0)
    keys = raw.get("festival_keys", FESTIVALS)
    values["festival_keys"] = tuple(k for k in FESTIVALS if k in (keys or ()))
    tiers = raw.get("festival_tiers", ("key",))
    if not isinstance(tiers, (list, tuple)) or any(t not in TIER_KEYS for t in tiers):
        errors["festival_tiers"] = FieldError("enum_invalid", "festival_tiers", choices=", ".join(TIER_KEYS))
    else:
        values["festival_tiers"] = tuple(t for t in TIER_KEYS if t in tiers)
    custom = []
    for item in raw.get("custom_festivals") or ():
        try:
            name, month, day = item
            name = " ".join(str(name).split())
            month, day = int(month), int(day)
            if not name or len(name) > 40 or ":" in name:
                raise ValueError
            check_birthday(month, day, "solar")
        except (TypeError, ValueError):  # BadDate included: 30 February
            errors["custom_festivals"] = FieldError("care_festival_invalid", "custom_festivals",
                                                    value=" ".join(str(p) for p in (item if isinstance(item, (list, tuple)) else [item])))
            break
        if name not in [c[0] for c in custom]:
            custom.append((name, month, day))
    if len(custom) > MAX_CUSTOM:
        errors["custom_festivals"] = FieldError("number_out_of_range", "custom_festivals", low=0, high=MAX_CUSTOM)
    values["custom_festivals"] = tuple(custom)
    values["points_on"] = bool(raw.get("points_on", True))
    try:
        rate = float(str(raw.get("points_rate", 1)).strip())
        if isinstance(raw.get("points_rate"), bool) or rate != rate or not 0 < rate <= MAX_RATE:
            raise ValueError
        values["points_rate"] = rate
    except (TypeError, ValueError):
        errors["points_rate"] = FieldError("care_rate_invalid", "points_rate", high=MAX_RATE)
    since = str(raw.get("points_from") or "")
    if since:
        try:
            dt.date.fromisoformat(since)
        except ValueError:
            errors["points_from"] = FieldError("date_invalid", "points_from")
    values["points_from"] = since
    if errors:
        raise ValidationError(errors)
    return Rules(**values)


def load() -> Rules:
    stored = _stored(RULES_KEY)
    if not isinstance(stored, dict):
        return Rules()
    try:
        return validate(stored)
    except ValidationError as error:  # keep what is right, default what is damaged
        good = {k: v for k, v in stored.items() if not any(e.split(".")[0] == k for e in error.errors)}
        try:
            return validate(good)
        except ValidationError:
            return Rules()


def save(raw: Mapping[str, Any], today: Optional[dt.date] = None) -> list[Changes]:
    """Store the rules; nothing is stored when any value is wrong. Without a
    ``points_from`` the stored one is kept; points turned back on count from ``today``
    (the purchases made while they were off earn none)."""
    with transaction():
        stored = load()
        if "points_from" not in raw:
            raw = {**raw, "points_from": stored.points_from}
        rules = validate(raw)
        if rules.points_on and not stored.points_on and stored.points_from:
            rules = replace(rules, points_from=(today or dt.date.today()).isoformat())
        Setting.insert(key=RULES_KEY, value=json.dumps(rules.as_json(), ensure_ascii=False)).on_conflict_replace().execute()
    return [Changes.reset("care_settings")]


def start_points(rules: Rules, today: dt.date) -> Rules:
    """The rules with ``points_from`` fixed to ``today`` if it was never set (stored), so
    that turning points on does not credit every purchase ever made."""
    if rules.points_from:
        return rules
    stored = load()
    if not stored.points_from:
        stored = replace(stored, points_from=today.isoformat())
        Setting.insert(key=RULES_KEY, value=json.dumps(stored.as_json(), ensure_ascii=False)).on_conflict_replace().execute()
    return replace(rules, points_from=stored.points_from)


# ---------------------------------------------------------------- templates

def templates() -> dict[str, dict[str, str]]:
    """{kind: {"zh": text, "en": text}} for every kind, the defaults where none was saved."""
    result = {kind: dict(DEFAULT_TEMPLATES.get(kind, {"zh": "", "en": ""})) for kind in C.KIND_KEYS}
    stored = _stored(TEMPLATES_KEY)
    if isinstance(stored, dict):
        for kind, texts in stored.items():
            if kind in result and isinstance(texts, dict):
                for lang in ("zh", "en"):
                    if isinstance(texts.get(lang), str):
                        result[kind][lang] = texts[lang]
    return result


def save_templates(texts: Mapping[str, Mapping[str, str]]) -> list[Changes]:
    clean = templates()
    for kind, pair in texts.items():
        if kind not in clean:
            raise ValidationError({"kind": FieldError("enum_invalid", "kind", choices=", ".join(C.KIND_KEYS))})
        for lang in ("zh", "en"):
            text = str(pair.get(lang, clean[kind][lang]))
            if len(text) > MAX_TEMPLATE:
                raise ValidationError({f"{kind}.{lang}": FieldError("too_long", f"{kind}.{lang}", max=MAX_TEMPLATE)})
            clean[kind][lang] = text
    with transaction():
        Setting.insert(key=TEMPLATES_KEY, value=json.dumps(clean, ensure_ascii=False)).on_conflict_replace().execute()
    return [Changes.reset("care_settings")]


__all__ = ["Rule", "Rules", "load", "save", "validate", "templates", "save_templates", "BadDate"]
