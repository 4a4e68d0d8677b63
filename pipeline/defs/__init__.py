"""Dagster definitions, loaded folder by folder by `pipeline.definitions`."""
