"""Sorting a search's matches by name reads each match's sort key. From the wide customer
rows that costs ~170 ms for 70,000 matches at a million customers; from this narrow
covering index ~60 ms."""


def up(db) -> None:
    db.execute_sql('CREATE INDEX "customer_live_id_sort" ON "customer" ("id", "sort_name") '
                   'WHERE deleted_at IS NULL')
