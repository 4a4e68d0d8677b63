"""`intake rerun`: files already ingested run through the pipeline again, from the command line
an operator types after an upgrade."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from typer.testing import CliRunner

from db.models import IngestedFile, table_of
from pipeline.cli import app
from tests.files import csv, line

runner = CliRunner()
FILES = table_of(IngestedFile)


@pytest.fixture
def environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, migrated_engine: Engine) -> Path:
    landing = tmp_path / "landing"
    landing.mkdir()
    (landing / "intake_C1_2026-11-20.csv").write_bytes(csv(line(intake_id="A"), line(sex="x")))
    monkeypatch.setenv("DATABASE_URL", migrated_engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster"))
    return landing


def test_rerun_runs_the_ingested_files_again_and_says_so(
    environment: Path, migrated_engine: Engine
) -> None:
    assert runner.invoke(app, ["run", "--landing", str(environment)]).exit_code == 0
    result = runner.invoke(app, ["rerun", "--landing", str(environment)])
    assert result.exit_code == 0, result.output
    assert (
        "intake_C1_2026-11-20.csv: 0 case versions take their written intake day" in result.output
    )
    assert "Ran 1 files again for 2026-11-20 to 2026-11-20." in result.output
    with migrated_engine.connect() as connection:
        file = connection.execute(select(FILES)).one()
    assert (file.status, file.records_in, file.records_unchanged, file.records_quarantined) == (
        "finished",
        2,
        0,
        1,
    )


def test_rerun_of_files_never_ingested_says_to_run_them(environment: Path) -> None:
    result = runner.invoke(app, ["rerun", "--landing", str(environment)])
    assert result.exit_code == 2  # data: nothing to run again
    assert "none of these files was ingested before: `intake run` ingests them." in result.output
