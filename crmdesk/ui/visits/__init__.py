"""The visits tab: the list, the calendar (month and week by rep), the visit form, recording a visit, the day plan, the due list and the visit settings."""
