"""Sales: the sale (a customer's purchase of one day, with its payment terms and what was
paid), the product list, the opportunities of the pipeline and their stage history; the
lines (``transactions``) learn their sale, product, unit price, discount and order, and a
visit the opportunity it served.

Every line that existed before becomes a sale of its own, with the same id, dates, batch
and deletion, the customer's owner, and what the line said was paid (paid on the sale's
date); a line with a negative amount becomes a refund."""

_UUID = ("lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || "
         "substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || "
         "substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))")

TABLES = [
    'CREATE TABLE "product" ("id" INTEGER NOT NULL PRIMARY KEY, "uuid" VARCHAR(36) NOT NULL, "created_at" DATETIME NOT NULL, "updated_at" DATETIME NOT NULL, "deleted_at" DATETIME, "code" VARCHAR(40) NOT NULL, "name" VARCHAR(200) NOT NULL, "category" VARCHAR(100) NOT NULL, "unit" VARCHAR(20) NOT NULL, "list_price" INTEGER, "active" INTEGER NOT NULL, "notes" TEXT NOT NULL, "sort_name" VARCHAR(400) NOT NULL, "name_initials" VARCHAR(200) NOT NULL, "merged_into_id" INTEGER, "batch_id" INTEGER, FOREIGN KEY ("merged_into_id") REFERENCES "product" ("id") ON DELETE SET NULL, FOREIGN KEY ("batch_id") REFERENCES "batch" ("id") ON DELETE SET NULL)',
    'CREATE UNIQUE INDEX "product_uuid" ON "product" ("uuid")',
    'CREATE INDEX "product_merged_into_id" ON "product" ("merged_into_id")',
    'CREATE INDEX "product_batch_id" ON "product" ("batch_id")',
    'CREATE INDEX "product_live_sort" ON "product" ("sort_name", "id") WHERE ("deleted_at" IS NULL)',
    'CREATE TABLE "opportunity" ("id" INTEGER NOT NULL PRIMARY KEY, "uuid" VARCHAR(36) NOT NULL, "created_at" DATETIME NOT NULL, "updated_at" DATETIME NOT NULL, "deleted_at" DATETIME, "customer_id" INTEGER NOT NULL, "title" VARCHAR(200) NOT NULL, "contacts" VARCHAR(500) NOT NULL, "amount" INTEGER, "stage" VARCHAR(30) NOT NULL, "probability" INTEGER NOT NULL, "expected_close" DATE, "next_step" TEXT NOT NULL, "next_step_on" DATE, "source" VARCHAR(20) NOT NULL, "competitors" VARCHAR(300) NOT NULL, "owner" VARCHAR(100) NOT NULL, "lost_reason" VARCHAR(20), "lost_note" TEXT NOT NULL, "notes" TEXT NOT NULL, "stage_since" DATETIME NOT NULL, "closed_on" DATE, "batch_id" INTEGER, "version" INTEGER NOT NULL, FOREIGN KEY ("customer_id") REFERENCES "customer" ("id") ON DELETE CASCADE, FOREIGN KEY ("batch_id") REFERENCES "batch" ("id") ON DELETE SET NULL)',
    'CREATE UNIQUE INDEX "opportunity_uuid" ON "opportunity" ("uuid")',
    'CREATE INDEX "opportunity_customer_id" ON "opportunity" ("customer_id")',
    'CREATE INDEX "opportunity_batch_id" ON "opportunity" ("batch_id")',
    'CREATE INDEX "opportunity_customer_id_stage" ON "opportunity" ("customer_id", "stage")',
    'CREATE INDEX "opportunity_live_stage" ON "opportunity" ("stage", "expected_close", "owner", "amount", "probability", "customer_id", "stage_since", "deleted_at") WHERE ("deleted_at" IS NULL)',
    'CREATE TABLE "stage_change" ("id" INTEGER NOT NULL PRIMARY KEY, "uuid" VARCHAR(36) NOT NULL, "created_at" DATETIME NOT NULL, "updated_at" DATETIME NOT NULL, "deleted_at" DATETIME, "opportunity_id" INTEGER NOT NULL, "stage" VARCHAR(30) NOT NULL, "entered_at" DATETIME NOT NULL, "left_at" DATETIME, FOREIGN KEY ("opportunity_id") REFERENCES "opportunity" ("id") ON DELETE CASCADE)',
    'CREATE UNIQUE INDEX "stage_change_uuid" ON "stage_change" ("uuid")',
    'CREATE INDEX "stage_change_opportunity_id" ON "stage_change" ("opportunity_id")',
    'CREATE INDEX "stage_change_opportunity_id_entered_at" ON "stage_change" ("opportunity_id", "entered_at")',
    'CREATE INDEX "stage_change_stage_entered_at" ON "stage_change" ("stage", "entered_at")',
    'CREATE TABLE "sale" ("id" INTEGER NOT NULL PRIMARY KEY, "uuid" VARCHAR(36) NOT NULL, "created_at" DATETIME NOT NULL, "updated_at" DATETIME NOT NULL, "deleted_at" DATETIME, "customer_id" INTEGER NOT NULL, "date" DATE NOT NULL, "kind" VARCHAR(10) NOT NULL, "owner" VARCHAR(100) NOT NULL, "payment_terms_days" INTEGER, "due_on" DATE, "paid" INTEGER, "paid_on" DATE, "notes" TEXT NOT NULL, "opportunity_id" INTEGER, "visit_id" INTEGER, "batch_id" INTEGER, "version" INTEGER NOT NULL, FOREIGN KEY ("customer_id") REFERENCES "customer" ("id") ON DELETE CASCADE, FOREIGN KEY ("opportunity_id") REFERENCES "opportunity" ("id") ON DELETE SET NULL, FOREIGN KEY ("visit_id") REFERENCES "visit" ("id") ON DELETE SET NULL, FOREIGN KEY ("batch_id") REFERENCES "batch" ("id") ON DELETE SET NULL)',
    'CREATE UNIQUE INDEX "sale_uuid" ON "sale" ("uuid")',
    'CREATE INDEX "sale_customer_id" ON "sale" ("customer_id")',
    'CREATE INDEX "sale_opportunity_id" ON "sale" ("opportunity_id")',
    'CREATE INDEX "sale_visit_id" ON "sale" ("visit_id")',
    'CREATE INDEX "sale_batch_id" ON "sale" ("batch_id")',
    'CREATE INDEX "sale_customer_id_date" ON "sale" ("customer_id", "date")',
    'CREATE INDEX "sale_date" ON "sale" ("date")',
    'CREATE INDEX "sale_live_due" ON "sale" ("due_on", "customer_id", "paid", "deleted_at") WHERE (("deleted_at" IS NULL) AND ("due_on" IS NOT NULL))',
]

COLUMNS = [
    'ALTER TABLE "transactions" ADD COLUMN "sale_id" INTEGER REFERENCES "sale" ("id") ON DELETE CASCADE',
    'ALTER TABLE "transactions" ADD COLUMN "product_id" INTEGER REFERENCES "product" ("id") ON DELETE SET NULL',
    'ALTER TABLE "transactions" ADD COLUMN "unit_price" INTEGER',
    'ALTER TABLE "transactions" ADD COLUMN "discount" REAL',
    'ALTER TABLE "transactions" ADD COLUMN "line_no" INTEGER NOT NULL DEFAULT 0',
    'CREATE INDEX "transactions_sale_id" ON "transactions" ("sale_id")',
    'CREATE INDEX "transactions_product_id" ON "transactions" ("product_id")',
    'ALTER TABLE "visit" ADD COLUMN "opportunity_id" INTEGER REFERENCES "opportunity" ("id") ON DELETE SET NULL',
    'CREATE INDEX "visit_opportunity_id" ON "visit" ("opportunity_id")',
]

# Each existing line becomes a sale with its own id (the sale table is new and empty).
LINES_TO_SALES = [
    'INSERT INTO "sale" ("id", "uuid", "created_at", "updated_at", "deleted_at", "customer_id", "date", "kind", '
    '"owner", "paid", "paid_on", "notes", "batch_id", "version") '
    f'SELECT t."id", {_UUID}, t."created_at", t."updated_at", t."deleted_at", t."customer_id", t."date", '
    'CASE WHEN t."amount" < 0 THEN \'refund\' ELSE \'sale\' END, '
    'COALESCE((SELECT c."owner" FROM "customer" c WHERE c."id" = t."customer_id"), \'\'), '
    't."paid", CASE WHEN t."paid" IS NOT NULL THEN t."date" END, \'\', t."batch_id", 1 FROM "transactions" t',
    'UPDATE "transactions" SET "sale_id" = "id"',
]


def up(db) -> None:
    for statement in TABLES + COLUMNS + LINES_TO_SALES:
        db.execute_sql(statement)
