"""Render helpers for the data-quality page, one per question it answers."""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboards import quality_tables, queries
from dashboards.filters import label_of
from dashboards.red_flags import page_count
from dashboards.settings import AUDIT_PAGE_SIZE
from dashboards.small_cells import NOT_SHOWN, count_text
from db.models import AUDIT_EVENTS
from db.states import AlertStatus, FileStatus, RunStatus

TIME_FORMAT = "%Y-%m-%d %H:%M UTC"
SHORT_TIME_FORMAT = "%d %b, %H:%M"
DATETIME_COLUMN = st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm")
DATE_COLUMN = st.column_config.DateColumn(format="YYYY-MM-DD")


def render_runs(runs: pl.DataFrame) -> None:
    """How the last pipeline run ended, and the ones before it."""
    if runs.is_empty():
        st.info("No pipeline run is recorded yet: `intake run` (or `make demo`) records one.")
        return
    last = runs.row(0, named=True)
    succeeded = last["status"] == RunStatus.SUCCESS
    status, finished, days = st.columns(3)
    status.metric("Status", "Succeeded" if succeeded else "Failed", border=True)
    finished.metric(
        "Finished",
        f"{last['finished_at']:{SHORT_TIME_FORMAT}}",
        help=f"{last['finished_at']:{TIME_FORMAT}}",
        border=True,
    )
    days.metric("Intake days", _day_range(last["first_day"], last["last_day"]), border=True)
    if not succeeded:
        st.error(last["detail"] or "No detail was recorded.", title="The last run failed")
    with st.expander("Recent runs"):
        st.dataframe(
            runs,
            hide_index=True,
            column_config={
                "finished_at": DATETIME_COLUMN,
                "first_day": DATE_COLUMN,
                "last_day": DATE_COLUMN,
            },
        )


def render_freshness(freshness: pl.DataFrame) -> None:
    """The last intake day per clinic, and which clinics lag behind."""
    table = quality_tables.freshness_table(freshness)
    if table.is_empty():
        st.info("No case has been loaded yet.")
        return
    stale = quality_tables.stale_clinics(table)
    if stale:
        st.warning(
            f"More than {quality_tables.STALE_AFTER_DAYS} days behind the newest clinic: "
            f"{', '.join(stale)}. Check that they are still sending intake files."
        )
    st.dataframe(
        table,
        hide_index=True,
        column_config={"Last intake day": DATE_COLUMN},
        alt="Last intake day per clinic",
    )


def render_files(totals: pl.DataFrame, recent: pl.DataFrame) -> None:
    """Files and records received, loaded and quarantined; the latest files."""
    if totals.is_empty():
        st.info("No intake file has been received yet.")
        return
    files, received, loaded, quarantined = st.columns(4)
    total = {name: int(totals[name].sum()) for name in totals.columns if name != "status"}
    files.metric("Files", f"{total['files']:,}", border=True)
    received.metric("Records received", f"{total['records_in']:,}", border=True)
    loaded.metric(
        "Records loaded",
        f"{total['records_loaded'] + total['records_corrected']:,}",
        help="New cases and corrections; unchanged re-sends are not counted again.",
        border=True,
    )
    quarantined.metric("Quarantined", f"{total['records_quarantined']:,}", border=True)
    unfinished = totals.filter(pl.col("status") != FileStatus.FINISHED)["files"].sum()
    if unfinished:
        st.warning(f"{unfinished} file(s) not finished yet: their records are not all counted.")
    with st.expander("Latest files"):
        st.dataframe(
            recent,
            hide_index=True,
            column_config={"received_at": DATETIME_COLUMN, "landing_date": DATE_COLUMN},
        )


def render_needing_correction(per_clinic: pl.DataFrame, *, exact: bool) -> None:
    """Quarantined records whose red flag no valid record has resolved yet, per clinic."""
    if per_clinic.is_empty():
        st.success("No quarantined record shows a red flag that is still open.")
        return
    table = pl.DataFrame(
        {
            "Clinic": per_clinic["clinic_id"].fill_null("(not readable)"),
            "Records": [count_text(n, exact=exact) for n in per_clinic["records"]],
        }
    )
    st.dataframe(table, hide_index=True, alt="Urgent records that need correction, per clinic")
    st.caption(
        "Counted apart from the cases: each stays open until a valid record with the same "
        "intake id arrives."
    )


def render_quarantine(reasons: pl.DataFrame, *, show_values: bool) -> None:
    """Quarantine counts by reason, with examples (values for administrators only)."""
    table = quality_tables.quarantine_table(reasons, show_values=show_values)
    if table.is_empty():
        st.success("No record has been quarantined.")
        return
    st.dataframe(table, hide_index=True, alt="Quarantined records by reason")
    if not show_values:
        st.caption("Examples give the file and line; administrators also see the values.")


ALERT_STATUS_LABELS = {
    AlertStatus.QUEUED: "Waiting to be sent",
    AlertStatus.PENDING: "Being sent",
    AlertStatus.SENT: "Sent",
    AlertStatus.FAILED: "Failed: retried at the next run",
    AlertStatus.NO_CHANNEL: "No channel configured",
    AlertStatus.BEFORE_ALERTS: "Urgent before alerts existed",
}


def render_alerts(status: pl.DataFrame) -> None:
    """How the urgent-case alerts went, per clinic: sent, failed (retried), no channel."""
    if status.is_empty():
        st.info("No urgent case has needed an alert yet.")
        return
    failing = status.filter(pl.col("status") == AlertStatus.FAILED)
    if not failing.is_empty():
        clinics = ", ".join(sorted(c or "(not readable)" for c in failing["clinic_id"]))
        st.warning(f"Alerts could not be delivered to: {clinics}. They are retried at each run.")
    table = status.select(
        pl.col("clinic_id").fill_null("(not readable)").alias("Clinic"),
        pl.col("status").replace_strict(ALERT_STATUS_LABELS).alias("Status"),
        pl.col("items").alias("Cases and records"),
        pl.col("last_sent_at").alias("Last sent (UTC)"),
        pl.col("last_error").alias("Last error"),
    )
    st.dataframe(table, hide_index=True, alt="Urgent-case alerts per clinic")


def render_rules_versions(versions: pl.DataFrame) -> None:
    """The rule set that classified the cases, and any cases left on an older one."""
    if versions.is_empty():
        st.info("No case has been classified yet.")
        return
    newest = versions.row(0, named=True)
    st.metric(
        "Rules version",
        newest["rules_version"],
        help=f"Classified {newest['cases']:,} cases, "
        f"last at {newest['last_classified_at']:{TIME_FORMAT}}.",
        border=True,
    )
    older = versions.slice(1)
    if not older.is_empty():
        st.warning(
            f"{older['cases'].sum():,} cases are still classified by older versions "
            f"({', '.join(older['rules_version'])}): the reclassify job brings them up to date."
        )


def render_audit_log(url: str) -> None:
    """Who signed in, opened the worklist or exported, when, with which filters; paged."""
    events, page_column = st.columns([3, 1], vertical_alignment="bottom")
    with events:
        chosen = st.multiselect(
            "Events", AUDIT_EVENTS, format_func=label_of, key="audit_events", placeholder="All"
        )
    with page_column:
        page = st.number_input("Page", min_value=1, key="audit_page")
    log, total = queries.audit_log(url, tuple(chosen), int(page))
    st.caption(f"{total:,} events; page {int(page)} of {page_count(total, AUDIT_PAGE_SIZE)}.")
    st.dataframe(log, hide_index=True, column_config={"at": DATETIME_COLUMN}, alt="Audit log")


def _day_range(first: object, last: object) -> str:
    if first is None:
        return NOT_SHOWN
    return f"{first}" if first == last else f"{first} to {last}"
