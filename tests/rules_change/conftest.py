"""The pipeline tests' small generated landing directory (3 clinics, 3 days, bad records and
re-sends) and a throwaway Dagster instance, shared with tests/test_pipeline_dagster.py."""

from tests.test_pipeline_dagster import instance, landing, seeded

__all__ = ["instance", "landing", "seeded"]
