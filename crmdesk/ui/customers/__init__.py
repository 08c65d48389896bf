"""The customers tab: the list, the customer form with its contacts, and the profile."""
