"""Broken databases for the command-line tests: a PostgreSQL role that signs in with a
password, a port nothing listens on, SQLite files that cannot be written."""

from __future__ import annotations

import socket
from dataclasses import dataclass
from pathlib import Path
from typing import Final

ROLE: Final = "operator"
PASSWORD: Final = "right-password-42"
WRONG_PASSWORD: Final = "wrong-password-17"
DATABASE: Final = "operator_db"


@dataclass(frozen=True)
class PasswordServer:
    """URLs of a server whose role `operator` must give its password."""

    port: int

    def url(self, password: str = PASSWORD, database: str = DATABASE) -> str:
        return f"postgresql://{ROLE}:{password}@127.0.0.1:{self.port}/{database}"


def free_port() -> int:
    """A loopback port nothing listens on (it was free a moment ago)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def unwritable_sqlite_url(tmp_path: Path) -> str:
    """A SQLite file in a folder no one may create files in, not even root (procfs)."""
    del tmp_path
    return "sqlite:////proc/intake.db"


def sqlite_url_under_a_file(tmp_path: Path) -> str:
    """A SQLite file whose folder would have to be made inside a regular file."""
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where a folder should be\n")
    return f"sqlite:///{blocker}/intake.db"
