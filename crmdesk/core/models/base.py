"""The kernel of the models: the database handle, the base every record shares (an integer
id, a uuid that never changes, created/updated/deleted timestamps in UTC, soft deletion;
DESIGN §4) and exact money."""
from __future__ import annotations

import datetime as dt
import uuid
from decimal import ROUND_HALF_UP, Decimal

from peewee import AutoField, CharField, DateTimeField, IntegerField, Model, SqliteDatabase

# Bound to a file by ``crmdesk.core.db.open_database``. BEGIN IMMEDIATE for every write
# transaction: a deferred one that upgrades to a write lock fails with "database is locked"
# when the app and the command line write at the same time.
database = SqliteDatabase(None, lock_type="IMMEDIATE")


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None, microsecond=0)


def new_uuid() -> str:
    return str(uuid.uuid4())


class MoneyField(IntegerField):
    """Money kept exactly as integer cents; Python sees ``Decimal``."""

    def db_value(self, value):
        if value is None:
            return None
        return int((Decimal(value) * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))

    def python_value(self, value):
        return None if value is None else Decimal(value) / 100


class BaseModel(Model):
    id = AutoField()
    uuid = CharField(max_length=36, unique=True, default=new_uuid)
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow)
    deleted_at = DateTimeField(null=True)

    class Meta:
        database = database
        legacy_table_names = False
