"""Run the generator: plan, then simulate, spoil, render and write one chunk at a time."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from pipeline.generate import columns as col
from pipeline.generate.cases import simulate_originals
from pipeline.generate.config import (
    INTAKE_FILE_PATTERNS,
    TRUTH_FILE_NAME,
    GenerationConfig,
    intake_file_name,
)
from pipeline.generate.defects import inject_defects
from pipeline.generate.lines import render_lines
from pipeline.generate.plan import Chunk, RunPlan, chunk_generator, day_of, make_plan
from pipeline.generate.render import render_text
from pipeline.generate.resend import CORRECTION, ORIGINAL, RESEND, keep_sources, resends_for_chunk
from pipeline.generate.truth import VALID, truth_rows, with_truth
from pipeline.generate.writer import IntakeWriter

ProgressCallback = Callable[[int], None]
"""Told how many more records have been written, after each chunk."""


class ForeignIntakeFilesError(Exception):
    """The output directory holds intake files this run would not overwrite."""


@dataclass(frozen=True, slots=True)
class GenerationSummary:
    """What a run wrote."""

    out_dir: Path
    truth_file: Path
    files: int
    records: int
    invalid_records: int
    resends: int
    corrections: int


def generate(
    config: GenerationConfig, on_progress: ProgressCallback | None = None
) -> GenerationSummary:
    """Write the intake files and the truth file of `config` into `config.out_dir`."""
    plan = make_plan(config)
    names = [
        intake_file_name(plan.clinics[c].clinic_id, day_of(int(d)), config.output_format)
        for d, c in zip(plan.files.day, plan.files.clinic, strict=True)
    ]
    _prepare_out_dir(config, set(names))
    file_names = pl.Series(names, dtype=pl.String)
    waiting: pl.DataFrame | None = None
    tally = _Tally()
    with IntakeWriter(config.out_dir, config.output_format, names) as writer:
        for chunk in plan.chunks:
            waiting = _write_chunk(
                config=config,
                plan=plan,
                chunk=chunk,
                waiting=waiting,
                writer=writer,
                file_names=file_names,
                tally=tally,
            )
            if on_progress is not None:
                on_progress(tally.last_batch)
    return GenerationSummary(
        out_dir=config.out_dir,
        truth_file=config.out_dir / TRUTH_FILE_NAME,
        files=plan.files.count,
        records=tally.records,
        invalid_records=tally.invalid,
        resends=tally.resends,
        corrections=tally.corrections,
    )


@dataclass(slots=True)
class _Tally:
    """Running counts of what has been written."""

    records: int = 0
    invalid: int = 0
    resends: int = 0
    corrections: int = 0
    last_batch: int = 0

    def add(self, batch: pl.DataFrame) -> None:
        kinds = batch[col.KIND]
        self.last_batch = batch.height
        self.records += batch.height
        self.invalid += batch.height - int(batch[VALID].sum())
        self.resends += int((kinds == RESEND).sum())
        self.corrections += int((kinds == CORRECTION).sum())


def _write_chunk(
    *,
    config: GenerationConfig,
    plan: RunPlan,
    chunk: Chunk,
    waiting: pl.DataFrame | None,
    writer: IntakeWriter,
    file_names: pl.Series,
    tally: _Tally,
) -> pl.DataFrame:
    """Simulate, spoil, render and write one chunk; return the records still to be re-sent.

    A function of its own so that a chunk's frames are freed before the next chunk starts.
    """
    rng = chunk_generator(config.seed, chunk.index)
    originals = render_text(simulate_originals(rng, plan, chunk, config.output_format))
    in_file = plan.files.originals[originals[col.FILE].to_numpy()]
    originals = inject_defects(
        rng, originals, config.output_format, config.invalid_rate, in_file
    ).with_columns(pl.lit(ORIGINAL).alias(col.KIND))
    sources = keep_sources(originals)
    waiting = sources if waiting is None else pl.concat([waiting, sources])
    repeated, waiting = resends_for_chunk(rng, plan, chunk, waiting)
    batch = with_truth(pl.concat([repeated, originals]).sort(col.FILE, col.LINE_ORDER))
    del originals, repeated
    line_numbers = writer.write_lines(
        batch[col.FILE].to_numpy(),
        render_lines(batch, config.output_format),
        _continuing_file(plan, chunk),
    )
    writer.write_truth(truth_rows(batch, line_numbers, file_names))
    tally.add(batch)
    return waiting


def _continuing_file(plan: RunPlan, chunk: Chunk) -> int | None:
    """The file whose originals go on into the next chunk, if any."""
    files = plan.files
    if chunk.end_original >= int(files.originals.sum()):
        return None
    last = int((files.first_original <= chunk.end_original - 1).nonzero()[0][-1])
    ends = int(files.first_original[last] + files.originals[last])
    return last if ends > chunk.end_original else None


def _prepare_out_dir(config: GenerationConfig, planned: set[str]) -> None:
    """Refuse to mix runs: other intake files in the directory would have no truth rows.

    Files this run writes anyway (the same names) are simply overwritten; with
    `replace_existing`, every intake file there is removed first.
    """
    out = config.out_dir
    existing = sorted(path for pattern in INTAKE_FILE_PATTERNS for path in out.glob(pattern))
    foreign = [path for path in existing if path.name not in planned]
    if foreign and not config.replace_existing:
        raise ForeignIntakeFilesError(
            f"{out} already holds {len(foreign)} intake file(s) this run would not write "
            f"(e.g. {foreign[0].name}); their records would be missing from {TRUTH_FILE_NAME}. "
            "Remove them or choose another directory."
        )
    for path in existing if config.replace_existing else ():
        path.unlink()
