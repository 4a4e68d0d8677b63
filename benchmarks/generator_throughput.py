"""Time and peak memory of one generator run:
`python -m benchmarks.generator_throughput --records 1000000`."""

from __future__ import annotations

import argparse
import resource
import shutil
import tempfile
import time
from datetime import date
from pathlib import Path

from pipeline.generate import GenerationConfig, OutputFormat, generate

_KIB: int = 1024


def main(argv: list[str] | None = None) -> None:
    """Run one benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--clinics", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--format", choices=[f.value for f in OutputFormat], default="csv")
    parser.add_argument("--invalid-rate", type=float, default=0.02)
    parser.add_argument("--keep", type=Path, help="write here and keep the files")
    args = parser.parse_args(argv)
    out = args.keep or Path(tempfile.mkdtemp(prefix="intake-bench-"))
    config = GenerationConfig(
        records=args.records,
        days=args.days,
        end_date=date(2026, 11, 20),
        clinics=args.clinics,
        seed=args.seed,
        output_format=OutputFormat(args.format),
        invalid_rate=args.invalid_rate,
        out_dir=out,
        replace_existing=True,
    )
    wall, cpu = time.perf_counter(), time.process_time()
    summary = generate(config)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    written = sum(path.stat().st_size for path in out.iterdir())
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / _KIB  # Linux: KiB
    print(
        f"records={summary.records} files={summary.files} format={args.format} "
        f"wall_s={wall:.2f} cpu_s={cpu:.2f} records_per_s={summary.records / wall:,.0f} "
        f"peak_rss_mib={peak_mib:.0f} written_mib={written / _KIB / _KIB:.0f}"
    )
    if args.keep is None:
        shutil.rmtree(out)


if __name__ == "__main__":
    main()
