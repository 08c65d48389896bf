"""Writing .xlsx files safely (DESIGN §6), for every export, template and error workbook.

- **No live formulas.** A text that starts with ``=``, ``+``, ``-``, ``@``, a tab or a CR,
  or that reads like an Excel error (``#N/A``), is written as a string cell
  (``data_type = 's'``) with the quote-prefix style, so Excel neither evaluates it on
  opening nor turns it into a formula when the user edits the cell.
- **Text stays text.** Python strings are always written as strings (phones, codes, bank
  accounts); columns meant for such values get the text number format ``@`` so that what
  the user types below the data stays text too.
- **Atomic files.** The workbook is saved to a temporary file in the target folder and
  moved over the target with ``os.replace``: a failure or a cancel leaves nothing behind
  and never a half-written file; a target that can't be written is
  ``CrmError('file_unwritable')``.

Big exports use openpyxl's write-only mode: :func:`write_only_sheet` sets up column
widths, formats, the frozen bold header row; :func:`finish_sheet` adds the autofilter once
the number of rows is known; :func:`save` writes the file, :func:`discard` cleans up after a
failure.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import os
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, NamedTuple, Optional, Sequence

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from crmdesk.core.io import atomic
from crmdesk.core.progress import report

FILE_UNWRITABLE = "file_unwritable"

# What makes Excel (or LibreOffice) read a text as a formula, now or when the cell is edited.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_SUSPECT_FIRST = frozenset("=+-@\t\r#")
_ERROR_TEXTS = frozenset(ERROR_CODES)
MAX_CELL_TEXT = 32767  # Excel's limit per cell

TEXT_FORMAT = "@"
DATE_FORMAT = "yyyy-mm-dd"
MONEY_FORMAT = "#,##0.00"
INTEGER_FORMAT = "0"

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="FFDDEBF7")
HEADER_ALIGNMENT = Alignment(vertical="center")
MAX_WIDTH = 60


# ---------------------------------------------------------------- values

def needs_quoting(text: str) -> bool:
    """True for a text Excel would take for a formula or an error value."""
    return bool(text) and text[0] in _SUSPECT_FIRST and (
        text.startswith(FORMULA_STARTS) or text in _ERROR_TEXTS)


def clean_text(text: str) -> str:
    """``text`` without the control characters XML cannot hold, cut to Excel's limit."""
    if not text.isprintable():  # fast path: almost every value is printable
        text = ILLEGAL_CHARACTERS_RE.sub("", text)
    return text[:MAX_CELL_TEXT]


def quoted_cell(ws, text: str):
    """A write-only string cell that can never become a formula."""
    cell = WriteOnlyCell(ws, None)
    set_text(cell, text)
    return cell


def set_text(cell, text: str) -> None:
    """Put ``text`` into ``cell`` (normal or write-only) as text, never as a formula."""
    text = clean_text(text)
    if needs_quoting(text):
        cell.value = None
        cell._value = text  # bypass openpyxl's formula detection...
        cell.data_type = "s"  # ...and say what it is: a string
        cell.quotePrefix = True  # Excel keeps it text when the user edits the cell
    else:
        cell.value = text
        if cell.data_type != "s":  # a text like "#N/A" is never an error cell here
            cell.data_type = "s"


def text_value(ws, text: Optional[str]):
    """What to append to a write-only row for ``text``: None for blank, the string itself
    when safe (the fast path), else a quoted cell."""
    if not text:
        return None
    if not text.isprintable() or len(text) > MAX_CELL_TEXT:
        text = clean_text(text)
        if not text:
            return None
    if text[0] in _SUSPECT_FIRST and needs_quoting(text):
        return quoted_cell(ws, text)
    return text


def styled_cell(ws, value: Any, number_format: str):
    cell = WriteOnlyCell(ws, value)
    cell.number_format = number_format
    return cell


# ---------------------------------------------------------------- columns

def display_width(text: str) -> int:
    """Columns a text needs: Chinese (wide) characters count twice."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


@dataclass(frozen=True)
class Column:
    header: str
    width: float = 12  # in Excel character units; at least the header's width is used
    number_format: Optional[str] = None  # the column's format for values typed later

    @property
    def fitted_width(self) -> float:
        # +4: the autofilter's drop-down button sits on the header
        return min(MAX_WIDTH, max(self.width, display_width(self.header) + 4))


def _set_columns(ws, columns: Sequence[Column]) -> None:
    for index, column in enumerate(columns, 1):
        dimension = ws.column_dimensions[get_column_letter(index)]
        dimension.width = column.fitted_width
        if column.number_format:
            dimension.number_format = column.number_format


def header_cells(ws, headers: Iterable[str]) -> list:
    cells = []
    for header in headers:
        cell = WriteOnlyCell(ws, None)
        set_text(cell, header)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = HEADER_ALIGNMENT
        cells.append(cell)
    return cells


def write_only_sheet(wb: Workbook, title: str, columns: Sequence[Column]):
    """A write-only sheet with column widths and formats, a frozen bold header row."""
    ws = wb.create_sheet(title[:31])
    _set_columns(ws, columns)  # must come before the first row in write-only mode
    ws.freeze_panes = "A2"
    ws.append(header_cells(ws, [c.header for c in columns]))
    return ws


def finish_sheet(ws, column_count: int, row_count: int) -> None:
    """The autofilter over the header and the data (``row_count`` includes the header).
    In write-only mode it is written after the rows, so call this once they are in."""
    last = get_column_letter(max(1, column_count))
    ws.auto_filter.ref = f"A1:{last}{max(1, row_count)}"


SHEET_ROWS = 1_048_575  # Excel's rows per sheet, less the header


def write_rows(wb: Workbook, title: str, columns: Sequence[Column], cursor, make_row, total: int,
               progress=None, chunk: int = 5000) -> int:
    """Every row of ``cursor`` (fetched ``chunk`` at a time: constant memory) through
    ``make_row(ws, record)`` into write-only sheets named ``title``, going on in
    ``title (2)``... past Excel's rows a sheet; ``progress(done, total, "")`` after each
    chunk (it may raise ``Cancelled``). The number of rows written."""
    ws = write_only_sheet(wb, title, columns)
    sheets, in_sheet, written = 1, 0, 0
    report(progress, 0, total)
    while True:
        records = cursor.fetchmany(chunk)
        if not records:
            break
        for record in records:
            if in_sheet == SHEET_ROWS:
                finish_sheet(ws, len(columns), in_sheet + 1)
                sheets, in_sheet = sheets + 1, 0
                ws = write_only_sheet(wb, f"{title} ({sheets})", columns)
            in_sheet += 1
            ws.append(make_row(ws, record))
        written += len(records)
        report(progress, written, total)
    finish_sheet(ws, len(columns), in_sheet + 1)
    return written


def normal_sheet(wb: Workbook, title: str, columns: Sequence[Column], ws=None):
    """The same set-up for a normal (not write-only) workbook: templates, small reports."""
    if ws is None:
        ws = wb.create_sheet(title[:31])
    else:
        ws.title = title[:31]
    _set_columns(ws, columns)
    for index, column in enumerate(columns, 1):
        cell = ws.cell(row=1, column=index)
        set_text(cell, column.header)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = HEADER_ALIGNMENT
    ws.freeze_panes = "A2"
    return ws


# ---------------------------------------------------------------- files

check_target = atomic.check_target  # part of this module's contract: the exports call it


def save(wb: Workbook, path: Path | str) -> Path:
    """Save ``wb`` to ``path`` atomically (``core.io.atomic``): a failure removes openpyxl's
    temporary files too and leaves the target as it was."""
    try:
        return atomic.write(path, wb.save)
    except BaseException:
        discard(wb)
        raise


@contextlib.contextmanager
def write_only_workbook(path: Path | str):
    """A write-only workbook for ``path``: saved there atomically when the block ends,
    discarded (no file, no temporary files) when it raises. ``file_unwritable`` comes
    before any work is done."""
    path = check_target(path)
    wb = Workbook(write_only=True)
    try:
        yield wb
    except BaseException:
        discard(wb)
        raise
    save(wb, path)


def discard(wb: Workbook) -> None:
    """Drop a workbook that won't be saved: write-only sheets stream their rows to
    temporary files, which are removed here (otherwise they'd stay until the app exits)."""
    from openpyxl.worksheet import _writer

    for ws in list(getattr(wb, "_sheets", ())):
        writer = getattr(ws, "_writer", None)
        rows = getattr(ws, "_rows", None)
        if rows is not None:
            with contextlib.suppress(Exception):
                rows.close()
        if writer is None:
            continue
        with contextlib.suppress(Exception):
            writer.close()
        out = getattr(writer, "out", None)
        if isinstance(out, str):
            with contextlib.suppress(OSError):
                os.remove(out)
            with contextlib.suppress(ValueError):
                _writer.ALL_TEMP_FILES.remove(out)


# ---------------------------------------------------------------- tables of figures
# A column is (Chinese header, English header, width, number format): the analytics and the
# sales figures write their sheets from such specs.

class Formatted(NamedTuple):
    """A number with its own format in a column of another (a rate among amounts)."""
    value: Any
    number_format: str


def spec_value(ws, value: Any, number_format: Optional[str]):
    """A value as its column's format says: text as text, numbers styled, blanks empty."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        return text_value(ws, value)
    if isinstance(value, Formatted):
        return styled_cell(ws, value.value, value.number_format)
    if number_format and number_format != TEXT_FORMAT:
        return styled_cell(ws, value, number_format)
    return value


def spec_sheet(wb, title: str, specs: Sequence[tuple], rows: Iterable[Sequence], lang: str):
    """A sheet of ``rows`` under the headers of ``specs`` in ``lang`` (zh or en)."""
    columns = [Column(s[0] if lang == "zh" else s[1], s[2], s[3]) for s in specs]
    ws = write_only_sheet(wb, title, columns)
    count = 0
    for row in rows:
        ws.append([spec_value(ws, v, s[3]) for v, s in zip(row, specs)])
        count += 1
    finish_sheet(ws, len(columns), count + 1)
    return ws


def spec_block(ws, specs: Sequence[tuple], rows: Iterable[Sequence], lang: str) -> None:
    """A small table under a sheet's own, after a blank row, with its own bold headers."""
    ws.append([])
    ws.append(header_cells(ws, [s[0] if lang == "zh" else s[1] for s in specs]))
    for row in rows:
        ws.append([spec_value(ws, v, s[3]) for v, s in zip(row, specs)])

# ---------------------------------------------------------------- shared by the exports
LANGS = ("zh", "en")
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
WRAP = Alignment(wrap_text=True, vertical="top")



def check_lang(lang: str) -> str:
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}, not {lang!r}")
    return lang



def datetime_cell(ws, value: Any):
    """A stored time ('2026-11-24 09:00:00') as a real Excel date-time."""
    if not value:
        return None
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value)
        except ValueError:
            return text_value(ws, value)
    return styled_cell(ws, value, DATETIME_FORMAT)



def text_cell(ws, value: Optional[str]):
    """Text as text (never a formula); several lines wrap in their cell."""
    if not value:
        return None
    if "\n" not in value:
        return text_value(ws, value)
    cell = quoted_cell(ws, value)  # set_text: a formula-like start stays text
    cell.alignment = WRAP
    return cell
