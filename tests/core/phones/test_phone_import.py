"""Issue 18: an import checks phones by the same rule as the form (one normaliser)."""
from __future__ import annotations

from crmdesk.core.models import Customer
from tests.core.test_import_customers import run, xlsx


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
        "甲公司": ("13812345678", "01088889999x123"),
        "乙公司": ("+8613987654321", "075512345678"),
        "丙公司": ("+14155552671", "95588"),
        "丁公司": ("91234567", "23456789"),
    }
    errors = {row.number: {k: e.code for k, e in row.errors.items()} for row in result.rejected_rows}
    assert errors == {6: {"mobile": "phone_mobile_digits"}, 7: {"mobile": "phone_not_mobile"},
                      8: {"phone": "phone_no_area_code"}}
