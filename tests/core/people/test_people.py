"""The people the data names are read through partial indexes (migration 0011): the same
names as a DISTINCT over the tables, kept current by every write, and never a table scan."""
from __future__ import annotations

import datetime as dt

from crmdesk.core import people
from crmdesk.core.models import database
from crmdesk.core.complaints import settings as S
from crmdesk.core.complaints import complaints
from crmdesk.core.customers import archive as customers
from crmdesk.core.visits import visits


def distinct_scan() -> set[str]:
    rows = database.execute_sql(
        "SELECT owner FROM customer WHERE owner != '' AND deleted_at IS NULL "
        "UNION SELECT rep FROM visit WHERE rep != '' AND deleted_at IS NULL "
        "UNION SELECT owner FROM complaint WHERE owner != '' AND deleted_at IS NULL")
    return {r[0] for r in rows}


def visit(cid: int, rep: str) -> dict:
    return {"customer_id": cid, "starts_at": dt.datetime(2026, 2, 10, 10), "ends_at": dt.datetime(2026, 2, 10, 11),
            "kind": "first_visit", "objective": "了解需求", "rep": rep}


def test_people_follow_creates_edits_and_deletes(db):
    assert people.in_data() == set() and S.people() == []
    a = customers.create({"name": "上海明华贸易有限公司", "owner": "张伟"})[0]
    b = customers.create({"name": "北京华润有限公司", "owner": "Zoe"})[0]
    customers.create({"name": "无人负责有限公司"})
    vid = visits.create(visit(a, "李娜")).visit_id
    complaints.create({"customer_id": a, "category": "delivery", "words": "晚了",
                       "received_at": dt.datetime(2026, 2, 13, 10), "owner": "李娜"})
    assert people.in_data() == distinct_scan() == {"张伟", "Zoe", "李娜"}
    customers.update(b, {"owner": "Adam"})
    assert people.in_data() == distinct_scan() == {"张伟", "Adam", "李娜"}
    visits.delete([vid])
    customers.delete([b])
    assert people.in_data() == distinct_scan() == {"张伟", "李娜"}
    customers.restore([b])
    assert people.in_data() == distinct_scan() == {"张伟", "Adam", "李娜"}
    assert people.named("customer", "owner") == ["Adam", "张伟"]
    assert people.is_named("Adam") and not people.is_named("Zoe")


def test_many_rows_few_names(db):
    ids = [customers.create({"name": f"客户{i:03d}有限公司", "owner": f"rep{i % 7}"})[0] for i in range(60)]
    assert len(ids) == 60
    assert people.named("customer", "owner") == [f"rep{i}" for i in range(7)]
    assert people.in_data() == distinct_scan()


def test_the_names_are_read_through_the_indexes_not_a_scan(db):
    for table, column in people.SOURCES:
        sql = people._SKIP_SCAN.format(table=table, column=column)  # noqa: SLF001 (the query under test)
        steps = [r[3] for r in database.execute_sql("EXPLAIN QUERY PLAN " + sql)]
        reads = [s for s in steps if s.startswith(("SCAN " + table, "SEARCH " + table))]
        assert reads and all("INDEX" in s for s in reads), steps
        assert not any(s.startswith("SCAN " + table) for s in reads), steps
