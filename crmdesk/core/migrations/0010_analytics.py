"""Analytics: why a lost customer left (``customer.churn_cause``), and a covering partial
index of the live purchases by customer and category, which the cross-selling estimate and
the loyalty index's cross-buying read instead of the wide rows."""

STATEMENTS = [
    'ALTER TABLE "customer" ADD COLUMN "churn_cause" VARCHAR(20)',
    'CREATE INDEX "transactions_live_category" ON "transactions" ("customer_id", "category", "date", "amount", '
    '"deleted_at") WHERE ("deleted_at" IS NULL)',
]


def up(db) -> None:
    for statement in STATEMENTS:
        db.execute_sql(statement)
