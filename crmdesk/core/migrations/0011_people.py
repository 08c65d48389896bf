"""People: partial indexes of the live, non-blank visit reps and complaint owners (the
customers' owners have ``customer_live_owner`` since 0001), so that the list of people a
visit or a complaint can be given to is read by a skip-scan of a few hundred index seeks
instead of a DISTINCT over every visit (0.86 s at 1.16 M visits). SQLite fills them from
the existing rows here and keeps them up to date in every write's own transaction."""

STATEMENTS = [
    'CREATE INDEX "visit_live_rep" ON "visit" ("rep") WHERE ("deleted_at" IS NULL)',
    'CREATE INDEX "complaint_live_owner" ON "complaint" ("owner") WHERE ("deleted_at" IS NULL)',
]


def up(db) -> None:
    for statement in STATEMENTS:
        db.execute_sql(statement)
