"""A customer's country (issue 21): Northwind's customers are in Germany, Mexico and
France, and their phones are dialled there, not in China. Empty means China, as before."""

STATEMENTS = [
    'ALTER TABLE "customer" ADD COLUMN "country" VARCHAR(60) NOT NULL DEFAULT \'\'',
]


def up(db) -> None:
    for statement in STATEMENTS:
        db.execute_sql(statement)
