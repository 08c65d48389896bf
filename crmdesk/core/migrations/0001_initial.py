"""The first schema: customers, contacts, transactions, tags, batches, change log,
settings; the list indexes and the full-text search index. Frozen: never edit a
migration that has shipped, add the next one."""

TABLES = [
    'CREATE TABLE "batch" ("id" INTEGER NOT NULL PRIMARY KEY, "uuid" VARCHAR(36) NOT NULL, "created_at" DATETIME NOT NULL, "updated_at" DATETIME NOT NULL, "deleted_at" DATETIME, "kind" VARCHAR(20) NOT NULL, "description" TEXT NOT NULL, "actor" VARCHAR(100) NOT NULL, "undone_at" DATETIME)',
    'CREATE UNIQUE INDEX "batch_uuid" ON "batch" ("uuid")',
    'CREATE TABLE "customer" ("id" INTEGER NOT NULL PRIMARY KEY, "uuid" VARCHAR(36) NOT NULL, "created_at" DATETIME NOT NULL, "updated_at" DATETIME NOT NULL, "deleted_at" DATETIME, "code" VARCHAR(40) NOT NULL, "name" VARCHAR(200) NOT NULL, "kind" VARCHAR(20) NOT NULL, "contact_person" VARCHAR(100) NOT NULL, "title" VARCHAR(100) NOT NULL, "mobile" VARCHAR(40) NOT NULL, "phone" VARCHAR(40) NOT NULL, "fax" VARCHAR(40) NOT NULL, "email" VARCHAR(254) NOT NULL, "wechat" VARCHAR(100) NOT NULL, "province" VARCHAR(50) NOT NULL, "city" VARCHAR(50) NOT NULL, "district" VARCHAR(50) NOT NULL, "address" VARCHAR(300) NOT NULL, "postal_code" VARCHAR(20) NOT NULL, "website" VARCHAR(300) NOT NULL, "industry" VARCHAR(100) NOT NULL, "ownership" VARCHAR(50) NOT NULL, "company_size" VARCHAR(50) NOT NULL, "annual_revenue" INTEGER, "fiscal_year_start" INTEGER, "source" VARCHAR(20), "owner" VARCHAR(100) NOT NULL, "tier" VARCHAR(20), "stage" VARCHAR(20), "relationship" VARCHAR(30), "credit_rating" VARCHAR(1), "need_score" INTEGER, "volume_score" INTEGER, "purchasing_power_score" INTEGER, "credit_score" INTEGER, "decision_score" INTEGER, "gender" VARCHAR(20), "birthday_year" INTEGER, "birthday_month" INTEGER, "birthday_day" INTEGER, "birthday_calendar" VARCHAR(10) NOT NULL, "hometown" VARCHAR(100) NOT NULL, "education" VARCHAR(50) NOT NULL, "hobbies" VARCHAR(500) NOT NULL, "preferences" VARCHAR(500) NOT NULL, "delivery_preference" VARCHAR(500) NOT NULL, "payment_terms" VARCHAR(200) NOT NULL, "bank_name" VARCHAR(100) NOT NULL, "bank_account" VARCHAR(40) NOT NULL, "tax_id" VARCHAR(30) NOT NULL, "tags" TEXT NOT NULL, "notes" TEXT NOT NULL, "sort_name" VARCHAR(400) NOT NULL, "name_initials" VARCHAR(200) NOT NULL, "search_text" TEXT NOT NULL)',
    'CREATE UNIQUE INDEX "customer_uuid" ON "customer" ("uuid")',
    'CREATE UNIQUE INDEX "customer_code" ON "customer" ("code")',
    'CREATE TABLE "customer_tag" ("id" INTEGER NOT NULL PRIMARY KEY, "customer_id" INTEGER NOT NULL, "tag" VARCHAR(50) NOT NULL, FOREIGN KEY ("customer_id") REFERENCES "customer" ("id") ON DELETE CASCADE)',
    'CREATE INDEX "customer_tag_customer_id" ON "customer_tag" ("customer_id")',
    'CREATE UNIQUE INDEX "customer_tag_tag_customer_id" ON "customer_tag" ("tag", "customer_id")',
    'CREATE TABLE "contact" ("id" INTEGER NOT NULL PRIMARY KEY, "uuid" VARCHAR(36) NOT NULL, "created_at" DATETIME NOT NULL, "updated_at" DATETIME NOT NULL, "deleted_at" DATETIME, "customer_id" INTEGER NOT NULL, "name" VARCHAR(100) NOT NULL, "title" VARCHAR(100) NOT NULL, "mobile" VARCHAR(40) NOT NULL, "phone" VARCHAR(40) NOT NULL, "email" VARCHAR(254) NOT NULL, "wechat" VARCHAR(100) NOT NULL, "birthday_year" INTEGER, "birthday_month" INTEGER, "birthday_day" INTEGER, "birthday_calendar" VARCHAR(10) NOT NULL, "is_decision_maker" INTEGER NOT NULL, "notes" TEXT NOT NULL, FOREIGN KEY ("customer_id") REFERENCES "customer" ("id") ON DELETE CASCADE)',
    'CREATE UNIQUE INDEX "contact_uuid" ON "contact" ("uuid")',
    'CREATE INDEX "contact_customer_id" ON "contact" ("customer_id")',
    'CREATE TABLE "transactions" ("id" INTEGER NOT NULL PRIMARY KEY, "uuid" VARCHAR(36) NOT NULL, "created_at" DATETIME NOT NULL, "updated_at" DATETIME NOT NULL, "deleted_at" DATETIME, "customer_id" INTEGER NOT NULL, "date" DATE NOT NULL, "product" VARCHAR(200) NOT NULL, "category" VARCHAR(100) NOT NULL, "quantity" REAL, "amount" INTEGER NOT NULL, "paid" INTEGER, "notes" TEXT NOT NULL, "batch_id" INTEGER, FOREIGN KEY ("customer_id") REFERENCES "customer" ("id") ON DELETE CASCADE, FOREIGN KEY ("batch_id") REFERENCES "batch" ("id") ON DELETE SET NULL)',
    'CREATE UNIQUE INDEX "transactions_uuid" ON "transactions" ("uuid")',
    'CREATE INDEX "transactions_customer_id" ON "transactions" ("customer_id")',
    'CREATE INDEX "transactions_batch_id" ON "transactions" ("batch_id")',
    'CREATE INDEX "transactions_customer_id_date" ON "transactions" ("customer_id", "date")',
    'CREATE TABLE "change_log" ("id" INTEGER NOT NULL PRIMARY KEY, "at" DATETIME NOT NULL, "actor" VARCHAR(100) NOT NULL, "entity" VARCHAR(30) NOT NULL, "record_id" INTEGER NOT NULL, "record_uuid" VARCHAR(36) NOT NULL, "customer_id" INTEGER, "action" VARCHAR(20) NOT NULL, "field" VARCHAR(50) NOT NULL, "old" TEXT, "new" TEXT, "batch_id" INTEGER, FOREIGN KEY ("batch_id") REFERENCES "batch" ("id") ON DELETE SET NULL)',
    'CREATE INDEX "change_log_batch_id" ON "change_log" ("batch_id")',
    'CREATE INDEX "change_log_customer_id_at" ON "change_log" ("customer_id", "at")',
    'CREATE INDEX "change_log_entity_record_id" ON "change_log" ("entity", "record_id")',
    'CREATE TABLE "setting" ("key" VARCHAR(100) NOT NULL PRIMARY KEY, "value" TEXT NOT NULL)',
]

# The customer list reads live customers in the order of one column; these partial indexes
# let SQLite walk them in order without sorting (WHERE deleted_at IS NULL must be literal).
LIST_INDEXES = [
    'CREATE INDEX "customer_live_sort_name" ON "customer" ("sort_name", "id") WHERE deleted_at IS NULL',
    'CREATE INDEX "customer_live_code" ON "customer" ("code") WHERE deleted_at IS NULL',
    'CREATE INDEX "customer_live_city" ON "customer" ("city", "sort_name", "id") WHERE deleted_at IS NULL',
    'CREATE INDEX "customer_live_owner" ON "customer" ("owner", "sort_name", "id") WHERE deleted_at IS NULL',
    'CREATE INDEX "customer_live_tier" ON "customer" ("tier", "sort_name", "id") WHERE deleted_at IS NULL',
    'CREATE INDEX "customer_live_stage" ON "customer" ("stage", "sort_name", "id") WHERE deleted_at IS NULL',
    'CREATE INDEX "customer_live_relationship" ON "customer" ("relationship", "sort_name", "id") WHERE deleted_at IS NULL',
    'CREATE INDEX "customer_live_updated" ON "customer" ("updated_at", "id") WHERE deleted_at IS NULL',
    'CREATE INDEX "customer_deleted" ON "customer" ("deleted_at") WHERE deleted_at IS NOT NULL',
    # Short searches (one or two characters) are prefix look-ups on these.
    'CREATE INDEX "customer_name" ON "customer" ("name")',
    'CREATE INDEX "customer_initials" ON "customer" ("name_initials")',
    'CREATE INDEX "customer_contact_person" ON "customer" ("contact_person")',
    'CREATE INDEX "customer_mobile" ON "customer" ("mobile")',
    'CREATE INDEX "customer_phone" ON "customer" ("phone")',
    'CREATE INDEX "contact_name" ON "contact" ("name")',
    'CREATE INDEX "contact_mobile" ON "contact" ("mobile")',
]

# Three characters and more: FTS5 with the trigram tokenizer over customer.search_text,
# an external-content index kept in step by triggers.
SEARCH = [
    "CREATE VIRTUAL TABLE customer_fts USING fts5(search_text, content='customer', content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER customer_fts_insert AFTER INSERT ON customer BEGIN "
    "INSERT INTO customer_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER customer_fts_delete AFTER DELETE ON customer BEGIN "
    "INSERT INTO customer_fts(customer_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text); END",
    "CREATE TRIGGER customer_fts_update AFTER UPDATE OF search_text ON customer BEGIN "
    "INSERT INTO customer_fts(customer_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text); "
    "INSERT INTO customer_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
]


def up(db) -> None:
    for statement in TABLES + LIST_INDEXES + SEARCH:
        db.execute_sql(statement)
