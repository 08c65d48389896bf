"""Generated hostile files (issue 17): a sheet past the import's row limit is refused from
its used range before any row is read (the ``<dimension>`` when a valued cell past the limit
confirms it, else the streaming scan, which stops at the limit); a zip bomb, an entity bomb,
16,384 columns, 32,767-character cells and NUL bytes each end in one sentence with nothing
imported. The workbooks are small raw-XML zips written here; the limit is lowered instead of
writing a million rows."""
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


def test_a_dimension_past_the_limit_is_refused_before_the_full_scan(tmp_path, monkeypatch):
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


def test_a_dimension_that_says_a1_does_not_hide_the_rows(tmp_path, monkeypatch):
    path = workbook(tmp_path / "lying.xlsx", sheet_xml(13, "A1"))
    assert refused(path, max_rows=10).code == "too_many_rows"  # the full scan counted them
    scanned = []
    monkeypatch.setattr("crmdesk.core.io.file_checks.scan_xlsx_sheet",
                        lambda *args: scanned.append(args) or (0, 0))
    monkeypatch.setattr("crmdesk.core.io.file_checks.MIN_ROW_BYTES", 1)  # as if the part were huge
    assert refused(path, max_rows=10).code == "too_many_rows" and scanned == []
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
    sheet = sheet_xml(30_000, "A1")  # ~2.7 MB: three chunks of the scan
    assert U.scan_xlsx_sheet(io.BytesIO(sheet)) == (30_000, 2)
    rows, _cols = U.scan_xlsx_sheet(io.BytesIO(sheet), row_stop=100)
    assert 100 < rows < 30_000  # past the limit, and stopped after the first chunk


def test_declared_rows_and_the_confirming_look():
    assert U.declared_rows(b'<worksheet><dimension ref="B3:Y500001"/><sheetData>') == (3, 500_001)
    assert U.declared_rows(b'<x:worksheet><x:dimension ref="A1"/><x:sheetData>') == (1, 1)
    assert U.declared_rows(b'<worksheet><sheetData><row r="1"/>') is None
    sheet = sheet_xml(5, "A1:B40", styled_empty_to=40)
    assert not U.spans_past(io.BytesIO(sheet), 5)
    assert U.spans_past(io.BytesIO(sheet), 4)
    lower = b"<sheetData>" + b"".join(b'<row r="%d"><c r="A%d" s="1"/><c r="B%d"><v>%d</v></c></row>' % (n, n, n, n)
                                      for n in range(3, 8)) + b"</sheetData>"
    assert not U.spans_past(io.BytesIO(lower), 5)  # rows 3..7: counted from the first valued cell
    assert U.spans_past(io.BytesIO(lower), 4)


LAUGHS = (b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
          + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
                     for i in range(1, 10))
          + b']>\n<sst ' + NS + b' count="1" uniqueCount="1"><si><t>&lol9;</t></si></sst>')
HEADER = (b'<?xml version="1.0" encoding="UTF-8"?><worksheet ' + NS + b'><sheetData><row r="1">'
          b'<c r="A1" t="inlineStr"><is><t>Name</t></is></c><c r="B1" t="inlineStr"><is><t>Mobile</t></is></c></row>')


def _cell(ref: str, text: bytes) -> bytes:
    return b'<c r="%s" t="inlineStr"><is><t>%s</t></is></c>' % (ref.encode(), text)


def million_rows(folder: Path) -> Path:
    """The dimension claims 1,048,576 rows and the first chunk holds a valued cell there."""
    body = sheet_xml(3, "A1:B1048576").replace(
        b"</sheetData>", b'<row r="1048576">' + _cell("A1048576", b"Last") + b"</row></sheetData>")
    return workbook(folder / "million.xlsx", body)


def zip_bomb(folder: Path) -> Path:
    path = folder / "zip.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        for name, data in PARTS.items():
            zf.writestr(name, data)
        with zf.open("xl/worksheets/sheet1.xml", "w") as part:
            part.write(HEADER)
            for _ in range(51):  # 51 MB of spaces in ~50 KB
                part.write(b" " * (1 << 20))
            part.write(b"</sheetData></worksheet>")
    return path


def entity_bomb(folder: Path) -> Path:
    body = HEADER + b'<row r="2"><c r="A2" t="s"><v>0</v></c><c r="B2"><v>13800000000</v></c></row></sheetData></worksheet>'
    path = workbook(folder / "laughs.xlsx", body)
    with zipfile.ZipFile(path, "a") as zf:
        zf.writestr("xl/sharedStrings.xml", LAUGHS)
    return path


def wide(folder: Path) -> Path:
    """Every one of 700 rows also reaches column XFD: 11.5 million cells for calamine."""
    rows = b"".join(b'<row r="%d">%s%s</row>' % (n, _cell(f"A{n}", b"Ann %d" % n), _cell(f"XFD{n}", b"far"))
                    for n in range(2, 701))
    return workbook(folder / "wide.xlsx", HEADER + rows + b"</sheetData></worksheet>")


def long_cells(folder: Path) -> Path:
    """Names of 32,767 characters, Excel's own cell limit."""
    rows = b"".join(b'<row r="%d">%s<c r="B%d"><v>1380000000%d</v></c></row>'
                    % (n, _cell(f"A{n}", b"x" * 32_767), n, n) for n in range(2, 5))
    return workbook(folder / "long.xlsx", HEADER + rows + b"</sheetData></worksheet>")


def nul_csv(folder: Path) -> Path:
    """A CSV padded with NUL bytes in its middle (a file a crashed program left)."""
    path = folder / "nul.csv"
    lines = [b"Name,Mobile"] + [b"Customer %d,1380000%04d" % (n, n) for n in range(1, 2_001)]
    data = b"\r\n".join(lines) + b"\r\n"
    path.write_bytes(data[:20_000] + b"\x00" * 4096 + data[20_000:])
    return path


BOMBS = {  # maker: (code, the sentence's start)
    zip_bomb: ("file_too_large", "zip.xlsx is too large to read safely (more than 50 MB)"),
    entity_bomb: ("file_unsafe_xml", "laughs.xlsx contains XML declarations"),
    wide: ("file_too_large", "wide.xlsx is too large to read safely (more than 10,000,000 cells)"),
    million_rows: ("too_many_rows", "The file has more than 500,000 rows"),
}


@pytest.mark.parametrize("make", list(BOMBS), ids=lambda make: make.__name__)
def test_each_bomb_is_refused_in_one_sentence_with_nothing_imported(tmp_path, db, make):
    from crmdesk.core.models import Customer
    from crmdesk.core.imports import customer_import as CI
    from crmdesk.core.imports.options import ImportOptions
    code, sentence = BOMBS[make]
    with pytest.raises(CrmError) as caught:
        CI.import_file(make(tmp_path), ImportOptions())
    assert caught.value.code == code
    assert message(caught.value).replace(str(tmp_path) + os.sep, "").startswith(sentence)
    assert Customer.select().count() == 0


def test_cells_of_32767_characters_are_rows_with_a_reason_not_customers(tmp_path, db):
    from crmdesk.core.models import Customer
    from crmdesk.core.imports import customer_import as CI
    from crmdesk.core.imports.options import ImportOptions
    result, _plan = CI.import_file(long_cells(tmp_path), ImportOptions())
    assert (result.created, result.rejected) == (0, 3)
    assert [row.number for row in result.rejected_rows] == [2, 3, 4]
    assert all(list(row.errors) == ["name"] for row in result.rejected_rows)
    assert Customer.select().count() == 0


def test_nul_bytes_never_reach_the_database(tmp_path, db):
    from crmdesk.core.models import Customer
    from crmdesk.core.imports import customer_import as CI
    from crmdesk.core.imports.options import ImportOptions
    result, _plan = CI.import_file(nul_csv(tmp_path), ImportOptions())
    assert result.created + result.rejected == 2_000 and result.rejected <= 1
    assert not [c for c in Customer.select() if "\x00" in c.name + c.mobile]  # (LIKE stops at a NUL)
    body = HEADER + b'<row r="2">' + _cell("A2", b"Ann\x00\x00 Lee") + b'<c r="B2"><v>13800000000</v></c></row>'
    result, _plan = CI.import_file(workbook(tmp_path / "nul.xlsx", body + b"</sheetData></worksheet>"),
                                   ImportOptions())
    assert result.created == 1
    assert Customer.get(Customer.mobile == "+8613800000000").name == "Ann Lee"


def hashed(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_the_command_line_refuses_a_long_sheet_without_importing(tmp_path):
    """``import customers`` passes the import's limit down: one sentence, exit 2, the
    database's bytes unchanged."""
    db = tmp_path / "crm.sqlite"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    run = lambda *args: subprocess.run([sys.executable, "-m", "crmdesk", "--db", str(db), *args],
                                       capture_output=True, text=True, env=env, cwd=tmp_path)
    assert run("import", "customers", str(workbook(tmp_path / "ok.xlsx", sheet_xml(4, "A1:B4")))).returncode == 0
    before = hashed(db)
    done = run("import", "customers", str(million_rows(tmp_path)))
    assert done.returncode == 2, done.stderr
    assert done.stderr.strip().startswith("The file has more than 500,000 rows")
    assert "Traceback" not in done.stderr
    assert hashed(db) == before


def test_a_csv_past_the_limit_is_counted_before_the_import_reads_it(tmp_path):
    lines = ["Name,Mobile"] + [f"Customer {n},1390000{n:04d}" for n in range(1, 13)]
    long_csv = tmp_path / "long.csv"
    long_csv.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    error = refused(long_csv, max_rows=10)
    assert error.code == "too_many_rows" and message(error).startswith("The file has more than 10 rows")
    blank_lines = tmp_path / "blank-lines.csv"  # blank lines are not rows: a header and 10 rows pass
    blank_lines.write_text("\r\n\r\n".join(lines[:11]) + "\r\n,\r\n", encoding="utf-8")
    with open_source(blank_lines, max_rows=10) as source:
        assert len([row for row in source.rows() if any(row[1])]) == 11
