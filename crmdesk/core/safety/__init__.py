"""Keeping the user's data safe (issue 17): guards and checks before anything is written."""
