"""Proving the data sound (issue 17): full checks of database files, damage noticed on open,
crash points for tests, and plain sentences for full disks."""
