"""What a laptop keeps to sync with its team (spec team-sync; ``crmdesk.core.sync``): its
state (site, server, login, cursor), the outbox of captured edits waiting to go out, the
time of each field's value as last known here, and the conflicts people must look at."""
from __future__ import annotations

from peewee import SQL, AutoField, CharField, CompositeKey, IntegerField, Model, TextField

from crmdesk.core.models.base import database


class SyncState(Model):
    """key -> value: site, url, login, role, teams, cursor, epoch, hlc, numbers."""
    key = CharField(max_length=40, primary_key=True)
    value = TextField(default="")

    class Meta:
        database = database
        table_name = "sync_state"


class SyncOutbox(Model):
    """One captured field edit: the triggers of ``sync.capture`` add it in the edit's own
    transaction; a push deletes it only after the server's COMMIT."""
    id = AutoField()
    hlc = CharField(max_length=60)
    entity = CharField(max_length=30)
    uuid = CharField(max_length=36)
    field = CharField(max_length=50)
    value = TextField(null=True)  # the JSON text of the value (a foreign key as the record's uuid)
    parent = CharField(max_length=36, null=True)  # the customer's uuid: the record's team follows it
    seen = CharField(max_length=60, default="")  # the pull cursor when the edit was made
    actor = CharField(max_length=100, default="")

    class Meta:
        database = database
        table_name = "sync_outbox"
        indexes = ((("uuid", "field"), False),)  # what waits for a record: merges and the status bar


class SyncField(Model):
    """The time of a field's value as this laptop last made or received it."""
    uuid = CharField(max_length=36)
    field = CharField(max_length=50)
    hlc = CharField(max_length=60)

    class Meta:
        database = database
        table_name = "sync_field"
        primary_key = CompositeKey("uuid", "field")
        without_rowid = True


class SyncConflict(Model):
    """Two edits of one field made without seeing each other (or an edit of a deleted
    record, a renumbered code, an edit the server refused): the winner stands, the other
    value is kept here until someone keeps one of them."""
    id = CharField(max_length=40, primary_key=True)  # the server's conflict id, or "local-..."
    kind = CharField(max_length=20)  # concurrent, edited_deleted, renumbered, refused
    entity = CharField(max_length=30)
    uuid = CharField(max_length=36)
    field = CharField(max_length=50)
    mine = TextField(null=True)  # JSON text: the value that lost
    theirs = TextField(null=True)  # JSON text: the value that stands
    mine_actor = CharField(max_length=100, default="")
    theirs_actor = CharField(max_length=100, default="")
    mine_at = CharField(max_length=60, default="")
    theirs_at = CharField(max_length=60, default="")
    resolved = IntegerField(default=0)

    class Meta:
        database = database
        table_name = "sync_conflict"


class SyncParked(Model):
    """A received field naming a record this laptop does not hold yet, waiting for it
    (``crmdesk.core.sync.parked``)."""
    uuid = CharField(max_length=36)
    field = CharField(max_length=50)
    entity = CharField(max_length=30)
    value = TextField(null=True)
    hlc = CharField(max_length=60)
    actor = CharField(max_length=100)
    waits_in = CharField(max_length=30)  # the table of the record it names
    waits_for = CharField(max_length=36)  # that record's uuid

    class Meta:
        database = database
        table_name = "sync_parked"
        primary_key = CompositeKey("uuid", "field")
        without_rowid = True
        indexes = ((("waits_in", "waits_for"), False),)


class SyncSetting(Model):
    """A setting the team shares: the time of its value here, and whether this laptop
    changed it since it last reached the hub (``crmdesk.core.sync.team_settings``)."""
    key = CharField(max_length=100, primary_key=True)
    hlc = CharField(max_length=60)
    pending = IntegerField(default=0, constraints=[SQL("DEFAULT 0")])

    class Meta:
        database = database
        table_name = "sync_setting"


SYNC_MODELS = (SyncState, SyncOutbox, SyncField, SyncConflict, SyncParked, SyncSetting)
