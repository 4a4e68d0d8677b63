"""The alert step: one round of `pipeline.alerts.announce`, with what it sent as metadata."""

import datetime as dt

import dagster as dg
import polars as pl

from pipeline.alerts.announce import Round, announce
from pipeline.defs.resources import AlertChannels, IntakeDatabase

GROUP = "alerts"


def _sent_table(done: Round) -> pl.DataFrame:
    rows = [
        {"clinic": clinic, "outcome": outcome, "cases": a.cases, "corrections": a.corrections}
        for outcome, alerts in (
            ("sent", done.sent),
            ("failed", done.failed),
            ("no channel", done.no_channel),
        )
        for clinic, a in alerts.items()
    ]
    schema = {"clinic": pl.String, "outcome": pl.String, "cases": pl.Int64, "corrections": pl.Int64}
    return pl.DataFrame(rows, schema=schema)


@dg.asset(group_name=GROUP, kinds={"python", "sql"})
def urgent_case_alerts(
    context: dg.AssetExecutionContext, database: IntakeDatabase, alert_channels: AlertChannels
) -> dg.MaterializeResult[None]:
    """Each clinic's alert channels told of its new urgent cases and of quarantined records
    whose red flag needs a correction: counts and a link to the worklist, never patient data.
    A channel that is down leaves its items to be retried; it never fails the data work."""
    done = announce(
        database.engine,
        alert_channels.channels,
        alert_channels.worklist_url,
        dt.datetime.now(dt.UTC),
    )
    table = _sent_table(done)
    if done.failed:
        context.log.warning(f"alerts not delivered, to be retried: {sorted(done.failed)}")
    with pl.Config(tbl_formatting="MARKDOWN", tbl_hide_dataframe_shape=True, tbl_rows=-1):
        preview = dg.MetadataValue.md(str(table) if not table.is_empty() else "nothing to send")
    return dg.MaterializeResult(
        metadata={
            "items_queued": done.queued,
            "clinics_told": len(done.sent),
            "clinics_failed": len(done.failed),
            "clinics_without_channel": len(done.no_channel),
            "sent": preview,
        }
    )
