"""CSV files built here: encodings, delimiters, Excel's sep= line, line endings, row numbers."""
from __future__ import annotations

import pytest

from crmdesk.core.errors import CrmError
from crmdesk.core.io.sheet_read import Sheet, open_source

ZH = "客户名称,联系人,手机,地址\n北京华润贸易有限公司,张伟,13800000001,北京市朝阳区建国路88号\n上海浦东实业,李娜,13900000002,上海市浦东新区世纪大道100号\n"
TW = "客戶名稱,聯絡人,電話,地址\n台北貿易有限公司,陳大文,02-2345-6789,台北市信義區忠孝東路五段\n高雄實業股份有限公司,林美玲,07-123-4567,高雄市前鎮區中山二路\n"
FR = "Name,City,Notes\nPeter Bühler,Zürich,“Top” client – 5€\nRené Pölking,Köln,Straße 7\nAnn Smith,London,\n"


def read(path, encoding=None):
    with open_source(path, encoding=encoding) as source:
        return source, list(source.rows())


@pytest.mark.parametrize("text, encoding, expected", [
    (ZH, "gbk", "gb18030"),
    (ZH, "gb18030", "gb18030"),
    (TW, "big5", "big5"),
    (FR, "cp1252", "cp1252"),
    (FR, "utf-8", "utf-8"),
    (ZH, "utf-8-sig", "utf-8-sig"),
    (ZH, "utf-16", "utf-16"),
    (FR, "utf-16-le", "utf-16-le"),  # no BOM: the zeros give it away
])
def test_encodings_are_detected(tmp_path, text, encoding, expected):
    path = tmp_path / "list.csv"
    path.write_bytes(text.encode(encoding))
    source, rows = read(path)
    assert source.encoding == expected
    assert [values for _, values in rows] == [line.split(",") if line.split(",")[-1] else line.split(",")[:-1]
                                              for line in text.splitlines()]


def test_cp1252_beyond_the_first_64_kb(tmp_path):
    ascii_part = "".join(f"{i},Customer {i},London\n" for i in range(5000))
    path = tmp_path / "late.csv"
    path.write_bytes(("No,Name,City\n" + ascii_part + "5000,Peter Bühler,Zürich\n").encode("cp1252"))
    assert path.stat().st_size > 64 << 10
    source, rows = read(path)
    assert source.encoding == "cp1252" and rows[-1] == (5002, ["5000", "Peter Bühler", "Zürich"])


def test_a_bad_byte_after_the_sample_does_not_stop_the_read(tmp_path):
    good = "".join(f"{i},客户{i}\n" for i in range(10_000))
    path = tmp_path / "mixed.csv"
    path.write_bytes(("No,Name\n" + good).encode("utf-8") + b"10000,\xff\xfebroken\n")
    source, rows = read(path)
    assert source.encoding == "utf-8" and len(rows) == 10_002
    assert rows[-1][1][1].endswith("broken") and "\ufffd" in rows[-1][1][1]


def test_the_user_may_name_the_encoding(tmp_path):
    path = tmp_path / "list.csv"
    path.write_bytes(ZH.encode("gbk"))
    source, rows = read(path, encoding="gbk")
    assert source.encoding == "gbk" and rows[1][1][0] == "北京华润贸易有限公司"
    with pytest.raises(CrmError) as caught:
        open_source(path, encoding="no-such-encoding")
    assert caught.value.code == "option_invalid"


def test_bytes_that_are_no_text_at_all(tmp_path):
    path = tmp_path / "noise.csv"
    path.write_bytes(b"a,b\n\x81\x8d\xff,\x80\x90\n" * 20)
    with pytest.raises(CrmError) as caught:
        open_source(path)
    assert caught.value.code == "file_unreadable_encoding"


@pytest.mark.parametrize("delimiter", [";", "\t", "|"])
def test_delimiters_are_sniffed(tmp_path, delimiter):
    d = delimiter
    text = f'Name{d}City{d}Notes\n"Smith, Ann"{d}Paris{d}"a, b, c"\nBob{d}"Rome{d}Italy"{d}x,y\n'
    path = tmp_path / "list.csv"
    path.write_text(text, encoding="utf-8")
    source, rows = read(path)
    assert source.delimiter == d
    assert rows == [(1, ["Name", "City", "Notes"]), (2, ["Smith, Ann", "Paris", "a, b, c"]),
                    (3, ["Bob", f"Rome{d}Italy", "x,y"])]


def test_quoted_commas_do_not_confuse_the_sniffer(tmp_path):
    path = tmp_path / "list.csv"
    path.write_text('Name,Notes\n"A; B; C",x\n"D; E",y\n"F;G;H;I",z\n', encoding="utf-8")
    source, rows = read(path)
    assert source.delimiter == "," and rows[1] == (2, ["A; B; C", "x"])


def test_excel_sep_line_is_honoured_and_skipped(tmp_path):
    path = tmp_path / "list.csv"
    path.write_bytes("sep=;\r\nName;Amount\r\nAnn;1,5\r\nBob;2,25\r\n".encode("utf-8-sig"))
    source, rows = read(path)
    assert source.delimiter == ";"
    assert rows == [(2, ["Name", "Amount"]), (3, ["Ann", "1,5"]), (4, ["Bob", "2,25"])]


@pytest.mark.parametrize("newline", ["\r", "\n", "\r\n"])
def test_line_endings(tmp_path, newline):
    path = tmp_path / "list.csv"
    path.write_bytes(newline.join(["Name,Code", "Ann,001", "", "Bob,002", ""]).encode("utf-8"))
    _, rows = read(path)
    assert rows == [(1, ["Name", "Code"]), (2, ["Ann", "001"]), (4, ["Bob", "002"])]


def test_row_numbers_are_where_a_record_starts(tmp_path):
    path = tmp_path / "list.csv"
    path.write_text('Name,Notes,Extra\nAnn,"two\nlines",\nBob,,x\n,,\nCy,"a\r\nb\r\nc",\n', encoding="utf-8")
    source, rows = read(path)
    assert source.sheets == [Sheet("list", 0)]
    assert rows == [(1, ["Name", "Notes", "Extra"]), (2, ["Ann", "two\nlines"]), (4, ["Bob", None, "x"]),
                    (6, ["Cy", "a\r\nb\r\nc"])]


def test_values_stay_text(tmp_path):
    path = tmp_path / "codes.csv"
    path.write_text("Code,Phone,Amount,Date\n001,13800000000,1.50,2023-04-02\n", encoding="utf-8")
    _, rows = read(path)
    assert rows[1][1] == ["001", "13800000000", "1.50", "2023-04-02"]


def test_preview_hint_and_sheet_name(tmp_path):
    path = tmp_path / "big.csv"
    path.write_text("No,Name\n" + "".join(f"{i},Customer {i}\n" for i in range(20_000)), encoding="utf-8")
    with open_source(path) as source:
        assert len(source.preview(limit=50)) == 50
        assert source.preview("big", 3)[2] == (3, ["1", "Customer 1"])
        assert 15_000 < source.row_count_hint() < 25_000
        with pytest.raises(CrmError) as caught:
            source.preview("Sheet1")
        assert caught.value.code == "sheet_not_found"


def test_unclosed_quote_is_reported_not_swallowed(tmp_path):
    path = tmp_path / "broken.csv"
    path.write_text('Name,Notes\nAnn,"never closed\n' + "x" * 200_000 + "\n", encoding="utf-8")
    with open_source(path) as source:
        with pytest.raises(CrmError) as caught:
            list(source.rows())
    assert caught.value.code == "file_damaged"


@pytest.mark.parametrize("header", ["姓名,手机", "name,mobile"])
def test_gbk_names_with_characters_outside_gb2312_are_still_gbk(tmp_path, header):
    from crmdesk.core.io.csv_read import detect_encoding
    path = tmp_path / "names.csv"
    path.write_bytes(f"{header}\n王喆,13812345678\n李堃,13900001111\n陈燊,13711112222\n刘珺,13600001111\n"
                     .encode("gbk"))
    assert detect_encoding(path) == "gb18030"
    only_rare = "name\n喆\n堃\n燊\n珺\n"
    path.write_bytes(only_rare.encode("gbk"))
    assert detect_encoding(path) == "gb18030"
