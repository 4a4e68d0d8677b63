"""The pipeline tests' small generated landing directory (3 clinics, 3 days, bad records and
re-sends) and a throwaway Dagster instance, shared with tests/defs/test_materializations.py."""

from tests.defs.test_materializations import instance, landing, seeded

__all__ = ["instance", "landing", "seeded"]
