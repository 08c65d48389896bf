"""The probable duplicates as a workbook (``crmdesk duplicates --xlsx``): one pair a row, both
customers' numbers, names and cities, the score and the reasons, best first."""
from __future__ import annotations

from pathlib import Path
from typing import Callable, Sequence

from crmdesk.core.dedupe.find import Pair
from crmdesk.core.io import excel_write as X

HEADERS = ("Customer No.", "Name", "City", "Customer No. 2", "Name 2", "City 2", "Score", "Reasons")
WIDTHS = (14, 30, 12, 14, 30, 12, 8, 40)


def write_pairs(path: Path | str, pairs: Sequence[Pair], reason_text: Callable[[str], str]) -> Path:
    """Write ``pairs`` to ``path`` (atomically; ``CrmError`` when the place cannot be written)."""
    columns = [X.Column(h, w) for h, w in zip(HEADERS, WIDTHS)]
    with X.write_only_workbook(path) as wb:
        ws = X.write_only_sheet(wb, "duplicates", columns)
        for pair in pairs:
            cells = [pair.first.code, pair.first.name, pair.first.city, pair.second.code, pair.second.name,
                     pair.second.city]
            ws.append([X.text_value(ws, c) for c in cells] + [pair.score, X.text_value(ws, ", ".join(
                reason_text(r) for r in pair.reasons))])
        X.finish_sheet(ws, len(columns), len(pairs) + 1)
    return Path(path).expanduser()
