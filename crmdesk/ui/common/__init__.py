"""What the UI's capabilities share: plural forms of counts, layouts and bars that fit small screens."""
