"""Benchmarks that print figures (run as `python -m benchmarks.<name>`); dev-only, never imported
by the product (`pipeline`, `db`, `dashboards`)."""
