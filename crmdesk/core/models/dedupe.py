"""What the duplicates tool keeps (issue 21, ``crmdesk.core.dedupe``): the pairs someone said
are not duplicates, and each merge's record of what moved, for its undo."""
from __future__ import annotations

from peewee import AutoField, CharField, DateTimeField, ForeignKeyField, IntegerField, Model, TextField

from crmdesk.core.models.base import database, utcnow
from crmdesk.core.models.journal import Batch


class DuplicateDismissed(Model):
    """Two customers (by uuid, in sorted order) that are not one: never listed as a pair again."""
    first_uuid = CharField(max_length=36)
    second_uuid = CharField(max_length=36)
    at = DateTimeField(default=utcnow)
    actor = CharField(max_length=100, default="")

    class Meta:
        database = database
        table_name = "duplicate_dismissed"
        primary_key = False
        indexes = ((("first_uuid", "second_uuid"), True),)


class CustomerMerge(Model):
    """One customer merged into another in a merge batch: the rows moved ({table: [ids]}),
    and the kept customer's columns it changed ({column: [before, after]})."""
    id = AutoField()
    batch = ForeignKeyField(Batch, on_delete="CASCADE")
    kept_id = IntegerField()
    other_id = IntegerField()
    moved = TextField(default="{}")
    kept_columns = TextField(default="{}")
    added_tags = TextField(default="[]")
    at = DateTimeField(default=utcnow)

    class Meta:
        database = database
        table_name = "customer_merge"
        indexes = ((("batch",), False),)
