"""The alerts job: one round of alerts."""

from typing import Final

import dagster as dg

from pipeline.defs.alerts.assets import GROUP

alerts_job: Final = dg.define_asset_job(
    name="alerts_job",
    selection=dg.AssetSelection.groups(GROUP),
    description="Tell each clinic's alert channels of new urgent cases; retry failed sends.",
)
