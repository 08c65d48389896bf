"""Team changes waiting for a record they name (issue 20): a field naming a record this
laptop does not hold yet (a visit's follow-up further on in a hand-over, a record of a
package imported before the one with its customer) waits here, and is applied when that
record arrives, instead of being lost."""

STATEMENTS = [
    'CREATE TABLE "sync_parked" ("uuid" VARCHAR(36) NOT NULL, "field" VARCHAR(50) NOT NULL, '
    '"entity" VARCHAR(30) NOT NULL, "value" TEXT, "hlc" VARCHAR(60) NOT NULL, "actor" VARCHAR(100) NOT NULL, '
    '"waits_in" VARCHAR(30) NOT NULL, "waits_for" VARCHAR(36) NOT NULL, PRIMARY KEY ("uuid", "field")) WITHOUT ROWID',
    'CREATE INDEX "syncparked_waits_in_waits_for" ON "sync_parked" ("waits_in", "waits_for")',
]


def up(db) -> None:
    for statement in STATEMENTS:
        db.execute_sql(statement)
