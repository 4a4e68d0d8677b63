"""A small evaluation directory: two intake files and their ground truth, as the generator
writes them (the truth's `mechanism` uses the generator's `none`)."""

from __future__ import annotations

from pathlib import Path
from typing import Final

from tests.files import csv, jsonl, line, obj

CSV_FILE: Final = "intake_c1_2026-11-20.csv"
JSONL_FILE: Final = "intake_c2_2026-11-20.jsonl"
TRUTH_HEADER: Final = (
    "file,line_number,intake_id,record_kind,valid,mechanism,triage,triage_reasons,invalid_rules"
)
TRUTH_ROWS: Final = (
    f"{CSV_FILE},2,A,original,true,none,urgent,no_weight_bearing,",
    f"{CSV_FILE},3,B,original,false,,,,sex:allowed_values",
    f"{CSV_FILE},4,,original,false,,,,_record:malformed",
    f"{CSV_FILE},5,C,original,true,compensatory,routine,,",
    f"{JSONL_FILE},1,D,original,true,referred,urgent,fever,",
    f"{JSONL_FILE},2,E,original,true,none,routine,,",
)


def write_evaluation_directory(directory: Path, *truth_rows: str) -> Path:
    """Write the files and the truth (by default `TRUTH_ROWS`) into `directory`."""
    (directory / CSV_FILE).write_bytes(
        csv(
            line(intake_id="A", weight_bearing="none"),
            line(intake_id="B", sex="x"),
            "short,row",
            line(
                intake_id="C",
                hip_pain_location="lateral",
                trochanteric_tenderness="true",
                antalgic_gait="true",
            ),
        )
    )
    (directory / JSONL_FILE).write_bytes(
        jsonl(obj(intake_id="D", fever_reported=True), obj(intake_id="E"))
    )
    rows = truth_rows or TRUTH_ROWS
    (directory / "ground_truth.csv").write_text("\n".join([TRUTH_HEADER, *rows]) + "\n")
    return directory
