"""Visits: the field definitions, the visits themselves, repeating series, planning (who is due, the day plan), the list and the agenda's export."""
