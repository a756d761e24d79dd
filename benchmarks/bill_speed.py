"""Scalar bill speed, measured side by side in one run (interleaved rounds, so load on the machine
falls on every contender alike):

- E-1 from totals (600 kWh, 2025-07-01 to 2025-07-31): the compiled bill function vs the
  reference interpreter vs the same arithmetic hand-written with Decimal in this file.
  Targets (issue 11): compiled >= 20x the interpreter, and within 5x of the hand-written function.
- E-4-TOU over a month of 15-minute intervals (seeded synthetic load): compiled vs interpreter.

    .venv/bin/python benchmarks/bill_speed.py [SCHEDULES_DIR] [--rounds N]

Every contender's result is checked against the others before timing (the exact total and, for the
hand-written function, the rounded total).
"""

from __future__ import annotations

import datetime as dt
import random
import sys
import time
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from tariffc.compiler.api import Tariffs, make_inputs
from tariffc.compiler.interpret import interpret

D = Decimal
CENT = D("0.01")


def e1_by_hand(kwh: Decimal, days: int) -> Decimal:
    """E-1 effective 2025-07-01 (schedules/electric/E-1.tariff), written by hand: tier 1 is 15 kWh
    per day of the bill, each component priced on its own, the customer charge once per bill, the
    total rounded half-up to the cent."""
    tier1 = min(kwh, 15 * days)
    tier2 = kwh - tier1
    total = (tier1 * D("0.10373") + tier1 * D("0.09593") + tier1 * D("0.00604")
             + tier2 * D("0.13372") + tier2 * D("0.08968") + tier2 * D("0.00604") + D("5.15"))
    return total.quantize(CENT, rounding=ROUND_HALF_UP)


def month_of_intervals(seed: int = 20250701):
    rng = random.Random(seed)
    tz = ZoneInfo("America/Los_Angeles")
    t = dt.datetime(2025, 7, 1, tzinfo=tz).astimezone(dt.timezone.utc)
    stop = dt.datetime(2025, 7, 31, tzinfo=tz).astimezone(dt.timezone.utc)
    out = []
    while t < stop:
        out.append((t, 900, str(D(rng.randint(50, 400)) / 10)))
        t += dt.timedelta(minutes=15)
    return out


def interleaved(contenders: dict, rounds: int, budget: float) -> dict[str, float]:
    """Seconds per call of each contender: `rounds` rounds, each giving every contender about
    `budget` seconds in turn."""
    spent = {name: 0.0 for name in contenders}
    calls = {name: 0 for name in contenders}
    for _ in range(rounds):
        for name, fn in contenders.items():
            n, start = 0, time.perf_counter()
            while True:
                fn()
                n += 1
                elapsed = time.perf_counter() - start
                if elapsed >= budget:
                    break
            spent[name] += elapsed
            calls[name] += n
    return {name: spent[name] / calls[name] for name in contenders}


def verdict(ok: bool) -> str:
    return "met" if ok else "NOT met"


def main(argv: list[str]) -> None:
    rounds = 5
    if "--rounds" in argv:
        i = argv.index("--rounds")
        rounds = int(argv[i + 1])
        argv = argv[:i] + argv[i + 2:]
    tariffs = Tariffs.load(Path(argv[0] if argv else "schedules"))

    # ---------------------------------------------------------------- E-1 from totals
    e1, e1_ir = tariffs.module("E-1"), tariffs.schedule("E-1")
    inputs = make_inputs(start="2025-07-01", end="2025-07-31", kwh="600")
    compiled_bill, reference = e1.bill(inputs), interpret(e1_ir, inputs)
    assert compiled_bill.total_exact == reference.total_exact and compiled_bill.total == reference.total
    assert e1_by_hand(D(600), 30) == compiled_bill.total, (e1_by_hand(D(600), 30), compiled_bill.total)
    t = interleaved({"compiled": lambda: e1.bill(inputs), "interpreter": lambda: interpret(e1_ir, inputs),
                     "hand-written Decimal": lambda: e1_by_hand(D(600), 30)}, rounds, 0.2)
    print(f"E-1 from totals (600 kWh, 30 days), {rounds} interleaved rounds; total ${compiled_bill.total}")
    for name, seconds in t.items():
        print(f"  {name:<22}{seconds * 1e6:10.2f} us/bill  {1 / seconds:12,.0f} bills/s")
    speedup = t["interpreter"] / t["compiled"]
    behind = t["compiled"] / t["hand-written Decimal"]
    print(f"  compiled vs interpreter:          {speedup:7.1f}x faster   (target >= 20x: {verdict(speedup >= 20)})")
    print(f"  compiled vs hand-written Decimal: {behind:7.1f}x slower   (target <= 5x: {verdict(behind <= 5)})")

    # ---------------------------------------------------------------- E-4-TOU from a month of intervals
    tou, tou_ir = tariffs.module("E-4-TOU"), tariffs.schedule("E-4-TOU")
    inputs = make_inputs(start="2025-07-01", end="2025-07-31", intervals=month_of_intervals())
    a, b = tou.bill(inputs), interpret(tou_ir, inputs)
    assert a.total_exact == b.total_exact
    t = interleaved({"compiled": lambda: tou.bill(inputs), "interpreter": lambda: interpret(tou_ir, inputs)},
                    max(1, rounds // 2), 0.5)
    print(f"E-4-TOU, 2,880 15-minute intervals (2025-07); total ${a.total}")
    for name, seconds in t.items():
        print(f"  {name:<22}{seconds * 1e3:10.2f} ms/bill")
    print(f"  compiled vs interpreter:          {t['interpreter'] / t['compiled']:7.1f}x faster   (no target)")


if __name__ == "__main__":
    main(sys.argv[1:])
