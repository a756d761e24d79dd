"""A. Applicability judged from each customer's test year in a population run (`tariffc impact --data`).

A bound judged over history (`limit demand 500 to 1000 kW for 3 consecutive months in 12`, `limit
usage up_to 250000 therms per year when commercial`) is judged per customer from the year's
interval data: each billing period of the plan is one month, its maximum demand the largest average
kW over the schedule's demand interval in clock-aligned blocks (as `compare` measures it), its usage
the period's energy. `compiler/applicability.py` gives the verdict; a `when` condition reads the
customer's named inputs (`--set` or a customers.csv column such as `commercial`).

The verdict is reported beside the bills (`results.csv` columns `<column>_applicability` and
`<column>_applicability_reason`, counts in summary.json); the bills are computed either way, so an
analyst sees what the customers not eligible would have paid.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction

from tariffc.compiler import applicability
from tariffc.compiler.ir import Schedule

DEFAULT_DEMAND_MINUTES = 15


def history_limits(schedule: Schedule) -> list:
    return [limit for limit in schedule.limits if applicability.judged_over_history(limit)]


def monthly_values(wh, seconds: int, edges: Sequence[int], quantity: str, minutes: int | None) -> list[list]:
    """Per customer (rows of `wh`, integer Wh or millitherms on a grid of `seconds` from local midnight),
    per period (`edges`: the first grid index of each period; the last runs to the end), the month's
    value: usage (kWh or therms, exact) or maximum demand (kW, exact; None when the data are coarser
    than the demand interval)."""
    import numpy as np  # noqa: PLC0415

    count = wh.shape[1]
    bounds = list(edges) + [count]
    if quantity == "usage":
        sums = np.add.reduceat(wh, list(edges), axis=1)
        return [[Fraction(int(v), 1000) for v in row] for row in sums]
    window = (minutes or DEFAULT_DEMAND_MINUTES) * 60
    if window % seconds or any(e % (window // seconds) for e in bounds):
        return [[None] * len(edges) for _ in range(wh.shape[0])]
    block = window // seconds
    blocks = wh.reshape(wh.shape[0], count // block, block).sum(axis=2)
    peaks = np.maximum.reduceat(blocks, [e // block for e in edges], axis=1)
    # Wh in `window` seconds -> kW: Wh * 3600 / window / 1000
    return [[Fraction(int(v) * 3600, window * 1000) for v in row] for row in peaks]


def judge_customers(schedule: Schedule, wh, seconds: int, edges: Sequence[int], labels: Sequence[str],
                    minutes: int | None, inputs: Mapping[str, object]) -> list[tuple[str, str]]:
    """(status, reason) per customer for `schedule`'s history bounds, all of them: "met" only when
    every bound is met; the first bound not met (or not judged) gives the reason. ("", "") when the
    schedule has no such bound."""
    limits = history_limits(schedule)
    if not limits:
        return [("", "")] * wh.shape[0]
    values = {q: monthly_values(wh, seconds, edges, q, minutes) for q in {limit.quantity for limit in limits}}
    out = []
    for c in range(wh.shape[0]):
        verdicts = [applicability.judge(limit, values[limit.quantity][c], inputs, labels) for limit in limits]
        worst = next((v for v in verdicts if v.status == applicability.NOT_MET),
                     next((v for v in verdicts if v.status == applicability.NOT_JUDGED), verdicts[0]))
        out.append((worst.status, f"{applicability.describe(worst.limit)}: {worst.reason}"))
    return out
