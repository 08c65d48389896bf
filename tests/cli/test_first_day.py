"""Issue 18, the first day: an untouched template imports nothing and says why; a row
whose customer number belongs to a customer of another name is a row error."""
from __future__ import annotations

import hashlib

import pytest

from crmdesk.core.db import close_database, open_database
from crmdesk.core.models import Customer, Transaction
from crmdesk.core.customers import archive as customers
from crmdesk.core.imports.rows import folded_name, names_differ
from tests.core.imports.test_import_customers import xlsx
from tests.cli.test_cli import call

ONLY_EXAMPLE = "The file holds only the template's example row, which is never imported"
MISMATCH = ("C000001 is 合肥协和五金有限公司, not Minghua Trading: correct the customer number or the name "
            "in this row; nothing of it was imported.")


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def counts(db):
    open_database(db)
    try:
        return Customer.select().count(), Transaction.select().count()
    finally:
        close_database()


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "crm.sqlite"
    open_database(path, create=True)
    customers.create({"name": "合肥协和五金有限公司"})  # C000001, as in the issue
    close_database()
    return path


@pytest.mark.parametrize("entity", ["transactions", "customers"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_an_untouched_template_imports_nothing_and_says_why(db, tmp_path, entity, lang):
    template = tmp_path / "template.xlsx"
    assert call("template", entity, str(template), "--lang", lang)[0] == 0
    before = digest(db)
    code, out, err = call("--db", str(db), "import", entity, str(template))
    assert code == 0
    assert out.splitlines() == ["created 0, updated 0, skipped 0, rejected 0", "batch: -"]
    assert ONLY_EXAMPLE in err and "Nothing was imported, because" not in err
    assert digest(db) == before  # not even an empty import in the history
    assert counts(db) == (1, 0)


def test_the_example_row_is_left_out_beside_the_users_rows(db, tmp_path):
    template = tmp_path / "template.xlsx"
    call("template", "customers", str(template), "--lang", "en")
    from openpyxl import load_workbook
    wb = load_workbook(template)
    wb.active.append(["", "Acme Tools"])
    wb.save(template)
    code, out, err = call("--db", str(db), "import", "customers", str(template))
    assert code == 0 and out.startswith("created 1, updated 0, skipped 0, rejected 0")
    assert "The template's example row was left out: it is never imported." in err
    open_database(db)
    try:
        assert sorted(c.name for c in Customer.select()) == ["Acme Tools", "合肥协和五金有限公司"]
    finally:
        close_database()


def test_a_sale_for_another_customers_number_is_a_row_error(db, tmp_path):
    path = xlsx(tmp_path / "sales.xlsx", [["客户编号", "客户名称", "日期", "金额"],
                                          ["C000001", "Minghua Trading", "2026-01-02", 5],
                                          ["C000001", "合肥协和五金", "2026-01-03", 7],  # the same, shorter
                                          ["C000001", "", "2026-01-04", 9]])  # no name: the number says who
    code, out, err = call("--db", str(db), "import", "transactions", str(path), "--errors", str(tmp_path / "e.xlsx"))
    assert code == 3
    assert out.splitlines()[0] == "created 2, updated 0, skipped 0, rejected 1"
    assert f"row 2: 客户名称: {MISMATCH}" in out.splitlines()
    assert counts(db) == (1, 2)


def test_an_update_by_number_with_another_name_is_a_row_error_and_changes_nothing(db, tmp_path):
    path = xlsx(tmp_path / "in.xlsx", [["客户编号", "客户名称", "手机"], ["C000001", "Minghua Trading", "13800138000"]])
    before = digest(db)
    code, out, _err = call("--db", str(db), "import", "customers", str(path), "--all-or-nothing",
                           "--errors", str(tmp_path / "e.xlsx"))
    assert code == 3 and f"row 2: 客户名称: {MISMATCH}" in out.splitlines()
    assert digest(db) == before
    code, out, _err = call("--db", str(db), "import", "customers", str(path), "--errors", str(tmp_path / "e.xlsx"))
    assert code == 3 and out.startswith("created 0, updated 0, skipped 0, rejected 1")
    open_database(db)
    try:
        customer = Customer.get()
        assert (customer.name, customer.mobile) == ("合肥协和五金有限公司", "")
    finally:
        close_database()


@pytest.mark.parametrize("theirs, given, differ", [
    ("Minghua Trading Co., Ltd.", "MINGHUA TRADING", False),
    ("上海明华贸易有限公司", "上海明华贸易", False),
    ("上海明华贸易有限公司", "明华贸易", False),
    ("ＡＢＣ有限公司", "abc", False),
    ("合肥协和五金有限公司", "Minghua Trading", True),
    ("合肥协和五金有限公司", "", False),
    ("Acme Tools", "Acme-Tools Inc.", False),
    ("Acme Tools", "Zenith Co", True),
])
def test_names_differ_only_plainly(theirs, given, differ):
    assert names_differ(theirs, given) is differ
    assert folded_name("Minghua Trading Co., Ltd.") == "minghuatrading"


def test_demo_data_never_goes_into_a_database_with_customers(db):
    """`crmdesk demo` into real data refuses in one sentence and leaves the file as it was."""
    before = digest(db)
    code, _out, err = call("--db", str(db), "demo", "--customers", "5")
    assert code == 2
    assert err.strip().endswith("The database already has customers: demo data goes only into an empty "
                                "database, so create a new one first.")
    assert digest(db) == before and counts(db) == (1, 0)


@pytest.mark.parametrize("cells, example", [
    (["C1", "甲公司", "  示例/Example — 此行为示例，永不导入：请在下面填写您的数据 "], True),  # spaces round it
    ([None, 3.5, "Example row: delete or overwrite it before importing"], True),  # an older template's
    (["C1", "示例公司", "Example Ltd"], False),  # the words alone are a customer's name, not the marker
    (["C1", "甲公司", 12.5, None], False),
])
def test_the_example_row_is_known_by_its_whole_marker(cells, example):
    from crmdesk.core.imports.rows import EXAMPLE_MARKERS, is_example_row
    assert is_example_row(cells) is example
    # the quick look for the markers' words finds every marker, today's and older ones
    for marker in (*EXAMPLE_MARKERS.values(), "示例行：导入前请删除或改写"):
        assert is_example_row([None, marker])
