"""Customer analytics (the course's measures): ABC / 80-20, the evaluation score and the
suggested tier, lifetime value, loyalty, RFM, churn and satisfaction. Computed from the
archive, transactions, complaints and care, in SQL aggregates and Python; never Qt.
The formulas are written down in ``docs/analytics.md``."""
