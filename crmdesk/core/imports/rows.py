"""One sheet row to one customer's values: the mapped cells, joined names, a second phone,
columns kept in notes; then the same normalisation as the customer form."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Optional

from crmdesk.core import custom_fields
from crmdesk.core.customers import fields as F
from crmdesk.core.errors import FieldError
from crmdesk.core.io import headers as H
from crmdesk.core.io import normalize
from crmdesk.core.io.headers import Layout
from crmdesk.core.models import database

_CJK = re.compile(r"[\u3400-\u9fff]")
# Longer than any cell Excel itself allows (32,767): refused before anything parses it.
CELL_MAX = 32_767


@dataclass
class SheetRow:
    """A data row as it was in the file, and what became of it."""
    number: int  # the row (or CSV line) number the user sees
    values: list[Any]  # the cells as read (edited in place by the wizard)
    errors: dict[str, FieldError] = field(default_factory=dict)  # target key -> problem
    clean: Optional[dict[str, Any]] = None  # the normalised values when the row is good
    kept: dict[str, FieldError] = field(default_factory=dict)  # bad values kept in the notes (--bad-values keep)
    similar: list = field(default_factory=list)  # the preview's dedupe.Pair: customers it probably is

    @property
    def ok(self) -> bool:
        return not self.errors


def is_blank_row(values: list[Any]) -> bool:
    return all(normalize.is_blank(v) for v in values)


def _joined_name(first: str, last: str) -> str:
    """Given and family names as a person would write them: 张 + 伟 = 张伟, Ann + Lee = Ann Lee."""
    if _CJK.search(first + last):
        return f"{last}{first}"
    return " ".join(p for p in (first, last) if p)


def raw_values(row: SheetRow, layout: Layout) -> dict[str, Any]:
    """The customer field values of a row, before normalisation, with the columns the spec
    has no field for folded in: first/last names, a second phone, columns for the notes."""
    values = row.values
    raw: dict[str, Any] = {}
    notes_extra: list[str] = []
    first = last = ""
    extra_phone = None
    for index, target in layout.mapping.items():
        cell = values[index] if index < len(values) else None
        if target == H.FIRST_NAME:
            first = normalize.text(cell)
        elif target == H.LAST_NAME:
            last = normalize.text(cell)
        elif target == H.EXTRA_PHONE:
            extra_phone = cell
        elif target == H.TO_NOTES:
            if not normalize.is_blank(cell):
                notes_extra.append(f"{layout.column_name(index)}: {normalize.text(cell)}")
        else:
            raw[target] = cell
    if first or last:
        person = _joined_name(first, last)
        if normalize.is_blank(raw.get("contact_person")):
            raw["contact_person"] = person
    if not normalize.is_blank(extra_phone):
        main = raw.get("phone")
        raw["phone"] = extra_phone if normalize.is_blank(main) else f"{normalize.text(main)} / {normalize.text(extra_phone)}"
    if notes_extra:
        notes = normalize.text(raw.get("notes"))
        raw["notes"] = "\n".join(([notes] if notes else []) + notes_extra)
    # A list of people, not companies: the person is the customer.
    if "name" not in layout.targets or normalize.is_blank(raw.get("name")):
        person = normalize.text(raw.get("contact_person"))
        if person and "name" not in layout.targets:
            raw["name"] = person
            if "kind" not in layout.targets:
                raw["kind"] = "individual"
    return raw


def shape_error(row: SheetRow, width: int) -> Optional[FieldError]:
    """A CSV line whose quotes or separators are broken has a different number of cells
    from the header: its values would land in the wrong columns."""
    count = len(row.values)
    while count and normalize.is_blank(row.values[count - 1]):
        count -= 1
    if count > width or (len(row.values) < width and count <= 1 < width):
        return FieldError("row_shape", "", found=len(row.values), expected=width)
    return None


def oversized_cell(row: SheetRow) -> Optional[FieldError]:
    for value in row.values:
        if isinstance(value, str) and len(value) > CELL_MAX:
            return FieldError("cell_too_long", "", max=CELL_MAX)
    return None


# What the notes say of a value kept there (--bad-values keep): "Phone (not a phone number): -1199".
def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 - lupdate's marker name
    return text


BAD_VALUE_CONTEXT = "BadValues"
BAD_VALUE_NOTE = QT_TRANSLATE_NOOP("BadValues", "{column} ({reason}): {value}")
BAD_VALUE_REASONS = {
    F.PHONE: QT_TRANSLATE_NOOP("BadValues", "not a phone number"),
    F.EMAIL: QT_TRANSLATE_NOOP("BadValues", "not an e-mail address"),
    F.DATE: QT_TRANSLATE_NOOP("BadValues", "not a date"),
    F.BIRTHDAY: QT_TRANSLATE_NOOP("BadValues", "not a date"),
    F.MONTH: QT_TRANSLATE_NOOP("BadValues", "not a month"),
    F.DECIMAL: QT_TRANSLATE_NOOP("BadValues", "not an amount"),
    F.SCORE: QT_TRANSLATE_NOOP("BadValues", "not a score from 1 to 5"),
    F.ENUM: QT_TRANSLATE_NOOP("BadValues", "not one of the choices"),
}
CUSTOM_REASONS = {
    "number": QT_TRANSLATE_NOOP("BadValues", "not a number"),
    "date": QT_TRANSLATE_NOOP("BadValues", "not a date"),
    "choice": QT_TRANSLATE_NOOP("BadValues", "not one of the choices"),
    "yesno": QT_TRANSLATE_NOOP("BadValues", "not yes or no"),
}
TOO_LONG = QT_TRANSLATE_NOOP("BadValues", "too long")
NOT_VALID = QT_TRANSLATE_NOOP("BadValues", "not valid")
NEVER_KEPT = frozenset(("", "name", "code", "notes"))  # without these the row is not a customer


def _untranslated(_context: str, text: str) -> str:
    return text


def bad_value_note(layout: Layout, key: str, value: Any, error: FieldError, translate=None) -> str:
    """The line the notes keep for a value the field could not take."""
    translate = translate or _untranslated
    field_ = F.BY_KEY.get(key)
    own = custom_fields.get(key) if field_ is None and custom_fields.is_custom(key) else None
    reasons = CUSTOM_REASONS if own else BAD_VALUE_REASONS
    kind = own.type if own else field_.type if field_ else ""
    reason = TOO_LONG if error.code == "too_long" else reasons.get(kind, NOT_VALID)
    return translate(BAD_VALUE_CONTEXT, BAD_VALUE_NOTE).format(
        column=header_text(layout, key), reason=translate(BAD_VALUE_CONTEXT, reason),
        value=normalize.text(value))


def check(row: SheetRow, layout: Layout, validate, csv_width: Optional[int] = None,
          keep_bad: bool = False, translate=None) -> SheetRow:
    """Normalise the row with ``validate(raw) -> (clean, errors)``; fills ``row.clean`` or
    ``row.errors``. ``keep_bad``: a row whose only errors are in fields other than the name
    and the customer number is good, each bad value kept in the notes (``row.kept``)."""
    row.errors, row.clean, row.kept = {}, None, {}
    problem = (shape_error(row, csv_width) if csv_width else None) or oversized_cell(row)
    if problem is not None:
        row.errors = {"": problem}
        return row
    raw = raw_values(row, layout)
    clean, errors = validate(raw)
    if "name" not in clean and "name" not in errors and not clean.get("code"):
        errors["name"] = FieldError("required", "name")  # with a number, the writer decides: update, or new

    if errors and keep_bad and not errors.keys() & NEVER_KEPT:
        kept = dict(errors)
        lines = [bad_value_note(layout, key, raw.get(key), error, translate) for key, error in kept.items()]
        raw = {k: v for k, v in raw.items() if k not in kept}
        notes = normalize.text(raw.get("notes"))
        raw["notes"] = "\n".join(([notes] if notes else []) + lines)
        clean, errors = validate(raw)
        if not errors:
            row.kept = kept
    if errors:
        row.errors = errors
    else:
        row.clean = clean
    return row


def column_of(layout: Layout, key: str) -> Optional[int]:
    """The sheet column a field's value came from (for marking the cell in error)."""
    for index, target in layout.mapping.items():
        if target == key:
            return index
    if key == "contact_person" or key == "name":
        for index, target in layout.mapping.items():
            if target in (H.FIRST_NAME, H.LAST_NAME, "contact_person"):
                return index
    if key == "phone":
        for index, target in layout.mapping.items():
            if target == H.EXTRA_PHONE:
                return index
    return None


def header_text(layout: Layout, key: str, lang: str = "en") -> str:
    """How a row message names a column: the file's own header, else the field's."""
    index = column_of(layout, key)
    if index is not None:
        return layout.column_name(index)
    f = F.BY_KEY.get(key)
    if f is None:
        own = custom_fields.get(key) if custom_fields.is_custom(key) else None
        return own.name(lang) if own else key
    return f.zh if lang == "zh" else f.en


# ---------------------------------------------------------------- template examples (issue 18)
# The templates' example row carries one of these texts in its notes cell; a row holding
# one is the example, never data (the older wordings too: templates people already have).
EXAMPLE_MARKERS = {
    "zh": "示例/Example — 此行为示例，永不导入：请在下面填写您的数据",
    "en": "Example/示例 — this row is an example and is never imported: add your rows below it",
}
_OLD_MARKERS = ("示例行：导入前请删除或改写", "Example row: delete or overwrite it before importing")
_MARKER_TEXTS = frozenset([*EXAMPLE_MARKERS.values(), *_OLD_MARKERS])


_MARKER_WORDS = ("示例", "Example")  # every marker has one of them


def is_example_row(values: list[Any]) -> bool:
    """The template's example row: a cell holds exactly one of the markers. (The row's
    texts are joined and searched once first: a cell at a time was 3 s of a million-row
    import.)"""
    joined = "\x00".join([v for v in values if isinstance(v, str)])
    if _MARKER_WORDS[0] not in joined and _MARKER_WORDS[1] not in joined:
        return False
    return any(isinstance(v, str) and v.strip() in _MARKER_TEXTS for v in values)


def mark_example(row: "SheetRow") -> bool:
    """The wizard's preview: the example row is shown as one the import leaves out."""
    if not is_example_row(row.values):
        return False
    row.errors, row.clean = {"": FieldError("import_example_row", "")}, None
    return True


# ---------------------------------------------------------------- same number, other name (issue 18)
_SUFFIXES = ("股份有限公司", "有限责任公司", "有限公司", "集团", "公司", "limited", "ltd", "company", "co",
             "corporation", "corp", "incorporated", "inc", "llc", "gmbh", "plc")
_NOT_WORD = re.compile(r"[\W_]+", re.UNICODE)


def folded_name(name: Any) -> str:
    """A name without width, case, spaces, punctuation and company suffixes:
    "Minghua Trading Co., Ltd." and "minghua trading" fold alike."""
    text = unicodedata.normalize("NFKC", normalize.text(name)).casefold()
    words = [w for w in _NOT_WORD.split(text) if w]
    while words and words[-1] in _SUFFIXES:
        words.pop()
    folded = "".join(words)
    changed = True
    while changed:
        changed = False
        for suffix in _SUFFIXES:
            if _CJK.search(suffix) and folded.endswith(suffix) and len(folded) > len(suffix):
                folded, changed = folded[:-len(suffix)], True
    return folded


def names_differ(theirs: Any, given: Any) -> bool:
    """Plainly another customer's name: an empty name, or one that is part of the other
    (明华贸易 for 上海明华贸易有限公司), does not differ."""
    a, b = folded_name(theirs), folded_name(given)
    if not a or not b:
        return False
    return not (a == b or a in b or b in a)


def number_of_another(cache: dict, code: Any, name: Any, key: str) -> Optional[FieldError]:
    """The wizard's preview: a row whose customer number is a customer of plainly another
    name (``cache`` keeps each number's name for the rows that follow)."""
    if not code or normalize.is_blank(name):
        return None
    if code not in cache:
        found = database.execute_sql("SELECT name FROM customer WHERE code = ? AND deleted_at IS NULL "
                                     "ORDER BY id LIMIT 1", (code,)).fetchone()
        cache[code] = found[0] if found else None
    theirs = cache[code]
    if theirs is not None and names_differ(theirs, name):
        return FieldError("import_name_mismatch", key, code=code, existing=theirs, given=normalize.text(name))
    return None
