"""Issue 18: an import checks phones by the same rule as the form (one normaliser)."""
from __future__ import annotations

from crmdesk.core.models import Customer
from tests.core.imports.test_import_customers import run, xlsx


def test_an_import_with_mixed_phones_keeps_the_good_and_names_the_bad(db, tmp_path):
    path = xlsx(tmp_path / "mixed.xlsx", [
        ["客户名称", "手机", "电话", "省份"],
        ["甲公司", 13812345678, "010-88889999 转 123", "北京"],     # a numeric cell, an extension
        ["乙公司", "+86 139 8765 4321", "(0755) 1234 5678", "广东"],
        ["丙公司", "+1 415 555 2671", "95588", "上海"],           # a foreign mobile, a service number
        ["丁公司", "9123 4567", "2345 6789", "香港"],             # Hong Kong: the province says where
        ["戊公司", "1381234", None, "上海"],                      # a 7-digit mobile
        ["己公司", "010-88889999", None, "北京"],                  # a landline in the mobile column
        ["庚公司", "13812345678", "88889999", "北京"],             # a landline without its area code
    ])
    result, _plan = run(path)
    stored = {c.name: (c.mobile, c.phone) for c in Customer.select()}
    assert stored == {
        "甲公司": ("+8613812345678", "+861088889999x123"),
        "乙公司": ("+8613987654321", "+8675512345678"),
        "丙公司": ("+14155552671", "95588"),
        "丁公司": ("+85291234567", "+85223456789"),
    }
    errors = {row.number: {k: e.code for k, e in row.errors.items()} for row in result.rejected_rows}
    assert errors == {6: {"mobile": "phone_mobile_digits"}, 7: {"mobile": "phone_not_mobile"},
                      8: {"phone": "phone_no_area_code"}}


def test_exported_phones_are_dialled_and_import_back_onto_the_same_customer(db, tmp_path):
    """Stored in E.164, exported as dialled; the exported sheet imported again matches the
    customers by phone (no duplicates) and changes nothing."""
    from crmdesk.core.customers import archive as customers, export
    from crmdesk.core.customers.list import ListQuery, ids
    from python_calamine import CalamineWorkbook
    customers.create({"name": "甲公司", "mobile": "+86 138 1234 5678", "phone": "010-8888 9999 转 12", "province": "北京"})
    customers.create({"name": "丙公司", "mobile": "+1 415 555 2671", "phone": "95588"})
    out = tmp_path / "out.xlsx"
    export.export_customers(out)
    rows = CalamineWorkbook.from_path(str(out)).get_sheet_by_index(0).to_python()
    header = rows[0]
    shown = {row[header.index("客户名称")]: (row[header.index("手机")], row[header.index("电话")]) for row in rows[1:]}
    assert shown == {"甲公司": ("13812345678", "01088889999x12"), "丙公司": ("+14155552671", "95588")}
    before = {c.name: (c.uuid, c.mobile, c.phone) for c in Customer.select()}
    sheet = xlsx(tmp_path / "back.xlsx", [["客户名称", "手机", "电话"], *([n, *p] for n, p in shown.items())])
    result, _plan = run(sheet, match="phone")
    assert result.created == 0 and result.rejected == 0
    assert {c.name: (c.uuid, c.mobile, c.phone) for c in Customer.select()} == before
    # found by the number as dialled, as stored, and by a part of either
    for typed in ("01088889999", "010888", "+861088889999", "13812345678"):
        assert len(ids(ListQuery(search=typed))) == 1, typed
