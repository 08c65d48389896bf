"""Care: the greeting's occasion and the figures behind a warning on each care event, the
points ledger, and ``care_event_open``, a partial index over the events not yet done or
skipped by the day they fall due, which the today, week and overdue lists and the
reminders read however many events are done. Two partial indexes on the live
transactions let the care rules read first and last purchases per customer, and the
purchases of a few days, without the wide rows."""

CARE_COLUMNS = [
    'ALTER TABLE "care_event" ADD COLUMN "occasion" VARCHAR(50) NOT NULL DEFAULT \'\'',
    'ALTER TABLE "care_event" ADD COLUMN "facts" TEXT NOT NULL DEFAULT \'\'',
]

TABLES = [
    'CREATE INDEX "transactions_live" ON "transactions" ("customer_id", "date", "amount", "deleted_at") WHERE ("deleted_at" IS NULL)',
    'CREATE INDEX "transactions_live_date" ON "transactions" ("date", "customer_id", "amount", "deleted_at") WHERE ("deleted_at" IS NULL)',
    'CREATE INDEX "care_event_open" ON "care_event" ("due_on", "snoozed_until", "state", "kind", "customer_id", "contact_id", "deleted_at") WHERE (("state" IN (\'due\', \'snoozed\')) AND ("deleted_at" IS NULL))',
    'CREATE TABLE "points_entry" ("id" INTEGER NOT NULL PRIMARY KEY, "uuid" VARCHAR(36) NOT NULL, "created_at" DATETIME NOT NULL, "updated_at" DATETIME NOT NULL, "deleted_at" DATETIME, "customer_id" INTEGER NOT NULL, "on" DATE NOT NULL, "points" INTEGER NOT NULL, "kind" VARCHAR(10) NOT NULL, "note" TEXT NOT NULL, "transaction_id" INTEGER, "care_event_id" INTEGER, FOREIGN KEY ("customer_id") REFERENCES "customer" ("id") ON DELETE CASCADE, FOREIGN KEY ("transaction_id") REFERENCES "transactions" ("id") ON DELETE SET NULL, FOREIGN KEY ("care_event_id") REFERENCES "care_event" ("id") ON DELETE SET NULL)',
    'CREATE UNIQUE INDEX "points_entry_uuid" ON "points_entry" ("uuid")',
    'CREATE INDEX "points_entry_customer_id" ON "points_entry" ("customer_id")',
    'CREATE UNIQUE INDEX "points_entry_transaction_id" ON "points_entry" ("transaction_id")',
    'CREATE INDEX "points_entry_care_event_id" ON "points_entry" ("care_event_id")',
    'CREATE INDEX "points_entry_customer_id_on" ON "points_entry" ("customer_id", "on")',
]


def up(db) -> None:
    for statement in CARE_COLUMNS + TABLES:
        db.execute_sql(statement)
