"""Visits: the field definitions, the visits themselves, repeating series, planning (who is due, the day plan), the list and the agenda's export."""

# The modules other packages may use: tests/test_architecture.py holds every import from
# outside this package to this list; the others are the package's own.
__all__ = ["export", "fields", "list", "planning", "records", "series", "visits"]
