"""Bills per second of a compiled bill module (E-1 from totals; E-4-TOU over one month of 15-minute
intervals, synthetic and seeded), and the ratio compiled : reference interpreter.

    .venv/bin/python benchmarks/bill_speed.py [SCHEDULES_DIR]
"""

from __future__ import annotations

import datetime as dt
import random
import sys
import time
from fractions import Fraction
from pathlib import Path
from zoneinfo import ZoneInfo

from tariffc.compiler.api import Tariffs, make_inputs
from tariffc.compiler.interpret import interpret


def month_of_intervals(seed: int = 20250701):
    rng = random.Random(seed)
    tz = ZoneInfo("America/Los_Angeles")
    t = dt.datetime(2025, 7, 1, tzinfo=tz).astimezone(dt.timezone.utc)
    stop = dt.datetime(2025, 7, 31, tzinfo=tz).astimezone(dt.timezone.utc)
    out = []
    while t < stop:
        out.append((t, 900, Fraction(rng.randint(50, 400), 10)))
        t += dt.timedelta(minutes=15)
    return out


def rate(fn, seconds: float = 2.0) -> float:
    calls, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        fn()
        calls += 1
    return calls / (time.perf_counter() - start)


def main(directory: str = "schedules") -> None:
    tariffs = Tariffs.load(Path(directory))
    cases = {
        "E-1 (600 kWh, 30 days)": ("E-1", make_inputs(start="2025-07-01", end="2025-07-31", kwh="600")),
        "E-4-TOU (2,880 15-minute intervals)": (
            "E-4-TOU", make_inputs(start="2025-07-01", end="2025-07-31", intervals=month_of_intervals())),
    }
    for label, (schedule_id, inputs) in cases.items():
        module, schedule = tariffs.module(schedule_id), tariffs.schedule(schedule_id)
        assert module.bill(inputs).total_exact == interpret(schedule, inputs).total_exact
        compiled = rate(lambda: module.bill(inputs))
        reference = rate(lambda: interpret(schedule, inputs))
        print(f"{label:<38} compiled {compiled:10.1f} bills/s   interpreter {reference:10.1f} bills/s   "
              f"ratio {compiled / reference:5.2f}x")


if __name__ == "__main__":
    main(*sys.argv[1:])
