"""Whether live progress is for someone: a person at a terminal, not a pipe, a file or CI."""

from __future__ import annotations

import os
import sys

from rich.console import Console


def wants_progress(console: Console) -> bool:
    """Live progress only on a terminal (stderr too) and never under CI."""
    in_ci = os.environ.get("CI", "").lower() in ("1", "true", "yes")
    return console.is_terminal and sys.stderr.isatty() and not in_ci
