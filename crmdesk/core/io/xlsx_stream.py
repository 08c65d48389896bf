"""A worksheet of an .xlsx or .xlsm read row by row straight from the zip, in constant memory.

python-calamine builds a whole sheet before the first row: 1,000,000 rows x 8 columns hold
400 MB and peak at 670 MB while it builds them (benchmarks/bench_sales_import.py), against
the 500 MB a million-row sales import may take (issue 21). python-calamine 0.9 cannot stream
(its issue 42); the fork that can (python-calamine-plus) is a young one-person fork that
also returns other values (whole numbers as int, errors as text). So ``sheet_read`` reads a
sheet whose XML is large through this module, and gives the same values python-calamine
gives (tests/core/io/test_xlsx_stream.py compares the two, cell by cell):

- numbers as float; a number in a date or time format (built-in ids 14-22, 27-36, 45, 47,
  50-58, or a custom format with d, m, y, h or s outside quotes and brackets) as date,
  datetime or time, in a duration format ([h]:mm, id 46) as timedelta, out of range as float;
- shared and inline strings as the text of their runs without phonetic runs, each ``<t>``
  trimmed of XML white space unless ``xml:space="preserve"``, ``_x000D_`` escapes decoded;
- booleans as bool, errors and formulas without a cached value as "", t="d" as ISO dates.

Rows come as ``(row number, values)`` with column A at index 0, None for an empty cell,
trailing empty cells and empty rows left out: the contract of ``sheet_read``. The file was
checked by ``file_checks`` first (no DOCTYPE in any part, sizes, the rows quickly); the used
range of a streamed sheet is not scanned, as nothing builds it whole."""
from __future__ import annotations

import datetime as dt
import math
import posixpath
import re
import zipfile
from typing import Any, Iterator, Optional
from xml.etree import ElementTree

from crmdesk.core.io import xlsx_values as V

CHUNK = 1 << 20
MEMO = 100_000  # texts and dates remembered (a sales sheet repeats its products, buyers and days)
_SPACE = b" \t\r\n"

# The usual cell, as Excel, WPS, openpyxl and POI write it: one regex for a whole row.
_FAST_CELL = re.compile(rb'<c r="([A-Z]{1,3})\d+"(?: s="(\d+)")?(?: t="(\w+)")?'
                        rb'(?:/>|><v>([^<]*)</v></c>|><is><t>([^<]*)</t></is></c>)')
# Anything else (formulas, prefixes, attributes in another order, rich inline text...).
_CELL = re.compile(rb"<(?:[\w.-]+:)?c(?=[\s/>])([^>]*?)(?:/>|>(.*?)</(?:[\w.-]+:)?c>)", re.S)
_ATTR = re.compile(rb'([\w:.-]+)\s*=\s*"([^"]*)"')
_V = re.compile(rb"<(?:[\w.-]+:)?v(?:\s[^>]*)?>(.*?)</(?:[\w.-]+:)?v>", re.S)
_IS = re.compile(rb"<(?:[\w.-]+:)?is(?:\s[^>]*)?>(.*?)</(?:[\w.-]+:)?is>", re.S)
_ROW = re.compile(rb"<(?:[\w.-]+:)?row\b([^>]*?)(?:/>|>(.*?)</(?:[\w.-]+:)?row>)", re.S)
_ROW_R = re.compile(rb'\sr\s*=\s*"(\d+)"')
_SI = re.compile(rb"<(?:[\w.-]+:)?si(?:\s[^>]*)?(?:/>|>(.*?)</(?:[\w.-]+:)?si>)", re.S)


def _slow_cells(row: bytes) -> list[tuple]:
    """Every cell of a row the quick pattern does not fit, the XML read as written:
    (column, style, type, value, the inline string's runs)."""
    cells, index = [], -1
    for attrs, body in _CELL.findall(row):
        found = {k.split(b":")[-1]: v for k, v in _ATTR.findall(attrs)}
        ref = _REF.fullmatch(found.get(b"r", b""))
        index = _column(ref.group(1)) if ref else index + 1
        value = _V.search(body)
        inline = _IS.search(body)
        cells.append((index, found.get(b"s", b""), found.get(b"t", b"n"), value.group(1) if value else b"",
                      inline.group(1) if inline else b""))
    return cells


def _rows(data: bytes) -> Iterator[tuple[bytes, bytes]]:
    """(attributes, content) of each row in ``data``, which ends after a row: split at
    ``</row>`` (fast), the row pattern for the rest (prefixes, empty ``<row/>``...)."""
    pieces = data.split(b"</row>")
    for piece in pieces[:-1]:
        if piece.count(b"<row") == 1 and b"<row/" not in piece and b":row" not in piece:
            head = piece.find(b"<row")
            close = piece.find(b">", head)
            if piece[close - 1:close] != b"/" and piece[head + 4:head + 5] in (b" ", b">", b"\t", b"\n", b"\r"):
                yield piece[head + 4:close], piece[close + 1:]
                continue
        yield from _ROW.findall(piece + b"</row>")
    yield from _ROW.findall(pieces[-1])


def _after_last_row(data: bytes) -> int:
    """Where the last whole row of ``data`` ends (after ``</row>`` or ``</x:row>``), or 0."""
    end = len(data)
    while (end := data.rfind(b"row>", 0, end)) > 0:
        before = data[end - 1:end]
        if before == b"/" or (before == b":" and data[data.rfind(b"<", 0, end) + 1:][:1] == b"/"):
            return end + 4
    return 0


def _column(letters: bytes) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ch - 64
    return n - 1


_REF = re.compile(rb"([A-Za-z]{1,3})(\d*)")


class Book:
    """An opened .xlsx/.xlsm: its sheets' parts; rows of one at a time. Close it."""

    def __init__(self, path) -> None:
        self._zip = zipfile.ZipFile(path)
        names = set(self._zip.namelist())
        root = ElementTree.fromstring(self._zip.read("xl/workbook.xml"))
        rels = self._relationships("xl/_rels/workbook.xml.rels", names)
        self.date1904 = any(el.get("date1904") in ("1", "true") for el in root.iter() if el.tag.endswith("workbookPr"))
        self.parts: dict[str, str] = {}
        for el in root.iter():
            if el.tag.endswith("}sheet"):
                rid = next((v for k, v in el.attrib.items() if k.endswith("}id")), None)
                if rid in rels[0] and rels[0][rid] in names:
                    self.parts[el.get("name", "")] = rels[0][rid]
        self._strings_part, self._styles_part = rels[1].get("sharedStrings"), rels[1].get("styles")
        self._strings: Optional[list[str]] = None
        self._kind_of: dict[bytes, str] = {}  # style index (as written) -> "date" or "duration"
        self._columns: dict[bytes, int] = {}
        self._texts: dict[bytes, Optional[str]] = {}
        self._dates: dict[tuple[bytes, bytes], Any] = {}
        self._duration = None

    def _relationships(self, part: str, names: set) -> tuple[dict[str, str], dict[str, str]]:
        """(target by id, target by kind) of the workbook's relationships."""
        by_id, by_kind = {}, {}
        if part in names:
            for rel in ElementTree.fromstring(self._zip.read(part)):
                target = rel.get("Target", "")
                name = target.lstrip("/") if target.startswith("/") else posixpath.normpath("xl/" + target)
                by_id[rel.get("Id", "")] = name
                by_kind[rel.get("Type", "").rsplit("/", 1)[-1]] = name
        return by_id, by_kind

    def declared_rows(self, sheet: str) -> Optional[int]:
        """The last row the sheet's ``<dimension>`` names, if it has one (a progress total)."""
        from crmdesk.core.io.used_range import DIMENSION_BYTES, declared_rows
        with self._zip.open(self.parts[sheet]) as part:
            found = declared_rows(part.read(DIMENSION_BYTES))
        return found[1] if found else None

    def size(self, sheet: str) -> int:
        """The unpacked size of the sheet's XML (0 for a sheet this reader cannot find)."""
        part = self.parts.get(sheet)
        return self._zip.getinfo(part).file_size if part else 0

    def _load(self) -> None:
        if self._strings is None:
            self._strings = list(self._shared_strings())
            kinds = V.styles(self._zip, self._styles_part)
            self._kind_of = {str(i).encode(): kind for i, kind in enumerate(kinds) if kind is not None}

    def _shared_strings(self) -> Iterator[str]:
        if not self._strings_part or self._strings_part not in self._zip.namelist():
            return
        with self._zip.open(self._strings_part) as part:
            rest = b""
            while block := part.read(CHUNK):
                data = rest + block
                end = data.rfind(b"</si>")
                cut = end + 5 if end >= 0 else 0
                for body in _SI.findall(data[:cut]):
                    yield V.string(body)
                rest = data[cut:]
            for body in _SI.findall(rest):
                yield V.string(body)

    def rows(self, sheet: str, duration=None) -> Iterator[tuple[int, list[Any]]]:
        """``duration``: what becomes of a timedelta value (``sheet_read.cell_value``)."""
        self._load()
        self._duration = duration
        number = 0
        with self._zip.open(self.parts[sheet]) as part:
            rest = b""
            while True:
                block = part.read(CHUNK)
                data = rest + block
                cut = _after_last_row(data) if block else len(data)
                for attrs, body in _rows(data[:cut]):
                    ref = _ROW_R.search(attrs)
                    number = int(ref.group(1)) if ref else number + 1
                    if body:
                        values = self._cells(body)
                        while values and values[-1] is None:
                            values.pop()
                        if values:
                            yield number, values
                if not block:
                    return
                rest = data[cut:]

    def _cells(self, row: bytes) -> list[Any]:
        found = _FAST_CELL.findall(row)
        if len(found) != row.count(b"<c") or b":c" in row or b"CDATA" in row:  # a cell the pattern misses
            return self._slow(row)
        values: list[Any] = []
        append = values.append
        columns, strings, kinds, texts, dates = self._columns, self._strings, self._kind_of, self._texts, self._dates
        for col, style, kind, value, inline in found:
            if kind == b"inlineStr":
                cell = texts.get(inline)
                if cell is None:
                    cell = self._text(inline)
            elif not value:
                cell = None
            elif not kind or kind == b"n":
                if style in kinds:
                    cell = dates.get((value, style))
                    if cell is None:
                        cell = self._date(value, style)
                else:
                    try:
                        cell = float(value)
                    except ValueError:
                        cell = value.decode("utf-8")
                    else:
                        if value[0] in _SPACE or value[-1] in _SPACE or b"_" in value:  # Python's float is kinder
                            cell = value.decode("utf-8")
            elif kind == b"s":
                cell = strings[int(value)] if value.isdigit() and int(value) < len(strings) else None
                if cell == "":
                    cell = None
            else:
                cell = self._other(kind, value)
            index = columns.get(col)
            if index is None:
                index = self._column(col)
            if index == len(values):
                append(cell)
            elif index > len(values):
                values.extend([None] * (index - len(values)))
                append(cell)
            else:
                values[index] = cell
        return values

    def _text(self, inline: bytes) -> Optional[str]:
        text = V.plain(inline) or None
        if len(self._texts) < MEMO:
            self._texts[inline] = text  # None too: .get() then misses and asks again, cheaply
        return text

    def _date(self, value: bytes, style: bytes) -> Any:
        cell = V.number(value)
        if cell.__class__ is float and math.isfinite(cell):
            cell = V.date_value(cell, self._kind_of[style], self.date1904)
            if cell.__class__ is dt.timedelta and self._duration is not None:
                cell = self._duration(cell)
        if len(self._dates) < MEMO:
            self._dates[(value, style)] = cell
        return cell

    def _other(self, kind: bytes, value: bytes) -> Any:
        if kind == b"str":
            return V.unescape(value) or None
        if kind == b"b":
            return value in (b"1", b"true")
        if kind == b"d":
            return V.iso(V.unescape(value))
        return None  # e: an error; or a type no writer uses

    def _slow(self, row: bytes) -> list[Any]:
        values: list[Any] = []
        for index, style, kind, value, inline in _slow_cells(row):
            if kind == b"inlineStr":
                cell = V.string(inline) or None
            elif not value:
                cell = None
            elif kind == b"n":
                cell = self._date(value, style) if style in self._kind_of else V.number(value)
            elif kind == b"s":
                cell = self._strings[int(value)] if value.isdigit() and int(value) < len(self._strings) else None
                cell = cell or None
            else:
                cell = self._other(kind, value)
            if index >= len(values):
                values.extend([None] * (index + 1 - len(values)))
            values[index] = cell
        return values

    def _column(self, letters: bytes) -> int:
        self._columns[letters] = index = _column(letters)
        return index

    def close(self) -> None:
        self._zip.close()
