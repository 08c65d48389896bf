"""Customer, contact and transaction services: what they write, what they refuse, and that
a refusal leaves the database as it was."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from crmdesk.core.changes import CREATED, DELETED, RESTORED, UPDATED, Changes
from crmdesk.core.errors import CrmError, ValidationError
from crmdesk.core.models import ChangeLog, Contact, Customer, CustomerTag, Transaction, database
from crmdesk.core.customers import contacts, archive as customers, transactions
from crmdesk.core import history
from crmdesk.core.customers.contacts import ContactData

TABLES = ("customer", "customer_tag", "contact", "transactions", "change_log", "batch")


def snapshot() -> dict[str, list[tuple]]:
    """Every row of every table: compared before and after a refused write."""
    return {table: database.execute_sql(f'SELECT * FROM "{table}" ORDER BY 1').fetchall()
            for table in TABLES}


def counts() -> dict[str, int]:
    return {table: database.execute_sql(f'SELECT count(*) FROM "{table}"').fetchone()[0]
            for table in TABLES}


@pytest.fixture
def acme(db) -> int:
    customer_id, _ = customers.create({"name": "北京华润", "city": "北京", "mobile": "13812345678",
                                       "email": "info@example.cn", "tier": "key", "notes": "first"})
    return customer_id


# ---------------------------------------------------------------- create

def test_create_returns_id_and_changes(db):
    customer_id, changes = customers.create({"name": "  北京   华润  "})
    assert changes == Changes("customer", CREATED, (customer_id,))
    customer = customers.get(customer_id)
    assert customer.name == "北京 华润"
    assert customer.kind == "company"                 # the spec's default
    assert customer.birthday_calendar == "solar"
    assert len(customer.uuid) == 36
    assert customer.created_at is not None and customer.updated_at is not None
    assert customer.deleted_at is None


def test_create_generates_codes_in_sequence(db):
    codes = [customers.get(customers.create({"name": f"客户{i}"})[0]).code for i in range(3)]
    assert codes == ["C000001", "C000002", "C000003"]


def test_generated_code_follows_highest_generated_code(db):
    customers.create({"name": "a", "code": "C000010"})
    customers.create({"name": "b", "code": "CUSTOM-7"})
    customers.create({"name": "c", "code": "C12X"})
    new_id, _ = customers.create({"name": "d"})
    assert customers.get(new_id).code == "C000011"


def test_create_keeps_given_code_half_width(db):
    new_id, _ = customers.create({"name": "a", "code": "Ｃ－１２"})
    assert customers.get(new_id).code == "C-12"


def test_duplicate_code_refused_and_nothing_saved(db, acme):
    before = snapshot()
    with pytest.raises(ValidationError) as info:
        customers.create({"name": "另一家", "code": "C000001"})
    assert info.value.errors["code"].code == "code_taken"
    assert info.value.errors["code"].params["code"] == "C000001"
    assert snapshot() == before


def test_create_without_name_is_refused(db):
    before = snapshot()
    for raw in ({}, {"name": ""}, {"city": "北京"}, {"name": "   "}):
        with pytest.raises(ValidationError) as info:
            customers.create(raw)
        assert info.value.errors["name"].code == "required"
    assert snapshot() == before


@pytest.mark.parametrize("raw, bad", [
    ({"name": "a", "email": "not-an-email"}, {"email": "email_invalid"}),
    ({"name": "a", "mobile": "123"}, {"mobile": "phone_too_short"}),
    ({"name": "a", "annual_revenue": "-5"}, {"annual_revenue": "money_negative"}),
    ({"name": "a", "tier": "gold"}, {"tier": "enum_invalid"}),
    ({"name": "a", "birthday": "--02-30"}, {"birthday": None}),
    ({"name": "x" * 201}, {"name": "too_long"}),
    ({"name": "a", "email": "bad", "mobile": "1", "need_score": 9, "tags": "t" * 51},
     {"email": "email_invalid", "mobile": "phone_too_short", "need_score": "score_out_of_range",
      "tags": "tag_too_long"}),
])
def test_create_validation_errors_leave_database_unchanged(db, acme, raw, bad):
    before_counts, before = counts(), snapshot()
    with pytest.raises(ValidationError) as info:
        customers.create(raw)
    assert set(info.value.errors) == set(bad)
    for key, code in bad.items():
        assert info.value.errors[key].key == key
        if code:
            assert info.value.errors[key].code == code
    assert info.value.code == "validation_failed"
    assert info.value.params["count"] == len(bad)
    assert counts() == before_counts
    assert snapshot() == before


def test_create_extra_phone_numbers_go_to_notes(db):
    new_id, _ = customers.create({"name": "a", "mobile": "138 1234 5678 / 139 8765 4321",
                                  "phone": "010-88889999; 010-66667777", "notes": "老客户"})
    customer = customers.get(new_id)
    assert customer.mobile == "+8613812345678"
    assert customer.phone == "+861088889999"
    assert customer.notes.startswith("老客户")
    assert "13987654321" in customer.notes
    assert "01066667777" in customer.notes


def test_create_tags_stored_in_customer_tag(db):
    new_id, _ = customers.create({"name": "a", "tags": "VIP、国企；北京, VIP"})
    rows = sorted(t.tag for t in CustomerTag.select().where(CustomerTag.customer == new_id))
    assert rows == sorted(["VIP", "国企", "北京"])
    assert customers.get(new_id).tags == "VIP, 国企, 北京"
    assert customers.to_dict(customers.get(new_id))["tags"] == ["VIP", "国企", "北京"]


def test_create_normalises_every_kind_of_value(db):
    new_id, _ = customers.create({
        "name": "a", "mobile": 13812345678.0, "annual_revenue": "1.2万", "tier": "VIP",
        "stage": "稳定期", "birthday": "农历八月十五", "postal_code": "０１００２０",
        "created_at": "2020/1/2", "fiscal_year_start": "4", "need_score": 3})
    c = customers.get(new_id)
    assert c.mobile == "+8613812345678"
    assert c.annual_revenue == Decimal("12000")
    assert (c.tier, c.stage) == ("key", "mature")
    assert (c.birthday_year, c.birthday_month, c.birthday_day, c.birthday_calendar) == \
        (None, 8, 15, "lunar")
    assert c.postal_code == "010020"
    assert c.created_at == dt.datetime(2020, 1, 2)
    assert (c.fiscal_year_start, c.need_score) == (4, 3)


def test_create_writes_created_log(db, acme):
    items = history.timeline(acme)
    assert [(i.action, i.entity, i.new) for i in items] == [("created", "customer", "北京华润")]


def test_create_keeps_pinyin_keys(db, acme):
    c = customers.get(acme)
    assert c.sort_name == "beijinghuarun"
    assert c.name_initials == "bjhr"


# ---------------------------------------------------------------- update

def test_update_touches_only_given_fields(db, acme):
    before = customers.to_dict(customers.get(acme))
    changes = customers.update(acme, {"city": "上海", "tier": "C"})
    assert changes == Changes("customer", UPDATED, (acme,))
    after = customers.to_dict(customers.get(acme))
    assert after["city"] == "上海"
    assert after["tier"] == "transactional"
    for key in before:
        if key not in ("city", "tier"):
            assert after[key] == before[key], key


def test_update_writes_change_log_rows(db, acme):
    customers.update(acme, {"city": "上海", "tier": "关系型", "mobile": "13900001111"})
    items = [i for i in history.timeline(acme) if i.action == "updated"]
    assert {(i.field, i.old, i.new) for i in items} == {
        ("city", "北京", "上海"), ("tier", "key", "relationship"),
        ("mobile", "+8613812345678", "+8613900001111")}
    assert all(i.entity == "customer" and i.record_id == acme for i in items)
    assert all(i.actor for i in items)
    rows = ChangeLog.select().where((ChangeLog.customer_id == acme) & (ChangeLog.action == "updated"))
    assert rows.count() == 3


def test_update_with_same_values_changes_nothing(db, acme):
    stamp = customers.get(acme).updated_at
    log_rows = ChangeLog.select().count()
    changes = customers.update(acme, {"city": " 北京 ", "tier": "VIP"})
    assert changes.ids == ()
    assert customers.get(acme).updated_at == stamp
    assert ChangeLog.select().count() == log_rows


def test_update_changes_the_version_stamp(db, acme):
    stamp = customers.get(acme).updated_at
    customers.update(acme, {"city": "上海"})
    first = customers.get(acme).updated_at
    customers.update(acme, {"city": "广州"})
    second = customers.get(acme).updated_at
    assert stamp < first < second


def test_update_blank_code_keeps_the_old_one(db, acme):
    customers.update(acme, {"code": "", "city": "上海"})
    assert customers.get(acme).code == "C000001"


def test_update_to_a_taken_code_is_refused(db, acme):
    other, _ = customers.create({"name": "b"})
    before = snapshot()
    with pytest.raises(ValidationError) as info:
        customers.update(other, {"code": "C000001"})
    assert info.value.errors["code"].code == "code_taken"
    assert snapshot() == before


def test_update_own_code_is_not_taken(db, acme):
    customers.update(acme, {"code": "C000001", "city": "上海"})
    assert customers.get(acme).city == "上海"


def test_update_validation_error_leaves_database_unchanged(db, acme):
    before = snapshot()
    with pytest.raises(ValidationError) as info:
        customers.update(acme, {"city": "上海", "email": "bad@", "annual_revenue": "-1"})
    assert set(info.value.errors) == {"email", "annual_revenue"}
    assert snapshot() == before


def test_update_extra_phones_go_to_notes(db, acme):
    customers.update(acme, {"mobile": "13900001111，13900002222"})
    c = customers.get(acme)
    assert c.mobile == "+8613900001111"
    assert c.notes.startswith("first")
    assert "13900002222" in c.notes
    fields = {i.field for i in history.timeline(acme) if i.action == "updated"}
    assert {"mobile", "notes"} <= fields


def test_update_tags_replace_customer_tag_rows(db, acme):
    customers.update(acme, {"tags": "a, b"})
    customers.update(acme, {"tags": "b；c"})
    rows = sorted(t.tag for t in CustomerTag.select().where(CustomerTag.customer == acme))
    assert rows == ["b", "c"]
    customers.update(acme, {"city": "上海"})          # tags not given: kept
    assert CustomerTag.select().where(CustomerTag.customer == acme).count() == 2
    customers.update(acme, {"tags": ""})
    assert CustomerTag.select().where(CustomerTag.customer == acme).count() == 0


def test_update_name_refreshes_pinyin(db, acme):
    customers.update(acme, {"name": "上海华联"})
    c = customers.get(acme)
    assert (c.sort_name, c.name_initials) == ("shanghaihualian", "shhl")


def test_stale_update_is_refused_and_nothing_overwritten(db, acme):
    opened = customers.get(acme).updated_at                # window A opens the record
    customers.update(acme, {"city": "上海"})                # window B saves
    after_b = snapshot()
    with pytest.raises(CrmError) as info:
        customers.update(acme, {"city": "广州", "notes": "A's"}, expected_updated_at=opened)
    assert info.value.code == "record_changed_elsewhere"
    assert info.value.params["name"] == "北京华润"
    assert customers.get(acme).city == "上海"
    assert snapshot() == after_b


def test_stale_update_with_older_stamp_is_refused(db, acme):
    current = customers.get(acme).updated_at
    with pytest.raises(CrmError) as info:
        customers.update(acme, {"city": "广州"}, expected_updated_at=current - dt.timedelta(hours=1))
    assert info.value.code == "record_changed_elsewhere"
    assert customers.get(acme).city == "北京"


def test_current_version_update_is_accepted(db, acme):
    current = customers.get(acme).updated_at
    customers.update(acme, {"city": "广州"}, expected_updated_at=current)
    assert customers.get(acme).city == "广州"


def test_version_stamp_never_goes_back_after_delete_and_restore(db, acme, monkeypatch):
    """Window A opens the record; B saves, deletes and restores it, all in the same second.
    A's save must still be refused: the stamp must not return to the one A saw."""
    opened = customers.get(acme).updated_at
    monkeypatch.setattr(customers, "utcnow", lambda: opened)  # the same second throughout
    customers.update(acme, {"city": "上海"})
    customers.delete([acme])
    customers.restore([acme])
    stamp = customers.get(acme).updated_at
    assert stamp > opened, (
        "BUG: customers._set_deleted sets updated_at=utcnow(), not _later(updated_at): after "
        f"update+delete+restore in one second the stamp went back from >{opened} to {stamp}, "
        "so a stale edit made at the first version is accepted")
    with pytest.raises(CrmError):
        customers.update(acme, {"city": "广州"}, expected_updated_at=opened)


def test_update_missing_customer(db):
    with pytest.raises(CrmError) as info:
        customers.update(999, {"city": "x"})
    assert info.value.code == "customer_not_found"


# ---------------------------------------------------------------- delete and restore

def test_soft_delete_and_restore(db, acme):
    from crmdesk.core.customers import list as customer_list
    other, _ = customers.create({"name": "b"})
    live, trash = customer_list.ListQuery(), customer_list.ListQuery(deleted=True)
    assert (customer_list.count(live), customer_list.count(trash)) == (2, 0)

    changes = customers.delete([acme])
    assert changes == Changes("customer", DELETED, (acme,))
    assert (customer_list.count(live), customer_list.count(trash)) == (1, 1)
    assert customers.count() == 1 and customers.count(include_deleted=True) == 2
    assert Customer.get_by_id(acme).deleted_at is not None        # the row is still there
    with pytest.raises(CrmError) as info:
        customers.get(acme)
    assert info.value.code == "customer_not_found"
    assert customers.get(acme, include_deleted=True).name == "北京华润"

    assert customers.delete([acme]).ids == ()                     # already deleted
    changes = customers.restore([acme])
    assert changes == Changes("customer", RESTORED, (acme,))
    assert (customer_list.count(live), customer_list.count(trash)) == (2, 0)
    assert customers.get(acme).deleted_at is None
    assert customers.restore([acme]).ids == ()                    # not deleted
    actions = [i.action for i in history.timeline(acme)]
    assert actions[:2] == ["restored", "deleted"]


def test_delete_many(db):
    ids = [customers.create({"name": f"c{i}"})[0] for i in range(5)]
    changes = customers.delete(ids[:3] + [999])
    assert sorted(changes.ids) == ids[:3]
    assert customers.count() == 2


# ---------------------------------------------------------------- contacts

def test_contacts_create_update_delete(db, acme):
    changes = contacts.save_all(acme, [
        ContactData(name="张三", mobile="139 0000 0000", is_decision_maker=True, birthday="4月2日"),
        ContactData(name="李四", email="LI@Example.CN")])
    assert changes.entity == "contact"
    saved = contacts.for_customer(acme)
    assert [c.name for c in saved] == ["张三", "李四"]
    zhang, li = saved
    assert zhang.mobile == "+8613900000000"
    assert (zhang.birthday_year, zhang.birthday_month, zhang.birthday_day) == (None, 4, 2)
    assert li.email == "LI@example.cn"

    data = [contacts.to_data(zhang)]
    data[0].title = "总经理"
    contacts.save_all(acme, data)                                 # update 张三, delete 李四
    remaining = contacts.for_customer(acme)
    assert [(c.id, c.title) for c in remaining] == [(zhang.id, "总经理")]
    assert Contact.get_by_id(li.id).deleted_at is not None
    items = [i for i in history.timeline(acme) if i.entity == "contact"]
    assert ("updated", "title", "", "总经理") in [(i.action, i.field, i.old, i.new) for i in items]
    assert ("deleted", li.id) in [(i.action, i.record_id) for i in items]
    assert sum(i.action == "created" for i in items) == 2


def test_one_bad_contact_saves_none(db, acme):
    contacts.save_all(acme, [ContactData(name="张三")])
    before = snapshot()
    existing = contacts.to_data(contacts.for_customer(acme)[0])
    existing.title = "改了"
    with pytest.raises(ValidationError) as info:
        contacts.save_all(acme, [existing, ContactData(name="王五"),
                                 ContactData(name="赵六", mobile="12"), ContactData(name="")])
    assert info.value.errors["contacts[2].mobile"].code == "phone_too_short"
    assert info.value.errors["contacts[3].name"].code == "required"
    assert snapshot() == before


def test_contact_lunar_birthday(db, acme):
    contacts.save_all(acme, [ContactData(name="张三", birthday="农历腊月廿三")])
    c = contacts.for_customer(acme)[0]
    assert (c.birthday_month, c.birthday_day, c.birthday_calendar) == (12, 23, "lunar")


def test_contacts_of_missing_customer(db):
    with pytest.raises(CrmError) as info:
        contacts.save_all(999, [ContactData(name="x")])
    assert info.value.code == "customer_not_found"
    assert Contact.select().count() == 0


# ---------------------------------------------------------------- transactions

def test_transactions_add_and_totals(db, acme):
    changes = transactions.add(acme, {"date": "2023-04-02", "amount": "1,000", "product": "茶叶"})
    assert changes.entity == "transaction" and changes.kind == CREATED
    transactions.add(acme, {"date": "2023/5/2", "amount": "500", "paid": "200"})
    transactions.add(acme, {"date": "2023年6月1日", "amount": "-100", "notes": "退货"})  # refund
    rows = transactions.for_customer(acme)
    assert [r.date for r in rows] == [dt.date(2023, 6, 1), dt.date(2023, 5, 2), dt.date(2023, 4, 2)]
    refund = rows[0]
    assert refund.amount == Decimal("-100")
    assert refund.paid == Decimal("-100")                          # paid defaults to amount
    assert rows[2].paid == Decimal("1000")
    totals = transactions.totals(acme)
    assert totals.count == 3
    assert totals.amount == Decimal("1400")
    assert totals.paid == Decimal("1100")
    assert totals.outstanding == Decimal("300")
    assert (totals.first, totals.last) == (dt.date(2023, 4, 2), dt.date(2023, 6, 1))
    assert sum(i.entity == "transaction" for i in history.timeline(acme)) == 3


def test_transaction_money_is_exact(db, acme):
    transactions.add(acme, {"date": "2023-04-02", "amount": "0.1"})
    transactions.add(acme, {"date": "2023-04-03", "amount": "0.2"})
    assert transactions.totals(acme).amount == Decimal("0.3")
    assert database.execute_sql("SELECT sum(amount) FROM transactions").fetchone()[0] == 30


def test_transactions_totals_empty(db, acme):
    totals = transactions.totals(acme)
    assert (totals.count, totals.amount, totals.paid, totals.first, totals.last) == \
        (0, Decimal(0), Decimal(0), None, None)


@pytest.mark.parametrize("raw, bad", [
    ({"amount": "100"}, {"date": "required"}),
    ({"date": "2023-04-02"}, {"amount": "required"}),
    ({"date": "04/02/2023", "amount": "1"}, {"date": "date_ambiguous"}),
    ({"date": "2023-04-02", "amount": "abc"}, {"amount": "money_invalid"}),
])
def test_bad_transaction_saves_nothing(db, acme, raw, bad):
    before = snapshot()
    with pytest.raises(ValidationError) as info:
        transactions.add(acme, raw)
    assert {k: e.code for k, e in info.value.errors.items()} == bad
    assert snapshot() == before


def test_transaction_delete_leaves_totals(db, acme):
    transactions.add(acme, {"date": "2023-04-02", "amount": "100"})
    transactions.add(acme, {"date": "2023-04-03", "amount": "50"})
    first = transactions.for_customer(acme)[-1]
    transactions.delete(first.id)
    assert transactions.totals(acme).amount == Decimal("50")
    assert Transaction.select().count() == 2                        # soft


def test_transaction_for_deleted_customer_is_refused(db, acme):
    customers.delete([acme])
    with pytest.raises(CrmError) as info:
        transactions.add(acme, {"date": "2023-04-02", "amount": "1"})
    assert info.value.code == "customer_not_found"
    assert Transaction.select().count() == 0


def test_the_import_memo_gives_what_normalising_each_value_gives():
    from crmdesk.core.errors import FieldError
    from crmdesk.core.io import normalize
    memo = customers.NormalizeMemo()
    samples = [("tier", "大客户"), ("tier", "Key account"), ("tier", "nonsense"), ("need_score", 1),
               ("need_score", 1.0), ("need_score", True), ("need_score", 9), ("city", " 上海 "),
               ("tags", "华东, 老客户"), ("mobile", 13812345678.0), ("name", None), ("birthday", "4月2日")]
    for _ in range(3):  # the first time computed, then remembered
        for key, raw in samples:
            try:
                expected = ("ok", normalize.value(key, raw))
            except FieldError as error:
                expected = ("error", error.code, error.key)
            try:
                got = ("ok", memo.value(key, raw, "ymd"))
            except FieldError as error:
                got = ("error", error.code, error.key)
            assert got == expected, (key, raw)


def test_the_memo_stops_growing_for_a_column_of_unique_values(monkeypatch):
    monkeypatch.setattr(customers.NormalizeMemo, "PER_FIELD", 10)
    memo = customers.NormalizeMemo()
    for n in range(100):
        assert memo.value("mobile", f"1380000{n:04d}", "ymd").number == f"+861380000{n:04d}"
    assert len(memo._memo["mobile"]) == 10
