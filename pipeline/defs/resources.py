"""Resources: the database and the landing store, configured from the environment."""

import datetime as dt
from pathlib import Path

import dagster as dg
from pydantic import PrivateAttr
from sqlalchemy import Engine

from db.engine import make_engine, writer_engine
from pipeline import settings
from pipeline.load import landing


class IntakeDatabase(dg.ConfigurableResource):  # type: ignore[type-arg]
    """The intake database; empty `url` means DATABASE_URL, else the SQLite default."""

    url: str = ""
    _engine: Engine | None = PrivateAttr(default=None)

    def setup_for_execution(self, context: dg.InitResourceContext) -> None:
        self._engine = writer_engine(make_engine(self.url or None))

    def teardown_after_execution(self, context: dg.InitResourceContext) -> None:
        if self._engine is not None:
            self._engine.dispose()

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            self._engine = writer_engine(make_engine(self.url or None))
        return self._engine


class LandingStore(dg.ConfigurableResource):  # type: ignore[type-arg]
    """The directory intake files land in; empty means INTAKE_LANDING_DIR, else var/landing."""

    directory: str = ""

    @property
    def path(self) -> Path:
        return settings.landing_dir(Path(self.directory) if self.directory else None)

    def files_for_day(self, day: dt.date) -> list[landing.LandedFile]:
        """The intake files sent on `day`, with their content hashes."""
        return landing.files_for_day(self.path, day)


@dg.definitions
def resources() -> dg.Definitions:
    return dg.Definitions(
        resources={
            # Both read the environment when a run starts, never at import, and keep
            # credentials out of the configuration the UI shows.
            "database": IntakeDatabase(),
            "landing_store": LandingStore(),
        }
    )
