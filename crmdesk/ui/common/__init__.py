"""Small helpers the UI's modules share (formatting of counts in plural forms)."""
