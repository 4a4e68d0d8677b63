"""`intake seed` and the landing directory setting."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.settings import DEFAULT_LANDING_DIR, LANDING_DIR_ENV, landing_dir
from tests.intake_checks import read_truth

SMALL_RUN = ["seed", "--records", "300", "--days", "3", "--end-date", "2026-06-30"]


def intake_files(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.glob("intake_*"))


def test_landing_dir_is_the_override_else_the_environment_else_var_landing(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv(LANDING_DIR_ENV, raising=False)
    assert landing_dir() == DEFAULT_LANDING_DIR == Path("var/landing")
    monkeypatch.setenv(LANDING_DIR_ENV, str(tmp_path))
    assert landing_dir() == tmp_path
    assert landing_dir(tmp_path / "other") == tmp_path / "other"


def test_seed_writes_into_the_landing_dir_named_by_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv(LANDING_DIR_ENV, str(tmp_path))
    result = CliRunner().invoke(app, [*SMALL_RUN, "--clinics", "2", "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    assert "wrote 300 records" in result.output
    files = intake_files(tmp_path)
    assert len(files) == 6
    assert all(name.endswith(".jsonl") for name in files)
    assert len(read_truth(tmp_path)) == 300


def test_seed_with_the_same_arguments_again_rewrites_the_same_bytes(tmp_path: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(app, [*SMALL_RUN, "--out", str(tmp_path)]).exit_code == 0
    before = {name: (tmp_path / name).read_bytes() for name in intake_files(tmp_path)}
    assert runner.invoke(app, [*SMALL_RUN, "--out", str(tmp_path)]).exit_code == 0
    assert before == {name: (tmp_path / name).read_bytes() for name in intake_files(tmp_path)}


def test_seed_refuses_to_mix_runs_unless_told_to_replace(tmp_path: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(app, [*SMALL_RUN, "--out", str(tmp_path)]).exit_code == 0
    other_days = ["seed", "--records", "100", "--days", "1", "--end-date", "2026-07-15"]
    refused = runner.invoke(app, [*other_days, "--out", str(tmp_path)])
    assert refused.exit_code == 1
    assert "--replace" in refused.output
    replaced = runner.invoke(app, [*other_days, "--out", str(tmp_path), "--replace"])
    assert replaced.exit_code == 0, replaced.output
    assert all("2026-07-15" in name for name in intake_files(tmp_path))
    assert len(read_truth(tmp_path)) == 100


def test_seed_ends_today_in_utc_when_no_end_date_is_given(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["seed", "--records", "50", "--days", "1", "--out", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    today = datetime.now(UTC).date().isoformat()
    assert all(name.endswith(f"_{today}.csv") for name in intake_files(tmp_path))


def test_seed_rejects_arguments_outside_their_limits(tmp_path: Path) -> None:
    runner = CliRunner()
    for bad in (["--records", "0"], ["--invalid-rate", "0.9"], ["--clinics", "100"]):
        result = runner.invoke(app, ["seed", *bad, "--out", str(tmp_path)])
        assert result.exit_code == 2, bad
    assert intake_files(tmp_path) == []


SAMPLE = Path(__file__).resolve().parents[2] / "sample_data"
SAMPLE_COMMAND = (
    "intake seed --records 2000 --days 14 --end-date 2026-11-20 --clinics 3 --seed 7 "
    "--format csv --invalid-rate 0.02 --out sample_data"
)


def test_committed_sample_data_is_exactly_what_its_readme_command_writes(tmp_path: Path) -> None:
    assert SAMPLE_COMMAND in (SAMPLE / "README.md").read_text()
    arguments = SAMPLE_COMMAND.split()[1:-1]  # without `intake` and the output directory
    result = CliRunner().invoke(app, [*arguments, str(tmp_path)])
    assert result.exit_code == 0, result.output
    written = sorted(p.name for p in tmp_path.iterdir())
    assert written == sorted(p.name for p in SAMPLE.iterdir() if p.name != "README.md")
    for name in written:
        assert (tmp_path / name).read_bytes() == (SAMPLE / name).read_bytes(), name
