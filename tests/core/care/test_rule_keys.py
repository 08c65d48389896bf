"""The care rules' keys name records by uuid and each reminder's uuid comes from its key
(``made_ids``): two laptops holding the same customers under other local ids make the
same reminders and points under the same uuids. Migration 0023 turns a laptop's older
keys (local ids, random uuids) into those."""
from __future__ import annotations

import datetime as dt
import json
import uuid

import pytest

from crmdesk.core import demo
from crmdesk.core.care import fields as C, rules as care_rules
from crmdesk.core.care.settings import Rule, Rules
from crmdesk.core.db import close_database, open_database
from crmdesk.core.made_ids import NAMESPACE, made_uuid, points_key
from crmdesk.core.models import Contact, Customer, Sale, Transaction, database
from crmdesk.core.sales import sales
from crmdesk.core.sales.sale_check import LineDraft, SaleDraft

D = dt.date
TODAY = D(2026, 12, 7)
EVERY_RULE = Rules(birthdays=Rule(True, 7), festivals=Rule(True, 30), purchase=Rule(True, 3),
                   anniversary=Rule(True, 7), no_contact=Rule(True, 90), no_purchase=Rule(True, 0),
                   payment_due=Rule(True, 1), points_on=True, points_from="2025-01-01", festival_tiers=())


@pytest.mark.parametrize("key", ["no_contact:5b0c4f3e-0000-4000-8000-000000000001:2025-01-01",
                                 "festival:custom:店庆:2026:x", ""])
def test_made_uuid_is_the_version_5_uuid_of_its_key_in_python_and_in_sql(db, key):
    assert made_uuid(key) == str(uuid.uuid5(NAMESPACE, key))
    assert database.execute_sql("SELECT crm_made_uuid(?)", [key]).fetchone()[0] == made_uuid(key)


BOOK = {  # name → (customer uuid, contact uuid, purchase uuid)
    "北京华信科技": ("11111111-0000-4000-8000-000000000001", "21111111-0000-4000-8000-000000000001",
                "31111111-0000-4000-8000-000000000001"),
    "张三": ("11111111-0000-4000-8000-000000000002", None, "31111111-0000-4000-8000-000000000002"),
    "上海明华贸易": ("11111111-0000-4000-8000-000000000003", "21111111-0000-4000-8000-000000000003", None),
}
SALE = "41111111-0000-4000-8000-000000000001"


def make_book(order: list[str]) -> None:
    """The same customers, contacts and purchases (same uuids), entered in ``order``."""
    for name in order:
        customer, contact, purchase = BOOK[name]
        person = name == "张三"
        cid = Customer.create(uuid=customer, name=name, code=customer[-4:], tier="key",
                              kind="individual" if person else "company", created_at=dt.datetime(2024, 1, 1),
                              birthday_month=12 if person else None, birthday_day=10 if person else None).id
        if contact:
            Contact.create(uuid=contact, customer=cid, name="王伟", birthday_month=12, birthday_day=12)
        if purchase:
            Transaction.create(uuid=purchase, customer=cid, date=D(2025, 12, 9), amount=1200)
    owner = Customer.get(Customer.name == "上海明华贸易").id
    sale = sales.record(SaleDraft(owner, "2026-10-01", lines=[LineDraft("阀门", amount="1000")],
                                  payment_terms_days=30), D(2026, 10, 1)).sale_id
    Sale.update(uuid=SALE).where(Sale.id == sale).execute()
    database.execute_sql("UPDATE transactions SET uuid = ? WHERE sale_id = ?", [SALE.replace("4111", "5111", 1), sale])


def made() -> tuple[set, set]:
    """What the rules made, as a team sees it: (uuid, key, kind, due day, customer uuid)."""
    events = set(database.execute_sql(
        "SELECT e.uuid, e.rule, e.kind, e.due_on, c.uuid FROM care_event e JOIN customer c ON c.id = e.customer_id"))
    points = set(database.execute_sql(
        "SELECT p.uuid, t.uuid, p.points FROM points_entry p JOIN transactions t ON t.id = p.transaction_id"))
    return events, points


def test_two_laptops_with_other_local_ids_make_the_same_reminders_under_the_same_uuids(tmp_path):
    found = []
    for n, order in enumerate((list(BOOK), list(reversed(BOOK)))):
        open_database(tmp_path / f"laptop{n}.sqlite")
        try:
            make_book(order)
            care_rules.run(TODAY, EVERY_RULE)
            found.append(made())
            ids = dict(database.execute_sql("SELECT name, id FROM customer"))
        finally:
            close_database()
        found[-1] += (ids,)
    (events, points, ids), (events2, points2, ids2) = found
    assert ids != ids2  # the local ids differ ...
    assert events == events2 and points == points2  # ... what the rules made does not
    kinds = {kind for _u, _r, kind, _d, _c in events}
    assert kinds >= {C.BIRTHDAY, C.FESTIVAL, C.ANNIVERSARY, C.INACTIVE, C.PAYMENT_DUE}
    for event_uuid, key, _kind, _day, customer in events:
        assert event_uuid == made_uuid(key)
        assert customer in key or any(contact in key for _c, contact, _p in BOOK.values() if contact) or SALE in key
    assert {key for _u, key, *_ in events if key.startswith("payment_due:")} == {f"payment_due:{SALE}:2026-10-31"}
    assert len(points) == 3 and all(p == made_uuid(points_key(t)) for p, t, _n in points)  # 2 purchases, 1 sale


def as_before_0023() -> None:
    """The keys and uuids as the rules made them before migration 0023: local ids in the
    keys, random uuids, a payment reminder's sale by id."""
    for table, column in (("customer", "customer_id"), ("contact", "contact_id"), ("complaint", "complaint_id")):
        database.execute_sql(f"UPDATE care_event SET rule = replace(rule, (SELECT uuid FROM {table} t WHERE t.id = "
                             f"care_event.{column}), {column}) WHERE {column} IS NOT NULL AND rule IS NOT NULL")
    database.execute_sql(
        "UPDATE care_event SET rule = replace(rule, json_extract(facts, '$.sale'), s.id), "
        "facts = json_set(json_remove(facts, '$.sale'), '$.sale_id', s.id) FROM sale s "
        "WHERE care_event.kind = 'payment_due' AND s.uuid = json_extract(care_event.facts, '$.sale')")
    for table in ("care_event", "points_entry"):
        for (local,) in database.execute_sql(f"SELECT id FROM {table}").fetchall():
            database.execute_sql(f"UPDATE {table} SET uuid = ? WHERE id = ?", [str(uuid.uuid4()), local])
    database.execute_sql("UPDATE change_log SET record_uuid = (SELECT uuid FROM care_event e WHERE e.id = record_id) "
                         "WHERE entity = 'care_event'")
    database.execute_sql("PRAGMA user_version = 22")


def events_by_id() -> dict[int, tuple]:
    return {i: (u, r, json.loads(f) if f else f, d) for i, u, r, f, d in database.execute_sql(
        "SELECT id, uuid, rule, facts, deleted_at FROM care_event")}


def test_migration_0023_gives_a_laptops_reminders_the_keys_and_uuids_the_rules_now_make(tmp_path):
    path = tmp_path / "old.sqlite"
    open_database(path)
    try:
        demo.generate(60)
        care_rules.run(TODAY, EVERY_RULE)
        now = events_by_id()
        points = set(database.execute_sql("SELECT id, uuid FROM points_entry"))
        kinds = {rule.split(":")[0] for _u, rule, _f, _d in now.values() if rule}
        assert kinds >= {"birthday", "festival", "purchase", "no_contact", "complaint", "payment_due"}
        as_before_0023()
        old = events_by_id()
        assert any(rule.startswith("no_contact:") and len(rule) < 30 for _u, rule, _f, _d in old.values() if rule)
    finally:
        close_database()
    open_database(path)  # migrates
    try:
        after = events_by_id()
        assert after.keys() == now.keys()
        for local, (event_uuid, rule, facts, deleted) in after.items():
            assert (rule, facts, deleted) == now[local][1:]
            # a complaint's follow-up, made by a user on one laptop, keeps its uuid
            kept = rule is None or rule.startswith("complaint:")
            assert event_uuid == (old[local][0] if kept else now[local][0])
        assert set(database.execute_sql("SELECT id, uuid FROM points_entry")) == points
        assert database.execute_sql(
            "SELECT count(*) FROM change_log l JOIN care_event e ON e.id = l.record_id "
            "WHERE l.entity = 'care_event' AND l.record_uuid != e.uuid").fetchone()[0] == 0
        again = care_rules.run(TODAY + dt.timedelta(days=1), EVERY_RULE)
        assert again.created.get("no_contact", 0) == 0 and again.created.get("payment_due", 0) == 0
    finally:
        close_database()


def test_migration_0023_leaves_a_key_whose_record_is_gone_or_unreadable(db):
    cid = Customer.create(name="甲", code="C1").id
    for rule, facts in (("birthday:p77:2026-12-12", ""),  # the contact was removed for good
                        ("payment_due:7:2026-01-01", "not json"), ("payment_due:8:2026-01-01", "[1]"),
                        ("festival:custom:店庆:2026:1", ""), ("a key of another kind", "")):
        database.execute_sql("INSERT INTO care_event (uuid, created_at, updated_at, customer_id, kind, due_on, channel, "
                             "title, message, state, result, response, rule, version, occasion, facts) VALUES "
                             "(?, '2026-01-01', '2026-01-01', ?, 'inactive', '2026-01-01', 'phone', '', '', 'due', '', "
                             "'', ?, 1, '', ?)", [str(uuid.uuid4()), cid, rule, facts])
    database.execute_sql("PRAGMA user_version = 22")
    path = database.database
    close_database()
    open_database(path)
    rules = {r for (r,) in database.execute_sql("SELECT rule FROM care_event")}
    assert rules == {"birthday:p77:2026-12-12", "payment_due:7:2026-01-01", "payment_due:8:2026-01-01",
                     "a key of another kind", f"festival:custom:店庆:2026:{Customer.get_by_id(cid).uuid}"}
