"""Duplicate customers (issue 21, ``crmdesk.core.dedupe``): the pairs someone said are not
one customer, and each merge's record of the rows it moved, which its undo reads."""

STATEMENTS = [
    'CREATE TABLE "duplicate_dismissed" ("first_uuid" VARCHAR(36) NOT NULL, "second_uuid" VARCHAR(36) NOT NULL, '
    '"at" DATETIME NOT NULL, "actor" VARCHAR(100) NOT NULL)',
    'CREATE UNIQUE INDEX "duplicatedismissed_first_uuid_second_uuid" ON "duplicate_dismissed" '
    '("first_uuid", "second_uuid")',
    'CREATE TABLE "customer_merge" ("id" INTEGER NOT NULL PRIMARY KEY, "batch_id" INTEGER NOT NULL, '
    '"kept_id" INTEGER NOT NULL, "other_id" INTEGER NOT NULL, "moved" TEXT NOT NULL, "kept_columns" TEXT NOT NULL, '
    '"added_tags" TEXT NOT NULL, "at" DATETIME NOT NULL, '
    'FOREIGN KEY ("batch_id") REFERENCES "batch" ("id") ON DELETE CASCADE)',
    'CREATE INDEX "customermerge_batch_id" ON "customer_merge" ("batch_id")',
]


def up(db) -> None:
    for statement in STATEMENTS:
        db.execute_sql(statement)
