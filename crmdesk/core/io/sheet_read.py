"""Open any spreadsheet or CSV a user picks, safely, and stream its rows.

``open_source(path)`` looks at the file's own bytes (not its name), runs the checks in
``file_checks`` before any parser sees a spreadsheet, and returns a ``Source``: CSV through
``csv_read``, everything else through python-calamine. A file that cannot be used raises a
``CrmError`` naming why (``file_missing``, ``file_empty``, ``file_not_spreadsheet``,
``file_encrypted``, ``file_damaged``, ``file_too_large``, ``file_unsafe_xml``,
``file_no_data``, ``file_unreadable_encoding``, ``file_unreadable``, and ``too_many_rows``
when given the import's row limit), never a library's exception.

Rows are ``(row_number, values)``: the row number the user sees in Excel (for CSV, the line
where the record starts); values are str, float, int, bool, date, datetime, time or None
(an empty cell), with column A at index 0; trailing empty cells and blank rows are dropped.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Iterator, Optional

from crmdesk.core.errors import CrmError
from crmdesk.core.io import file_checks as C
from crmdesk.core.exchange import vcard
from crmdesk.core.io import access
from crmdesk.core.io.csv_read import CsvReader
from crmdesk.core.io.source import Sheet, Source  # noqa: F401 - Sheet is part of this module's contract

HEAD_BYTES = 8192


class CsvSource(Source):
    def __init__(self, path: Path, encoding: Optional[str]):
        self.path = path
        self.format = "csv"
        self._reader = CsvReader(path, encoding)
        self.encoding = self._reader.encoding
        self.delimiter = self._reader.delimiter
        self.sheets = [Sheet(path.stem, 0)]

    def rows(self, sheet: Optional[str] = None) -> Iterator[tuple[int, list[Any]]]:
        self._sheet(sheet)
        return self._reader.rows()

    def row_count_hint(self, sheet: Optional[str] = None) -> Optional[int]:
        return self._reader.row_count_hint()


def _fatal(error: BaseException) -> bool:
    """Exceptions to let through: a Rust panic in calamine (pyo3's PanicException derives
    from BaseException) is a bad file like any other, but Ctrl+C and generator exits are not."""
    return isinstance(error, (KeyboardInterrupt, SystemExit, GeneratorExit))


def _calamine_error(path: Path, error: BaseException) -> CrmError:
    """A python-calamine exception as the sentence the user needs."""
    import python_calamine as pc
    text = str(error)
    if isinstance(error, pc.PasswordError):
        return C.fail("file_encrypted", path)
    if "Cell limit exceeded" in text or "too large" in text.lower():
        return C.too_large(path, f"{C.MAX_CELLS:,} cells")
    if isinstance(error, MemoryError):
        return C.too_large(path, f"{C.MAX_CELLS:,} cells")
    return C.fail("file_damaged", path)  # XmlError, ZipError, CFB and record errors


def cell_value(value: Any) -> Any:
    if value == "" or value is None:
        return None
    if isinstance(value, dt.timedelta):  # a duration cell: a time of day if under 24 hours
        if dt.timedelta(0) <= value < dt.timedelta(days=1):
            return (dt.datetime.min + value).time()
        return str(value)
    return value


class WorkbookSource(Source):
    """A workbook read by python-calamine, after ``file_checks`` let it through."""

    def __init__(self, path: Path, probe: C.Probe, stream_bytes: Optional[int] = None):
        import python_calamine as pc
        self.path = path
        self.format = probe.format
        self._loaded: Optional[tuple[str, Any]] = None  # the last sheet calamine built
        self._stream = None  # xlsx_stream.Book: sheets whose XML passes stream_bytes, row by row
        self._stream_bytes = stream_bytes
        if stream_bytes is not None and probe.format in ("xlsx", "xlsm"):
            self._stream = _open_stream(path)
            streamed = set() if self._stream is None else set(self._stream.parts.values())
            if not set(probe.unscanned) <= streamed:  # never build a sheet whose used range went unchecked
                if self._stream is not None:
                    self._stream.close()
                raise C.fail("file_damaged", path)
        try:
            self._book = pc.CalamineWorkbook.from_path(str(path))
        except BaseException as error:  # noqa: BLE001 - every calamine failure becomes a sentence
            if _fatal(error):
                raise
            raise _calamine_error(path, error) from None
        try:
            self.sheets = self._data_sheets()
        except BaseException:
            self.close()
            raise

    def _data_sheets(self) -> list[Sheet]:
        import python_calamine as pc
        try:
            metadata = list(self._book.sheets_metadata)
        except BaseException as error:  # noqa: BLE001
            if _fatal(error):
                raise
            raise _calamine_error(self.path, error) from None
        candidates = [Sheet(m.name, i) for i, m in enumerate(metadata)
                      if m.typ == pc.SheetTypeEnum.WorkSheet and m.visible == pc.SheetVisibleEnum.Visible]
        # Load the last first, so that the first sheet (the one usually read) stays loaded.
        with_data = [s for s in reversed(candidates) if self._has_data(s)]
        return list(reversed(with_data))

    def _streamed(self, sheet: Sheet) -> bool:
        """A sheet too big to build whole: read row by row (``xlsx_stream``)."""
        return self._stream is not None and self._stream.size(sheet.name) > self._stream_bytes

    def _has_data(self, sheet: Sheet) -> bool:
        if self._streamed(sheet):
            rows = self._stream_rows(sheet)
            try:
                return next(rows, None) is not None
            finally:
                rows.close()
        loaded = self._load(sheet)
        if loaded.start is None:
            return False
        for row in loaded.iter_rows():
            if any(value != "" for value in row):
                return True
        return False

    def _load(self, sheet: Sheet):
        if self._loaded is not None and self._loaded[0] == sheet.name:
            return self._loaded[1]
        self._loaded = None  # let calamine free the previous sheet first
        try:
            loaded = self._book.get_sheet_by_index(sheet.index)
        except BaseException as error:  # noqa: BLE001
            if _fatal(error):
                raise
            raise _calamine_error(self.path, error) from None
        self._loaded = (sheet.name, loaded)
        return loaded

    def rows(self, sheet: Optional[str] = None) -> Iterator[tuple[int, list[Any]]]:
        chosen = self._sheet(sheet)
        if self._streamed(chosen):
            return self._stream_rows(chosen)
        loaded = self._load(chosen)
        return self._iter(loaded)

    def _stream_rows(self, sheet: Sheet) -> Iterator[tuple[int, list[Any]]]:
        try:
            yield from self._stream.rows(sheet.name, cell_value)
        except CrmError:
            raise
        except BaseException as error:  # noqa: BLE001 - a bad part is a damaged file, as with calamine
            if _fatal(error):
                raise
            raise C.fail("file_damaged", self.path) from None

    def _iter(self, loaded) -> Iterator[tuple[int, list[Any]]]:
        if loaded.start is None:
            return
        # python-calamine yields rows from row 1 (padding leading empty rows) but columns
        # from the first used one: pad those back, so index 0 is always column A.
        pad = [None] * loaded.start[1]
        try:
            for index, row in enumerate(loaded.iter_rows()):
                values = [cell_value(value) for value in row]
                while values and values[-1] is None:
                    values.pop()
                if values:
                    yield index + 1, pad + values
        except CrmError:
            raise
        except BaseException as error:  # noqa: BLE001
            if _fatal(error):
                raise
            raise _calamine_error(self.path, error) from None

    def row_count_hint(self, sheet: Optional[str] = None) -> Optional[int]:
        chosen = self._sheet(sheet)
        if self._streamed(chosen):
            return self._stream.declared_rows(chosen.name)
        loaded = self._load(chosen)
        return 0 if loaded.end is None else loaded.end[0] + 1

    def close(self) -> None:
        self._loaded = None
        if self._stream is not None:
            self._stream.close()
            self._stream = None
        book = getattr(self, "_book", None)
        if book is not None:
            try:
                book.close()
            except Exception:  # noqa: BLE001 - closing twice or after a failure is fine
                pass


def _open_stream(path: Path):
    """The streaming reader of an .xlsx/.xlsm, or None when its workbook part cannot be
    read that way (calamine reads every sheet then)."""
    from crmdesk.core.io import xlsx_stream
    try:
        return xlsx_stream.Book(path)
    except Exception:  # noqa: BLE001 - calamine judges the file as before
        return None


MIN_CSV_ROW_BYTES = 2  # "a\n": a smaller CSV cannot hold more rows than the import takes


def _check_csv_rows(source: CsvSource, max_rows: int) -> None:
    """Count a big CSV's non-blank rows up to the import's limit before the import reads
    them: ~0.5 s for 500,000 rows, against a minute to read, check and roll them back."""
    rows = source.rows()
    try:
        count = 0
        for _number, values in rows:
            if any(value is not None and value != "" for value in values):
                count += 1
                if count > max_rows + C.HEADER_ROWS:
                    raise CrmError("too_many_rows", max=max_rows)
    except BaseException:
        source.close()
        raise
    finally:
        rows.close()


def open_source(path: Path | str, encoding: Optional[str] = None, max_rows: Optional[int] = None,
                stream_bytes: Optional[int] = None) -> Source:
    """Open a spreadsheet or CSV for reading; see the module docstring for what it raises.
    ``max_rows`` (the import's limit): a workbook with a sheet of more rows under its header
    is refused (``too_many_rows``) from its used range, before python-calamine builds it; a
    CSV of more rows, by counting them before the import reads them. ``stream_bytes``: an
    .xlsx/.xlsm sheet whose XML is larger is read row by row (``xlsx_stream``, constant
    memory) instead of built whole by python-calamine (~1.6 times its XML at its peak)."""
    path = Path(path)
    try:
        if not path.is_file():
            raise C.fail("file_missing", path)
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(HEAD_BYTES)
    except CrmError:
        raise
    except OSError:
        raise C.fail("file_unreadable", path) from None
    if size == 0 or not head:
        raise C.fail("file_empty", path)
    if access.is_access(head):  # .mdb or .accdb, whatever the name says
        return access.open_access(path)
    if vcard.is_vcard(head):  # a phone's contacts (issue 21)
        return vcard.open_vcard(path)
    probe = C.probe(path, head, max_rows, stream_bytes)
    try:
        if probe.format == "csv":
            source = CsvSource(path, encoding)
            if max_rows is not None and size > (max_rows + C.HEADER_ROWS) * MIN_CSV_ROW_BYTES:
                _check_csv_rows(source, max_rows)
            return source
        source = WorkbookSource(path, probe, stream_bytes)
    except CrmError:
        raise
    except OSError:
        raise C.fail("file_unreadable", path) from None
    if not source.sheets:
        source.close()
        raise C.fail("file_no_data", path)
    return source
