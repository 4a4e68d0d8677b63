"""The impact report's job."""

from typing import Final

import dagster as dg

from pipeline.defs.rules_change.assets import rules_impact_report

rules_impact_job: Final = dg.define_asset_job(
    name="rules_impact_job",
    selection=dg.AssetSelection.assets(rules_impact_report),
    description="Report what the rule set in the code would change against the one in force.",
)
