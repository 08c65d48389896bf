"""Every live customer's duplicate keys, read once, for the many look-ups of an import's
preview (issue 21, "On entry": the preview warns of rows that look like customers already
here). A row is compared with the customers sharing one of its keys (phones, e-mail, tax id,
number, name core, pinyin); a block of more than ``MAX_BLOCK`` says nothing and is skipped."""
from __future__ import annotations

from collections import defaultdict
from typing import Callable, Optional

from crmdesk.core.dedupe.find import MAX_BLOCK, Pair, Row, compared, customer_rows, keys_of, probe_of


class Index:
    def __init__(self, progress: Optional[Callable[[int, int], None]] = None):
        self.rows: dict[int, tuple[Row, list]] = {}
        self.blocks: dict[tuple[str, str], list[int]] = defaultdict(list)
        records = customer_rows()
        for done, record in enumerate(records, 1):
            row, keys = keys_of(record)
            self.rows[row.id] = (row, keys)
            for key in keys:
                self.blocks[key].append(row.id)
            if progress is not None and done % 10_000 == 0:
                progress(done, len(records))

    def similar(self, values: dict, min_score: int = 50, limit: int = 3) -> list[Pair]:
        """The customers ``values`` (a row as imported: texts) probably is, best first."""
        row, keys = probe_of(values)
        ids: set[int] = set()
        for key in keys:
            block = self.blocks.get(key, ())
            if len(block) <= MAX_BLOCK:
                ids.update(block)
        return compared(row, keys, [self.rows[i] for i in sorted(ids)], min_score)[:limit]
