"""The migrations build the schema the models describe (DESIGN §4): same tables, columns,
types, NOT NULL, primary keys, foreign keys and every index the models declare."""
from __future__ import annotations

import pytest
from peewee import SqliteDatabase

from crmdesk.core.models import MODELS


@pytest.fixture
def from_models(tmp_path):
    database = SqliteDatabase(str(tmp_path / "models.sqlite"), pragmas={"foreign_keys": 1})
    with database.bind_ctx(MODELS):
        database.create_tables(MODELS)
    yield database
    database.close()


def columns(database, table: str) -> list[tuple]:
    # cid, name, type, notnull, dflt_value, pk
    return [(name, type_.upper(), notnull, pk) for _cid, name, type_, notnull, _dflt, pk
            in database.execute_sql(f'PRAGMA table_info("{table}")').fetchall()]


def defaults(database, table: str) -> dict[str, object]:
    return {row[1]: row[4] for row in database.execute_sql(f'PRAGMA table_info("{table}")')}


def indexes(database, table: str) -> dict[tuple, tuple]:
    """{(columns...): (name, unique, partial)} for the table's explicit indexes."""
    result = {}
    for _seq, name, unique, origin, partial in database.execute_sql(
            f'PRAGMA index_list("{table}")').fetchall():
        if origin == "pk":
            continue
        cols = tuple(r[2] for r in database.execute_sql(f'PRAGMA index_info("{name}")'))
        result.setdefault((cols, unique, partial), name)
    return result


def foreign_keys(database, table: str) -> set[tuple]:
    return {(row[2], row[3], row[4], row[6]) for row in
            database.execute_sql(f'PRAGMA foreign_key_list("{table}")')}


TABLES = [model._meta.table_name for model in MODELS]


def test_every_model_has_a_table(db):
    migrated = {r[0] for r in db.execute_sql("SELECT name FROM sqlite_master WHERE type='table'")}
    assert set(TABLES) <= migrated
    extra = {t for t in migrated - set(TABLES)
             if not t.startswith("sqlite_") and not t.startswith(("customer_fts", "customer_words"))}
    assert extra == set(), f"tables no model describes: {extra}"


@pytest.mark.parametrize("table", TABLES)
def test_columns_match(db, from_models, table):
    assert columns(db, table) == columns(from_models, table)


@pytest.mark.parametrize("table", TABLES)
def test_column_defaults_match(db, from_models, table):
    assert defaults(db, table) == defaults(from_models, table)


@pytest.mark.parametrize("table", TABLES)
def test_foreign_keys_match(db, from_models, table):
    assert foreign_keys(db, table) == foreign_keys(from_models, table)


@pytest.mark.parametrize("table", TABLES)
def test_every_model_index_exists(db, from_models, table):
    wanted = indexes(from_models, table)
    have = indexes(db, table)
    missing = {key: name for key, name in wanted.items() if key not in have}
    assert missing == {}, f"{table}: indexes the models declare but migrations don't build"
    for key, name in wanted.items():
        assert have[key] == name, f"{table}: index on {key[0]} is named {have[key]}, models say {name}"


def test_model_indexes_cover_declared_uniques(from_models):
    """The comparison above is not vacuous: the models do declare indexes."""
    total = sum(len(indexes(from_models, t)) for t in TABLES)
    assert total >= 10
    assert ((("uuid",), 1, 0)) in indexes(from_models, "customer")
    assert ((("code",), 1, 0)) in indexes(from_models, "customer")


def test_search_index_and_triggers_exist(db):
    names = {r[0] for r in db.execute_sql("SELECT name FROM sqlite_master WHERE type='trigger'")}
    assert {"customer_fts_insert", "customer_fts_delete", "customer_fts_update"} <= names
    db.execute_sql("INSERT INTO customer_fts(customer_fts) VALUES ('integrity-check')")


def test_models_work_on_the_migrated_schema(db):
    from crmdesk.core.models import (Batch, CareEvent, ChangeLog, Complaint, ComplaintContact, Contact, Customer,
                                     CustomerTag, Opportunity, PointsEntry, Product, Sale, Setting, StageChange,
                                     Transaction, Visit, VisitSeries)
    import datetime as dt
    batch = Batch.create(kind="test")
    customer = Customer.create(code="X1", name="n")
    CustomerTag.create(customer=customer, tag="t")
    Contact.create(customer=customer, name="c")
    Transaction.create(customer=customer, date=dt.date(2023, 4, 2), amount=1, batch=batch)
    ChangeLog.create(entity="customer", record_id=customer.id, record_uuid=customer.uuid,
                     action="created", batch=batch)
    Setting.create(key="k", value="1")
    series = VisitSeries.create(customer=customer, interval=1, unit="week", first_date=dt.date(2026, 11, 23),
                                start_time="09:00", minutes=60)
    Visit.create(customer=customer, series=series, starts_at=dt.datetime(2026, 11, 23, 9),
                 ends_at=dt.datetime(2026, 11, 23, 10))
    Customer.update(last_visit_at=dt.datetime(2026, 11, 23, 9), visit_every_days=7, satisfaction=4.5).execute()
    complaint = Complaint.create(number="CMP-20261123-001", customer=customer, received_at=dt.datetime(2026, 11, 23, 9),
                                 category="delivery", compensation_amount="12.50", accepted=True)
    ComplaintContact.create(complaint=complaint, at=dt.datetime(2026, 11, 23, 10), note="called back")
    care = CareEvent.create(customer=customer, kind="complaint_follow_up", due_on=dt.date(2026, 11, 30),
                            complaint=complaint, rule=f"complaint:{complaint.id}", occasion="spring",
                            facts='{"days": 3}')
    PointsEntry.create(customer=customer, on=dt.date(2026, 11, 30), points=-5, kind="redeemed", care_event=care,
                       transaction=Transaction.get())
    product = Product.create(name="阀门", code="V-50", list_price="12.50")
    opportunity = Opportunity.create(customer=customer, title="管道改造", stage="lead", amount="100000")
    StageChange.create(opportunity=opportunity, stage="lead", entered_at=dt.datetime(2026, 11, 23, 9))
    sale = Sale.create(customer=customer, date=dt.date(2026, 11, 23), opportunity=opportunity,
                       visit=Visit.get(), paid="10", due_on=dt.date(2026, 12, 23))
    Transaction.update(sale=sale, product_ref=product, unit_price="12.50", discount=20.0, line_no=1).execute()
    Visit.update(opportunity=opportunity).execute()
    assert Transaction.get().sale.opportunity.visits.get().id == Visit.get().id
    from crmdesk.core.models import SyncConflict, SyncField, SyncOutbox, SyncState
    SyncState.create(key="site", value="9f2c4a1e0b3d5c7a")
    SyncOutbox.create(hlc="0001764842400000-0000-9f2c4a1e0b3d5c7a", entity="customer", uuid=customer.uuid,
                      field="name", value='"n"', seen="", actor="李娜")
    SyncField.create(uuid=customer.uuid, field="name", hlc="0001764842400000-0000-9f2c4a1e0b3d5c7a")
    SyncConflict.create(id="1", kind="concurrent", entity="customer", uuid=customer.uuid, field="name",
                        mine='"a"', theirs='"b"')
    from crmdesk.core.models import SyncParked, SyncSetting
    SyncParked.create(uuid=Visit.get().uuid, field="next_visit_id", entity="visit", value='"u"',
                      hlc="0001764842400000-0000-9f2c4a1e0b3d5c7a", actor="李娜", waits_in="visit", waits_for="u")
    SyncSetting.create(key="sales.stages", hlc="0001764842400000-0000-9f2c4a1e0b3d5c7a")
    Customer.update(team="华东", country="Germany").execute()
    from crmdesk.core.models import CustomerMerge, DuplicateDismissed
    DuplicateDismissed.create(first_uuid=customer.uuid, second_uuid="b", actor="李娜")
    CustomerMerge.create(batch=batch, kept_id=customer.id, other_id=2, moved='{"visit": [1]}')
    from crmdesk.core.models import CustomValue
    CustomValue.create(customer=customer, field="宗教信仰", value=12.5)
    assert CustomValue.get().value == 12.5  # no affinity: a number stays a number
    for model in MODELS:
        assert model.select().count() == 1, model


def test_schema_is_the_same_on_every_new_database(db, tmp_path):
    from crmdesk.core.db import close_database, open_database
    first = sorted(r for r in db.execute_sql("SELECT type, name, tbl_name, sql FROM sqlite_master"))
    close_database()
    other = open_database(tmp_path / "second.sqlite")
    second = sorted(r for r in other.execute_sql("SELECT type, name, tbl_name, sql FROM sqlite_master"))
    assert first == second


def test_upgrading_a_version_1_database_indexes_existing_names(tmp_path, data_dir):
    """0002 adds the word index: customers saved under schema 1 are found by one
    character afterwards, and the file is backed up before it is migrated."""
    import importlib
    import sqlite3
    from crmdesk.core import migrations
    from crmdesk.core.db import close_database, open_database
    from crmdesk.core.safety import generations
    from crmdesk.core.customers.list import ListQuery, ids
    path = tmp_path / "v1.sqlite"
    first = importlib.import_module("crmdesk.core.migrations.0001_initial")
    with sqlite3.connect(path) as conn:
        class Db:  # what up() needs of a database
            execute_sql = staticmethod(conn.execute)
        first.up(Db)
        conn.execute(f"PRAGMA application_id = {migrations.APPLICATION_ID}")
        conn.execute("PRAGMA user_version = 1")
        conn.execute("INSERT INTO customer (uuid, created_at, updated_at, code, name, kind, contact_person, title,"
                     " mobile, phone, fax, email, wechat, province, city, district, address, postal_code, website,"
                     " industry, ownership, company_size, owner, birthday_calendar, hometown, education, hobbies,"
                     " preferences, delivery_preference, payment_terms, bank_name, bank_account, tax_id, tags,"
                     " notes, sort_name, name_initials, search_text) VALUES ('u1', '2024-01-01 00:00:00',"
                     " '2024-01-01 00:00:00', 'C000001', '侯氏茶庄', 'company', '', '', '', '', '', '', '', '', '',"
                     " '', '', '', '', '', '', '', '', 'solar', '', '', '', '', '', '', '', '', '', '', '',"
                     " 'houshichazhuang', 'hscz', '侯氏茶庄 houshichazhuang hscz c000001')")
    open_database(path)
    try:
        assert list(ids(ListQuery(search="茶"))) == [1]
        assert list(ids(ListQuery(search="侯氏"))) == [1]
        assert len(generations.list_automatic(path)) == 1
    finally:
        close_database()


def test_upgrading_to_sales_makes_each_existing_line_a_sale(tmp_path, data_dir, monkeypatch):
    """0012: every line that existed becomes a sale of its own (same id, owner of the
    customer, paid on its date); a negative line becomes a refund; a deleted line a deleted
    sale."""
    from crmdesk.core import migrations
    from crmdesk.core.db import close_database, open_database
    from crmdesk.core.models import Sale, Transaction
    path = tmp_path / "old.sqlite"
    everything = migrations.available()
    monkeypatch.setattr(migrations, "available", lambda: [m for m in everything if m[0] < 12])
    old = open_database(path)
    old.execute_sql("INSERT INTO customer (uuid, created_at, updated_at, code, name, kind, contact_person, title,"
                    " mobile, phone, fax, email, wechat, province, city, district, address, postal_code, website,"
                    " industry, ownership, company_size, owner, birthday_calendar, hometown, education, hobbies,"
                    " preferences, delivery_preference, payment_terms, bank_name, bank_account, tax_id, tags, notes,"
                    " sort_name, name_initials, search_text) VALUES ('u1', '2024-01-01', '2024-01-01', 'C1', '华润',"
                    " 'company', '', '', '', '', '', '', '', '', '', '', '', '', '', '', '', '', '王芳', 'solar', '',"
                    " '', '', '', '', '', '', '', '', '', '', 'huarun', 'hr', '')")
    for id_, date, cents, paid, deleted in [(7, "2024-03-01", 12800, 5000, None), (9, "2024-04-01", -1000, None, None),
                                            (12, "2024-05-01", 300, None, "2024-06-01")]:
        old.execute_sql("INSERT INTO transactions (id, uuid, created_at, updated_at, deleted_at, customer_id, date,"
                        " product, category, amount, paid, notes) VALUES (?, ?, '2024-01-01', '2024-01-01', ?, 1,"
                        " ?, 'valve', '', ?, ?, 'n')", (id_, f"t{id_}", deleted, date, cents, paid))
    close_database()
    monkeypatch.setattr(migrations, "available", lambda: everything)
    open_database(path)
    try:
        sales = {s.id: s for s in Sale.select()}
        assert sorted(sales) == [7, 9, 12]
        assert [t.sale_id for t in Transaction.select().order_by(Transaction.id)] == [7, 9, 12]
        assert (sales[7].kind, sales[7].owner, str(sales[7].paid), str(sales[7].paid_on)) == \
            ("sale", "王芳", "50", "2024-03-01")
        assert sales[9].kind == "refund" and sales[9].paid is None and sales[9].paid_on is None
        assert sales[12].deleted_at is not None and sales[7].deleted_at is None
        assert len({s.uuid for s in sales.values()}) == 3 and all(len(s.uuid) == 36 for s in sales.values())
    finally:
        close_database()
