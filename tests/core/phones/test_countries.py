"""A customer's country (issue 21): its name in English, Chinese or its own language gives the
region its phones are dialled in; the change capture of a team laptop follows the new column."""
from __future__ import annotations

import pytest

from crmdesk.core import clock
from crmdesk.core.migrations import after_migrations
from crmdesk.core.models import Customer, database
from crmdesk.core.phones.countries import region_of
from crmdesk.core.customers import archive as customers


@pytest.mark.parametrize("text, region", [
    ("Germany", "DE"), ("德国", "DE"), ("Deutschland", "DE"), ("Mexico", "MX"), ("México", "MX"),
    ("USA", "US"), ("United States", "US"), ("UK", "GB"), ("England", "GB"), ("中国", "CN"), ("China", "CN"),
    ("香港", "HK"), ("  france ", "FR"), ("MX", "MX"), ("Venezuela", "VE"),
])
def test_country_names_to_regions(text, region):
    assert region_of(text) == region


@pytest.mark.parametrize("text", ["", "   ", None, "Atlantis", "北京"])
def test_no_country_or_an_unknown_one(text):
    assert region_of(text) is None


def test_phones_are_read_as_dialled_in_the_customers_country(db):
    berlin = customers.create({"name": "Alfreds Futterkiste", "country": "Germany", "phone": "030-0074321"})[0]
    assert Customer.get_by_id(berlin).phone == "+49300074321"
    mexico = customers.create({"name": "Ana Trujillo", "country": "Mexico", "phone": "(5) 555-4729"})[0]
    assert Customer.get_by_id(mexico).phone == "55554729"  # not a valid number there either: kept as typed
    # without a country, the same 7 digits are a Chinese landline missing its area code
    clean, errors = customers.validate({"name": "某公司", "phone": "(5) 555-4729"})
    assert errors["phone"].code == "phone_no_area_code"


def test_a_joined_laptops_capture_follows_a_new_column(db):
    from crmdesk.core.sync import capture
    capture.install()
    database.execute_sql('DROP TRIGGER "sync_customer_update"')  # as an older version left it
    database.execute_sql('CREATE TRIGGER "sync_customer_update" AFTER UPDATE ON customer BEGIN SELECT 1; END')
    after_migrations(database)
    sql = database.execute_sql("SELECT sql FROM sqlite_master WHERE name = 'sync_customer_update'").fetchone()[0]
    assert "country" in sql
    cid = customers.create({"name": "Alfreds Futterkiste"})[0]
    clock.clock, clock.capturing = clock.Clock("9f2c4a1e0b3d5c7a"), True
    try:
        customers.update(cid, {"country": "Germany"})
    finally:
        clock.reset()
    fields = [r[0] for r in database.execute_sql("SELECT field FROM sync_outbox")]
    assert "country" in fields


def test_a_database_that_never_joined_gets_no_triggers(db):
    after_migrations(database)
    assert database.execute_sql("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' "
                                "AND name LIKE 'sync%'").fetchone()[0] == 0
