"""Resources: the database, the landing store and the alert channels, configured from the
environment."""

import datetime as dt
from pathlib import Path

import dagster as dg
from pydantic import PrivateAttr
from sqlalchemy import Engine

from db.engine import make_engine, writer_engine
from pipeline import settings
from pipeline.alerts.channels import Channels
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


class AlertChannels(dg.ConfigurableResource):  # type: ignore[type-arg]
    """The clinics' alert channels (an Apprise configuration file) and the dashboard's address
    for the worklist link; empty values mean INTAKE_ALERTS_CONFIG and INTAKE_DASHBOARD_URL,
    else their defaults. Only the file's path is configuration: its channels and their
    credentials stay in the file, never in Dagster's run configuration or the database."""

    config_path: str = ""
    dashboard_url: str = ""

    @property
    def channels(self) -> Channels:
        return Channels(
            settings.alerts_config(Path(self.config_path) if self.config_path else None)
        )

    @property
    def worklist_url(self) -> str:
        return settings.worklist_url(self.dashboard_url or None)


@dg.definitions
def resources() -> dg.Definitions:
    return dg.Definitions(
        resources={
            # Both read the environment when a run starts, never at import, and keep
            # credentials out of the configuration the UI shows.
            "database": IntakeDatabase(),
            "landing_store": LandingStore(),
            "alert_channels": AlertChannels(),
        }
    )
