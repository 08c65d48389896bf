"""What the GUI's transaction import and import history need from the core: a plan to
map by hand, the user's mapping, one row checked at a time, the new customers' ids, and
recent imports with what each did."""
from __future__ import annotations

import datetime as dt

import pytest

from crmdesk.core.changes import DELETED, Changes
from crmdesk.core.errors import CrmError
from crmdesk.core.io.sheet_read import open_source
from crmdesk.core.models import Customer
from crmdesk.core.customers import archive as customers
from crmdesk.core.imports import customer_import as CI
from crmdesk.core.imports import transaction_import as TI
from crmdesk.core.imports import undo
from crmdesk.core.imports.options import ImportOptions
from tests.core.imports.test_import_customers import xlsx


def test_a_sheet_without_a_customer_column_can_be_mapped_by_hand(db, tmp_path):
    path = xlsx(tmp_path / "pos.xlsx", [["收款员", "销售日期", "商品名称", "销售金额"],
                                        ["王芳", "2024-05-05", "牙刷", 12.5],
                                        [None, None, None, 12.5]])  # a totals row
    with open_source(path) as source:
        with pytest.raises(CrmError) as caught:
            TI.prepare(source, ImportOptions())
        assert caught.value.code == "no_customer_column"
        plan = TI.prepare_by_hand(source, ImportOptions())
        assert plan.layout.mapping == {1: "date", 2: "product", 3: "amount"}
        with pytest.raises(CrmError) as caught:
            TI.apply_mapping(plan.layout, {1: "date", 2: "product", 3: "date"})
        assert caught.value.code == "mapping_twice"
        with pytest.raises(CrmError) as caught:
            TI.apply_mapping(plan.layout, {0: "name", 1: "date"})
        assert caught.value.code == "mapping_invalid"
        TI.apply_mapping(plan.layout, {0: "customer_name", 1: "date", 2: "product", 3: "amount"})
        assert plan.layout.unmatched == []
        rows = list(CI.sheet_rows(source, plan))
    good, totals = (TI.check_row(row, plan, ImportOptions()) for row in rows)
    assert good.ok and good.clean["customer_name"] == "王芳" and good.clean["date"] == dt.date(2024, 5, 5)
    assert totals.ok and totals.clean is None  # skipped by the import, not an error
    good.values[1] = "2024-13-45"
    assert set(TI.check_row(good, plan, ImportOptions()).errors) == {"date"}
    good.values[1] = "2024-05-06"
    assert TI.check_row(good, plan, ImportOptions()).ok  # the old error is gone

    result = TI.run(rows, plan, ImportOptions(), description="pos.xlsx")
    assert (result.created, result.skipped, result.customers_created) == (1, 1, 1)
    assert result.created_customer_ids == [Customer.get(Customer.name == "王芳").id]


def test_all_or_nothing_keeps_no_new_customers(db, tmp_path):
    path = xlsx(tmp_path / "t.xlsx", [["客户名称", "日期", "金额"], ["甲", "2024-05-05", 10],
                                      ["乙", "bad", 5]])
    result, _ = TI.import_file(path, ImportOptions(all_or_nothing=True))
    assert (result.created, result.rejected, result.customers_created, result.created_customer_ids) == (0, 1, 0, [])
    assert Customer.select().count() == 0


def test_import_history_says_what_each_import_did_and_which_are_undone(db, tmp_path):
    assert undo.import_history() == []
    kept, _ = customers.create({"name": "老客户", "mobile": "13812345678"})
    first, _ = CI.import_file(xlsx(tmp_path / "a.xlsx", [["客户名称", "手机", "城市"],
                                                        ["老客户", "13812345678", "北京"],
                                                        ["新客户", "13900001111", "上海"],
                                                        ["新客户", "13900001111", "杭州"]]), ImportOptions())
    second, _ = TI.import_file(xlsx(tmp_path / "sales.xlsx", [["客户名称", "日期", "金额"],
                                                             ["新客户", "2024-05-05", 100],
                                                             ["第三家", "2024-05-06", 50],
                                                             ["第三家", "2024-05-07", 70]]), ImportOptions())
    undone = undo.undo_import(str(second.batch_id))
    assert Changes("transaction", DELETED, tuple(second.created_ids)) in undone.changes  # for open profiles
    newest, oldest = undo.import_history()
    assert (newest.batch_id, newest.kind, newest.description) == (second.batch_id, "transactions", "sales.xlsx")
    assert (newest.transactions_created, newest.customers_created, newest.customers_updated) == (3, 1, 0)
    assert newest.undone_at is not None and not newest.undoable
    assert (oldest.batch_id, oldest.kind, oldest.description) == (first.batch_id, "customers", "a.xlsx")
    assert (oldest.customers_created, oldest.customers_updated, oldest.transactions_created) == (1, 1, 0)
    assert oldest.undoable and isinstance(oldest.created_at, dt.datetime)
    assert [s.batch_id for s in undo.import_history(limit=1)] == [second.batch_id]
    assert Customer.get_by_id(kept).city == "北京"
