"""The care tab: the list of care events, the event and action dialogs, the details, a customer's care page and the care settings."""

# The modules other packages may use: tests/test_architecture.py holds every import from
# outside this package to this list; the others are the package's own.
__all__ = ["customer_care", "labels", "reminder", "tab"]
