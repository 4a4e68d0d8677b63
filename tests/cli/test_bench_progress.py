"""`intake bench` on a terminal names the row it is measuring, with rows done of all; nothing
is shown when the output is not a terminal or under CI."""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from benchmarks.intake_bench.console import BenchProgress
from benchmarks.intake_bench.report import ROWS
from pipeline.cli.terminal import wants_progress


def test_bench_progress_names_each_row_as_it_is_measured() -> None:
    screen = io.StringIO()
    console = Console(file=screen, force_terminal=True, width=120)
    frames: list[str] = []
    with BenchProgress(console) as view:
        view("generating 2,000 records into /tmp/landing")
        for name, _ in ROWS:
            seen = len(screen.getvalue())
            view(f"measuring {name}")
            view.progress.refresh()
            frames.append(screen.getvalue()[seen:])  # what this refresh drew
    for done, ((_, label), frame) in enumerate(zip(ROWS, frames, strict=True)):
        assert f"measuring: {label}" in frame
        assert f"{done}/{len(ROWS)}" in frame


def test_progress_is_only_for_a_terminal_outside_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    assert not wants_progress(Console(file=io.StringIO()))
    monkeypatch.setenv("CI", "true")
    assert not wants_progress(Console(file=io.StringIO(), force_terminal=True))
