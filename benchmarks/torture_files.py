"""The generated hostile files of ``torture.py`` (issue 17): small raw-XML zips written by
hand with ``zipfile``, so a 1,048,576-row sheet takes seconds to write, not minutes.

Each ``make_*`` writes one file into a folder and returns its path; ``make_all`` writes
them all. ``good_sheet`` writes an honest customer list (the baseline and the kill runs).
"""
from __future__ import annotations

import base64
import os
import random
import zipfile
from pathlib import Path

MAIN = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
PARTS = {
    "[Content_Types].xml": b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
    "_rels/.rels": b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    "xl/workbook.xml": b'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Customers" sheetId="1" r:id="rId1"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels": b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
}
HEAD = b'<?xml version="1.0" encoding="UTF-8"?><worksheet ' + MAIN + b">"
HEADER_ROW = (b'<row r="1"><c r="A1" t="inlineStr"><is><t>Name</t></is></c>'
              b'<c r="B1" t="inlineStr"><is><t>Mobile</t></is></c></row>')
BATCH = 20_000


def _text(value: str | bytes) -> bytes:
    value = value.encode() if isinstance(value, str) else value
    return value.replace(b"&", b"&amp;").replace(b"<", b"&lt;")


def _customer_row(n: int, extra: bytes = b"", start: int = 0) -> bytes:
    """Row ``n``: customer ``start + n``, a mobile of its own (139..., not the demo's)."""
    return (b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>Customer %d</t></is></c>'
            b'<c r="B%d"><v>1%010d</v></c>%s</row>' % (n, n, start + n, n, 3900000000 + start + n, extra))


def workbook(path: Path, rows, dimension: bytes | None = None, extra_parts: dict | None = None) -> Path:
    """An xlsx whose only sheet holds the ``<row>`` elements yielded by ``rows``."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        for name, data in {**PARTS, **(extra_parts or {})}.items():
            zf.writestr(name, data)
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            part.write(HEAD + (b'<dimension ref="%s"/>' % dimension if dimension else b"") + b"<sheetData>")
            batch = []
            for row in rows:
                batch.append(row)
                if len(batch) >= BATCH:
                    part.write(b"".join(batch))
                    batch = []
            part.write(b"".join(batch) + b"</sheetData></worksheet>")
    return path


def good_sheet(folder: Path, rows: int, name: str = "customers.xlsx", start: int = 0) -> Path:
    """An honest customer list: a header and ``rows`` customers, numbered from ``start``
    (sheets with different starts hold different customers)."""
    return workbook(folder / name, (HEADER_ROW if n == 1 else _customer_row(n, start=start)
                                    for n in range(1, rows + 2)), b"A1:B%d" % (rows + 1))


def make_million_rows(folder: Path) -> Path:
    """1,048,576 rows (Excel's limit), its dimension saying so."""
    return workbook(folder / "bomb-1048576-rows.xlsx",
                    (HEADER_ROW if n == 1 else _customer_row(n) for n in range(1, 1_048_577)), b"A1:B1048576")


def make_million_rows_dimension_a1(folder: Path) -> Path:
    """The same rows under a dimension that lies ("A1"): the streaming count decides."""
    return workbook(folder / "bomb-1048576-rows-dimension-a1.xlsx",
                    (HEADER_ROW if n == 1 else _customer_row(n) for n in range(1, 1_048_577)), b"A1")


def make_million_rows_csv(folder: Path) -> Path:
    """1,048,576 lines of CSV (29 MB)."""
    path = folder / "bomb-1048576-rows.csv"
    with path.open("wb") as stream:
        stream.write(b"Name,Mobile\r\n")
        for start in range(1, 1_048_576, BATCH):
            stream.write(b"".join(b"Customer %d,1%010d\r\n" % (n, 3900000000 + n)
                                  for n in range(start, min(start + BATCH, 1_048_576))))
    return path


def make_zip_bomb(folder: Path, size: int = 1 << 30) -> Path:
    """A customer list whose sheet ends in ``size`` bytes of spaces: ~1 MB on disk, 1 GB unpacked."""
    path = folder / "bomb-zip.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for name, data in PARTS.items():
            zf.writestr(name, data)
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            part.write(HEAD + b"<sheetData>" + HEADER_ROW + _customer_row(2))
            block = b" " * (1 << 20)
            for _ in range(size >> 20):
                part.write(block)
            part.write(b"</sheetData></worksheet>")
    return path


def make_entity_bomb(folder: Path) -> Path:
    """Billion laughs in the shared strings: ten levels of ten entities (3 GB if expanded)."""
    laughs = (b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
              + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
                         for i in range(1, 10))
              + b']>\n<sst ' + MAIN + b' count="1" uniqueCount="1"><si><t>&lol9;</t></si></sst>')
    rows = [HEADER_ROW, b'<row r="2"><c r="A2" t="s"><v>0</v></c><c r="B2"><v>13800000000</v></c></row>']
    return workbook(folder / "bomb-entity.xlsx", rows, b"A1:B2", {"xl/sharedStrings.xml": laughs})


def make_wide(folder: Path, rows: int = 1_000) -> Path:
    """A customer list whose every row also has a cell in column XFD (16,384): calamine
    would build rows x 16,384 cells."""
    far = lambda n: b'<c r="XFD%d" t="inlineStr"><is><t>far</t></is></c>' % n
    body = (HEADER_ROW.replace(b"</row>", far(1) + b"</row>") if n == 1 else _customer_row(n, far(n))
            for n in range(1, rows + 1))
    return workbook(folder / "bomb-16384-columns.xlsx", body, b"A1:XFD%d" % rows)


def make_long_cells(folder: Path, rows: int = 100, seed: int = 17) -> Path:
    """Every customer's name is 32,767 characters long (Excel's own cell limit), random
    letters so that the zip does not look like a bomb."""
    rng = random.Random(seed)
    def row(n):
        text = base64.b64encode(rng.randbytes(24_576))[:32_767]
        return (b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>%s</t></is></c><c r="B%d"><v>1%010d</v></c></row>'
                % (n, n, text, n, 3800000000 + n))
    return workbook(folder / "bomb-32k-cells.xlsx", (HEADER_ROW if n == 1 else row(n) for n in range(1, rows + 2)),
                    b"A1:B%d" % (rows + 1))


def make_nul_csv(folder: Path, rows: int = 1_000) -> Path:
    """A CSV whose text is sprinkled with NUL bytes after its first 8 KB (a file cut and
    padded by a crashed program)."""
    path = folder / "bomb-nul-bytes.csv"
    lines = [b"Name,Mobile"] + [b"Customer %d,1%010d" % (n, 3800000000 + n) for n in range(1, rows + 1)]
    data = b"\r\n".join(lines) + b"\r\n"
    cut = len(data) // 2
    path.write_bytes(data[:cut] + b"\x00" * 4096 + data[cut:])
    return path


def make_nul_cell(folder: Path) -> Path:
    """An xlsx with NUL characters inside a cell (not allowed in XML 1.0)."""
    rows = [HEADER_ROW, b'<row r="2"><c r="A2" t="inlineStr"><is><t>Ann\x00\x00Lee</t></is></c>'
                        b'<c r="B2"><v>13800000000</v></c></row>']
    return workbook(folder / "bomb-nul-cell.xlsx", rows, b"A1:B2")


MAKERS = (make_zip_bomb, make_entity_bomb, make_wide, make_million_rows, make_million_rows_dimension_a1,
          make_million_rows_csv,
          make_long_cells, make_nul_csv, make_nul_cell)


def make_all(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    return [make(folder) for make in MAKERS]


if __name__ == "__main__":
    import sys
    import time
    target = Path(sys.argv[1] if len(sys.argv) > 1 else ".")
    for make in MAKERS:
        start = time.perf_counter()
        made = make(target)
        print(f"{made.name}: {os.path.getsize(made) / 1e6:.1f} MB in {time.perf_counter() - start:.1f} s")
