"""Reading, writing and normalising values from and to files."""
