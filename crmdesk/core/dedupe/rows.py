"""An import preview's rows that look like customers already here (issue 21, "On entry").

A row the import will match anyway (the same customer number, phone or e-mail, or exactly
the same name: it updates that customer) is not a duplicate in the making; a row that would
become a new customer while an existing one has its name core, its pinyin, its tax id or a
near name is."""
from __future__ import annotations

from typing import Any, Callable, Iterable, Optional

from crmdesk.core.dedupe.find import Pair
from crmdesk.core.dedupe.index import Index

MATCHED_BY_IMPORT = frozenset(("code", "phone", "email"))


def _text(value: Any) -> str:
    number = getattr(value, "number", None)  # a Phone
    return number if number is not None else ("" if value is None else str(value))


def import_values(clean: dict) -> dict:
    return {key: _text(clean.get(key)) for key in ("name", "code", "city", "province", "district", "mobile",
                                                   "phone", "email", "tax_id")}


def mark_similar(rows: Iterable, progress: Optional[Callable[[int, int], None]] = None) -> int:
    """Set each good row's ``similar`` to the customers it probably duplicates; returns how
    many rows got some."""
    index = Index()
    marked = 0
    for row in rows:
        row.similar = []
        if not row.ok or not row.clean:
            continue
        values = import_values(row.clean)
        pairs = [p for p in index.similar(values) if not _matched(p, values)]
        if pairs:
            row.similar = pairs
            marked += 1
    return marked


def _matched(pair: Pair, values: dict) -> bool:
    return bool(MATCHED_BY_IMPORT & set(pair.reasons)) or pair.first.name == values.get("name")
