"""Covering indexes for the visit plans at 100,000 customers and a million visits
(benchmarks/bench_visits.py, docs/performance.md):

- the due list reads, for every live customer, its last and next visit, frequency, tier,
  stage, owner and value; from the wide customer rows that is ~190 ms, from this narrow
  index ~30-50 ms;
- the calendar reads a month of visits (~40,000) by start time: through ``visit_starts_at``
  every one is a random read of a wide visit row, from ``visit_live_calendar`` a range
  scan; and each visit's customer name from a narrow index instead of the customer row.
  Month view at 100,000 customers: ~450 ms before, ~150 ms after.

``deleted_at`` is a column as well as the condition: SQLite 3.40 counts a column used only
in a partial index's WHERE as not covered."""

INDEXES = [
    'CREATE INDEX "customer_live_due" ON "customer" ("last_visit_at", "created_at", "visit_every_days", '
    '"tier", "stage", "next_visit_at", "owner", "need_score", "volume_score", "purchasing_power_score", '
    '"credit_score", "decision_score", "annual_revenue", "deleted_at") WHERE deleted_at IS NULL',
    'CREATE INDEX "customer_live_calendar" ON "customer" ("id", "name", "deleted_at") WHERE deleted_at IS NULL',
    'CREATE INDEX "visit_live_calendar" ON "visit" ("starts_at", "ends_at", "state", "rep", "kind", '
    '"customer_id", "version", "place", "deleted_at") WHERE deleted_at IS NULL',
]


def up(db) -> None:
    for statement in INDEXES:
        db.execute_sql(statement)
