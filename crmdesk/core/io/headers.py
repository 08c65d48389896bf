"""Finding and reading the header row of a sheet someone else made.

Headers match the spec's Chinese and English names and synonyms (``core/customers/fields.py``),
ignoring case, spaces, full-width forms, a BOM and a leading or trailing ``*``, ``:`` or
``：``. A few columns that real files carry and the spec has no field for are import-only
targets: first and last names (joined into the contact), a second phone (kept in notes).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, Optional, Sequence

from crmdesk.core.customers import fields as F
from crmdesk.core.io.normalize import halfwidth

# Import-only targets, besides the customer field keys.
FIRST_NAME, LAST_NAME, EXTRA_PHONE, TO_NOTES = "first_name", "last_name", "extra_phone", "to_notes"
EXTRA_TARGETS = (FIRST_NAME, LAST_NAME, EXTRA_PHONE, TO_NOTES)

# Headers real files use that the spec does not list (see ../shared/data/README.md).
MORE_SYNONYMS: dict[str, tuple[str, ...]] = {
    "code": ("客户id", "客户ID", "会员卡号", "卡号", "客户号", "User Id", "Customer Code", "Customer Number"),
    "name": ("名字", "客户姓名", "Company Name", "Account Name", "Full Name"),
    "contact_person": ("联系人名称",),
    "mobile": ("手机号", "Mobile Number", "Cell Phone"),
    "phone": ("电话号码", "联系方式", "电话", "Phone 1", "Phone Number", "Business Phone"),
    "email": ("邮件", "Email Address", "E-mail Address"),
    "gender": ("Sex", "性别"),
    "tags": ("分组", "分类", "Group", "Groups"),
    "birthday": ("生日", "出生年月", "Birth Date", "Birthdate"),
    "address": ("Address Line 1",),
    "postal_code": ("Postcode", "PostalCode", "邮编号码"),
    "created_at": ("Created At", "Created Date"),
    "province": ("省/州", "Region", "State/Province"),
    "title": ("Contact Title",),
    FIRST_NAME: ("First Name", "Given Name", "FirstName", "名"),
    LAST_NAME: ("Last Name", "Surname", "Family Name", "LastName", "姓"),
    EXTRA_PHONE: ("Phone 2", "Phone2", "电话2", "备用电话", "其他电话"),
}

# Columns that on their own do not make a sheet a customer list: a product list has a
# 名称 too (``jsherp-goods_template.xls``).
_IDENTIFYING = {"contact_person", "mobile", "phone", "email", "wechat", "address", "city",
                "province", "district", "birthday", "fax", "title", "tax_id", FIRST_NAME,
                LAST_NAME, "owner", "tier", "stage", "gender", "industry"}
_NAME_TARGETS = {"name", "contact_person", FIRST_NAME, LAST_NAME}

SCAN_ROWS = 30  # the header is looked for in the first rows only


def fold(text: Any) -> str:
    """The form headers are compared in."""
    if text is None:
        return ""
    if isinstance(text, float) and text.is_integer():
        text = int(text)
    result = halfwidth(str(text)).replace("\ufeff", "")
    result = re.sub(r"[\s_\u00a0]+", "", result).casefold()
    return result.strip("*:：")


def _build_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for f in F.CUSTOMER_FIELDS:
        for name in (f.zh, f.en, *f.synonyms):
            index.setdefault(fold(name), f.key)
    for key, names in MORE_SYNONYMS.items():
        for name in names:
            index.setdefault(fold(name), key)
    return index


HEADER_INDEX = _build_index()


def build_index(names: Mapping[str, Iterable[str]]) -> dict[str, str]:
    """A header index for another kind of sheet: target -> the headers that name it."""
    index: dict[str, str] = {}
    for key, texts in names.items():
        for text in texts:
            index.setdefault(fold(text), key)
    return index


def match_header(text: Any, index: Optional[Mapping[str, str]] = None) -> Optional[str]:
    """The target a header names, or None."""
    return (index or HEADER_INDEX).get(fold(text)) if text is not None else None


@dataclass
class Layout:
    """Where the data is and what each column holds."""
    header_row: int  # 1-based, as the user sees it; the last header row when there are two
    headers: list[str]  # the header texts (two-row headers joined with " / ")
    mapping: dict[int, str] = field(default_factory=dict)  # column index -> target
    unmatched: list[str] = field(default_factory=list)  # headers nothing was found for
    header_rows: int = 1

    @property
    def width(self) -> int:
        """Header cells up to the last named one (a CSV line of another length is broken)."""
        width = len(self.headers)
        while width and not self.headers[width - 1]:
            width -= 1
        return width

    @property
    def targets(self) -> set[str]:
        return set(self.mapping.values())

    def column_name(self, index: int) -> str:
        text = self.headers[index] if index < len(self.headers) else ""
        return text or column_letter(index)


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _cells(values: Sequence[Any]) -> list[str]:
    return ["" if v is None else str(v).strip() for v in values]


def auto_mapping(headers: Sequence[str], index: Optional[Mapping[str, str]] = None) -> tuple[dict[int, str], list[str]]:
    """(column -> target, unmatched headers); the first column wins when two name the same
    target."""
    mapping: dict[int, str] = {}
    unmatched: list[str] = []
    taken: set[str] = set()
    for column, text in enumerate(headers):
        if not text:
            continue
        target = match_header(text, index)
        if target and target not in taken:
            mapping[column] = target
            taken.add(target)
        else:
            unmatched.append(text)
    return mapping, unmatched


def _row_score(values: Sequence[Any], index=None) -> tuple[int, int]:
    cells = [c for c in _cells(values) if c]
    return sum(1 for c in cells if match_header(c, index)), len(cells)


def _is_header_like(values: Sequence[Any], index=None) -> bool:
    """Two known column names, or one that is at least half of a short row (a wide export
    carries many columns no field wants: Superstore names 7 of its 21)."""
    matched, filled = _row_score(values, index)
    return matched >= 2 or (matched >= 1 and matched * 2 >= filled)


def find_layout(rows: Iterable[tuple[int, list[Any]]], header_row: Optional[int] = None,
                index: Optional[Mapping[str, str]] = None) -> Optional[Layout]:
    """The header row among the first rows (or the one given) and its automatic mapping.
    Returns None when no row looks like a header."""
    scanned: list[tuple[int, list[Any]]] = []
    for number, values in rows:
        scanned.append((number, values))
        if header_row is not None and number > header_row + 1:
            break
        if header_row is None and len(scanned) > SCAN_ROWS:
            break
    if header_row is not None:
        at = next((i for i, (n, _) in enumerate(scanned) if n == header_row), None)
        if at is None:
            return None
    else:
        best, at = (0, 0), None
        for i, (_, values) in enumerate(scanned):
            score = _row_score(values, index)
            if _is_header_like(values, index) and score[0] > best[0]:
                best, at = score, i
        if at is None:
            return None
    number, values = scanned[at]
    headers = _cells(values)
    header_rows = 1
    following = scanned[at + 1] if at + 1 < len(scanned) else None
    if following and following[0] == number + 1 and _second_header_row(following[1], index):
        headers = _join_rows(headers, _cells(following[1]), index)
        number, header_rows = following[0], 2
    mapping, unmatched = auto_mapping(headers, index)
    return Layout(number, headers, mapping, unmatched, header_rows)


def _second_header_row(second: list[Any], index=None) -> bool:
    """A row under the header that names columns too (merged group headers above it):
    at least two of its cells are known headers and it holds little else."""
    matched, filled = _row_score(second, index)
    return matched >= 2 and matched * 2 >= filled


def _join_rows(first: list[str], second: list[str], index=None) -> list[str]:
    width = max(len(first), len(second))
    first = first + [""] * (width - len(first))
    second = second + [""] * (width - len(second))
    joined = []
    for top, below in zip(first, second):
        if below and match_header(below, index):
            joined.append(below)
        elif top and match_header(top, index):
            joined.append(top)
        else:
            joined.append(" / ".join(t for t in (top, below) if t))
    return joined


def looks_like_customers(mapping: Mapping[int, str], unmatched: Sequence[str]) -> bool:
    """Enough customer columns to be a customer list: a name (or a person's name) and
    either something identifying a customer, or hardly anything else."""
    targets = set(mapping.values())
    if not targets & _NAME_TARGETS:
        return False
    if targets & _IDENTIFYING:
        return True
    return len(unmatched) <= 2 or len(targets) >= 3
