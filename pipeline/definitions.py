"""The Dagster code location: everything under `pipeline/defs/`, found by `dg` and the UI."""

from pathlib import Path

import dagster as dg

from pipeline import settings


@dg.definitions
def defs() -> dg.Definitions:
    settings.current()  # a variable that cannot be used stops the code location, named
    return dg.load_from_defs_folder(path_within_project=Path(__file__).parent)
