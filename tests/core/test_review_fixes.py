"""Cases found in review: restore under an open app, backups onto themselves, stale
contact lists, amounts too large to store, a database another program keeps locked."""
from __future__ import annotations

import contextlib
import sqlite3
from decimal import Decimal

import pytest

from crmdesk.core.db import close_database, open_database
from crmdesk.core.errors import CrmError, FieldError, ValidationError
from crmdesk.core.io import normalize
from crmdesk.core.models import Contact, database
from crmdesk.core.safety import backup, restoring
from crmdesk.core.customers import contacts, archive as customers, profile


def test_restore_reaches_a_connection_that_has_the_database_open(db, db_path, tmp_path):
    customers.create({"name": "备份里的"})
    saved = backup.backup(db_path, tmp_path / "b.sqlite")
    customers.create({"name": "之后的"})
    with contextlib.closing(sqlite3.connect(db_path)) as app:  # another app, still open
        assert app.execute("select count(*) from customer").fetchone()[0] == 2
        restoring.restore(saved, db_path)
        assert [r[0] for r in app.execute("select name from customer")] == ["备份里的"]
        app.execute("insert into setting values ('k', '1')")  # it writes on into the real file
        app.commit()
    assert [c.name for c in customers.Customer.select()] == ["备份里的"]
    assert database.execute_sql("select value from setting").fetchone() == ("1",)
    assert database.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_a_backup_is_never_written_over_the_database(db, db_path):
    with pytest.raises(CrmError) as error:
        backup.backup(db_path, db_path)
    assert error.value.code == "backup_onto_itself"


def test_backup_into_a_folder_path_is_a_sentence(db, db_path, tmp_path):
    folder = tmp_path / "somedir"
    folder.mkdir()
    with pytest.raises(CrmError) as error:
        backup.backup(db_path, folder)
    assert error.value.code in ("file_unwritable", "backup_failed")


def test_a_stale_form_cannot_drop_contacts_saved_meanwhile(db):
    customer_id, _ = customers.create({"name": "联系人之争"})
    opened = customers.get(customer_id).updated_at  # both forms open now
    profile.save(customer_id, {"name": "联系人之争"}, [contacts.ContactData(name="张三")], opened)
    with pytest.raises(CrmError) as error:
        profile.save(customer_id, {"name": "联系人之争"}, [], opened)
    assert error.value.code == "record_changed_elsewhere"
    assert [c.name for c in Contact.select().where(Contact.deleted_at.is_null())] == ["张三"]


@pytest.mark.parametrize("text, code", [
    ("100000000000000000", "money_too_large"),
    ("1e30", "money_too_large"),
    ("99999999999999999999999999999", "money_too_large"),
    ("1e999999999", "money_invalid"),
])
def test_amounts_too_large_to_store_are_refused(text, code):
    with pytest.raises(FieldError) as error:
        normalize.value("annual_revenue", text)
    assert error.value.code in (code, "money_invalid", "money_too_large")


def test_huge_exponent_in_a_score_is_refused_at_once():
    with pytest.raises(FieldError) as error:
        normalize.value("need_score", "1e999999999")
    assert error.value.code == "score_out_of_range"


def test_a_database_kept_locked_is_a_sentence_and_nothing_changes(db, db_path):
    database.execute_sql("PRAGMA busy_timeout = 50")
    with contextlib.closing(sqlite3.connect(db_path, timeout=0)) as other:
        other.execute("BEGIN IMMEDIATE")
        with pytest.raises(CrmError) as error:
            customers.create({"name": "锁住了"})
        assert error.value.code == "db_busy"
        other.rollback()
    assert customers.count() == 0


def test_opening_needs_no_write_lock_when_nothing_is_pending(db, db_path):
    close_database()
    with contextlib.closing(sqlite3.connect(db_path, timeout=0)) as other:
        other.execute("BEGIN IMMEDIATE")
        other.execute("insert into setting values ('busy', '1')")
        open_database(db_path)  # a backup or an export must work while the app writes
        assert customers.count() == 0
        other.rollback()


def test_contact_title_too_long_is_reported_not_cut():
    with pytest.raises(ValidationError) as error:
        contacts.validate(contacts.ContactData(name="李四", title="长" * 101))
    assert error.value.errors["title"].code == "too_long"


def test_money_within_range_is_kept():
    assert normalize.value("annual_revenue", "9,000,000,000") == Decimal("9000000000.00")
