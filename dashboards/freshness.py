"""Fresh data, said so: the pages show the data as of the last successful pipeline run, and
every loaded answer is dropped once a newer run has committed, so a new urgent case is on the
worklist at the next page run (not after a cache's time-to-live)."""

from __future__ import annotations

import threading
from typing import Final

import streamlit as st

from dashboards import queries

_seen: dict[str, str | None] = {}
_lock: Final = threading.Lock()


def current(url: str) -> queries.DataVersion:
    """The last successful run; if it is not the one the cached answers were loaded under,
    drop them all first (every session of this server process shares the caches)."""
    version = queries.last_successful_run(url)
    with _lock:
        if url in _seen and _seen[url] != version.run_id:
            st.cache_data.clear()
        _seen[url] = version.run_id
    return version


def render(version: queries.DataVersion) -> None:
    """Say in the sidebar which run the data is as of."""
    with st.sidebar:
        if version.finished_at is None:
            st.caption("Data as of: no pipeline run has succeeded yet.")
        else:
            st.caption(
                f"Data as of the pipeline run that finished "
                f"{version.finished_at:%Y-%m-%d %H:%M} UTC."
            )
