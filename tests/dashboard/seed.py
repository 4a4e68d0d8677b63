"""Known data for the dashboard tests, written the way the pipeline writes it (a finished file,
case versions, cases, classifications, the aggregate by the pipeline's own `refresh`), plus
pipeline runs, quarantined records and dashboard users."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Final

from sqlalchemy import Engine, insert

from db import audit, users
from db.models import (
    CASE_FIELDS,
    CaseClassification,
    CaseVersion,
    DashboardUser,
    IngestedFile,
    IntakeCase,
    PipelineRun,
    QuarantinedRecord,
)
from pipeline.aggregate import daily_counts

LATEST_DAY: Final = dt.date(2026, 11, 20)
CURRENT_START: Final = dt.date(2026, 8, 29)
"""The default period: 12 weeks (84 days) up to LATEST_DAY."""
PREVIOUS_START: Final = dt.date(2026, 6, 6)
RULES_VERSION: Final = "rules-test-1"
PASSWORD: Final = "correct horse battery"
ADMIN: Final = "ada"
VIEWER: Final = "vic"

URGENT_REASONS: Final = (("rapid_worsening",), ("fever", "no_weight_bearing"), ("fever",))
SEXES: Final = ("female", "male")
AGES: Final = (16, 30, 42, 57, 70, 85)
KNEE_INJURIES: Final = ("meniscal_tear", "ligament_injury", "osteoarthritis")
CLINIC_SHIFT: Final = {"north": 0, "south": 1, "east": 2}
"""Days each clinic's newest case lies before LATEST_DAY."""


@dataclass(frozen=True, slots=True)
class Case:
    """What a test needs to say about a case; the rest of the record is a valid default."""

    intake_id: str
    clinic_id: str
    intake_at: dt.datetime
    mechanism: str = "referred"
    triage: str = "routine"
    reasons: tuple[str, ...] = ()
    age_years: int = 45
    sex: str = "female"
    knee_injury: str = "meniscal_tear"

    @property
    def day(self) -> dt.date:
        return self.intake_at.date()


STANDARD: Final[dict[tuple[str, str], tuple[dict[str, int], int, int]]] = {
    ("north", "current"): ({"referred": 18, "compensatory": 8, "biomechanical": 4}, 5, 4),
    ("south", "current"): ({"referred": 3, "compensatory": 9}, 2, 1),
    ("east", "current"): ({"referred": 2, "compensatory": 1, "biomechanical": 1}, 1, 0),
    ("north", "previous"): ({"referred": 12, "compensatory": 8}, 3, 0),
    ("south", "previous"): ({"referred": 4, "compensatory": 8}, 0, 0),
}
"""(clinic, period) -> (cases per mechanism, urgent cases, evaluate cases)."""


# `standard_cases()`, the data set most tests read, in the default period (the 12 weeks up to
# LATEST_DAY) and the 12 weeks before it:
#
# | clinic | period   | referred | compensatory | biomechanical | urgent | evaluate |
# |--------|----------|---------:|-------------:|--------------:|-------:|---------:|
# | north  | current  |       18 |            8 |             4 |      5 |        4 |
# | south  | current  |        3 |            9 |             0 |      2 |        1 |
# | east   | current  |        2 |            1 |             1 |      1 |        0 |
# | north  | previous |       12 |            8 |             0 |      3 |        0 |
# | south  | previous |        4 |            8 |             0 |      0 |        0 |
#
# So the current period has 46 cases (previous 32), 8 urgent (previous 3); 23 referred,
# 18 compensatory, 5 biomechanical.
def standard_cases() -> list[Case]:
    """The data set of the table above, spread over the days of each period; the newest
    case of each clinic falls on LATEST_DAY (north) or the days just before it."""
    cases: list[Case] = []
    for (clinic, period), (mechanisms, urgent, evaluate) in STANDARD.items():
        start = CURRENT_START if period == "current" else PREVIOUS_START
        for n, mechanism in enumerate(_spread(mechanisms)):
            triage = "urgent" if n < urgent else "evaluate" if n < urgent + evaluate else "routine"
            reasons: tuple[str, ...] = ()
            if triage == "urgent":
                reasons = URGENT_REASONS[n % len(URGENT_REASONS)]
            elif triage == "evaluate":
                reasons = ("persistent_despite_rest",)
            day = start + dt.timedelta(days=83 - (n * 5 + CLINIC_SHIFT[clinic]) % 84)
            cases.append(
                Case(
                    intake_id=f"{clinic}-{period}-{n:03d}",
                    clinic_id=clinic,
                    intake_at=dt.datetime.combine(day, dt.time(9, n % 60), dt.UTC),
                    mechanism=mechanism,
                    triage=triage,
                    reasons=reasons,
                    age_years=AGES[n % len(AGES)],
                    sex=SEXES[n % len(SEXES)],
                    knee_injury=KNEE_INJURIES[n % len(KNEE_INJURIES)],
                )
            )
    return cases


def _spread(mechanisms: dict[str, int]) -> Iterator[str]:
    for mechanism, count in mechanisms.items():
        yield from [mechanism] * count


def seed_cases(
    engine: Engine, cases: Sequence[Case], *, received_at: dt.datetime | None = None
) -> None:
    """Load `cases` as one finished file would, classify them and refresh the aggregate."""
    received = received_at or dt.datetime.combine(LATEST_DAY, dt.time(23), dt.UTC)
    with engine.begin() as connection:
        file_id = connection.execute(
            insert(IngestedFile).returning(IngestedFile.id),
            {
                "source_path": f"landing/intake_{received:%Y-%m-%d_%H%M%S}.csv",
                "content_hash": hashlib.sha256(str(received).encode()).hexdigest(),
                "size_bytes": 100 * len(cases),
                "received_at": received,
                "finished_at": received,
                "status": "finished",
                "landing_date": received.date(),
                "records_in": len(cases),
                "records_loaded": len(cases),
                "unknown_columns": [],
            },
        ).scalar_one()
        if cases:
            contents = [_content(case) for case in cases]
            connection.execute(
                insert(CaseVersion),
                [c | {"version": 1, "file_id": file_id, "received_at": received} for c in contents],
            )
            connection.execute(
                insert(IntakeCase),
                [
                    {k: c[k] for k in ("intake_id", *CASE_FIELDS)}
                    | {"version": 1, "file_id": file_id, "updated_at": received}
                    for c in contents
                ],
            )
            connection.execute(
                insert(CaseClassification),
                [_classification(case, received) for case in cases],
            )
        daily_counts.refresh(connection, None)


def seed_run(
    engine: Engine, run_id: str, status: str, finished_at: dt.datetime, detail: str | None = None
) -> None:
    """Record a pipeline run as the pipeline does."""
    with engine.begin() as connection:
        connection.execute(
            insert(PipelineRun),
            {
                "run_id": run_id,
                "job_name": "ingest_job",
                "first_day": finished_at.date(),
                "last_day": finished_at.date(),
                "finished_at": finished_at,
                "status": status,
                "detail": detail,
            },
        )


def seed_quarantine(
    engine: Engine,
    reasons_per_record: Sequence[list[dict[str, Any]]],
    red_flags_per_record: Sequence[list[str]] = (),
) -> None:
    """A file whose records were all quarantined, one per item, with these reasons (and these
    red flags, by position; none where not given), all from clinic `north`."""
    flags = list(red_flags_per_record) + [[]] * (
        len(reasons_per_record) - len(red_flags_per_record)
    )
    received = dt.datetime.combine(LATEST_DAY, dt.time(22), dt.UTC)
    with engine.begin() as connection:
        file_id = connection.execute(
            insert(IngestedFile).returning(IngestedFile.id),
            {
                "source_path": "landing/intake_bad.csv",
                "content_hash": "b" * 64,
                "size_bytes": 1000,
                "received_at": received,
                "finished_at": received,
                "status": "finished",
                "landing_date": received.date(),
                "records_in": len(reasons_per_record),
                "records_quarantined": len(reasons_per_record),
                "unknown_columns": [],
            },
        ).scalar_one()
        connection.execute(
            insert(QuarantinedRecord),
            [
                {
                    "file_id": file_id,
                    "line_number": line,
                    "intake_id": f"bad-{line}",
                    "raw_record": "{}",
                    "reasons": reasons,
                    "quarantined_at": received,
                    "clinic_id": "north",
                    "red_flags": red_flags,
                    "has_red_flag": bool(red_flags),
                }
                for line, (reasons, red_flags) in enumerate(
                    zip(reasons_per_record, flags, strict=True), start=2
                )
            ],
        )


def seed_users(engine: Engine) -> None:
    """An administrator ADMIN and a viewer VIEWER, both with PASSWORD."""
    created_at = dt.datetime.combine(LATEST_DAY, dt.time(8), dt.UTC)
    with engine.begin() as connection:
        connection.execute(
            insert(DashboardUser),
            [
                {
                    "username": name,
                    "role": role,
                    "password_hash": users.hash_password(PASSWORD),
                    "created_at": created_at,
                }
                for name, role in ((ADMIN, "admin"), (VIEWER, "viewer"))
            ],
        )


def seed_audit(engine: Engine, username: str, event: str, at: dt.datetime) -> None:
    with engine.begin() as connection:
        audit.record(connection, username, event, {"from": "2026-01-01"}, at=at)


def _content(case: Case) -> dict[str, Any]:
    return {
        "intake_id": case.intake_id,
        "clinic_id": case.clinic_id,
        "intake_at": case.intake_at,
        "intake_date": case.day,
        "patient_ref": f"P_{case.intake_id.replace('-', '_')}",
        "age_years": case.age_years,
        "sex": case.sex,
        "knee_injury": case.knee_injury,
        "knee_side": "left",
        "injury_date": case.day - dt.timedelta(days=40),
        "knee_instability": False,
        "knee_effusion": True,
        "hip_pain_side": "left",
        "hip_pain_onset_date": case.day - dt.timedelta(days=30),
        "hip_pain_location": "deep_diffuse",
        "pain_score": 5,
        "pain_trend": "stable",
        "antalgic_gait": False,
        "weight_bearing": "full",
        "rest_tried": True,
        "content_hash": hashlib.sha256(case.intake_id.encode()).hexdigest(),
    }


def _classification(case: Case, at: dt.datetime) -> dict[str, Any]:
    return {
        "intake_id": case.intake_id,
        "case_version": 1,
        "rules_version": RULES_VERSION,
        "mechanism": case.mechanism,
        "mechanism_evidence": [],
        "triage": case.triage,
        "triage_reasons": list(case.reasons),
        "classified_at": at,
    }


PREVIOUS_RULES: Final = "2026.11.1"


def seed_rules_candidate(engine: Engine, *, downgraded: int = 0) -> None:
    """The seeded cases classified for real by the previous rules (2026.11.1, approved and in
    force), with the code's rules waiting for approval and their real impact report made;
    `downgraded` cases not urgent are first marked urgent in force, so the report shows that
    many downgrades."""
    from functools import partial

    from sqlalchemy import delete, select, update

    from db.models import CaseClassification, RulesApproval
    from pipeline.classify import classify
    from pipeline.load import classifications
    from pipeline.rules_change import reports

    now = dt.datetime.now(dt.UTC)
    with engine.begin() as connection:
        connection.execute(
            insert(RulesApproval).values(
                version=PREVIOUS_RULES,
                approved_by="seed",
                reason="the rules these cases were classified by",
                accepted_downgrades=False,
                approved_at=now,
            )
        )
        connection.execute(delete(CaseClassification))
        classifier = partial(classify, rules_version=PREVIOUS_RULES)
        classifications.classify_cases(connection, classifier, PREVIOUS_RULES, now)
        not_urgent = connection.execute(
            select(CaseClassification.intake_id)
            .where(CaseClassification.triage != "urgent")
            .order_by(CaseClassification.intake_id)
            .limit(downgraded)
        ).scalars()
        connection.execute(
            update(CaseClassification)
            .where(CaseClassification.intake_id.in_(list(not_urgent)))
            .values(triage="urgent")
        )
        daily_counts.refresh(connection, None)
    reports.make_report(engine, now)
