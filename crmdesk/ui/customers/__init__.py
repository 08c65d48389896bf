"""The customers tab: the list, the customer form with its contacts, and the profile."""

# The modules other packages may use: tests/test_architecture.py holds every import from
# outside this package to this list; the others are the package's own.
__all__ = ["tab"]
