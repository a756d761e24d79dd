"""Read and bill speed: one year of 15-minute Green Button data (35,040 readings), read and billed.

    /work/main/.venv/bin/python -P benchmarks/read_and_bill_speed.py [--repeat 3]

Writes a SYNTHETIC one-year feed (seeded numpy profile of a medium commercial load: weekdays
07:00-19:00 600-900 kW, other hours 250-350 kW; 2025-01-01..2026-01-01 Pacific) to a temp dir,
then times, best of `--repeat`:
  read     the streaming Green Button reader (tariffc.compiler.meterdata.read_meter_data)
  split    the quality check `compare` runs, and the split into 12 calendar months
  bill     12 monthly bills through the bill API, as `tariffc compare` gives them: E-4 (kWh and
           15-minute maximum demand taken from the intervals) and E-4-TOU (every interval sorted
           into its time-of-use period by the bill engine)
Loading and compiling the schedules is a one-off per process and is printed apart.
Target: read + split + bill under 1 s for each schedule.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np

from tariffc.compiler.compare import compare, parse_candidates
from tariffc.compiler.compare.periods import split, whole_months
from tariffc.compiler.compare.tariffs import bill_errors, load_tariffs
from tariffc.compiler.meterdata.fitness import unfit_for_bills
from tariffc.compiler.meterdata import read_meter_data

ESPI = "http://naesb.org/espi"
LA = ZoneInfo("America/Los_Angeles")
TARGET_SECONDS = 1.0
SCHEDULES = Path(__file__).resolve().parents[1] / "schedules"


def write_year(path: Path, seed: int = 2025) -> int:
    first = int(datetime(2025, 1, 1, tzinfo=LA).timestamp())
    last = int(datetime(2026, 1, 1, tzinfo=LA).timestamp())
    starts = np.arange(first, last, 900)
    local = [datetime.fromtimestamp(int(s), timezone.utc).astimezone(LA) for s in starts]
    busy = np.array([t.weekday() < 5 and 7 <= t.hour < 19 for t in local])
    noise = np.random.default_rng(seed).random(len(starts))
    kw = np.where(busy, 600 + 300 * noise, 250 + 100 * noise)
    wh = np.rint(kw * 250).astype(int)  # kW x 0.25 h x 1000
    meter = "/espi/RetailCustomer/1/UsagePoint/1/MeterReading/1"
    with path.open("w", encoding="utf-8") as out:
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">')
        out.write('<entry><link rel="self" href="/espi/RetailCustomer/1/UsagePoint/1"/>'
                  '<link rel="related" href="/espi/RetailCustomer/1/UsagePoint/1/MeterReading"/>'
                  f'<content><UsagePoint xmlns="{ESPI}"><ServiceCategory><kind>0</kind></ServiceCategory>'
                  '</UsagePoint></content></entry>')
        out.write(f'<entry><link rel="self" href="{meter}"/><link rel="up" href="{meter.rsplit("/", 1)[0]}"/>'
                  f'<link rel="related" href="{meter}/IntervalBlock"/><link rel="related" href="/espi/ReadingType/1"/>'
                  f'<content><MeterReading xmlns="{ESPI}"/></content></entry>')
        out.write(f'<entry><link rel="self" href="/espi/ReadingType/1"/><content><ReadingType xmlns="{ESPI}">'
                  '<flowDirection>1</flowDirection><intervalLength>900</intervalLength>'
                  '<powerOfTenMultiplier>0</powerOfTenMultiplier><uom>72</uom></ReadingType></content></entry>')
        out.write(f'<entry><link rel="self" href="{meter}/IntervalBlock/1"/><link rel="up" href="{meter}/IntervalBlock"/>'
                  f'<content><IntervalBlock xmlns="{ESPI}"><interval><duration>{last - first}</duration>'
                  f'<start>{first}</start></interval>\n')
        for start, value in zip(starts.tolist(), wh.tolist()):
            out.write(f"<IntervalReading><timePeriod><duration>900</duration><start>{start}</start></timePeriod>"
                      f"<value>{value}</value></IntervalReading>\n")
        out.write("</IntervalBlock></content></entry></feed>\n")
    return len(starts)


def timed(function, repeat: int):
    best, result = float("inf"), None
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        best = min(best, time.perf_counter() - started)
    return best, result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args()
    ids = ["E-4", "E-4-TOU"]
    started = time.perf_counter()
    biller, schedules = load_tariffs(SCHEDULES, ids)
    for schedule_id in ids:
        biller.module(schedule_id)
    load_seconds = time.perf_counter() - started
    verdicts = []
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "year_15min.xml"
        count = write_year(path)
        read_seconds, series = timed(lambda: read_meter_data(path), options.repeat)
        assert len(series) == count

        def prepare():
            assert unfit_for_bills(series) is None
            periods, _ = whole_months(series)
            return split(series, periods)

        split_seconds, slices = timed(prepare, options.repeat)
        print(f"file: {count:,} readings of 15 min, {path.stat().st_size / 1e6:.1f} MB, {len(slices)} monthly periods")
        print(f"load + compile schedules {', '.join(ids)} (once per process): {load_seconds:.3f} s")
        print(f"read                      : {read_seconds:.3f} s")
        print(f"quality check + split     : {split_seconds:.3f} s")
        for schedule_id in ids:
            bill_seconds, result = timed(lambda: compare(
                slices, source=str(path), units=series.units, candidates=parse_candidates(schedule_id),
                schedules=schedules, biller=biller, bill_errors=bill_errors()), options.repeat)
            assert result.results and not result.refused, result.refused
            total = read_seconds + split_seconds + bill_seconds
            verdicts.append(total < TARGET_SECONDS)
            print(f"bill 12 months {schedule_id:<8}   : {bill_seconds:.3f} s   (total ${result.results[0].total:,})")
            print(f"  read + split + bill     : {total:.3f} s = {total / TARGET_SECONDS:.2f} x the "
                  f"{TARGET_SECONDS:.0f} s target: {'met' if total < TARGET_SECONDS else 'MISSED'}")
    return 0 if all(verdicts) else 1


if __name__ == "__main__":
    raise SystemExit(main())
