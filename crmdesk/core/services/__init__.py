"""One module per capability, plain Python: the CLI, the UI and the tests call these."""
