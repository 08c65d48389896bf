"""Undo of an opportunities import and of a products import (issue 19), through the same
``undo_import`` as customer and transaction imports: created deals and products go to the
trash (soft deleted), changed products get their old values back unless changed again
since, all in one transaction; the import history lists them with their kind and counts."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from crmdesk.core.changes import DELETED, UPDATED
from crmdesk.core.errors import CrmError
from crmdesk.core.models import Batch, ChangeLog, Opportunity, Product
from crmdesk.core.sales import import_undo, opportunities_io, product_io, products
from crmdesk.core.customers import archive as customers
from crmdesk.core.imports import undo
from crmdesk.core.imports.options import ImportOptions
from tests.core.imports.test_import_customers import xlsx

NOW = dt.datetime(2026, 11, 20, 9)


@pytest.fixture
def deals_file(db, tmp_path):
    customers.create({"code": "C001", "name": "北京华润"})
    customers.create({"code": "C002", "name": "杭州小微"})
    return xlsx(tmp_path / "deals.xlsx", [["客户编号", "商机名称", "阶段", "预计金额"],
                                          ["C001", "管道改造", "方案演示", "125000"],
                                          ["C002", "水泵", "", "800"]])


def live_deals() -> list[str]:
    return sorted(o.title for o in Opportunity.select().where(Opportunity.deleted_at.is_null()))


def test_an_opportunities_import_is_undone(deals_file):
    result = opportunities_io.import_opportunities(deals_file, now=NOW)
    assert result.created == 2 and live_deals() == ["水泵", "管道改造"]
    assert Batch.get_by_id(result.batch_id).kind == "import_opportunities"
    [summary] = undo.import_history()
    assert (summary.kind, summary.opportunities_created, summary.undoable) == ("opportunities", 2, True)

    done = undo.undo_import(str(result.batch_id))
    assert (done.opportunities, done.removed, done.transactions, done.conflicts) == (2, 0, 0, 0)
    assert live_deals() == []
    assert Opportunity.select().count() == 2  # soft deleted: in the trash, restorable
    deleted = [c for c in done.changes if c.entity == "opportunity" and c.kind == DELETED]
    assert deleted and sorted(deleted[0].ids) == sorted(o.id for o in Opportunity.select())
    logged = ChangeLog.select().where((ChangeLog.entity == "opportunity") & (ChangeLog.action == DELETED))
    assert logged.count() == 2  # the timeline shows it
    [summary] = undo.import_history()
    assert summary.undone_at is not None and summary.opportunities_created == 2  # still says what it did
    with pytest.raises(CrmError) as error:
        undo.undo_import(str(result.batch_id))
    assert error.value.code == "import_already_undone"


def test_the_last_import_is_found_when_it_is_of_opportunities(deals_file):
    result = opportunities_io.import_opportunities(deals_file, now=NOW)
    assert undo.last_import().id == result.batch_id
    assert undo.undo_import().opportunities == 2 and live_deals() == []


def test_an_older_opportunities_import_of_kind_import_is_undone_too(deals_file):
    result = opportunities_io.import_opportunities(deals_file, now=NOW)
    Batch.update(kind="import").where(Batch.id == result.batch_id).execute()  # as before its own kind
    [summary] = undo.import_history()
    assert (summary.kind, summary.opportunities_created) == ("opportunities", 2)
    assert undo.undo_import(str(result.batch_id)).opportunities == 2 and live_deals() == []


def test_a_deal_deleted_since_is_left_alone(deals_file):
    from crmdesk.core.sales import opportunities as O
    result = opportunities_io.import_opportunities(deals_file, now=NOW)
    gone = Opportunity.get(Opportunity.title == "水泵").id
    O.delete([gone])
    assert undo.undo_import(str(result.batch_id)).opportunities == 1 and live_deals() == []


@pytest.fixture
def catalogue(db, tmp_path):
    products.create({"name": "不锈钢阀", "code": "V1", "list_price": "100", "category": "阀门"})
    products.create({"name": "管件", "code": "P1", "list_price": "5"})
    return xlsx(tmp_path / "products.xlsx", [["产品编号", "产品名称", "产品类别", "标准价格", "在售"],
                                             ["V1", "不锈钢球阀", "阀门", "120", "是"],
                                             ["P1", "管件", "", "5", "否"],
                                             ["N1", "新法兰", "法兰", "30", "是"]])


def state() -> dict:
    return {p.code: (p.name, p.category, p.list_price, p.active, p.deleted_at is None) for p in Product.select()}


def test_a_products_import_is_undone(catalogue):
    before = state()
    result, _plan = product_io.import_file(catalogue, ImportOptions())
    assert (result.created, result.updated) == (1, 2)
    assert state()["V1"][:3] == ("不锈钢球阀", "阀门", Decimal("120")) and state()["P1"][3] is False
    [summary] = undo.import_history()
    assert (summary.kind, summary.products_created, summary.products_updated) == ("products", 1, 2)

    done = undo.undo_import(str(result.batch_id))
    assert (done.products_removed, done.products_restored, done.conflicts) == (1, 2, 0)
    after = state()
    assert after["N1"][4] is False  # the product it created: in the trash
    del after["N1"]
    assert after == before  # the ones it changed: as they were
    ids = {c.kind: set(c.ids) for c in done.changes if c.entity == "product"}
    assert ids[DELETED] == {Product.get(Product.code == "N1").id}
    assert ids[UPDATED] == {Product.get(Product.code == c).id for c in ("V1", "P1")}
    assert undo.import_history()[0].undone_at is not None


def test_a_product_field_changed_since_keeps_the_later_value(catalogue):
    result, _plan = product_io.import_file(catalogue, ImportOptions())
    valve = Product.get(Product.code == "V1").id
    products.update(valve, {"list_price": "150"})  # after the import, by hand
    done = undo.undo_import(str(result.batch_id))
    assert (done.products_restored, done.conflicts) == (2, 1)
    valve_row = Product.get_by_id(valve)
    assert (valve_row.name, valve_row.list_price) == ("不锈钢阀", Decimal("150"))  # name back, price kept


def test_an_undo_that_fails_writes_nothing(catalogue, monkeypatch):
    result, _plan = product_io.import_file(catalogue, ImportOptions())
    before, logged = state(), ChangeLog.select().count()

    def broken(*_args, **_kwargs):
        raise RuntimeError("disk full")
    monkeypatch.setattr(import_undo.PR, "update", broken)
    with pytest.raises(RuntimeError):
        undo.undo_import(str(result.batch_id))
    assert state() == before and ChangeLog.select().count() == logged  # one transaction: all or nothing
    assert Batch.get_by_id(result.batch_id).undone_at is None
