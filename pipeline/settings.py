"""Settings read from the environment, in one place."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Final

DEFAULT_LANDING_DIR: Final = Path("var/landing")


def landing_dir(override: Path | None = None) -> Path:
    """Where intake files land: `override`, else INTAKE_LANDING_DIR, else `var/landing`."""
    if override is not None:
        return override
    return Path(os.environ.get("INTAKE_LANDING_DIR") or DEFAULT_LANDING_DIR)
