"""Customer analytics (the course's measures): ABC / 80-20, the evaluation score and the
suggested tier, lifetime value, loyalty, RFM, churn and satisfaction. Computed from the
archive, transactions, complaints and care, in SQL aggregates and Python; never Qt.
The formulas are written down in ``docs/analytics.md``."""

# The modules other packages may use: tests/test_architecture.py holds every import from
# outside this package to this list; the others are the package's own.
__all__ = ["churn", "facts", "loyalty", "report", "report_export", "settings", "snapshot", "tiers"]
