"""Before any row goes in: which sheet, which header row, which column is which.

The header row is detected (or given), the mapping comes from the headers (or from the
user, or from the mapping remembered for a file with the same headers), and a column
whose values plainly are not what its header says (类型 holding 物业/商业/工厂 where the
spec's Type means company/individual) is kept in the notes instead of rejecting every row.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Optional

from crmdesk.core import custom_fields
from crmdesk.core.customers import fields as F
from crmdesk.core.errors import CrmError, FieldError
from crmdesk.core.io import headers as H
from crmdesk.core.io import normalize
from crmdesk.core.io.headers import Layout
from crmdesk.core.models import Setting

SAMPLE_ROWS = 50
_DEMOTE_SHARE = 0.6  # of a sample's filled cells failing: the header was a false friend
_TYPED = (F.ENUM, F.SCORE, F.MONTH, F.DATE, F.BIRTHDAY, F.DECIMAL, F.EMAIL, F.PHONE)


@dataclass
class Plan:
    """A sheet ready to import: its layout and what the user should know about it."""
    sheet: Optional[str]
    layout: Layout
    demoted: list[str] = field(default_factory=list)  # headers kept in notes
    remembered: bool = False  # the mapping came from an earlier import
    names_by_code: dict = field(default_factory=dict)  # the preview's look-ups of existing customers

    @property
    def width(self) -> int:
        return self.layout.width


def prepare(source, options, index, usable: Callable) -> Plan:
    """The sheet, header and mapping of an import whose columns are looked up in ``index``:
    ``usable(layout)`` raises ``CrmError`` when the file is not such a list; a mapping the
    user gave is taken as it is, then checked the same way."""
    options.check()
    check = usable if options.mapping is None else (lambda layout: True)
    sheet, layout = choose(source, options.sheet, options.header_row, index, check,
                           first_row_is_header=options.mapping is not None)
    if options.mapping is not None:
        layout.mapping = {int(k): v for k, v in options.mapping.items() if v}
        usable(layout)
    return Plan(sheet, layout)


def apply_index_mapping(layout, mapping: Mapping[int, Optional[str]], keys, usable: Callable) -> None:
    """The user's own mapping replaces the automatic one; ``CrmError`` when a target is not
    one of ``keys`` or is taken twice, or when ``usable(layout)`` refuses what it makes."""
    clean: dict[int, str] = {}
    for index, target in mapping.items():
        if not target:
            continue
        if target not in keys:
            raise CrmError("mapping_invalid", target=target)
        if target in clean.values():
            raise CrmError("mapping_twice", target=target)
        clean[int(index)] = target
    layout.mapping = clean
    layout.unmatched = [h for i, h in enumerate(layout.headers) if h and i not in clean]
    usable(layout)


def choose(source, sheet: Optional[str], header_row: Optional[int],
           index: Optional[Mapping[str, str]] = None,
           is_usable: Callable[[Layout], bool] = lambda layout: True,
           first_row_is_header: bool = False) -> tuple[Optional[str], Layout]:
    """The sheet (the one named, else the first whose header is found and usable) and its
    layout. Raises ``sheet_not_found``, ``no_header`` or ``not_customer_list``-like codes
    through ``is_usable``. ``first_row_is_header``: when the user maps the columns
    themselves and names no header row, the first row with data holds the headers."""
    names = [s.name for s in source.sheets]
    if header_row is None:
        header_row = source.header_row  # an Access table's column names: always its row 1
    if not names:
        raise CrmError("file_no_data", path=str(source.path))
    if sheet is not None and sheet not in names:
        raise source.missing_sheet(sheet)
    candidates = [sheet] if sheet is not None else names
    first_failure: Optional[CrmError] = None
    for name in candidates:
        rows = source.preview(name, max(H.SCAN_ROWS, (header_row or 0) + 2))
        if not rows:
            first_failure = first_failure or CrmError("sheet_empty", sheet=name)
            continue
        if header_row is None and first_row_is_header:  # the user maps the columns
            header_row = rows[0][0]
        layout = H.find_layout(rows, header_row, index) or _remembered_layout(rows, header_row)
        if layout is None:
            first_failure = first_failure or _no_header(rows, name, index)
            continue
        try:
            is_usable(layout)
        except CrmError as error:
            first_failure = first_failure or error
            continue
        return name, layout
    assert first_failure is not None
    if len(candidates) > 1 and first_failure.code == "sheet_empty":
        raise CrmError("file_no_data", path=str(source.path))
    raise first_failure


def _remembered_layout(rows, header_row: Optional[int]) -> Optional[Layout]:
    """A header no field name matches, but whose columns the user mapped before."""
    for number, values in rows:
        if header_row is not None and number != header_row:
            continue
        headers = ["" if v is None else str(v).strip() for v in values]
        saved = remembered_mapping(headers) if any(headers) else None
        if saved is not None:
            return Layout(number, headers, saved, [h for i, h in enumerate(headers) if h and i not in saved])
    return None


def _no_header(rows, sheet: str, index) -> CrmError:
    """No header row: a sheet of something else when a row names some known column
    (a product list's 名称), else a sheet without headers."""
    best = max(rows, key=lambda r: sum(1 for v in r[1] if H.match_header(v, index)), default=None)
    if best and any(H.match_header(v, index) for v in best[1]):
        headers = ", ".join(str(v).strip() for v in best[1] if v is not None and str(v).strip())
        customers = index is None or index.get(H.fold("客户名称")) == "name"  # the customers' index, with custom fields
        return CrmError("not_customer_list" if customers else "not_transaction_list", headers=headers[:200])
    return CrmError("no_header", sheet=sheet)


def headers_key(headers: list[str]) -> str:
    folded = [H.fold(h) for h in headers]
    while folded and not folded[-1]:
        folded.pop()
    return "import_mapping:" + hashlib.sha1(json.dumps(folded).encode()).hexdigest()[:20]


def remembered_mapping(headers: list[str]) -> Optional[dict[int, str]]:
    """The mapping the user made for a file with these headers, if any."""
    row = Setting.get_or_none(Setting.key == headers_key(headers))
    if row is None:
        return None
    try:
        return {int(k): v for k, v in json.loads(row.value).items() if v}
    except (ValueError, AttributeError, TypeError):
        return None


def remember_mapping(headers: list[str], mapping: Mapping[int, str]) -> None:
    """Keep the user's mapping for the next file with the same headers (in the database,
    with the other business settings, so it travels with the data)."""
    value = json.dumps({str(k): v for k, v in sorted(mapping.items())})
    Setting.insert(key=headers_key(headers), value=value).on_conflict_replace().execute()


def _fails(key: str, value: Any, date_order: str) -> bool:
    try:
        normalize.value(key, value, date_order)
    except FieldError:
        return True
    return False


def demote_false_friends(layout: Layout, rows: list[tuple[int, list[Any]]], date_order: str) -> list[str]:
    """Automatic mappings whose sample values mostly fail their field's rules go to the
    notes instead; returns those headers."""
    demoted = []
    sample = [values for number, values in rows if number > layout.header_row][:SAMPLE_ROWS]
    for index, key in list(layout.mapping.items()):
        field_ = F.BY_KEY.get(key)
        if field_ is None or field_.type not in _TYPED:
            continue
        filled = [v[index] for v in sample if index < len(v) and not normalize.is_blank(v[index])]
        if len(filled) < 2:
            continue
        failed = sum(1 for v in filled if _fails(key, v, date_order))
        if failed >= _DEMOTE_SHARE * len(filled):
            layout.mapping[index] = H.TO_NOTES
            demoted.append(layout.column_name(index))
    return demoted


def apply_mapping(layout: Layout, mapping: Mapping[int, Optional[str]]) -> None:
    """The user's own mapping replaces the automatic one (None or "" ignores a column)."""
    known = set(F.BY_KEY) | set(H.EXTRA_TARGETS) | set(custom_fields.by_field_key())
    clean: dict[int, str] = {}
    for index, target in mapping.items():
        if not target:
            continue
        if target not in known:
            raise CrmError("mapping_invalid", target=target)
        if target in clean.values() and target != H.TO_NOTES:
            raise CrmError("mapping_twice", target=target)
        clean[int(index)] = target
    layout.mapping = clean
    layout.unmatched = [h for i, h in enumerate(layout.headers) if h and i not in clean]
