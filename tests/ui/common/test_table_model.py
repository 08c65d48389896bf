"""The shared lazy table model: first rows at once, the rest from a worker thread,
pages fetched on demand, and changes applied to just the rows they touch."""
from __future__ import annotations

import pytest

from crmdesk.core.changes import Changes
from crmdesk.core.customers import archive as customers
from crmdesk.core.customers.list import ListQuery
from crmdesk.ui.customers.source import CustomerSource
from crmdesk.ui.common.table_model import PAGE_SIZE, LazyTableModel


@pytest.fixture
def many(db):
    return [customers.create({"name": f"客户{n:03d}", "city": "南京" if n % 2 else "苏州"})[0] for n in range(30)]


def make_model(first_rows=5):
    return LazyTableModel(CustomerSource(), ["code", "name", "city"], ListQuery(), first_rows=first_rows)


def test_first_rows_then_the_rest_from_a_worker(qtbot, qapp, many):
    model = make_model()
    with qtbot.waitSignal(model.loaded, timeout=10000):
        model.set_query(ListQuery())
        assert model.rowCount() == 5 and not model.complete
    assert model.complete and model.rowCount() == 30
    assert [model.index(r, 1).data() for r in range(3)] == ["客户000", "客户001", "客户002"]


def test_a_newer_query_wins_over_an_older_answer(qtbot, qapp, many):
    model = make_model()
    model.set_query(ListQuery())
    with qtbot.waitSignal(model.loaded, timeout=10000):
        model.set_query(ListQuery(filters=(("city", "南京"),)))
    model.wait_loaded()
    assert model.rowCount() == 15
    assert {model.index(r, 2).data() for r in range(15)} == {"南京"}


def test_model_passes_qtmodeltester_while_rows_arrive(qtmodeltester, qtbot, qapp, many):
    model = make_model()
    qtmodeltester.check(model)
    with qtbot.waitSignal(model.loaded, timeout=10000):
        model.set_query(ListQuery(sort="name", descending=True))
    qtmodeltester.check(model)
    assert model.index(0, 1).data() == "客户029"


def test_rows_are_fetched_in_pages(qapp, db):
    for n in range(PAGE_SIZE * 2 + 5):
        customers.create({"name": f"n{n:04d}"})
    model = make_model(first_rows=1000)
    model.set_query(ListQuery())
    assert model.pages_fetched == 0
    model.index(0, 1).data()
    model.index(PAGE_SIZE - 1, 1).data()
    assert model.pages_fetched == 1
    assert model.index(PAGE_SIZE * 2 + 4, 1).data() == f"n{PAGE_SIZE * 2 + 4:04d}"
    assert model.pages_fetched == 2


def test_an_edit_refreshes_only_its_row(qtbot, qapp, many):
    model = make_model(first_rows=1000)
    model.set_query(ListQuery())
    assert model.index(3, 2).data() == "南京"
    customers.update(many[3], {"city": "无锡"})
    with qtbot.waitSignal(model.dataChanged) as blocker:
        model.apply_changes(Changes("customer", "updated", (many[3],)))
    assert blocker.args[0].row() == 3 and blocker.args[1].row() == 3
    assert model.index(3, 2).data() == "无锡"
    assert model.rowCount() == 30
