"""Hostile and odd spreadsheets built here: each gives one code, fast, without a memory spike."""
from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest

from crmdesk.core.errors import CrmError
from crmdesk.core.io import file_checks as C
from crmdesk.core.io.sheet_read import open_source

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
LAUGHS = (b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
          + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
                     for i in range(1, 10))
          + b']>\n<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" '
            b'uniqueCount="1"><si><t>&lol9;</t></si></sst>')


def code_of(path) -> str:
    with pytest.raises(CrmError) as caught:
        open_source(path)
    return caught.value.code


def xlsx(path, rows=(("Name", "Mobile"), ("Ann", "13800000000"))):
    wb = openpyxl.Workbook()
    for row in rows:
        wb.active.append(list(row))
    wb.save(path)
    return path


def rewrite(src, dst, replace: dict[str, bytes]):
    """A copy of the zip ``src`` with some parts' bytes replaced."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, replace.get(info.filename, zin.read(info.filename)))
        for name in set(replace) - set(zin.namelist()):
            zout.writestr(name, replace[name])
    return dst


@pytest.mark.parametrize("name", ["empty.xlsx", "empty.csv", "empty.xls"])
def test_empty_file(tmp_path, name):
    (tmp_path / name).write_bytes(b"")
    assert code_of(tmp_path / name) == "file_empty"


@pytest.mark.parametrize("name", ["photo.xlsx", "photo.png", "photo.csv", "photo.xls"])
def test_a_picture_is_not_a_spreadsheet(tmp_path, name):
    (tmp_path / name).write_bytes(PNG + bytes(range(256)) * 4)
    assert code_of(tmp_path / name) == "file_not_spreadsheet"


def test_word_document_and_plain_zip_are_not_spreadsheets(tmp_path):
    docx = tmp_path / "letter.xlsx"
    with zipfile.ZipFile(docx, "w") as zf:
        zf.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        zf.writestr("word/document.xml", '<?xml version="1.0"?><w:document xmlns:w="w"/>')
    assert code_of(docx) == "file_not_spreadsheet"
    plain = tmp_path / "archive.zip"
    with zipfile.ZipFile(plain, "w") as zf:
        zf.writestr("notes.txt", "Name,Mobile\nAnn,138\n")
    assert code_of(plain) == "file_not_spreadsheet"
    ods_like = tmp_path / "text.ods"
    with zipfile.ZipFile(ods_like, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.text")
    assert code_of(ods_like) == "file_not_spreadsheet"


def test_truncated_xlsx_is_damaged(tmp_path):
    whole = xlsx(tmp_path / "whole.xlsx").read_bytes()
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(whole[:len(whole) // 2])
    assert code_of(cut) == "file_damaged"


def test_crc_error_in_a_part_is_damaged(tmp_path):
    src = xlsx(tmp_path / "ok.xlsx")
    data = bytearray(src.read_bytes())
    with zipfile.ZipFile(src) as zf:
        info = zf.getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    data[start + 5] ^= 0xFF  # flip a byte inside the deflated sheet
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(bytes(data))
    assert code_of(bad) == "file_damaged"


def test_zip_bomb_is_refused_from_the_central_directory(tmp_path):
    src = xlsx(tmp_path / "ok.xlsx")
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, zin.read(info.filename))
        with zout.open("xl/media/padding.bin", "w") as part:  # any part: calamine never gets to it
            zeros = bytes(1 << 20)
            for _ in range(200):
                part.write(zeros)
    assert bomb.stat().st_size < 1 << 20  # ~200 KB on disk, 200 MB declared
    with pytest.raises(CrmError) as caught:
        open_source(bomb)
    assert caught.value.code == "file_too_large" and caught.value.params["limit"] == "50 MB"


def test_size_limits_from_declared_sizes():
    def info(size, packed):
        i = zipfile.ZipInfo("xl/worksheets/sheet1.xml")
        i.file_size, i.compress_size = size, packed
        return i
    C._check_sizes(C.Path("x.xlsx"), [info(40 << 20, 1 << 20)])  # 40x: a plain big sheet
    for infos in ([info(2 << 30, 1 << 30)], [info(400 << 20, 400 << 10)], [info(1, 1)] * (C.MAX_PARTS + 1)):
        with pytest.raises(CrmError) as caught:
            C._check_sizes(C.Path("x.xlsx"), infos)
        assert caught.value.code == "file_too_large"


@pytest.mark.parametrize("part", ["xl/sharedStrings.xml", "xl/worksheets/sheet1.xml", "[Content_Types].xml"])
def test_entity_bomb_is_refused_before_parsing(tmp_path, part):
    src = xlsx(tmp_path / "ok.xlsx")
    bomb = rewrite(src, tmp_path / "laughs.xlsx", {part: LAUGHS})
    assert code_of(bomb) == "file_unsafe_xml"


def test_doctype_in_utf16_or_after_a_comment_is_refused(tmp_path):
    src = xlsx(tmp_path / "ok.xlsx")
    sneaky = b'<?xml version="1.0"?><!-- hello -->\n' + LAUGHS.split(b"\n", 1)[1]
    assert code_of(rewrite(src, tmp_path / "a.xlsx", {"xl/sharedStrings.xml": sneaky})) == "file_unsafe_xml"
    utf16 = LAUGHS.decode().replace('"1.0"', '"1.0" encoding="UTF-16"').encode("utf-16")
    assert code_of(rewrite(src, tmp_path / "b.xlsx", {"xl/sharedStrings.xml": utf16})) == "file_unsafe_xml"


def test_all_16384_columns_read_without_a_dense_explosion(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append([f"c{i}" for i in range(16_384)])
    ws.append(["Ann", "13800000000"])
    ws.cell(row=3, column=16_384, value="last")
    path = tmp_path / "wide.xlsx"
    wb.save(path)
    with open_source(path) as source:
        rows = list(source.rows())
    assert [n for n, _ in rows] == [1, 2, 3]
    assert len(rows[0][1]) == 16_384 and rows[0][1][-1] == "c16383"
    assert rows[1][1] == ["Ann", "13800000000"]
    assert rows[2][1][:2] == [None, None] and rows[2][1][-1] == "last"


@pytest.mark.parametrize("cells", [
    [(1, 1), (1_048_576, 16_384)],                      # two cells, 17 billion in between
    [(1, 16_384)] + [(r, 1) for r in range(1, 1_001)],  # 1,000 rows reaching column XFD
])
def test_sparse_far_cells_are_refused_before_calamine_builds_them(tmp_path, cells):
    wb = openpyxl.Workbook()
    for row, col in cells:
        wb.active.cell(row=row, column=col, value=1)
    path = tmp_path / "far.xlsx"
    wb.save(path)
    with pytest.raises(CrmError) as caught:
        open_source(path)
    assert caught.value.code == "file_too_large"
    assert caught.value.params["limit"] in ("10,000,000 cells", "16,384 columns", "1,048,576 rows")


def test_a_sheet_stored_outside_xl_worksheets_is_scanned_too(tmp_path):
    wb = openpyxl.Workbook()
    for row, col in [(1, 1), (1_048_576, 16_384)]:
        wb.active.cell(row=row, column=col, value=1)
    src = tmp_path / "far.xlsx"
    wb.save(src)
    moved = tmp_path / "moved.xlsx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(moved, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            name = "xl/data/cells.xml" if info.filename == "xl/worksheets/sheet1.xml" else info.filename
            if info.filename in ("xl/_rels/workbook.xml.rels", "[Content_Types].xml"):
                data = data.replace(b"worksheets/sheet1.xml", b"data/cells.xml")
            zout.writestr(name, data)
    assert code_of(moved) == "file_too_large"


def test_a_32000_character_cell_reads_whole(tmp_path):
    text = "长" * 16_000 + "x" * 16_000
    path = xlsx(tmp_path / "long.xlsx", [("Name", "Notes"), ("Ann", text)])
    with open_source(path) as source:
        assert list(source.rows())[1] == (2, ["Ann", text])


def test_cells_start_at_column_a_and_rows_keep_their_number(tmp_path):
    wb = openpyxl.Workbook()
    wb.active["C3"] = "Name"
    wb.active["D5"] = 1.5
    path = tmp_path / "offset.xlsx"
    wb.save(path)
    with open_source(path) as source:
        assert list(source.rows()) == [(3, [None, None, "Name"]), (5, [None, None, None, 1.5])]
        assert source.row_count_hint() == 5


def test_hidden_and_empty_sheets_are_not_offered(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.title = "Empty"
    wb.create_sheet("Secret").append(["x"])
    wb["Secret"].sheet_state = "hidden"
    wb.create_sheet("Customers").append(["Name"])
    path = tmp_path / "sheets.xlsx"
    wb.save(path)
    with open_source(path) as source:
        assert [(s.name, s.index) for s in source.sheets] == [("Customers", 2)]
        assert list(source.rows()) == [(1, ["Name"])]


def test_ods_scan_counts_repeats_without_expanding_them():
    def content(rows_repeated, cols_repeated, value=' office:value-type="float"'):
        return io.BytesIO(
            b'<office:document-content><office:body><office:spreadsheet><table:table table:name="S">'
            b'<table:table-row><table:table-cell office:value-type="string"><text:p>a</text:p></table:table-cell>'
            b'</table:table-row>'
            + b'<table:table-row table:number-rows-repeated="%d"><table:table-cell%s table:number-columns-repeated="%d">'
              b'<text:p>1</text:p></table:table-cell></table:table-row>' % (rows_repeated, value.encode(), cols_repeated)
            + b'<table:table-row table:number-rows-repeated="1048000"><table:table-cell table:number-columns-repeated="1024"/>'
              b'</table:table-row></table:table></office:spreadsheet></office:body></office:document-content>')
    assert C.scan_ods_content(content(3, 4)) == (4, 4)  # the empty repeated rows at the end do not count
    rows, cols = C.scan_ods_content(content(999_999_999, 999_999_999))
    assert rows * cols > C.MAX_CELLS


def test_xlsb_scan_reads_record_headers():
    def record(rtype, body):
        return bytes([rtype, len(body)]) + body
    def row(r):
        return record(0x00, r.to_bytes(4, "little") + bytes(8))
    def number(col):
        return record(0x05, col.to_bytes(4, "little") + bytes(4) + bytes(8))
    stream = row(0) + number(0) + number(3) + row(9) + record(0x01, (20).to_bytes(4, "little") + bytes(4)) + number(1)
    assert C.scan_xlsb_sheet(io.BytesIO(stream)) == (10, 4)  # blank cells (0x01) do not widen it
    far = row(0) + number(0) + row(1_048_575) + number(16_383)
    assert C.scan_xlsb_sheet(io.BytesIO(far)) == (1_048_576, 16_384)


def test_ods_entity_bomb_is_refused(tmp_path):
    path = tmp_path / "laughs.ods"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("content.xml", LAUGHS.replace(b"<sst", b"<office:document-content").replace(b"</sst>", b"</office:document-content>"))
    assert code_of(path) == "file_unsafe_xml"
