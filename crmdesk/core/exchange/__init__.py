"""Out to the phone and the calendar, and back (issue 21): contacts as vCard (``vcard``),
visits, care reminders and next steps as iCalendar (``calendar``)."""

# The modules other packages may use: tests/test_architecture.py holds every import from
# outside this package to this list; the others are the package's own.
__all__ = ["calendar", "vcard"]
