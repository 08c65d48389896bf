"""Team filters (issue 20): a partial index of the live customers' teams, so that the team
filter's choices are read by a skip-scan (one seek per team) and a laptop without teams
learns that it has none in one seek, where both read every customer before."""

STATEMENTS = [
    'CREATE INDEX "customer_live_team" ON "customer" ("team") WHERE ("deleted_at" IS NULL)',
]


def up(db) -> None:
    for statement in STATEMENTS:
        db.execute_sql(statement)
