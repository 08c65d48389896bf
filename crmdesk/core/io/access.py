"""Microsoft Access databases (.mdb JET3/JET4, .accdb ACE) as a ``Source`` whose sheets are
the database's tables.

The reader is mdbtools (``mdb-tables``, ``mdb-count``, ``mdb-schema``, ``mdb-export``), run
as child processes. Measured on the four files in ``shared/data/access`` (issue 21): it
lists and reads every table of JET3, JET4 and ACE files with the right counts and text
(``Bólido Comidas preparadas``, the JET3 table ``Umsätze``) in 0.04-0.05 s for Northwind's
four sales tables. The pure-Python ``access-parser`` 0.0.6 was measured too and refused:
every CustomerID of the ACE file came out corrupt, two tables crashed it, and its Currency
values changed type from file to file (0.35-0.44 s). pyodbc needs the Access driver, which
only exists on Windows.

What mdbtools gives, and what this module makes of it:
- every value as text: the column types (``mdb-schema``) turn them back into int, float
  (Currency has four decimals), bool, date or datetime (a DateTime at midnight is a
  date); a Single is rounded to 7 significant digits (a discount of 0.15 is stored as
  0.15000001);
- binary (OLE) columns are left out (``-b strip``), never decoded;
- dates outside what it can print (year 9999, before 1900) come as ``1900-01-00``: the cell
  is left empty and ``warnings()`` names the rows and columns;
- memo fields keep their newlines (the output is decoded as bytes, not as text lines);
- system tables (``MSys…``) and empty tables are not offered.

A password-protected or damaged file, or a missing mdbtools, is a ``CrmError`` with one
sentence; mdbtools' own messages never reach the user.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, Optional

from crmdesk.core.errors import CrmError
from crmdesk.core.io.access_sales import SalesShape, find_sales_shape, sales_rows, sales_warnings
from crmdesk.core.io.source import Sheet, Source

MAGICS = (b"Standard Jet DB", b"Standard ACE DB")
DATETIME_FORMAT = "%Y-%m-%d %H:%M:%S"
BAD_DATE = "1900-01-00"  # mdbtools' text for a date it cannot print
LIST_TIMEOUT = 60  # seconds for listing tables or reading a schema; a sane file takes milliseconds
_SYSTEM = re.compile(r"^(MSys|~TMP|f_[0-9A-F]{32}_)", re.IGNORECASE)
_TABLE = re.compile(r"^CREATE TABLE \[(.+)\]\s*$")
_COLUMN = re.compile(r"^\s*\[(?P<name>.+)\]\s+(?P<type>[^,]+?)\s*,?\s*$")
_BINARY_TYPES = ("ole", "binary", "replication id", "complex", "attachment")
_INTEGER_TYPES = ("byte", "integer", "long integer")


def is_access(head: bytes) -> bool:
    """True for the first bytes of a JET or ACE database, whatever the file's name."""
    return head[4:19] in MAGICS


@dataclass
class Table:
    name: str
    rows: int
    columns: list[tuple[str, str]] = field(default_factory=list)  # (name, Access type), binary ones left out


class AccessSource(Source):
    """An Access database opened for reading; see the module docstring."""

    header_row = 1  # the column names

    def __init__(self, path: Path):
        self.path = path
        self.format = "access"
        self._bad_dates: dict[str, dict[tuple[int, str], None]] = {}
        self._processes: list[subprocess.Popen] = []
        self.tables = {t.name: t for t in self._list_tables()}
        self.sheets = [Sheet(name, i) for i, name in enumerate(self.tables)]
        self.sales: Optional[SalesShape] = find_sales_shape(self.tables) if self.tables else None
        if self.sales is not None:  # last: a customer import looks at the real tables first
            self.sheets.append(Sheet(self.sales.name, len(self.sheets)))

    # ------------------------------------------------------------ listing
    def _list_tables(self) -> list[Table]:
        names = sorted((n for n in _run(self.path, "mdb-tables", "-1", str(self.path)).splitlines()
                        if n.strip() and not _SYSTEM.match(n)), key=str.casefold)
        columns = schemas(self.path) if names else {}
        tables = []
        for name in names:
            text = _run(self.path, "mdb-count", str(self.path), name).strip()
            try:
                count = int(text)
            except ValueError:
                raise _damaged(self.path) from None
            if count > 0:
                tables.append(Table(name, count, columns.get(name, [])))
        return tables

    def row_count_hint(self, sheet: Optional[str] = None) -> Optional[int]:
        name = self._sheet(sheet).name
        if self.sales is not None and name == self.sales.name:
            return self.tables[self.sales.lines].rows + 1
        return self.tables[name].rows + 1  # and the header row

    # ------------------------------------------------------------ rows
    def rows(self, sheet: Optional[str] = None) -> Iterator[tuple[int, list[Any]]]:
        """Row 1 holds the column names, then one row a record (row 2 is the first)."""
        name = self._sheet(sheet).name
        if self.sales is not None and name == self.sales.name:
            return sales_rows(self, self.sales)
        return self._rows(name)

    def records(self, name: str) -> Iterator[dict[str, Any]]:
        """A table's records as ``{column: value}``, for joining tables."""
        rows = self._rows(name)
        try:
            _number, header = next(rows, (0, []))
            for _number, values in rows:
                yield dict(zip(header, values))
        finally:
            rows.close()

    def _rows(self, name: str) -> Iterator[tuple[int, list[Any]]]:
        types = dict(self.tables[name].columns)
        bad = self._bad_dates.setdefault(name, {})
        process = _start(self.path, "mdb-export", "-b", "strip", "-T", DATETIME_FORMAT, str(self.path), name)
        self._processes.append(process)
        finished = False
        try:
            reader = csv.reader(io.TextIOWrapper(process.stdout, encoding="utf-8", errors="replace", newline=""))
            header = next(reader, None)
            if header is None:
                raise _damaged(self.path)
            kept = [(i, column, types[column]) for i, column in enumerate(header) if column in types]
            yield 1, [column for _i, column, _t in kept]
            for number, record in enumerate(reader, start=2):
                values = []
                for i, column, kind in kept:
                    text = record[i] if i < len(record) else ""
                    value = convert(text, kind)
                    if value is None and text.startswith(BAD_DATE):
                        bad[(number, column)] = None
                    values.append(value)
                while values and values[-1] is None:
                    values.pop()
                if values:
                    yield number, values
            finished = True
        finally:
            if not finished:
                process.kill()
            process.stdout.close()
            code = process.wait()
            self._processes.remove(process)
        if code != 0:
            raise _damaged(self.path)

    def warnings(self, sheet: Optional[str] = None) -> list[CrmError]:
        """What reading ``sheet`` so far left out: dates mdbtools could not print."""
        name = self._sheet(sheet).name
        if self.sales is not None and name == self.sales.name:
            return sales_warnings(self, self.sales)
        bad = self._bad_dates.get(name, {})
        if not bad:
            return []
        rows = sorted({row for row, _column in bad})
        columns = sorted({column for _row, column in bad})
        shown = ", ".join(str(r) for r in rows[:10]) + (", …" if len(rows) > 10 else "")
        return [CrmError("access_dates_out_of_range", count=len(bad), columns=", ".join(columns), rows=shown)]

    def record_counts(self) -> dict[str, int]:
        counts = {t.name: t.rows for t in self.tables.values()}
        if self.sales is not None:
            counts[self.sales.name] = self.tables[self.sales.lines].rows
        return counts

    def sales_sheet(self) -> Optional[str]:
        return None if self.sales is None else self.sales.name

    def missing_sheet(self, sheet: str) -> CrmError:
        return CrmError("access_table_not_found", table=sheet, tables=describe_tables(self))

    @property
    def readers_running(self) -> int:
        """mdb-export processes still reading a table (a cancelled read stops its own)."""
        return len(self._processes)

    def close(self) -> None:
        for process in list(self._processes):
            process.kill()


def describe_tables(source: AccessSource) -> str:
    """"Customers (91), Orders (830)": the tables a user can pick, with their records."""
    return ", ".join(f"{t.name} ({t.rows:,})" for t in source.tables.values())


def default_table(source: AccessSource, sales: bool) -> str:
    """The table to import when the user named none: the joined sales for a sales import
    from a database with that shape, else the only table; otherwise ``access_pick_table``
    lists them."""
    if sales and source.sales is not None:
        return source.sales.name
    if len(source.tables) == 1:
        return next(iter(source.tables))
    raise CrmError("access_pick_table", tables=describe_tables(source))


def convert(text: str, kind: str) -> Any:
    """One exported value as Python sees it (None: empty, or a date mdbtools could not print)."""
    if text == "":
        return None
    kind = kind.lower()
    try:
        if kind.startswith(_INTEGER_TYPES):
            return int(text)
        if kind.startswith("boolean"):
            return text not in ("0", "FALSE", "false")
        if kind.startswith("single"):
            return float(f"{float(text):.7g}")
        if kind.startswith(("double", "currency", "numeric")):  # as a spreadsheet's numbers are
            return float(text)
        if kind.startswith("datetime"):
            if text.startswith(BAD_DATE):
                return None
            value = dt.datetime.strptime(text, DATETIME_FORMAT)
            return value.date() if value.time() == dt.time(0) else value
    except ValueError:
        return text  # kept as the file has it: the import's checks say what is wrong
    return text


def schemas(path: Path) -> dict[str, list[tuple[str, str]]]:
    """Every table's columns and their Access types (binary ones left out), from one
    ``mdb-schema`` run."""
    tables: dict[str, list[tuple[str, str]]] = {}
    current: Optional[list[tuple[str, str]]] = None
    for line in _run(path, "mdb-schema", str(path)).splitlines():
        start = _TABLE.match(line)
        if start:
            current = tables.setdefault(start.group(1), [])
            continue
        if line.startswith(");"):
            current = None
            continue
        match = _COLUMN.match(line) if current is not None else None
        if match and not match.group("type").lower().startswith(_BINARY_TYPES):
            current.append((match.group("name"), match.group("type")))
    return tables


# ------------------------------------------------------------ mdbtools
def _tool(path: Path, name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise CrmError("access_reader_missing", path=str(path))
    return found


def _environment() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("LC_ALL", "C.UTF-8")  # mdbtools writes UTF-8 whatever the locale
    return env


def _run(path: Path, name: str, *args: str) -> str:
    try:
        done = subprocess.run([_tool(path, name), *args], capture_output=True, timeout=LIST_TIMEOUT,
                              env=_environment(), stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        raise _damaged(path) from None
    except OSError:
        raise CrmError("file_unreadable", path=str(path)) from None
    if done.returncode != 0:
        raise _damaged(path)
    return done.stdout.decode("utf-8", errors="replace")


def _start(path: Path, name: str, *args: str) -> subprocess.Popen:
    try:
        return subprocess.Popen([_tool(path, name), *args], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                stdin=subprocess.DEVNULL, env=_environment())
    except OSError:
        raise CrmError("file_unreadable", path=str(path)) from None


def _damaged(path: Path) -> CrmError:
    return CrmError("access_unreadable", path=str(path))


def open_access(path: Path) -> AccessSource:
    """The database at ``path``; ``file_no_data`` when no table holds a record."""
    source = AccessSource(path)
    if not source.sheets:
        raise CrmError("file_no_data", path=str(path))
    return source
