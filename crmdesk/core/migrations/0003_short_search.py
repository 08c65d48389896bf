"""One- and two-letter searches walk names in list order (sort_name, id) within the first
letter's range, checking the initials in the index itself, without table look-ups."""


def up(db) -> None:
    db.execute_sql('CREATE INDEX "customer_live_sort_initials" ON "customer" '
                   '("sort_name", "id", "name_initials") WHERE deleted_at IS NULL')
