"""Out to the phone and the calendar, and back (issue 21): contacts as vCard (``vcard``),
visits, care reminders and next steps as iCalendar (``calendar``)."""
