"""Proving the data sound: full checks of database files, damage noticed on open (issue 17)."""
