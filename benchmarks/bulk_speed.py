"""Bulk billing against the memory-bandwidth floor: 52,000 synthetic customers x an hourly year (2029,
8,760 intervals, int64 Wh: 3.6 GB in all), 12 calendar-month E-1 and E-2 bills each (version
2025-07-01), through `tariffc.compiler.vector.bill_grid`, in chunks of customers so memory stays
near one chunk (2,000 x 8,760 x 8 bytes = 140 MB).

The floor is measured in the same run on the same bytes: ``chunk.sum()`` (an int64 sum that reads
every byte once). Each chunk is generated (seeded, not timed), then the floor, E-1 and E-2 are timed
on it back to back (interleaved); the times are added over the chunks. Times are process CPU time
(`time.process_time`; this machine is shared, so wall time would also count waiting for a core;
numpy runs these operations on one thread, so CPU time is the call's own time); wall time is
shown beside it. Target (issue 11): each
schedule's bulk billing within 5x of the floor. Customer 0's bills are checked against the scalar
bill function (exact equality) before the timing.

    .venv/bin/python benchmarks/bulk_speed.py [--customers 52000] [--chunk 2000]
"""

from __future__ import annotations

import argparse
import gc
import datetime as dt
import sys
import time
from fractions import Fraction
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np

from tariffc.compiler.api import Tariffs, make_inputs
from tariffc.compiler.vector import TimeGrid, bill_grid, monthly_periods

ROOT = Path(__file__).resolve().parents[1]
TZ = "America/Los_Angeles"
YEAR = 2029
SEED = 52000


def population_chunk(index: int, customers: int, hours: int) -> np.ndarray:
    """Seeded synthetic hourly Wh (customers, hours): a per-customer scale (small homes to small
    businesses), a daily shape and noise. Chunk `index` is the same on every run."""
    rng = np.random.default_rng([SEED, index])
    scale = rng.integers(300, 3000, customers)[:, None]  # Wh per hour at night
    hour = np.arange(hours) % 24
    shape = np.array([1, 1, 1, 1, 1, 1, 2, 3, 3, 2, 2, 2, 2, 2, 2, 3, 4, 5, 5, 4, 3, 2, 1, 1])[hour]
    wh = scale * shape[None, :]
    wh += rng.integers(0, 500, (customers, hours))
    return wh.astype(np.int64, copy=False)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--customers", type=int, default=52_000)
    parser.add_argument("--chunk", type=int, default=2_000)
    args = parser.parse_args(argv)

    tariffs = Tariffs.load(ROOT / "schedules")
    zone = ZoneInfo(TZ)
    start = int(dt.datetime(YEAR, 1, 1, tzinfo=zone).timestamp())
    end = int(dt.datetime(YEAR + 1, 1, 1, tzinfo=zone).timestamp())
    grid = TimeGrid(start, 3600, (end - start) // 3600, TZ)
    periods = monthly_periods(dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31))
    schedules = {sid: tariffs.schedule(sid) for sid in ("E-1", "E-2")}

    # exactness spot check: customer 0 against the scalar bill function, all 12 months
    first = population_chunk(0, min(args.chunk, args.customers), grid.count)
    utc = dt.timezone.utc
    for sid, schedule in schedules.items():
        result = bill_grid(schedule, periods, grid, first[:1])
        for b, (a, z) in enumerate(periods):
            lo = int(dt.datetime.combine(a, dt.time(0), tzinfo=zone).timestamp())
            hi = int(dt.datetime.combine(z, dt.time(0), tzinfo=zone).timestamp())
            records = [(dt.datetime.fromtimestamp(t, utc), 3600, Fraction(int(first[0, (t - start) // 3600]), 1000))
                       for t in range(lo, hi, 3600)]
            scalar = tariffs.module(sid).bill(make_inputs(start=a, end=z, intervals=records))
            assert (result.bill(0, b).lines, result.bill(0, b).total_exact, result.bill(0, b).total) == (scalar.lines, scalar.total_exact, scalar.total), (sid, a)
    del first

    times = {"floor (int64 sum)": 0.0, **{sid: 0.0 for sid in schedules}}
    walls = dict.fromkeys(times, 0.0)
    sink = 0
    cents = {sid: 0 for sid in schedules}
    done = 0
    index = 0
    fallback = False
    while done < args.customers:
        n = min(args.chunk, args.customers - done)
        wh = population_chunk(index, n, grid.count)
        gc.collect()
        gc.disable()  # as timeit does
        w0, t0 = time.perf_counter(), time.process_time()
        sink += int(wh.sum())
        times["floor (int64 sum)"] += time.process_time() - t0
        walls["floor (int64 sum)"] += time.perf_counter() - w0
        for sid, schedule in schedules.items():
            w0, t0 = time.perf_counter(), time.process_time()
            result = bill_grid(schedule, periods, grid, wh)
            times[sid] += time.process_time() - t0
            walls[sid] += time.perf_counter() - w0
            cents[sid] += int(result.total_units.sum())
            fallback |= result.fallback
        gc.enable()
        done += n
        index += 1
        del wh
    gb = args.customers * grid.count * 8 / 1e9
    print(f"bulk: {args.customers:,} customers x {grid.count:,} hourly intervals ({gb:.2f} GB int64), 12 monthly "
          f"bills each, chunks of {args.chunk:,} (interleaved per chunk)")
    floor = times["floor (int64 sum)"]
    print(f"  floor (int64 sum)   {floor:8.3f} s CPU  {gb / floor:6.1f} GB/s   (wall {walls['floor (int64 sum)']:.3f} s; "
          f"checksum {sink})")
    met_all = True
    for sid in schedules:
        ratio = times[sid] / floor
        met = ratio <= 5
        met_all &= met
        bills = args.customers * len(periods)
        print(f"  {sid:<6} bill_grid     {times[sid]:8.3f} s CPU  {bills / times[sid]:12,.0f} bills/s   "
              f"{ratio:5.2f}x the floor   target <= 5x   {'met' if met else 'NOT MET'}   "
              f"(wall {walls[sid]:.3f} s, {walls[sid] / walls['floor (int64 sum)']:.2f}x; "
              f"sum of totals ${cents[sid] / 100:,.2f})")
    print(f"  overflow fallback used: {fallback}")
    return 0 if met_all else 1


if __name__ == "__main__":
    sys.exit(main())
