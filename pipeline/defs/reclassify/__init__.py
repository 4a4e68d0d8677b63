"""Re-classification when the rule set's version changes."""
