"""The rejected rows, as they were, with a column saying why: fix them and import again.

The header row is the file's own (so the fixed sheet maps the same way), the rows keep
their cells unchanged, and the last column, whose header matches no field, names each
problem. Nothing in it can become a formula.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Callable, Optional, Sequence


from crmdesk.core.io import excel_write as X
from crmdesk.core.io.headers import Layout
from crmdesk.core.messages import message
from crmdesk.core.imports.rows import SheetRow, header_text

PROBLEM_HEADER = {"zh": "导入问题", "en": "Import problem"}
ROW_HEADER = {"zh": "原行号", "en": "Source row"}


def row_problems(row: SheetRow, layout: Layout, translate: Optional[Callable] = None,
                 lang: str = "en") -> list[tuple[str, str]]:
    """(column, sentence) for each problem of a rejected row; column is "" for the row."""
    result = []
    for key, error in row.errors.items():
        column = header_text(layout, key, lang) if key else ""
        result.append((column, message(error, translate)))
    return result


def kept_problems(row: SheetRow, layout: Layout, translate: Optional[Callable] = None,
                  lang: str = "en") -> list[tuple[str, str]]:
    """(column, sentence) for each bad value of an imported row that went to the notes."""
    return [(header_text(layout, key, lang), message(error, translate)) for key, error in row.kept.items()]


def describe(row: SheetRow, layout: Layout, translate: Optional[Callable] = None, lang: str = "en") -> str:
    return "; ".join(f"{column}: {text}" if column else text
                     for column, text in row_problems(row, layout, translate, lang))


def default_path(source: Path | str) -> Path:
    source = Path(source)
    return source.with_name(f"{source.stem}-errors.xlsx")


def _cell(ws, value):
    if isinstance(value, str):
        return X.text_value(ws, value)
    if isinstance(value, dt.datetime):
        return X.styled_cell(ws, value, "yyyy-mm-dd hh:mm")
    if isinstance(value, dt.date):
        return X.styled_cell(ws, value, X.DATE_FORMAT)
    if isinstance(value, dt.time):
        return value.isoformat()
    return value


def write(path: Path | str, rows: Sequence[SheetRow], layout: Layout,
          translate: Optional[Callable] = None, lang: str = "en") -> Path:
    """Write the rejected ``rows`` to ``path`` (atomically; raises ``CrmError`` when the
    place cannot be written)."""
    headers = layout.headers[:layout.width]
    width = max([len(headers)] + [len(r.values) for r in rows])
    headers += [""] * (width - len(headers))
    columns = [X.Column(h or "", 16) for h in headers] + [
        X.Column(PROBLEM_HEADER[lang], 60), X.Column(ROW_HEADER[lang], 10)]
    with X.write_only_workbook(path) as wb:
        ws = X.write_only_sheet(wb, "errors" if lang == "en" else "错误行", columns)
        for row in rows:
            cells = [_cell(ws, v) for v in row.values] + [None] * (width - len(row.values))
            ws.append(cells + [X.text_value(ws, describe(row, layout, translate, lang)), row.number])
        X.finish_sheet(ws, len(columns), len(rows) + 1)
    return Path(path).expanduser()
