"""The care tab: the list of care events, the event and action dialogs, the details, a customer's care page and the care settings."""
