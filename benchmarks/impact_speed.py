"""Population bill impact speed: 52,000 synthetic customers x an hourly year, E-1 FY2025 -> FY2026
(version 2024-07-01 -> 2025-07-01), from the Parquet dataset to the summary.

    .venv/bin/python -P benchmarks/impact_speed.py [--customers 52000] [--data DIR] [--scaling-parts 8]

Stages (single process, part by part, as `tariffc impact --data` runs them):
  read      Parquet part -> numpy arrays (pyarrow; decompress, decode, cast)
  check     per-customer checks (one interval length, no overlap, the whole test year covered)
  bill      12 monthly bills per customer under each version (the vectorised backend when installed,
            else the scalar bill functions; printed), summed per customer
  summary   count, mean, nearest-rank percentiles, by usage band
The floor is measured in the same run, interleaved part by part: an int64 sum over an in-memory
buffer of the same bytes the pipeline decodes per part (start + value: 16 bytes per interval), which
reads every byte once; ratio = stage time / floor time.
Dask: the same parts billed with `--workers 1` and `--workers 2` (dask.bag, local processes) on the
first `--scaling-parts` parts; the results are checked identical to the single-process run.
The data are synthetic (tariffc synth, seed 1): no real customer data exists in this project.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import tempfile
import time
from pathlib import Path

import numpy as np

from tariffc.compiler.api import Tariffs
from tariffc.compiler.bulk import backend as backends
from tariffc.compiler.bulk import dataset, driver, population
from tariffc.compiler.bulk.summary import summarize
from tariffc.compiler.bulk.synth import synthesize

SCHEDULES = Path(__file__).resolve().parents[1] / "schedules"


def floor_seconds(buffer: np.ndarray) -> float:
    t0 = time.perf_counter()
    buffer.sum()
    return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=52_000)
    parser.add_argument("--data", type=Path, default=None, help="reuse (or create and keep) this dataset")
    parser.add_argument("--scaling-parts", type=int, default=8, help="parts billed for the Dask 1 -> 2 workers run")
    args = parser.parse_args()

    temporary = None
    root = args.data
    if root is None:
        temporary = Path(tempfile.mkdtemp(prefix="tariffc-impact-bench-"))
        root = temporary / "pop"
    print(f"machine: {os.cpu_count()} cores; load average {os.getloadavg()[0]:.1f} (shared machine)")
    try:
        if not (root / "dataset.json").is_file():
            t0 = time.perf_counter()
            synthesize(root, customers=args.customers, seed=1)
            print(f"setup  synth {args.customers} customers -> {root}: {time.perf_counter() - t0:.1f} s (not timed below)")
        parts = dataset.part_paths(root)
        disk = sum(p.stat().st_size for p in parts)
        tariffs = Tariffs.load(SCHEDULES)
        plan = population.make_plan(tariffs, schedules_dir=str(SCHEDULES), schedules=["E-1"],
                                    current=dt.date(2024, 7, 1), proposed=dt.date(2025, 7, 1))
        used = backends.choose(tariffs, plan.backend).name
        population._TARIFFS[str(SCHEDULES)] = tariffs  # compile once, outside the timed loop
        print(f"backend: {used}; {len(parts)} parts, {disk / 1e6:.0f} MB of Parquet on disk")

        timings: dict[str, float] = {}
        floor = 0.0
        results, refusals = [], []
        rows = 0
        buffer = None
        t_all = time.perf_counter()
        for part in parts:
            got, refused = population.bill_part(part, plan, {}, timings)
            results += got
            refusals += refused
            n = dataset.read_part(part, ["seconds"]).num_rows if buffer is None else rows_per_part
            if buffer is None:
                rows_per_part = n
                buffer = np.ones(2 * n, dtype=np.int64)  # start + value, 16 bytes per interval
            rows += n
            floor += min(floor_seconds(buffer), floor_seconds(buffer))
        t_parts = time.perf_counter() - t_all
        t0 = time.perf_counter()
        summary = summarize(plan, results, refusals)
        timings["summary"] = time.perf_counter() - t0
        customers = len(results) + len(refusals)
        total = sum(timings.values())
        gigabytes = rows * 16 / 1e9
        print(f"\n{customers} customers ({len(results)} billed, {len(refusals)} refused), {rows:,} intervals, "
              f"{gigabytes:.2f} GB decoded (start + value)")
        print(f"  {'stage':<10}{'seconds':>10}{'customers/s':>14}{'x floor':>10}")
        for stage in ("read", "check", "bill", "summary"):
            seconds = timings.get(stage, 0.0)
            print(f"  {stage:<10}{seconds:>10.2f}{customers / seconds if seconds else 0:>14,.0f}{seconds / floor:>10.1f}")
        print(f"  {'total':<10}{total:>10.2f}{customers / total:>14,.0f}{total / floor:>10.1f}")
        print(f"  {'floor':<10}{floor:>10.3f}   int64 sum of the same bytes: {gigabytes / floor:.1f} GB/s")
        print(f"  (wall time of the part loop {t_parts:.1f} s includes the floor measurements)")
        print(f"  mean change ${summary['change_dollars'].get('mean')}, median % change "
              f"{summary['change_percent'].get('p50')}%")

        chosen = parts[: args.scaling_parts]
        subset = Path(tempfile.mkdtemp(prefix="tariffc-impact-subset-"))
        try:
            (subset / "parts").mkdir()
            for part in chosen:
                os.symlink(part, subset / "parts" / part.name)
            shutil.copy(root / "dataset.json", subset / "dataset.json")
            single = driver.run(plan, subset)
            print(f"\nDask scaling on {len(chosen)} parts ({len(single[0]) + len(single[1])} customers), dask.bag "
                  "with local processes:")
            base = None
            for workers in (1, 2):
                t0 = time.perf_counter()
                out = driver.run(plan, subset, workers=workers)
                seconds = time.perf_counter() - t0
                base = base or seconds
                same = "identical to one process" if out == single else "DIFFERENT from one process"
                print(f"  workers {workers}: {seconds:7.2f} s  {sum(len(x) for x in out) / seconds:8,.0f} customers/s  "
                      f"speed-up {base / seconds:4.2f}x  ({same})")
        finally:
            shutil.rmtree(subset)
        print("\n16 workers / a cluster: parts are independent (whole customers, no shuffle), so the map is "
              "embarrassingly parallel; each worker needs ~one part in memory (~0.3 GB for 1000 customers x 8760 "
              "h). Expected: near-linear in cores until the Parquet read (decompression) or the shared memory "
              "bandwidth saturates; on a cluster, linear in nodes for datasets of many parts (52 parts here: "
              "16 workers run 4 waves, so ~13x at best). Measure with `--scheduler tcp://HOST:8786`.")
    finally:
        if temporary is not None:
            shutil.rmtree(temporary)


if __name__ == "__main__":
    main()
