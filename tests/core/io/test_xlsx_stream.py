"""The streaming .xlsx reader (core/io/xlsx_stream.py) gives, row by row, the values
python-calamine gives for the same file: compared cell by cell on the real files in
../shared/data, on a workbook of every kind of cell openpyxl writes, and on hand-written
XML (shared strings with runs and phonetic text, prefixes, rows and cells without
references, dates in both systems, durations, errors)."""
from __future__ import annotations

import datetime as dt
import math
import zipfile
from pathlib import Path

import pytest

from crmdesk.core.io import xlsx_stream as XS
from crmdesk.core.io.sheet_read import cell_value, open_source

NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def calamine_rows(path: Path, index: int):
    """What ``sheet_read`` makes of python-calamine's rows (WorkbookSource._iter)."""
    from python_calamine import CalamineWorkbook
    sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(index)
    if sheet.start is None:
        return []
    out = []
    for number, row in enumerate(sheet.iter_rows(), 1):
        values = [cell_value(v) for v in row]
        while values and values[-1] is None:
            values.pop()
        if values:
            out.append((number, [None] * sheet.start[1] + values))
    return out


def _same(a, b) -> bool:
    if type(a) is not type(b):
        return False
    return (math.isnan(a) and math.isnan(b)) if isinstance(a, float) and a != a else a == b


def assert_same_as_calamine(path: Path) -> int:
    from python_calamine import CalamineWorkbook
    book = XS.Book(path)
    try:
        compared = 0
        for index, name in enumerate(CalamineWorkbook.from_path(str(path)).sheet_names):
            expected, got = calamine_rows(path, index), list(book.rows(name, cell_value))
            assert [n for n, _ in got] == [n for n, _ in expected], name
            for (number, want), (_, have) in zip(expected, got):
                assert len(have) == len(want) and all(map(_same, have, want)), (name, number, have, want)
            compared += len(got)
        return compared
    finally:
        book.close()


def workbook(path: Path, sheet: str, strings: str = "", styles: str = "", date1904: bool = False) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("[Content_Types].xml", '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                    '<Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" '
                    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>')
        zf.writestr("_rels/.rels", f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                    f'<Relationship Id="r1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        zf.writestr("xl/workbook.xml", f'<workbook {NS} xmlns:r="{REL}">' + ('<workbookPr date1904="1"/>' if date1904 else "")
                    + '<sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>')
        zf.writestr("xl/_rels/workbook.xml.rels", '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
                    f'relationships"><Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>'
                    f'<Relationship Id="rId2" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>'
                    f'<Relationship Id="rId3" Type="{REL}/styles" Target="styles.xml"/></Relationships>')
        zf.writestr("xl/worksheets/sheet1.xml", f"<worksheet {NS}><sheetData>{sheet}</sheetData></worksheet>")
        zf.writestr("xl/sharedStrings.xml", f"<sst {NS}>{strings}</sst>")
        zf.writestr("xl/styles.xml", f"<styleSheet {NS}>{styles}</styleSheet>")
    return path


def test_the_real_workbooks_read_the_same(shared_data):
    paths = sorted(shared_data.rglob("*.xlsx")) + sorted(shared_data.rglob("*.xlsm"))
    readable = [p for p in paths if "encrypted" not in p.name and "corrupted" not in p.name and "bad-zip" not in p.name]
    assert sum(assert_same_as_calamine(path) for path in readable) > 100


def test_every_kind_of_cell_openpyxl_writes_reads_the_same(tmp_path):
    from openpyxl import Workbook
    from openpyxl.cell.rich_text import CellRichText, TextBlock
    from openpyxl.cell.text import InlineFont
    wb = Workbook()
    ws = wb.active
    for row in [["整数", 19], ["小数", 22896.71], ["大", 12345678901234], ["负", -0.5], ["日期", dt.datetime(2019, 3, 5)],
                ["时刻", dt.datetime(2019, 3, 5, 13, 45, 7)], ["date", dt.date(2020, 2, 29)], ["time", dt.time(9, 30)],
                ["真", True], ["假", False], ["空格", " "], ["空", ""], ["rich", CellRichText([TextBlock(InlineFont(b=True), "富"), "文本"])],
                ["公式", "=1+1"], ["amp", "A & B <c> \"q\" 'a'"], ["nl", "line1\nline2"], ["lead", "  x  "],
                ["escape", "a_x000D_b"], ["百分比", 0.25], ["sci", 1e-7], [None, None, "gap"], [], ["after blank"]]:
        ws.append(row)
    for label, value, fmt in [("custom", 45616, 'yyyy"年"m"月"d"日"'), ("us", 45616.5, "[$-409]mmm d, yyyy h:mm AM/PM"),
                              ("duration", 1.5, "[h]:mm:ss"), ("short", 0.4, "[mm]:ss"), ("money", 1234.5, '"¥"#,##0.00'),
                              ("fill", 5, "#,##0*y"), ("text", 5, "@"), ("early", 0.25, "h:mm"), ("sixty", 60, "yyyy-mm-dd")]:
        ws.append([label, value])
        ws.cell(ws.max_row, 2).number_format = fmt
    ws["E40"] = "far"
    wb.create_sheet("空表")
    wb.save(tmp_path / "kinds.xlsx")
    assert assert_same_as_calamine(tmp_path / "kinds.xlsx") == 32


def test_hand_written_xml_reads_the_same(tmp_path):
    texts = ["<t> </t>", "<t> a &amp; b </t>", '<t xml:space="preserve"> </t>', "<t>\n</t>",
             '<r><t>x</t></r><r><rPr><b/></rPr><t xml:space="preserve"> y</t></r>', '<t>亚</t><rPh sb="0" eb="1"><t>ア</t></rPh>',
             "<t>&amp;&#x41;&#66;_x0041_</t>", "<t/>", "<t>a\r\nb</t>", "<t>x_x005F_x000D_y</t>", "<t>\u3000全角\u3000</t>",
             "<t>a<![CDATA[ <b> ]]>c</t>", "<t>_X000D_</t>", "<t>&lt;t&gt;</t>"]
    strings = "".join(f"<si>{t}</si>" for t in texts)
    rows = "".join(f'<row r="{i + 1}"><c r="A{i + 1}" t="s"><v>{i}</v></c></row>' for i in range(len(texts)))
    rows += ('<row r="20"><c r="A20" t="e"><v>#N/A</v></c><c r="B20" t="str"><v>ab</v></c><c r="C20" t="str"><v> </v></c>'
             '<c r="D20" t="d"><v>2024-05-06T10:00:00</v></c><c r="E20" t="d"><v>2024-05-06</v></c>'
             '<c r="F20"><f>1+1</f><v>2</v></c><c r="G20" s="1"/></row>'
             '<row r="21"><c r="A21" t="inlineStr"><is><t> </t></is></c><c r="B21"><v> 12 </v></c><c r="C21" t="n">'
             '<v>1.5E3</v></c><c r="D21" t="b"><v>true</v></c><c r="E21" t="inlineStr"><is><r><t>富</t></r><r><t>文</t></r></is></c></row>'
             '<row r="22"><c t="inlineStr"><is><t>noref1</t></is></c><c t="inlineStr"><is><t>noref2</t></is></c>'
             '<c r="E22"><v>5</v></c><c><v>6</v></c></row><row><c t="inlineStr"><is><t>norow</t></is></c></row>'
             '<row r="25"/><row r="26" spans="1:2"></row>'
             f'<x:row r="30" xmlns:x="{NS[7:-1]}"><x:c r="B30" t="inlineStr"><x:is><x:t>prefixed</x:t></x:is></x:c></x:row>'
             '<row r="31">\n  <c r="A31"\n     t="s"><v>1</v></c>\n</row>')
    assert assert_same_as_calamine(workbook(tmp_path / "xml.xlsx", rows, strings)) == 17


@pytest.mark.parametrize("date1904", [False, True])
def test_serials_in_date_and_duration_styles_read_the_same(tmp_path, date1904):
    styles = ('<numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy-mm-dd hh:mm:ss"/><numFmt numFmtId="165" '
              'formatCode="0.00_ ;[Red]\\-0.00\\ "/></numFmts><cellXfs count="6"><xf numFmtId="0"/><xf numFmtId="164"/>'
              '<xf numFmtId="46"/><xf numFmtId="14" applyNumberFormat="0"/><xf numFmtId="165"/><xf numFmtId="31"/></cellXfs>')
    values = ["0", "-3", "0.5", "0.99999999", "1", "59", "60", "61", "43529.57299768519", "43529.999999", "2958465",
              "2958465.9999", "2958466", "1e6", "45616.123456789", "-0.5", "abc", "1.5E3", " 5", "1_0", "-0", "1e-9",
              "-693593", "2.5", "36526.5", "7.3e5"]
    rows = "".join(f'<row r="{i + 1}">' + "".join(f'<c r="{col}{i + 1}" s="{style}"><v>{v}</v></c>'
                                                  for col, style in zip("ABCDEF", range(6))) + "</row>"
                   for i, v in enumerate(values))
    assert assert_same_as_calamine(workbook(tmp_path / "dates.xlsx", rows, styles=styles, date1904=date1904)) == 26


def test_a_sales_import_streams_a_big_sheet_and_gets_the_same_lines(db, tmp_path, monkeypatch):
    """``open_source(stream_bytes=...)``: past it the sheet is read by xlsx_stream; the
    import is the same either way."""
    from crmdesk.core.models import Transaction
    from crmdesk.core.imports import transaction_import as TI
    from crmdesk.core.imports.options import ImportOptions
    from openpyxl import Workbook
    wb = Workbook()
    ws = wb.active
    ws.append(["客户编号", "客户名称", "日期", "产品", "金额", "已付款"])
    for n in range(1, 41):
        ws.append([f"K{n % 9}", f"客户{n % 9}", dt.datetime(2024, 1 + n % 12, 1 + n % 28), f"产品{n % 5}", n * 10.5,
                   None if n % 3 else 0])
    wb.save(tmp_path / "sales.xlsx")
    with open_source(tmp_path / "sales.xlsx", stream_bytes=0) as source:
        assert source._streamed(source.sheets[0]) and source.row_count_hint() == 41
        streamed = list(source.rows())
    with open_source(tmp_path / "sales.xlsx") as source:
        assert not source._streamed(source.sheets[0]) and list(source.rows()) == streamed
    lines = []
    for stream_bytes in (TI.STREAM_BYTES, 0):
        monkeypatch.setattr(TI, "STREAM_BYTES", stream_bytes)
        result, _ = TI.import_file(tmp_path / "sales.xlsx", ImportOptions())
        assert (result.created, result.rejected) == (40, 0)
        lines.append(sorted((t.customer.code, t.date, t.product, t.amount, t.paid)
                            for t in Transaction.select().where(Transaction.batch == result.batch_id)))
    assert lines[0] == lines[1] and len(lines[0]) == 40 and lines[0][0][:3] == ("K0", dt.date(2024, 1, 9), "产品1")


def test_a_streamed_sheet_skips_the_used_range_scan_but_never_reaches_calamine_unscanned(tmp_path, monkeypatch):
    """The used-range scan protects calamine's dense blocks; a sheet read row by row needs
    none. A part left unscanned that the streaming reader cannot reach is refused."""
    from crmdesk.core.errors import CrmError
    from crmdesk.core.io import file_checks as C
    path = workbook(tmp_path / "w.xlsx", '<row r="1"><c r="A1" t="inlineStr"><is><t>客户名称</t></is></c></row>'
                    '<row r="2"><c r="A2" t="inlineStr"><is><t>甲</t></is></c></row>')
    scanned = []
    real = C.scan_xlsx_sheet
    monkeypatch.setattr(C, "scan_xlsx_sheet", lambda part, stop: scanned.append(1) or real(part, stop))
    with open_source(path, stream_bytes=0) as source:
        assert [v for _, v in source.rows()] == [["客户名称"], ["甲"]]
    assert scanned == []
    with open_source(path) as source:
        assert len(list(source.rows())) == 2
    assert scanned == [1]
    with zipfile.ZipFile(path, "a") as zf:  # a worksheet part no sheet of the workbook names
        zf.writestr("xl/worksheets/sheet9.xml", f'<worksheet {NS}><sheetData><row r="1"><c r="A1"><v>1</v></c>'
                    '</row></sheetData></worksheet>')
    with pytest.raises(CrmError) as refused:
        open_source(path, stream_bytes=0)
    assert refused.value.code == "file_damaged"
