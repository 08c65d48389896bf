"""The database's own records: a batch (a group of changes made together), the change log
and the business settings."""
from __future__ import annotations

from peewee import AutoField, CharField, DateTimeField, ForeignKeyField, IntegerField, Model, TextField

from crmdesk.core.models.base import BaseModel, database, utcnow


class Batch(BaseModel):
    """A group of changes made together: an import, a merge, a bulk edit, demo data."""
    kind = CharField(max_length=20)
    description = TextField(default="")
    actor = CharField(max_length=100, default="")
    undone_at = DateTimeField(null=True)


class ChangeLog(Model):
    """Who changed which field of which record, from what to what, when, in which batch."""
    id = AutoField()
    at = DateTimeField(default=utcnow)
    actor = CharField(max_length=100, default="")
    entity = CharField(max_length=30)
    record_id = IntegerField()
    record_uuid = CharField(max_length=36)
    customer_id = IntegerField(null=True)  # the customer whose timeline shows this change
    action = CharField(max_length=20)  # created, updated, deleted, restored
    field = CharField(max_length=50, default="")
    old = TextField(null=True)
    new = TextField(null=True)
    batch = ForeignKeyField(Batch, null=True, on_delete="SET NULL")

    class Meta:
        database = database
        legacy_table_names = False
        indexes = ((("customer_id", "at"), False), (("entity", "record_id"), False))


class Setting(Model):
    """Business settings (visit frequencies, deadlines, rules) as JSON values."""
    key = CharField(max_length=100, primary_key=True)
    value = TextField()

    class Meta:
        database = database
        legacy_table_names = False
