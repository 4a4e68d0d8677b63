"""Downloads, each recorded in the audit log when clicked (who, when, what, which filters)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Final

import polars as pl
import streamlit as st

from dashboards import csv_files
from dashboards.audit_trail import record
from dashboards.session import SignedIn

CSV_MIME: Final = "text/csv"


def aggregate_download(
    frame: pl.DataFrame, *, name: str, url: str, user: SignedIn, details: Mapping[str, Any]
) -> None:
    """A CSV download of an aggregate table. The frame must already follow the small-cell
    rule: aggregate exports do, whoever exports."""
    st.download_button(
        "Download these counts (CSV)",
        data=csv_files.to_csv(frame),
        file_name=f"{name}.csv",
        mime=CSV_MIME,
        icon=":material/download:",
        key=f"export_{name}",
        help='Counts from 1 to 10 are written as "<11", whoever downloads.',
        on_click=record,
        args=(url, user, "export", {"export": name, **details}),
    )


def case_download(
    make_csv: Callable[[], bytes],
    *,
    name: str,
    url: str,
    user: SignedIn,
    details: Mapping[str, Any],
) -> None:
    """A CSV download of cases, made only when clicked (the file can be large)."""
    st.download_button(
        "Export the worklist (CSV)",
        data=make_csv,
        file_name=f"{name}.csv",
        mime=CSV_MIME,
        icon=":material/download:",
        key=f"export_{name}",
        on_click=record,
        args=(url, user, "export", {"export": name, **details}),
    )
