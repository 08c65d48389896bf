"""The complaints tab: the list, the complaint form and its steps, the details, the escalation list, the timeline, the statistics and the deadlines' settings."""
