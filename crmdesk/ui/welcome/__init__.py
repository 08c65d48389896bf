"""The first day: the welcome in an empty customer list, the demo database, and each tab's first tip."""
