"""Checks a spreadsheet must pass before python-calamine parses it (``DESIGN.md`` §6).

calamine is fast, but it trusts the file: it builds each sheet as one dense block from the
first to the last used cell, so a 700-byte xlsx with cells in A1 and XFD1048576 asks for
half a terabyte and aborts the whole process (measured with python-calamine 0.9.1). So,
before any parsing: the real format from the first bytes; the zip's central directory
(total unpacked size and ratio, encrypted entries, number of parts); no DOCTYPE or ENTITY
in any XML part's prolog; and the used range of every worksheet, counted by a streaming
scan of its XML (xlsx, xlsm, ods) or records (xlsb), never by building it. Given the
import's row limit, a sheet past it is refused (``too_many_rows``) from its used range,
before any row is read: quickly when its ``<dimension>`` or its size says it may be and a
valued cell past the limit confirms it, else by the full scan, which stops at the limit.

Every refusal is a ``CrmError`` with the file's path. Nothing here imports Qt.
"""
from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from crmdesk.core.errors import CrmError
from crmdesk.core.io.used_range import (  # noqa: F401 - the limits are part of this module's contract
    DIMENSION_BYTES,
    MAX_COLUMNS,
    MAX_ROWS,
    declared_rows,
    scan_ods_content,
    scan_xlsb_sheet,
    scan_xlsx_sheet,
    spans_past,
)

# Limits. A real customer or sales list is far below all of them; see each for why.
MAX_UNPACKED = 1 << 30      # 1 GiB of unpacked parts: a 500,000-row sheet of 20 columns is ~300 MB of XML
MAX_RATIO = 100             # unpacked/packed; real xlsx parts compress 5-30x, zeros 1000x
RATIO_FLOOR = 50 << 20      # ...but small parts may compress better: judge the ratio above 50 MB only
MAX_PARTS = 10_000          # parts in one zip; Excel writes a few dozen
MAX_CELLS = 10_000_000      # one sheet's used range (rows x columns): calamine keeps ~32 bytes a cell, ~320 MB
PROLOG_BYTES = 64 << 10     # an XML part must reach its root element within this many bytes

ZIP_MAGIC = b"PK\x03\x04"
EMPTY_ZIP_MAGIC = b"PK\x05\x06"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
SPREADSHEET_SUFFIXES = {".xls", ".xlsx", ".xlsm", ".xlsb", ".ods", ".xlt", ".xltx", ".xltm", ".xla", ".xlam", ".ots"}
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"

_BIFF_BOF = re.compile(rb"\x09\x08(\x10|\x08)\x00\x00[\x05\x06]\x05\x00")
_FILEPASS = b"\x2f\x00"


def fail(code: str, path: Path, **params) -> CrmError:
    return CrmError(code, path=str(path), **params)


def too_large(path: Path, limit: str) -> CrmError:
    return fail("file_too_large", path, limit=limit)


@dataclass
class Probe:
    """What the first bytes and the container say about a file."""
    format: str                  # csv, xlsx, xlsm, xlsb, xls, ods
    worksheets: tuple[str, ...] = ()  # zip parts holding cell data, checked by ``check_zip``
    unscanned: tuple[str, ...] = ()  # ...of which those left to a streaming reader (``stream_bytes``)


def probe(path: Path, head: bytes, max_rows: Optional[int] = None, stream_bytes: Optional[int] = None) -> Probe:
    """The file's real format, from its bytes; raises for what cannot be a spreadsheet, and
    for a sheet of more than ``max_rows`` rows under its header (None: Excel's limits only).
    ``stream_bytes``: an .xlsx/.xlsm sheet of more XML is read row by row, never built, so
    its used range is not scanned (``Probe.unscanned``; its rows are still checked quickly)."""
    suffix = path.suffix.lower()
    if head.startswith(ZIP_MAGIC) or head.startswith(EMPTY_ZIP_MAGIC):
        return check_zip(path, suffix, max_rows, stream_bytes)
    if head.startswith(OLE_MAGIC):
        return Probe(check_ole(path))
    if suffix in SPREADSHEET_SUFFIXES:  # text (or a picture) named .xls: never read it as CSV
        raise fail("file_not_spreadsheet", path)
    if _looks_binary(head):
        raise fail("file_not_spreadsheet", path)
    return Probe("csv")


_BINARY_MAGIC = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"%PDF", b"7z\xbc\xaf", b"Rar!", b"\x1f\x8b",
                 b"BM", b"\x00\x01\x00\x00Standard Jet DB", b"\x00\x01\x00\x00Standard ACE DB", b"MZ")


def _looks_binary(head: bytes) -> bool:
    if head.startswith(_BINARY_MAGIC):
        return True
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False  # UTF-16 text with a BOM
    sample = head[:4096]
    zeros = sample.count(0)
    if not zeros:
        return False
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    # UTF-16 text without a BOM has its zeros on one side only; anything else is binary.
    return not (zeros > len(sample) // 4 and min(even, odd) <= zeros // 50)


# ---- OLE (compound file): .xls, or an encrypted xlsx/xlsb ---------------------------------

def check_ole(path: Path) -> str:
    """"xls" for a readable BIFF workbook; raises for encrypted packages and other Office files."""
    try:
        data = path.read_bytes() if path.stat().st_size <= MAX_UNPACKED else b""
    except OSError:
        raise fail("file_unreadable", path) from None
    if not data:
        raise too_large(path, _mb(MAX_UNPACKED))
    # Directory entry names are UTF-16LE. An encrypted xlsx/xlsb/xlsm (standard or agile
    # encryption) is a compound file holding "EncryptionInfo" and "EncryptedPackage".
    if "EncryptedPackage".encode("utf-16-le") in data:
        raise fail("file_encrypted", path)
    if "Workbook".encode("utf-16-le") not in data and "Book\x00".encode("utf-16-le") not in data:
        raise fail("file_not_spreadsheet", path)  # a .doc, .ppt, .msg named .xls
    if biff_encrypted(data):
        raise fail("file_encrypted", path)
    return "xls"


def biff_encrypted(data: bytes) -> bool:
    """True when a workbook globals BOF record is followed by FILEPASS (RC4, CryptoAPI or XOR):
    calamine names XOR obfuscation a missing codepage, so look for the record ourselves."""
    for match in _BIFF_BOF.finditer(data):
        after = match.end() + (12 if match.group(1) == b"\x10" else 4)
        if data[after:after + 2] == _FILEPASS:
            return True
    return False


# ---- zip: xlsx, xlsm, xlsb, ods --------------------------------------------------------------

def check_zip(path: Path, suffix: str, max_rows: Optional[int] = None, stream_bytes: Optional[int] = None) -> Probe:
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            names = {info.filename for info in infos}
            _check_sizes(path, infos)
            if any(info.flag_bits & 0x1 for info in infos):
                raise fail("file_encrypted", path)  # a zip-level password
            kind = _zip_kind(zf, names, suffix)
            if kind is None:
                raise fail("file_not_spreadsheet", path)  # .docx, .pptx, .zip, .jar...
            if kind == "ods" and "META-INF/manifest.xml" in names:
                with zf.open("META-INF/manifest.xml") as part:
                    if b"encryption-data" in part.read(1 << 20):
                        raise fail("file_encrypted", path)
            for info in infos:
                if info.filename.lower().endswith((".xml", ".rels", ".vml")):
                    _check_prolog(path, zf, info)
            sheets = _worksheet_parts(zf, names, kind)
            row_stop = MAX_ROWS if max_rows is None else min(MAX_ROWS, max_rows + HEADER_ROWS)
            unscanned = []
            for name in sheets:
                if kind not in ("xlsb", "ods"):
                    _check_rows_quickly(zf, zf.getinfo(name), max_rows)
                    if stream_bytes is not None and zf.getinfo(name).file_size > stream_bytes:
                        unscanned.append(name)  # 8 of 9 s before a million-row import's first row
                        continue
                with zf.open(name) as part:
                    rows, cols = (scan_xlsb_sheet(part, row_stop) if kind == "xlsb" else
                                  scan_ods_content(part, row_stop) if kind == "ods" else
                                  scan_xlsx_sheet(part, row_stop))
                check_range(path, rows, cols, max_rows)
            return Probe(kind, tuple(sheets), tuple(unscanned))
    except CrmError:
        raise
    except OSError:
        raise fail("file_unreadable", path) from None
    except Exception:  # noqa: BLE001 - BadZipFile (bad CRC), zlib.error, EOFError, unknown compression...
        raise fail("file_damaged", path) from None


def _check_sizes(path: Path, infos: list[zipfile.ZipInfo]) -> None:
    if len(infos) > MAX_PARTS:
        raise too_large(path, f"{MAX_PARTS:,} parts")
    unpacked = sum(info.file_size for info in infos)
    packed = sum(info.compress_size for info in infos)
    if unpacked > MAX_UNPACKED:
        raise too_large(path, _mb(MAX_UNPACKED))
    if unpacked > RATIO_FLOOR and unpacked > MAX_RATIO * max(packed, 1):
        raise too_large(path, _mb(RATIO_FLOOR))
    for info in infos:  # one part may be the bomb among many honest ones
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise too_large(path, _mb(RATIO_FLOOR))


def _mb(size: int) -> str:
    return f"{size >> 20:,} MB"


def _zip_kind(zf: zipfile.ZipFile, names: set[str], suffix: str) -> Optional[str]:
    if "mimetype" in names:
        with zf.open("mimetype") as part:
            if part.read(200).strip().startswith(ODS_MIMETYPE):
                return "ods"
        return None
    if "xl/workbook.bin" in names:
        return "xlsb"
    if "xl/workbook.xml" in names:
        macros = "xl/vbaProject.bin" in names or suffix in (".xlsm", ".xltm")
        return "xlsm" if macros else "xlsx"
    if "content.xml" in names and suffix in (".ods", ".ots"):
        return "ods"
    return None


def _worksheet_parts(zf: zipfile.ZipFile, names: set[str], kind: str) -> list[str]:
    """Every part that may hold cells: the usual folders, plus whatever the workbook's
    relationships point at (some generators keep sheets elsewhere, e.g. ``xl/sheet1.xml``)."""
    if kind == "ods":
        return ["content.xml"] if "content.xml" in names else []
    ext = ".bin" if kind == "xlsb" else ".xml"
    parts = {n for n in names if n.startswith(("xl/worksheets/", "xl/dialogsheets/", "xl/macrosheets/"))
             and n.endswith(ext) and "/_rels/" not in n}
    rels = f"xl/_rels/workbook{ext}.rels"
    if rels in names:  # its prolog was checked: no DOCTYPE, so ElementTree is safe here
        from xml.etree import ElementTree
        with zf.open(rels) as part:
            root = ElementTree.fromstring(part.read(1 << 20))
        for rel in root:
            kind_uri, target = rel.get("Type", ""), rel.get("Target", "")
            if kind_uri.endswith(("/worksheet", "/dialogsheet", "/xlMacrosheet")) and target:
                name = target.lstrip("/") if target.startswith("/") else posixpath.normpath("xl/" + target)
                if name in names:
                    parts.add(name)
    return sorted(parts)


_ROOT = re.compile(rb"<[^?!]")


def _check_prolog(path: Path, zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """Refuse a DOCTYPE (entity declarations: the billion-laughs bomb) before the root element."""
    with zf.open(info) as part:
        head = part.read(PROLOG_BYTES)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = head.decode("utf-16", errors="replace").encode("utf-8", errors="replace")
    root = _ROOT.search(head)
    prolog = head if root is None else head[:root.start()]
    if b"<!DOCTYPE" in prolog.upper() or b"<!ENTITY" in prolog.upper() or b"<!ENTITY" in head:
        raise fail("file_unsafe_xml", path)
    if root is None and len(head) >= PROLOG_BYTES:
        raise fail("file_unsafe_xml", path)  # 64 KB of prolog is padding around something


HEADER_ROWS = 1  # the import's limit counts the rows under the header


def check_rows(rows: int, max_rows: Optional[int]) -> None:
    """The import's own row limit, against a sheet's used range (header included)."""
    if max_rows is not None and rows > max_rows + HEADER_ROWS:
        raise CrmError("too_many_rows", max=max_rows)


MIN_ROW_BYTES = 32  # no valued row is shorter: <row r="500001"><c r="A500001"><v>1</v></c></row> is 48


def _check_rows_quickly(zf: zipfile.ZipFile, info: zipfile.ZipInfo, max_rows: Optional[int]) -> None:
    """Refuse a sheet past the import's limit before the full scan: when its declared used
    range passes the limit, or its size could hold that many rows, and a valued cell past
    the limit confirms it (``used_range.spans_past``, at about the speed of unzipping)."""
    if max_rows is None:
        return
    limit = max_rows + HEADER_ROWS
    with zf.open(info) as part:
        declared = declared_rows(part.read(DIMENSION_BYTES))
    claims = declared is not None and declared[1] - declared[0] + 1 > limit
    if not claims and info.file_size <= limit * MIN_ROW_BYTES:
        return
    with zf.open(info) as part:
        if spans_past(part, limit):
            raise CrmError("too_many_rows", max=max_rows)


def check_range(path: Path, rows: int, cols: int, max_rows: Optional[int] = None) -> None:
    """Past Excel's own limits a sheet is a bomb (``file_too_large``); within them, past the
    import's limit it is a long list (``too_many_rows``)."""
    if rows > MAX_ROWS:
        raise too_large(path, f"{MAX_ROWS:,} rows")
    if cols > MAX_COLUMNS:
        raise too_large(path, f"{MAX_COLUMNS:,} columns")
    check_rows(rows, max_rows)
    if rows * cols > MAX_CELLS:
        raise too_large(path, f"{MAX_CELLS:,} cells")
