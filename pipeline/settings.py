"""Product-wide settings read from the environment, each with its documented default."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Final

LANDING_DIR_ENV: Final = "INTAKE_LANDING_DIR"
"""Environment variable naming the landing directory clinics' intake files arrive in."""

DEFAULT_LANDING_DIR: Final = Path("var/landing")
"""The landing directory when neither an override nor `INTAKE_LANDING_DIR` is given."""


def landing_dir(override: Path | None = None) -> Path:
    """The directory intake files land in: `override`, else `INTAKE_LANDING_DIR`, else the default.

    The generator writes there and ingestion reads from there, so both agree without being told.
    """
    if override is not None:
        return override
    from_env = os.environ.get(LANDING_DIR_ENV, "").strip()
    return Path(from_env) if from_env else DEFAULT_LANDING_DIR
