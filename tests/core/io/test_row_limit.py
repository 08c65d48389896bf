"""A sheet past the import's row limit is refused from its used range, before any row is
read (issue 17): the ``<dimension>`` when a valued cell past the limit confirms it, else the
streaming scan, which stops at the limit. The workbooks are small raw-XML zips written here;
the limit is lowered instead of writing a million rows."""
from __future__ import annotations

import hashlib
import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from crmdesk.core.errors import CrmError
from crmdesk.core.io import used_range as U
from crmdesk.core.io.sheet_read import open_source
from crmdesk.core.messages import message

ROOT = Path(__file__).resolve().parents[3]
NS = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
PARTS = {
    "[Content_Types].xml": b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
    "_rels/.rels": b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    "xl/workbook.xml": b'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Customers" sheetId="1" r:id="rId1"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels": b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
}


def sheet_xml(rows: int, dimension: str | None, styled_empty_to: int = 0) -> bytes:
    """A Name/Mobile list of ``rows`` rows (header included), then formatted-only rows up
    to ``styled_empty_to`` (Excel counts those in its dimension)."""
    out = [b'<?xml version="1.0" encoding="UTF-8"?><worksheet ' + NS + b">"]
    if dimension is not None:
        out.append(b'<dimension ref="%s"/>' % dimension.encode())
    out.append(b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Name</t></is></c>'
               b'<c r="B1" t="inlineStr"><is><t>Mobile</t></is></c></row>')
    for n in range(2, rows + 1):
        out.append(b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>Customer %d</t></is></c>'
                   b'<c r="B%d"><v>138%08d</v></c></row>' % (n, n, n, n, n))
    for n in range(rows + 1, styled_empty_to + 1):
        out.append(b'<row r="%d"><c r="A%d" s="1"/><c r="B%d" s="1"/></row>' % (n, n, n))
    out.append(b"</sheetData></worksheet>")
    return b"".join(out)


def workbook(path: Path, sheet: bytes) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in PARTS.items():
            zf.writestr(name, data)
        zf.writestr("xl/worksheets/sheet1.xml", sheet)
    return path


def refused(path: Path, max_rows: int) -> CrmError:
    with pytest.raises(CrmError) as caught:
        open_source(path, max_rows=max_rows)
    return caught.value


def test_a_dimension_past_the_limit_is_refused_before_the_scan(tmp_path, monkeypatch):
    path = workbook(tmp_path / "long.xlsx", sheet_xml(13, "A1:B13"))
    scanned = []
    monkeypatch.setattr("crmdesk.core.io.file_checks.scan_xlsx_sheet",
                        lambda *args: scanned.append(args) or (0, 0))
    error = refused(path, max_rows=10)
    assert error.code == "too_many_rows" and error.params == {"max": 10}
    assert scanned == []  # the dimension and one valued cell past row 11 were enough
    assert message(error).startswith("The file has more than 10 rows")


def test_a_header_and_exactly_the_limit_are_read(tmp_path):
    path = workbook(tmp_path / "full.xlsx", sheet_xml(11, "A1:B11"))
    with open_source(path, max_rows=10) as source:
        assert len(list(source.rows())) == 11


def test_a_dimension_that_says_a1_does_not_hide_the_rows(tmp_path):
    path = workbook(tmp_path / "lying.xlsx", sheet_xml(13, "A1"))
    assert refused(path, max_rows=10).code == "too_many_rows"
    path = workbook(tmp_path / "none.xlsx", sheet_xml(13, None))
    assert refused(path, max_rows=10).code == "too_many_rows"


def test_rows_that_are_only_formatted_do_not_count(tmp_path):
    """Excel's dimension counts formatted empty cells ("Ctrl+End goes to row 1,048,576")."""
    path = workbook(tmp_path / "styled.xlsx", sheet_xml(5, "A1:B40", styled_empty_to=40))
    with open_source(path, max_rows=10) as source:
        assert [n for n, _ in source.rows()] == [1, 2, 3, 4, 5]


def test_without_a_limit_only_excel_limits_apply(tmp_path):
    path = workbook(tmp_path / "long.xlsx", sheet_xml(13, "A1:B13"))
    with open_source(path) as source:
        assert len(list(source.rows())) == 13


def test_the_scan_stops_at_the_limit():
    rows, _cols = U.scan_xlsx_sheet(io.BytesIO(sheet_xml(3_000, "A1")), row_stop=100)
    assert 100 < rows < 3_000 or rows == 3_000  # stopped once past the limit (chunked)
    assert rows > 100


def test_declared_rows_and_the_confirming_look():
    assert U.declared_rows(b'<worksheet><dimension ref="B3:Y500001"/><sheetData>') == (3, 500_001)
    assert U.declared_rows(b'<x:worksheet><x:dimension ref="A1"/><x:sheetData>') == (1, 1)
    assert U.declared_rows(b'<worksheet><sheetData><row r="1"/>') is None
    sheet = sheet_xml(5, "A1:B40", styled_empty_to=40)
    assert not U.valued_row_past(io.BytesIO(sheet), 5)
    assert U.valued_row_past(io.BytesIO(sheet), 4)


def test_the_command_line_refuses_a_long_sheet_without_importing(tmp_path):
    """``import customers`` passes the import's limit down: one sentence, exit 2, nothing
    written. The limit is the real one (500,000); the dimension claims 1,048,576 rows and
    the first chunk already holds a valued row past it, so the file stays small."""
    body = sheet_xml(3, "A1:B1048576").replace(
        b"</sheetData>", b'<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>Last</t></is></c></row></sheetData>')
    path = workbook(tmp_path / "million.xlsx", body)
    db = tmp_path / "crm.sqlite"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "CRMDESK_DB": str(db)}
    run = lambda *args: subprocess.run([sys.executable, "-m", "crmdesk", "--db", str(db), *args],
                                       capture_output=True, text=True, env=env, cwd=tmp_path)
    assert run("demo", "--help").returncode == 0
    first = run("import", "customers", str(tmp_path / "ok.xlsx")) if False else None
    done = run("import", "customers", str(path))
    assert done.returncode == 2, done.stderr
    assert "more than 500000 rows" in done.stderr + done.stdout
    assert "Traceback" not in done.stderr
    assert not db.exists() or _customers(db) == 0


def _customers(db: Path) -> int:
    import sqlite3
    with sqlite3.connect(db) as conn:
        try:
            return conn.execute("select count(*) from customer").fetchone()[0]
        except sqlite3.OperationalError:
            return 0
