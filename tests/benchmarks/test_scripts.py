"""The mechanism ceiling benchmark runs end to end on a tiny run, and scikit-learn stays a
dev-only tool: the product never imports it."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.mechanism_ceiling import ceiling, main, seeded_cases

PROJECT_ROOT = Path(__file__).parents[2]


def test_the_ceiling_benchmark_fits_on_one_half_and_scores_both_on_the_other(
    tmp_path: Path,
) -> None:
    cases = seeded_cases(1_500, 3, tmp_path, days=3, clinics=2)
    assert cases.height == 1_500  # every record valid, every one matched with its truth
    assert set(cases["truth"]) <= {
        "referred",
        "compensatory",
        "biomechanical",
        "mixed",
        "undetermined",
    }
    result = ceiling(cases, 3)
    assert result.train_cases + result.test_cases == cases.height
    assert abs(result.train_cases - result.test_cases) <= 1
    assert 0.3 < result.model_accuracy <= 1.0
    assert 0.3 < result.rules_accuracy <= 1.0


def test_the_benchmark_prints_the_model_beside_the_rules(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["--records", "1000", "--seed", "5", "--days", "2", "--clinics", "2"]) == 0
    printed = capsys.readouterr().out
    assert "gradient-boosted model (ceiling estimate):" in printed
    assert "rules version" in printed


def test_the_product_never_imports_scikit_learn() -> None:
    for package in ("pipeline", "db", "dashboards"):
        for path in (PROJECT_ROOT / package).rglob("*.py"):
            assert "sklearn" not in path.read_text(encoding="utf-8"), path


def test_the_follow_up_dashboard_benchmark_times_the_worklist_a_change_and_a_case(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from benchmarks import follow_up_dashboard

    monkeypatch.delenv("DATABASE_URL", raising=False)
    follow_up_dashboard.main(["--records", "1500", "--days", "2"])  # 1 if a target is missed
    printed = capsys.readouterr().out
    for row in (
        "worklist: first render, new session",
        "follow-up: mark contacted, page drawn again",
        "case view: first render",
    ):
        assert row in printed
    assert "follow-up items; seeded and ingested" in printed
