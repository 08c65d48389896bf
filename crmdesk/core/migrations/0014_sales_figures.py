"""Sales figures: covering partial indexes of the live rows, so that the report of two
million sales and the funnel of a hundred thousand deals read narrow indexes instead of the
wide rows (``core.sales.figures``, ``figures_pipeline``, ``benchmarks/bench_sales.py``):
the lines by product (and the name and category on the line, for lines without one) with
their day, amount, quantity and customer, for sales by product and by category in one pass;
the sales by customer and day with their owner, for which owner each customer's sales of a
period were; the stage history by deal, for how far each deal got."""

STATEMENTS = [
    'CREATE INDEX "transactions_live_product" ON "transactions" ("product_id", "product", "category", "date", '
    '"amount", "quantity", "customer_id", "deleted_at") WHERE ("deleted_at" IS NULL)',
    'CREATE INDEX "sale_live_owner" ON "sale" ("customer_id", "date", "owner", "deleted_at") '
    'WHERE ("deleted_at" IS NULL)',
    'CREATE INDEX "stage_change_live_opportunity" ON "stage_change" ("opportunity_id", "stage", "deleted_at") '
    'WHERE ("deleted_at" IS NULL)',
]


def up(db) -> None:
    for statement in STATEMENTS:
        db.execute_sql(statement)
