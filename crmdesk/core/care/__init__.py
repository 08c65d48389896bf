"""Care: what the care rules do with what they create (spreading a flood of checks over the coming weeks)."""
