"""The visits tab's parts: the calendar's week by rep."""
