"""Team use (spec team-sync): the customer's team, and what a laptop keeps to sync: its
state, the outbox the capture triggers fill, each field's time as last known here, and the
conflicts people must look at. The capture triggers themselves are created only when the
database joins a team (``crmdesk.core.sync.capture``): a laptop used alone pays nothing."""

STATEMENTS = [
    'ALTER TABLE "customer" ADD COLUMN "team" VARCHAR(100) NOT NULL DEFAULT \'\'',
    'CREATE TABLE "sync_state" ("key" VARCHAR(40) NOT NULL PRIMARY KEY, "value" TEXT NOT NULL)',
    'CREATE TABLE "sync_outbox" ("id" INTEGER NOT NULL PRIMARY KEY, "hlc" VARCHAR(60) NOT NULL, '
    '"entity" VARCHAR(30) NOT NULL, "uuid" VARCHAR(36) NOT NULL, "field" VARCHAR(50) NOT NULL, "value" TEXT, '
    '"parent" VARCHAR(36), "seen" VARCHAR(60) NOT NULL, "actor" VARCHAR(100) NOT NULL)',
    'CREATE INDEX "syncoutbox_uuid_field" ON "sync_outbox" ("uuid", "field")',
    'CREATE TABLE "sync_field" ("uuid" VARCHAR(36) NOT NULL, "field" VARCHAR(50) NOT NULL, '
    '"hlc" VARCHAR(60) NOT NULL, PRIMARY KEY ("uuid", "field")) WITHOUT ROWID',
    'CREATE TABLE "sync_conflict" ("id" VARCHAR(40) NOT NULL PRIMARY KEY, "kind" VARCHAR(20) NOT NULL, '
    '"entity" VARCHAR(30) NOT NULL, "uuid" VARCHAR(36) NOT NULL, "field" VARCHAR(50) NOT NULL, "mine" TEXT, '
    '"theirs" TEXT, "mine_actor" VARCHAR(100) NOT NULL, "theirs_actor" VARCHAR(100) NOT NULL, '
    '"mine_at" VARCHAR(60) NOT NULL, "theirs_at" VARCHAR(60) NOT NULL, "resolved" INTEGER NOT NULL)',
]


def up(db) -> None:
    for statement in STATEMENTS:
        db.execute_sql(statement)
