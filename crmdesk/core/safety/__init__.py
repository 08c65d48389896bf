"""Proving that data survives: crash points for tests, and plain sentences for full disks."""
