"""The fields a user adds to customers (宗教信仰, 家庭成员, a company's own 经销商级别): a name
in the user's words (and, if they like, an English one), a type, and for a choice its
options. They are one setting (``customers.custom_fields``), shared by a team like the
other business settings; each customer's values live in ``customer_field_value``.

A field's key is its first name, folded (NFKC, spaces collapsed): two laptops that each
made 宗教信仰 offline made the same field, and a removed field added again under its name
finds its values again. Renaming changes the label, never the key."""
from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, replace
from typing import Any, Optional

from crmdesk.core.changes import UPDATED, Changes
from crmdesk.core.db import transaction
from crmdesk.core.errors import CrmError
from crmdesk.core.models import Setting, database, utcnow
from crmdesk.core.search import customer_text

KEY = "customers.custom_fields"
PREFIX = "cf:"  # a custom field's key among the customer's field keys: "cf:宗教信仰"
ENTITY = "custom_field"

TEXT, NUMBER, DATE, CHOICE, YESNO = "text", "number", "date", "choice", "yesno"
TYPES = (TEXT, NUMBER, DATE, CHOICE, YESNO)
MAX_FIELDS = 100
MAX_NAME = 50
MAX_CHOICES = 200
MAX_TEXT = 2000  # a text value


@dataclass(frozen=True)
class CustomField:
    key: str
    label: str
    type: str
    choices: tuple[str, ...] = ()
    label_en: str = ""

    @property
    def field_key(self) -> str:
        """The key the customer's values use (forms, imports, the change log, the list)."""
        return PREFIX + self.key

    def name(self, lang: str) -> str:
        """The name a user of ``lang`` ("zh" or "en") reads: the English one where given."""
        return self.label_en if lang == "en" and self.label_en else self.label

    def as_json(self) -> dict:
        out: dict[str, Any] = {"key": self.key, "label": self.label, "type": self.type}
        if self.choices:
            out["choices"] = list(self.choices)
        if self.label_en:
            out["label_en"] = self.label_en
        return out


def is_custom(field_key: str) -> bool:
    return field_key.startswith(PREFIX)


def folded(name: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", name)).strip()


# ------------------------------------------------------------------ reading

_cache: tuple[Optional[str], tuple[CustomField, ...]] = (None, ())


def _parse(text: Optional[str]) -> tuple[CustomField, ...]:
    try:
        items = json.loads(text) if text else []
    except (TypeError, ValueError):
        return ()  # a damaged setting: no custom fields shown, the values stay
    found: list[CustomField] = []
    for item in items if isinstance(items, list) else ():
        if not isinstance(item, dict):
            continue
        key, label, kind = item.get("key"), item.get("label"), item.get("type")
        if not (isinstance(key, str) and key and isinstance(label, str) and kind in TYPES):
            continue
        choices = tuple(str(c) for c in item.get("choices") or () if str(c).strip())
        found.append(CustomField(key, label, kind, choices, str(item.get("label_en") or "")))
    return tuple(found)


def all_fields() -> tuple[CustomField, ...]:
    """The custom fields, in the order the user gave them (one primary-key read; parsed
    again only when the setting changed)."""
    global _cache
    row = database.execute_sql("SELECT value FROM setting WHERE key = ?", [KEY]).fetchone()
    text = row[0] if row else None
    if text != _cache[0]:
        _cache = (text, _parse(text))
    return _cache[1]


def by_field_key() -> dict[str, CustomField]:
    """{"cf:宗教信仰": field} for the fields there are."""
    return {f.field_key: f for f in all_fields()}


def get(field_key_or_key: str) -> Optional[CustomField]:
    key = field_key_or_key[len(PREFIX):] if is_custom(field_key_or_key) else field_key_or_key
    return next((f for f in all_fields() if f.key == key), None)


def header_index() -> Optional[dict[str, str]]:
    """An import's header index: the built-in fields' names, then each custom field's names
    (folded) -> "cf:…"; None when there are no custom fields (the built-in index)."""
    from crmdesk.core.io import headers
    found = all_fields()
    if not found:
        return None
    index = dict(headers.HEADER_INDEX)
    for f in found:
        for name in (f.label, f.label_en, f.key):
            if name:
                index.setdefault(headers.fold(name), f.field_key)
    return index


# ------------------------------------------------------------------ changing

def _store(found: tuple[CustomField, ...] | list[CustomField]) -> Changes:
    Setting.insert(key=KEY, value=json.dumps([f.as_json() for f in found], ensure_ascii=False)) \
        .on_conflict_replace().execute()
    return Changes(ENTITY, UPDATED, ())


def _checked(label: str, label_en: str, kind: str, choices, others: list[CustomField]) -> tuple:
    from crmdesk.core.io import headers  # what an import's header already means
    label, label_en = folded(label or ""), folded(label_en or "")
    if not label:
        raise CrmError("custom_field_name_required")
    for name in filter(None, (label, label_en)):
        if len(name) > MAX_NAME:
            raise CrmError("custom_field_name_too_long", max=MAX_NAME)
        if headers.match_header(name) is not None:
            raise CrmError("custom_field_name_builtin", name=name)
        taken = {headers.fold(n) for f in others for n in (f.label, f.label_en, f.key) if n}
        if headers.fold(name) in taken:
            raise CrmError("custom_field_name_taken", name=name)
    if kind not in TYPES:
        raise CrmError("custom_field_type_invalid", type=kind)
    options: list[str] = []
    if kind == CHOICE:
        for choice in choices or ():
            text = folded(str(choice))
            if text and text not in options:
                if len(text) > MAX_NAME:
                    raise CrmError("custom_field_choice_too_long", max=MAX_NAME)
                options.append(text)
        if not options:
            raise CrmError("custom_field_choices_required")
        if len(options) > MAX_CHOICES:
            raise CrmError("custom_field_too_many_choices", max=MAX_CHOICES)
    return label, label_en, tuple(options)


def add(label: str, kind: str, choices=(), label_en: str = "") -> tuple[CustomField, list[Changes]]:
    """A new field after the others. A removed field of the same name comes back with its
    values when its type is the same; otherwise those old values stay hidden."""
    with transaction():
        current = list(all_fields())
        if len(current) >= MAX_FIELDS:
            raise CrmError("custom_field_too_many", max=MAX_FIELDS)
        label, label_en, options = _checked(label, label_en, kind, choices, current)
        made = CustomField(label, label, kind, options, label_en)
        changes = [_store(current + [made])]
        if _restorable(made):
            database.execute_sql("UPDATE customer_field_value SET deleted_at = NULL, updated_at = ? "
                                 "WHERE field = ? AND deleted_at IS NOT NULL", [utcnow(), made.key])
            _search_again(made.key)
            changes.append(Changes.reset("customer"))
    return made, changes


def _restorable(made: CustomField) -> bool:
    """Whether the hidden values under this key read as this field's type."""
    row = database.execute_sql(
        "SELECT count(*), sum(typeof(value) IN ('integer', 'real')) FROM customer_field_value "
        "WHERE field = ? AND deleted_at IS NOT NULL AND value IS NOT NULL", [made.key]).fetchone()
    total, numbers = row[0], row[1] or 0
    if not total:
        return False
    return numbers == total if made.type in (NUMBER, YESNO) else numbers == 0


def edit(key: str, label: str, choices=(), label_en: str = "") -> list[Changes]:
    """A new name (or English name) and, for a choice, new options; the type stays. An
    option taken away stays on the customers that have it."""
    with transaction():
        current = list(all_fields())
        at = next((i for i, f in enumerate(current) if f.key == key), None)
        if at is None:
            raise CrmError("custom_field_unknown", name=key)
        old = current[at]
        label, label_en, options = _checked(label, label_en, old.type, choices, current[:at] + current[at + 1:])
        current[at] = replace(old, label=label, label_en=label_en, choices=options)
        return [_store(current), Changes.reset("customer")]


def move(key: str, step: int) -> list[Changes]:
    """One place up (-1) or down (+1) in the form and the lists' choosers."""
    with transaction():
        current = list(all_fields())
        at = next((i for i, f in enumerate(current) if f.key == key), None)
        if at is None:
            raise CrmError("custom_field_unknown", name=key)
        to = max(0, min(len(current) - 1, at + step))
        current.insert(to, current.pop(at))
        return [_store(current)]


def _search_again(key: str) -> None:
    """The search text of the customers with a value in this field, made again: a hidden
    value is no longer found, a restored one is."""
    ids = [row[0] for row in database.execute_sql(
        "SELECT DISTINCT customer_id FROM customer_field_value WHERE field = ?", [key])]
    customer_text.refresh(ids)


def value_count(key: str) -> int:
    """How many customers have a value in this field."""
    return database.execute_sql(
        "SELECT count(*) FROM customer_field_value v JOIN customer c ON c.id = v.customer_id "
        "WHERE v.field = ? AND v.deleted_at IS NULL AND v.value IS NOT NULL AND c.deleted_at IS NULL",
        [key]).fetchone()[0]


def remove(key: str) -> list[Changes]:
    """The field leaves forms, lists and files; its values are hidden, not erased (adding a
    field of the same name and type again brings them back)."""
    with transaction():
        current = list(all_fields())
        if not any(f.key == key for f in current):
            raise CrmError("custom_field_unknown", name=key)
        changes = [_store([f for f in current if f.key != key])]
        database.execute_sql("UPDATE customer_field_value SET deleted_at = ?, updated_at = ? "
                             "WHERE field = ? AND deleted_at IS NULL", [utcnow(), utcnow(), key])
        _search_again(key)
        changes.append(Changes.reset("customer"))
    return changes

