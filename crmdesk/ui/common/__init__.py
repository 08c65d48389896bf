"""Widgets the capabilities share: layouts and bars that fit small screens."""
