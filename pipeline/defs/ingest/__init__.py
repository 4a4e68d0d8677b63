"""Ingestion: landing files to cases, classifications and the dashboard's counts."""
