"""Customer export and template: the spec's columns, text that stays text, no live
formulas, real dates, and files that appear whole or not at all."""
from __future__ import annotations

import datetime as dt
import os
import zipfile

import pytest
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from crmdesk.core.customers import fields as F
from crmdesk.core.errors import CrmError
from crmdesk.core.io import excel_write as X
from crmdesk.core.progress import Cancelled
from crmdesk.core.customers import archive as customers, export
from crmdesk.core.customers.list import ListQuery

COL = {f.key: i for i, f in enumerate(F.CUSTOMER_FIELDS)}  # 0-based column per key


def make(**values) -> int:
    customer_id, _changes = customers.create(values)
    return customer_id


def read(path):
    """(openpyxl worksheet, calamine rows) of the first sheet."""
    ws = load_workbook(path).worksheets[0]
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    return ws, rows


def cell(ws, row: int, key: str):
    return ws.cell(row=row, column=COL[key] + 1)


def leftovers(folder, keep=()):
    return sorted(p.name for p in folder.iterdir() if p.name not in keep)


# ---------------------------------------------------------------- columns and values

@pytest.mark.parametrize("lang,title", [("zh", "客户"), ("en", "Customers")])
def test_headers_in_spec_order_and_language(db, tmp_path, lang, title):
    make(name="华润")
    out = tmp_path / "out.xlsx"
    assert export.export_customers(out, lang) == 1
    ws, rows = read(out)
    expected = [f.zh if lang == "zh" else f.en for f in F.CUSTOMER_FIELDS]
    assert ws.title == title
    assert [c.value for c in ws[1]] == expected
    assert rows[0] == expected
    assert len(expected) == 48
    assert all(c.font.b for c in ws[1])


def test_enum_labels_in_each_language(db, tmp_path):
    make(name="甲", tier="key", source="cold_call", stage="mature", relationship="strategic_alliance",
         kind="individual", gender="female", credit_rating="B")
    export.export_customers(tmp_path / "zh.xlsx", "zh")
    export.export_customers(tmp_path / "en.xlsx", "en")
    zh, _ = read(tmp_path / "zh.xlsx")
    en, _ = read(tmp_path / "en.xlsx")
    wanted = {"tier": ("重点客户", "Key"), "source": ("陌生拜访", "Cold call"),
              "stage": ("成熟期", "Mature"), "relationship": ("战略联盟关系", "Strategic alliance"),
              "kind": ("个人", "Individual"), "gender": ("女", "Female"), "credit_rating": ("B", "B"),
              "birthday_calendar": ("公历", "Solar")}
    for key, (zh_label, en_label) in wanted.items():
        assert cell(zh, 2, key).value == zh_label, key
        assert cell(en, 2, key).value == en_label, key


def test_numbers_that_are_text_stay_text(db, tmp_path):
    make(name="乙", code="001", mobile="13800138000", phone="02162345678",
         bank_account="6222020200112233445", tax_id="913101040000000001", postal_code="010010")
    out = tmp_path / "out.xlsx"
    export.export_customers(out)
    ws, rows = read(out)
    expected = {"code": "001", "mobile": "13800138000", "phone": "02162345678",
                "bank_account": "6222020200112233445", "tax_id": "913101040000000001",
                "postal_code": "010010"}
    for key, text in expected.items():
        assert cell(ws, 2, key).value == text
        assert cell(ws, 2, key).data_type == "s"
        assert rows[1][COL[key]] == text and isinstance(rows[1][COL[key]], str)
    # what the user types below the data in these columns stays text as well
    letter = cell(ws, 1, "mobile").column_letter
    assert ws.column_dimensions[letter].number_format == "@"


@pytest.mark.parametrize("name", ['=HYPERLINK("x")', "+123", "-1", "@a", "=1+1", "#N/A"])
def test_formula_like_text_is_plain_text(db, tmp_path, name):
    make(name=name, notes="=cmd|' /C calc'!A0", contact_person="-2+3")
    out = tmp_path / "out.xlsx"
    export.export_customers(out)
    ws, rows = read(out)
    for key, text in (("name", name), ("notes", "=cmd|' /C calc'!A0"), ("contact_person", "-2+3")):
        target = cell(ws, 2, key)
        assert target.value == text
        assert target.data_type == "s"  # not "f" (formula) nor "e" (error)
        assert target.quotePrefix  # Excel keeps it text when the cell is edited
        assert rows[1][COL[key]] == text
    with zipfile.ZipFile(out) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet and "<f " not in sheet


def test_tab_and_carriage_return_starts_are_quoted():
    assert X.needs_quoting("\tx") and X.needs_quoting("\rx")
    assert not X.needs_quoting("华润") and not X.needs_quoting("a=b") and not X.needs_quoting("")
    assert X.needs_quoting("#REF!") and not X.needs_quoting("#1 customer")


def test_control_characters_are_dropped_not_fatal(db, tmp_path):
    customer_id = make(name="丙")
    from crmdesk.core.models import Customer
    Customer.update(notes="line\x01one\nline two\x0b").where(Customer.id == customer_id).execute()
    out = tmp_path / "out.xlsx"
    export.export_customers(out)
    ws, _ = read(out)
    assert cell(ws, 2, "notes").value == "lineone\nline two"


def test_birthdays_dates_money_and_tags(db, tmp_path):
    first_id = make(name="丁", birthday="--04-02", annual_revenue="1.2万", tags="华东, 老客户", fiscal_year_start=4,
         need_score=5)
    make(name="戊", birthday="1985-04-02", annual_revenue="1234.56")
    make(name="己", birthday="农历八月十五")
    out = tmp_path / "out.xlsx"
    assert export.export_customers(out) == 3
    ws, rows = read(out)
    by_name = {ws.cell(row=r, column=COL["name"] + 1).value: r for r in range(2, 5)}
    calamine = {row[COL["name"]]: row for row in rows[1:]}

    first = by_name["丁"]
    assert cell(ws, first, "birthday").value == "--04-02"
    assert cell(ws, first, "birthday").data_type == "s"
    assert cell(ws, first, "annual_revenue").value == 12000
    assert cell(ws, first, "annual_revenue").data_type == "n"
    assert cell(ws, first, "tags").value == "华东, 老客户"
    assert cell(ws, first, "fiscal_year_start").value == 4
    assert cell(ws, first, "need_score").value == 5
    created = cell(ws, first, "created_at")
    assert created.is_date and created.value.date() == customers.to_dict(customers.get(first_id))["created_at"]
    assert calamine["丁"][COL["created_at"]] == created.value.date()

    second = by_name["戊"]
    assert cell(ws, second, "birthday").is_date
    assert cell(ws, second, "birthday").value.date() == dt.date(1985, 4, 2)
    assert calamine["戊"][COL["birthday"]] == dt.date(1985, 4, 2)
    assert cell(ws, second, "annual_revenue").value == pytest.approx(1234.56)

    lunar = by_name["己"]
    assert cell(ws, lunar, "birthday").value == "农历8月15日"
    assert cell(ws, lunar, "birthday_calendar").value == "农历"


def test_lunar_birthday_with_year_is_text(db, tmp_path):
    make(name="辛", birthday="农历1985年八月十五")
    out = tmp_path / "out.xlsx"
    export.export_customers(out, "en")
    ws, rows = read(out)
    assert cell(ws, 2, "birthday").value == "农历1985年8月15日"
    assert cell(ws, 2, "birthday").data_type == "s"
    assert rows[1][COL["birthday_calendar"]] == "Lunar"


def test_sheet_layout_frozen_header_autofilter_widths(db, tmp_path):
    for name in ("甲", "乙", "丙"):
        make(name=name)
    out = tmp_path / "out.xlsx"
    export.export_customers(out)
    ws, _ = read(out)
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:AV4"
    assert ws.column_dimensions["B"].width >= 30  # the name
    assert ws.column_dimensions["AU"].width >= 40  # notes
    assert all(ws.column_dimensions[c.column_letter].width >= 8 for c in ws[1])
    assert cell(ws, 1, "created_at").column_letter == "AV"


# ---------------------------------------------------------------- which customers, which order

def test_default_is_live_customers_by_name(db, tmp_path):
    b = make(name="Beta")
    make(name="alpha")
    make(name="Gamma")
    customers.delete([b])
    out = tmp_path / "out.xlsx"
    assert export.export_customers(out) == 2
    _, rows = read(out)
    assert [r[COL["name"]] for r in rows[1:]] == ["alpha", "Gamma"]


def test_ids_order_is_kept_and_deleted_left_out(db, tmp_path):
    a, b, c, d = (make(name=n) for n in ("A", "B", "C", "D"))
    customers.delete([b])
    out = tmp_path / "out.xlsx"
    assert export.export_customers(out, ids=[d, b, a, c, 9999]) == 3
    _, rows = read(out)
    assert [r[COL["name"]] for r in rows[1:]] == ["D", "A", "C"]


def test_query_filters_and_sorts(db, tmp_path):
    make(name="甲", city="上海", code="X3")
    make(name="乙", city="北京", code="X1")
    make(name="丙", city="上海", code="X2")
    out = tmp_path / "out.xlsx"
    query = ListQuery(filters=(("city", "上海"),), sort="code", descending=True)
    assert export.export_customers(out, query=query) == 2
    _, rows = read(out)
    assert [r[COL["code"]] for r in rows[1:]] == ["X3", "X2"]


def test_trash_exports_deleted_customers(db, tmp_path):
    a = make(name="A")
    make(name="B")
    customers.delete([a])
    out = tmp_path / "out.xlsx"
    assert export.export_customers(out, query=ListQuery(deleted=True)) == 1
    assert export.export_customers(out, query=ListQuery(deleted=True), ids=[a]) == 1
    _, rows = read(out)
    assert [r[COL["name"]] for r in rows[1:]] == ["A"]


def test_empty_database_gives_headers_only(db, tmp_path):
    out = tmp_path / "out.xlsx"
    assert export.export_customers(out) == 0
    ws, rows = read(out)
    assert len(rows) == 1 and ws.auto_filter.ref == "A1:AV1"


def test_progress_per_chunk_over_several_chunks(db, tmp_path, monkeypatch):
    monkeypatch.setattr(export, "CHUNK", 2)
    ids = [make(name=f"客户{n}") for n in range(5)]
    calls = []
    out = tmp_path / "out.xlsx"
    assert export.export_customers(out, ids=list(reversed(ids)),
                                   progress=lambda done, total, msg: calls.append((done, total))) == 5
    assert calls == [(0, 5), (2, 5), (4, 5), (5, 5)]
    _, rows = read(out)
    assert [r[COL["name"]] for r in rows[1:]] == [f"客户{n}" for n in reversed(range(5))]


# ---------------------------------------------------------------- files

def test_cancel_leaves_no_file(db, tmp_path, monkeypatch):
    monkeypatch.setattr(export, "CHUNK", 1)
    for n in range(3):
        make(name=f"c{n}")
    folder = tmp_path / "out"
    folder.mkdir()
    from openpyxl.worksheet import _writer
    before = list(_writer.ALL_TEMP_FILES)

    def progress(done, total, message):
        if done == 2:
            raise Cancelled()

    with pytest.raises(Cancelled):
        export.export_customers(folder / "out.xlsx", progress=progress)
    assert leftovers(folder) == []
    assert _writer.ALL_TEMP_FILES == before  # openpyxl's streamed sheet is gone too


def test_cancel_keeps_an_existing_file_as_it_was(db, tmp_path):
    make(name="A")
    out = tmp_path / "out.xlsx"
    out.write_bytes(b"old")

    def progress(done, total, message):
        raise Cancelled()

    with pytest.raises(Cancelled):
        export.export_customers(out, progress=progress)
    assert out.read_bytes() == b"old"
    assert leftovers(tmp_path, keep=("crm.sqlite", "crm.sqlite-wal", "crm.sqlite-shm", "data")) == ["out.xlsx"]


def test_existing_file_is_replaced(db, tmp_path):
    make(name="A")
    out = tmp_path / "out.xlsx"
    out.write_bytes(b"old")
    assert export.export_customers(out) == 1
    assert read(out)[1][1][COL["name"]] == "A"


@pytest.mark.parametrize("where", ["missing folder", "a directory"])
def test_unwritable_target(db, tmp_path, where):
    make(name="A")
    target = tmp_path / "nowhere" / "out.xlsx" if where == "missing folder" else tmp_path / "adir"
    if where == "a directory":
        target.mkdir()
    with pytest.raises(CrmError) as caught:
        export.export_customers(target)
    assert caught.value.code == "file_unwritable"
    assert caught.value.params["path"] == str(target)
    assert not (tmp_path / "nowhere").exists()
    if where == "a directory":
        assert list(target.iterdir()) == []


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root may write anywhere")
def test_read_only_folder(db, tmp_path):
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(CrmError) as caught:
            export.export_customers(folder / "out.xlsx")
        assert caught.value.code == "file_unwritable"
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o700)


def test_permission_denied_while_creating_file(db, tmp_path, monkeypatch):
    def refuse(path):
        raise PermissionError(13, "Permission denied", str(path))

    from crmdesk.core.io import atomic
    monkeypatch.setattr(atomic, "temporary_beside", refuse)  # the folder refuses the temporary file
    with pytest.raises(CrmError) as caught:
        export.export_customers(tmp_path / "out.xlsx")
    assert caught.value.code == "file_unwritable"
    assert not (tmp_path / "out.xlsx").exists()


def test_failure_while_saving_leaves_nothing(db, tmp_path, monkeypatch):
    make(name="A")
    folder = tmp_path / "out"
    folder.mkdir()
    from openpyxl import Workbook

    def broken(self, stream):
        stream.write(b"PK partial")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Workbook, "save", broken)
    with pytest.raises(CrmError) as caught:
        export.export_customers(folder / "out.xlsx")
    assert caught.value.code == "file_unwritable"
    assert leftovers(folder) == []


def test_file_has_ordinary_permissions(db, tmp_path):
    out = tmp_path / "out.xlsx"
    export.export_customers(out)
    mask = os.umask(0)
    os.umask(mask)
    assert (out.stat().st_mode & 0o777) == (0o666 & ~mask)


def test_bad_language(db, tmp_path):
    with pytest.raises(ValueError):
        export.export_customers(tmp_path / "out.xlsx", "fr")


# ---------------------------------------------------------------- template

@pytest.mark.parametrize("lang", ["zh", "en"])
def test_template_headers_example_and_dropdowns(db, tmp_path, lang):
    out = tmp_path / "template.xlsx"
    export.template_customers(out, lang)
    ws, rows = read(out)
    assert [c.value for c in ws[1]] == [f.zh if lang == "zh" else f.en for f in F.CUSTOMER_FIELDS]
    assert len(rows) == 2 and ws.freeze_panes == "A2"
    assert cell(ws, 2, "code").value is None  # an import numbers it; never overwrites C000001
    assert cell(ws, 2, "mobile").value == "13800138000" and cell(ws, 2, "mobile").data_type == "s"
    assert cell(ws, 2, "bank_account").data_type == "s"
    assert cell(ws, 2, "tier").value == ("重点客户" if lang == "zh" else "Key")
    lists = {str(v.sqref): v.formula1 for v in ws.data_validations.dataValidation if v.type == "list"}
    tier = cell(ws, 1, "tier").column_letter
    expected = "重点客户,关系型,交易型" if lang == "zh" else "Key,Relationship,Transactional"
    assert lists[f"{tier}2:{tier}1048576"] == f'"{expected}"'
    enum_count = sum(1 for f in F.CUSTOMER_FIELDS if f.type == F.ENUM)
    assert len(lists) == enum_count
    scores = [v for v in ws.data_validations.dataValidation if v.type == "whole"]
    assert len(scores) == len(F.SCORE_KEYS) + 1  # the scores and the fiscal month


def test_template_example_row_imports_cleanly(db, tmp_path):
    """Every example value passes the spec's rules: what the template shows is importable."""
    out = tmp_path / "template.xlsx"
    export.template_customers(out, "zh")
    _, rows = read(out)
    headers = {f.zh: f.key for f in F.CUSTOMER_FIELDS}
    raw = {headers[h]: v for h, v in zip(rows[0], rows[1]) if v not in ("", None)}
    clean, errors = customers.validate(raw)
    assert errors == {}
    assert clean["tier"] == "key" and clean["birthday"].month == 4


def test_lunar_birthday_on_day_30_of_month_2_reads_back(db, tmp_path):
    """农历二月三十 is no solar date: the exported text must go through the import rules."""
    from crmdesk.core.io import normalize
    make(name="庚", birthday="农历二月三十")
    path = tmp_path / "lunar.xlsx"
    export.export_customers(path, "zh")
    ws, _rows = read(path)
    text = cell(ws, 2, "birthday").value
    assert normalize.birthday(text) == normalize.Birthday(None, 2, 30, "lunar")
