"""Aggregate: the prepared counts the dashboard reads."""
