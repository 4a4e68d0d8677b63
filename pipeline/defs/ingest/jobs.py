"""The ingestion job: every ingestion asset (and its checks) for a day or a range of days."""

from typing import Final

import dagster as dg

from pipeline.defs.ingest.assets import GROUP

ingest_job: Final = dg.define_asset_job(
    name="ingest_job",
    selection=dg.AssetSelection.groups(GROUP),
    description="Land, validate, load, classify and aggregate the intake files of a day.",
)
