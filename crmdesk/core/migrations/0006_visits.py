"""Visit plans: visits, repeating plans, and on the customer a visit frequency of its own
plus the last and next visit (kept by the visit services) for the due list."""

TABLES = [
    'CREATE TABLE "visit_series" ("id" INTEGER NOT NULL PRIMARY KEY, "uuid" VARCHAR(36) NOT NULL, "created_at" DATETIME NOT NULL, "updated_at" DATETIME NOT NULL, "deleted_at" DATETIME, "customer_id" INTEGER NOT NULL, "interval" INTEGER NOT NULL, "unit" VARCHAR(10) NOT NULL, "weekdays" VARCHAR(20) NOT NULL, "first_date" DATE NOT NULL, "until" DATE, "count" INTEGER, "start_time" VARCHAR(5) NOT NULL, "minutes" INTEGER NOT NULL, "generated" INTEGER NOT NULL, "ended_at" DATETIME, FOREIGN KEY ("customer_id") REFERENCES "customer" ("id") ON DELETE CASCADE)',
    'CREATE UNIQUE INDEX "visit_series_uuid" ON "visit_series" ("uuid")',
    'CREATE INDEX "visit_series_customer_id" ON "visit_series" ("customer_id")',
    'CREATE TABLE "visit" ("id" INTEGER NOT NULL PRIMARY KEY, "uuid" VARCHAR(36) NOT NULL, "created_at" DATETIME NOT NULL, "updated_at" DATETIME NOT NULL, "deleted_at" DATETIME, "customer_id" INTEGER NOT NULL, "rep" VARCHAR(100) NOT NULL, "contacts" VARCHAR(500) NOT NULL, "starts_at" DATETIME NOT NULL, "ends_at" DATETIME NOT NULL, "place" VARCHAR(300) NOT NULL, "kind" VARCHAR(20) NOT NULL, "objective" TEXT NOT NULL, "talking_points" TEXT NOT NULL, "materials" TEXT NOT NULL, "expected_result" TEXT NOT NULL, "state" VARCHAR(12) NOT NULL, "reason" TEXT NOT NULL, "outcome" TEXT NOT NULL, "objections" TEXT NOT NULL, "rating" INTEGER, "follow_up" TEXT NOT NULL, "recorded_at" DATETIME, "series_id" INTEGER, "next_visit_id" INTEGER, "version" INTEGER NOT NULL, FOREIGN KEY ("customer_id") REFERENCES "customer" ("id") ON DELETE CASCADE, FOREIGN KEY ("series_id") REFERENCES "visit_series" ("id") ON DELETE SET NULL, FOREIGN KEY ("next_visit_id") REFERENCES "visit" ("id") ON DELETE SET NULL)',
    'CREATE UNIQUE INDEX "visit_uuid" ON "visit" ("uuid")',
    'CREATE INDEX "visit_customer_id" ON "visit" ("customer_id")',
    'CREATE INDEX "visit_series_id" ON "visit" ("series_id")',
    'CREATE INDEX "visit_next_visit_id" ON "visit" ("next_visit_id")',
    'CREATE INDEX "visit_customer_id_starts_at" ON "visit" ("customer_id", "starts_at")',
    'CREATE INDEX "visit_starts_at" ON "visit" ("starts_at")',
    'CREATE INDEX "visit_rep_starts_at" ON "visit" ("rep", "starts_at")',
    'CREATE INDEX "visit_state_starts_at" ON "visit" ("state", "starts_at")',
]

CUSTOMER_COLUMNS = [
    'ALTER TABLE "customer" ADD COLUMN "visit_every_days" INTEGER',
    'ALTER TABLE "customer" ADD COLUMN "last_visit_at" DATETIME',
    'ALTER TABLE "customer" ADD COLUMN "next_visit_at" DATETIME',
]


def up(db) -> None:
    for statement in TABLES + CUSTOMER_COLUMNS:
        db.execute_sql(statement)
