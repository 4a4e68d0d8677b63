"""The Dagster code location: everything under `pipeline/defs/`, found by `dg` and the UI."""

import dagster as dg

from pipeline import run


@dg.definitions
def defs() -> dg.Definitions:
    # Built when the code location loads: a variable that cannot be used stops it, named.
    return run.definitions()
