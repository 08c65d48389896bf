"""What a laptop keeps to sync with its team (spec team-sync; ``crmdesk.core.sync``): its
state (site, server, login, cursor), the outbox of captured edits waiting to go out, the
time of each field's value as last known here, and the conflicts people must look at."""
from __future__ import annotations

from peewee import AutoField, CharField, CompositeKey, IntegerField, Model, TextField

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


SYNC_MODELS = (SyncState, SyncOutbox, SyncField, SyncConflict)
