"""Phone numbers: whether what a user typed can be the number its field wants (phonenumbers)."""
