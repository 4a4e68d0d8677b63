"""Free-text notes as a clinician types them: short phrases, commas, quotes, the odd line break.

Notes never carry names, addresses, phone numbers or birth dates (the form is pseudonymous).
"""

from __future__ import annotations

from typing import Final

import numpy as np
import polars as pl

from pipeline.generate import parameters as p
from pipeline.generate.arrays import IntArray
from pipeline.generate.parameters import Presentation

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
    "Desk job, cycles to work.",
    "Interpreter used at intake.",
    "Review in 2 weeks if no better.",
    "Pain 6/10 at night, 3/10 at rest during the day.",
    "Plays five-a-side football twice a week.",
)
"""Phrases that fit any patient."""

PHRASES_BY_PRESENTATION: Final[dict[Presentation, tuple[str, ...]]] = {
    Presentation.REFERRED: (
        "Deep ache in the hip, hard to point to.",
        "Hip aches when the knee is loaded.",
        "Knee swollen after long walks, hip aches at the same time.",
    ),
    Presentation.COMPENSATORY: (
        "Limping since the injury, sore on the outer hip.",
        "Cannot lie on that side, tender over the trochanter.",
        "Hip tires quickly when walking, pelvis dips.",
    ),
    Presentation.BIOMECHANICAL: (
        'Knee "gives way" on stairs, then the groin hurts.',
        "Knee falls inward on squatting.",
        "Groin pain on twisting, e.g. getting out of the car.",
    ),
    Presentation.MIXED_COMPENSATORY_BIOMECHANICAL: (
        "Limps, and the groin catches on pivoting.",
        "Outer hip sore after walking, knee unstable.",
    ),
    Presentation.MIXED_REFERRED_COMPENSATORY: (
        "Deep ache from the knee, and limping since.",
        "Knee effusion, walks with a limp, hip aches deep inside.",
    ),
    Presentation.NO_CLEAR_MECHANISM: (
        "Unsure when the hip pain started.",
        "Hip pain not clearly related to the knee.",
    ),
    Presentation.HIP_PAIN_BEFORE_INJURY: (
        "Hip stiff for years, worse since the fall.",
        "Known hip arthritis, on the waiting list for review.",
    ),
}
"""Phrases that hint at each presentation, as a clinician would jot them down."""

_SPECIFIC: Final = tuple(phrase for pr in Presentation for phrase in PHRASES_BY_PRESENTATION[pr])
_SPECIFIC_COUNT: Final = np.array([len(PHRASES_BY_PRESENTATION[pr]) for pr in Presentation])
_SPECIFIC_OFFSET: Final = np.concatenate(([0], np.cumsum(_SPECIFIC_COUNT)[:-1]))
_ALL_PHRASES: Final = pl.Series("phrase", GENERAL_PHRASES + _SPECIFIC, dtype=pl.String)


def draw_notes(rng: np.random.Generator, presentation: IntArray) -> pl.Series:
    """A note for every patient: one or two phrases, the first often typical of the case."""
    size = len(presentation)
    general_count = len(GENERAL_PHRASES)
    specific = len(GENERAL_PHRASES) + _SPECIFIC_OFFSET[presentation]
    specific += np.floor(rng.random(size) * _SPECIFIC_COUNT[presentation]).astype(np.int64)
    general = rng.integers(0, general_count, size)
    first = np.where(rng.random(size) < p.NOTE_STARTS_TYPICAL_SHARE, specific, general)
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
