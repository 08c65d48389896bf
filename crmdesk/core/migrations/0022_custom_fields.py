"""Custom fields (issue 21, ``crmdesk.core.custom_fields``): each customer's value of each
field a user added, typed as stored (no column affinity), indexed for the list's sorting
and filtering by field and value."""

STATEMENTS = [
    'CREATE TABLE "customer_field_value" ("id" INTEGER NOT NULL PRIMARY KEY, "uuid" VARCHAR(36) NOT NULL, '
    '"created_at" DATETIME NOT NULL, "updated_at" DATETIME NOT NULL, "deleted_at" DATETIME, '
    '"customer_id" INTEGER NOT NULL, "field" VARCHAR(100) NOT NULL, "value", '
    'FOREIGN KEY ("customer_id") REFERENCES "customer" ("id") ON DELETE CASCADE)',
    'CREATE UNIQUE INDEX "customer_field_value_uuid" ON "customer_field_value" ("uuid")',
    'CREATE UNIQUE INDEX "customer_field_value_customer_id_field" ON "customer_field_value" ("customer_id", "field")',
    # covering, live values only: a filter's matches come from the index alone
    'CREATE INDEX "customer_field_value_field_value" ON "customer_field_value" ("field", "value", "customer_id") '
    'WHERE "deleted_at" IS NULL',
]


def up(db) -> None:
    for statement in STATEMENTS:
        db.execute_sql(statement)
