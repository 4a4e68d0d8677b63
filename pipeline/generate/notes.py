"""Free-text notes as a clinician types them: short phrases, commas, quotes, the odd line break.

Notes never carry names, addresses, phone numbers or birth dates (the form is pseudonymous).
"""

from __future__ import annotations

from typing import Final

import numpy as np
import polars as pl

from pipeline.contract.fields import FIELDS_BY_NAME
from pipeline.generate import parameters as p
from pipeline.generate.findings import Findings
from pipeline.generate.sampling import BoolArray

GENERAL_PHRASES: Final = (
    "Referred by GP.",
    "Seen in the emergency department last week, knee X-ray reported normal.",
    "Works standing all day.",
    "Keen to return to running.",
    "Sleeps badly because of the hip.",
    "Uses a stick outdoors.",
    "Physio booked, not started yet.",
    "Paracetamol and ibuprofen, some relief.",
    "Stairs are the worst – going down more than up.",  # noqa: RUF001 (UTF-8 on purpose)
    'Describes the pain as "nagging".',
    "Previous arthroscopy on the same knee.",
    "Unsure when the hip pain started.",
    "Had a sore hip years ago, settled with physio.",
    "Desk job, cycles to work.",
    "Interpreter used at intake.",
    "Review in 2 weeks if no better.",
    "Pain 6/10 at night, 3/10 at rest during the day.",
    "Plays five-a-side football twice a week.",
)
"""Phrases that fit any patient."""

FINDING_PHRASES: Final[tuple[tuple[str, str | None, str], ...]] = (
    ("antalgic_gait", None, "Limping since the injury."),
    ("trochanteric_tenderness", None, "Cannot lie on that side at night."),
    ("knee_instability", None, 'Knee "gives way" on stairs.'),
    ("knee_effusion", None, "Knee swollen after long walks."),
    ("worse_with_walking", None, "Hip worse after walking the dog."),
    ("hip_pain_location", "deep_diffuse", "Deep ache in the hip, hard to point to."),
    ("hip_pain_location", "groin", "Groin pain on twisting, e.g. getting out of the car."),
    ("hip_pain_location", "lateral", "Sore on the outer hip."),
    ("hip_pain_location", "buttock", "Ache in the buttock when sitting."),
)
"""Phrases that put one finding into words: (field, value or None for a yes/no finding that
holds, phrase). A note describes what the clinician saw, never the mechanism behind it, so no
phrase belongs to one mechanism: each follows a finding that several mechanisms share."""

_ALL_PHRASES: Final = pl.Series(
    "phrase", GENERAL_PHRASES + tuple(phrase for *_, phrase in FINDING_PHRASES), dtype=pl.String
)


def _finding_holds(findings: Findings, field: str, value: str | None) -> BoolArray:
    if value is None:
        return findings.present[field]
    holds: BoolArray = findings.value_index[field] == FIELDS_BY_NAME[field].allowed.index(value)
    return holds


def draw_notes(rng: np.random.Generator, findings: Findings) -> pl.Series:
    """A note for every patient: one or two phrases, the first often one of the findings in
    words (a phrase picked at random, used when its finding holds)."""
    size = len(findings.value_index["hip_pain_location"])
    general_count = len(GENERAL_PHRASES)
    pick = rng.integers(0, len(FINDING_PHRASES), size)
    holds = np.zeros(size, dtype=np.bool_)
    for i, (field, value, _) in enumerate(FINDING_PHRASES):
        holds |= (pick == i) & _finding_holds(findings, field, value)
    general = rng.integers(0, general_count, size)
    about_finding = holds & (rng.random(size) < p.NOTE_STARTS_WITH_A_FINDING_SHARE)
    first = np.where(about_finding, general_count + pick, general)
    second = rng.integers(0, general_count, size)
    two_phrases = rng.random(size) < p.NOTE_TWO_PHRASES_SHARE
    line_break = rng.random(size) < p.NOTE_WITH_LINE_BREAK_SHARE
    frame = pl.DataFrame(
        {
            "first": _ALL_PHRASES.gather(first),
            "second": _ALL_PHRASES.gather(second),
            "two": two_phrases,
            "line_break": line_break,
        }
    )
    separator = pl.when(pl.col("line_break")).then(pl.lit("\n")).otherwise(pl.lit(" "))
    return frame.select(
        pl.when(pl.col("two") & (pl.col("first") != pl.col("second")))
        .then(pl.concat_str(pl.col("first"), separator, pl.col("second")))
        .otherwise(pl.col("first"))
        .alias("notes")
    ).to_series()
