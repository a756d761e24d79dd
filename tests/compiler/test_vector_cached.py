"""The three ways a grid is billed give the same bills: classified afresh without the cache
(`cache=False`: the plan over formed features), first seen with the cache (the kernel fused with the
new layout, its signature read off the layout) and seen again (the cached kernel); the readings are
checked on every path (negative or too large: refused by name, as the scalar input layer refuses
them), also where the kernel checks them in its pass over the run maxima."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from tariffc.compiler.runtime import BillInputError
from tariffc.compiler.runtime.vector import TimeGrid
from tariffc.compiler.vector import bill_grid, clear_cache, monthly_periods, plan

from ..support.schedules import PACIFIC, TARIFFS



def _grid(first: dt.date, last: dt.date, seconds: int) -> TimeGrid:
    lo = int(dt.datetime.combine(first, dt.time(0), tzinfo=PACIFIC).timestamp())
    hi = int(dt.datetime.combine(last, dt.time(0), tzinfo=PACIFIC).timestamp())
    return TimeGrid(lo, seconds, (hi - lo) // seconds, "America/Los_Angeles")


def _all(result):
    """Everything a caller reads: rounded and exact totals, amounts by charge, every line."""
    C, B = result.shape
    return ([[result.total(c, b) for b in range(B)] for c in range(C)],
            [[result.total_exact(c, b) for b in range(B)] for c in range(C)],
            {name: num.tolist() for name, num in result.by_charge.items()}, result.den,
            [[result.bill(c, b).lines for b in range(B)] for c in range(C)])


CASES = [  # schedule, first day, last day (exclusive), interval seconds
    ("E-4-TOU", dt.date(2025, 7, 1), dt.date(2026, 7, 1), 900),     # both DST changes, holidays, two seasons
    ("E-4-TOU", dt.date(2025, 1, 1), dt.date(2025, 9, 1), 900),     # across the version change of 2025-07-01
    ("E-7-TOU", dt.date(2025, 10, 1), dt.date(2026, 4, 1), 900),
    ("E-2", dt.date(2026, 1, 1), dt.date(2026, 12, 1), 3600),
    ("E-1", dt.date(2026, 2, 1), dt.date(2026, 5, 1), 3600),
]


@pytest.mark.parametrize("schedule_id, first, last, seconds", CASES)
def test_uncached_first_and_cached_calls_give_the_same_bills(monkeypatch, schedule_id, first, last, seconds):
    schedule = TARIFFS.schedule(schedule_id)
    grid = _grid(first, last, seconds)
    periods = monthly_periods(first, last - dt.timedelta(days=1))
    wh = np.random.default_rng(len(schedule_id) + seconds).integers(0, 400_000 * seconds // 900, (3, grid.count))
    wh[1, : grid.count // 3] = 0  # a customer with a stretch of no usage
    try:
        bill_grid(schedule, periods, grid, wh, cache=False)
    except BillInputError as exc:  # a period the schedule refuses (e.g. across a version change)
        pytest.skip(f"refused: {exc}")
    afresh = _all(bill_grid(schedule, periods, grid, wh, cache=False))
    bill_grid(schedule, periods, grid, wh)  # the schedule's plan traced and kept (clear_cache keeps plans)
    clear_cache()
    kernels = []
    real = plan.kernel_total
    monkeypatch.setattr(plan, "kernel_total", lambda *a: kernels.append(1) or real(*a))
    first_seen = _all(bill_grid(schedule, periods, grid, wh))      # the kernel fused with the new layout
    fused = len(kernels)
    again = _all(bill_grid(schedule, periods, grid, wh))           # the cached kernel
    assert first_seen == afresh and again == afresh
    if schedule_id.endswith("TOU"):  # TOU energy and demand windows: both calls billed by the kernel
        assert fused == 1 and len(kernels) == 2
    # and every bill equals the generated bill function's, total and lines (two customers' first bill)
    for c in (0, 1):
        vector = bill_grid(schedule, periods, grid, wh).bill(c, 0)
        scalar = TARIFFS.bill(schedule_id, start=periods[0][0], end=periods[0][1],
                              intervals=[(dt.datetime.fromtimestamp(grid.start + i * seconds, dt.timezone.utc), seconds,
                                          f"{int(wh[c, i]) / 1000:.3f}")
                                         for i in range(_index(grid, periods[0][0]), _index(grid, periods[0][1]))])
        assert (vector.total, vector.total_exact, vector.lines) == (scalar.total, scalar.total_exact, scalar.lines)


def _index(grid: TimeGrid, day: dt.date) -> int:
    return (int(dt.datetime.combine(day, dt.time(0), tzinfo=PACIFIC).timestamp()) - grid.start) // grid.seconds


@pytest.mark.parametrize("warm", [False, True])
def test_readings_are_checked_on_the_kernel_path(warm):
    schedule = TARIFFS.schedule("E-4-TOU")
    grid = _grid(dt.date(2029, 1, 1), dt.date(2029, 4, 1), 900)
    periods = monthly_periods(dt.date(2029, 1, 1), dt.date(2029, 3, 31))
    good = np.full((2, grid.count), 1_000, dtype=np.int64)
    clear_cache()
    if warm:
        bill_grid(schedule, periods, grid, good)  # the kernel is now cached with the layout
    negative = good.copy()
    negative[1, 5_000] = -7
    with pytest.raises(BillInputError, match=r"-7 Wh at customer 1, interval 5000.*negative"):
        bill_grid(schedule, periods, grid, negative)
    huge = good.copy()
    huge[0, 17] = 10**15 + 1  # beyond the largest reading the scalar path accepts (1E+12 kWh)
    with pytest.raises(BillInputError, match="beyond the largest value accepted"):
        bill_grid(schedule, periods, grid, huge)


def test_readings_beyond_the_kernels_int64_bound_are_billed_exactly():
    # 10**14 Wh in an interval: a bill's sum leaves int64, so the kernel declines and the plan bills
    # with Python ints; the uncached path agrees, and the total is the arithmetic of the rates
    schedule = TARIFFS.schedule("E-4-TOU")
    grid = _grid(dt.date(2029, 1, 1), dt.date(2029, 3, 1), 900)
    periods = monthly_periods(dt.date(2029, 1, 1), dt.date(2029, 2, 28))
    wh = np.full((1, grid.count), 10**14, dtype=np.int64)
    clear_cache()
    cached = bill_grid(schedule, periods, grid, wh)
    assert _all(cached) == _all(bill_grid(schedule, periods, grid, wh, cache=False))
    assert _all(bill_grid(schedule, periods, grid, wh)) == _all(cached)


# The runs of a grid are cut at the period tables' change slots on every whole regular day, and
# day by day elsewhere (DST changes, part days); a grid of many odd days (or with FEW_ODD_DAYS
# lowered, here) is cut by the day patterns instead. Both give the same bills, line by line: on a
# year with both DST changes and the holidays, across a version and a season change, and on grids
# that begin or end in the middle of a day outside the bills.
SLOT_CASES = [  # schedule, grid from, grid to (local datetimes), periods from, to (exclusive), seconds
    ("E-4-TOU", (2025, 7, 1), (2026, 7, 1), dt.date(2025, 7, 1), dt.date(2026, 7, 1), 900),
    ("E-4-TOU", (2025, 1, 1), (2025, 9, 1), dt.date(2025, 1, 1), dt.date(2025, 9, 1), 900),
    ("E-4-TOU", (2026, 2, 27, 13, 0), (2026, 5, 3, 9, 0), dt.date(2026, 3, 1), dt.date(2026, 5, 1), 900),
    ("E-7-TOU", (2025, 10, 1), (2026, 4, 1), dt.date(2025, 10, 1), dt.date(2026, 4, 1), 900),
    ("E-4-TOU", (2026, 10, 1), (2026, 12, 1), dt.date(2026, 10, 1), dt.date(2026, 12, 1), 300),
]


@pytest.mark.parametrize("schedule_id, grid_from, grid_to, first, last, seconds", SLOT_CASES)
def test_runs_by_change_slots_equal_runs_by_day_patterns(monkeypatch, schedule_id, grid_from, grid_to, first, last,
                                                          seconds):
    from tariffc.compiler.runtime import vector as g  # noqa: PLC0415

    schedule = TARIFFS.schedule(schedule_id)
    lo = int(dt.datetime(*grid_from, tzinfo=PACIFIC).timestamp())
    hi = int(dt.datetime(*grid_to, tzinfo=PACIFIC).timestamp())
    grid = TimeGrid(lo, seconds, (hi - lo) // seconds, "America/Los_Angeles")
    periods = monthly_periods(first, last - dt.timedelta(days=1))
    wh = np.random.default_rng(seconds).integers(0, 300_000 * seconds // 900, (2, grid.count))
    try:
        bill_grid(schedule, periods, grid, wh, cache=False)
    except BillInputError as exc:
        pytest.skip(f"refused: {exc}")
    found, patterns = [], []
    by_slot, by_pattern = g.day_runs_by_slots, g.day_runs_of
    monkeypatch.setattr(g, "day_runs_by_slots", lambda *a: found.append(by_slot(*a)) or found[-1])
    monkeypatch.setattr(g, "day_runs_of", lambda *a: patterns.append(1) or by_pattern(*a))
    clear_cache()
    by_slots = _all(bill_grid(schedule, periods, grid, wh))
    assert found and all(f is not None for f in found)
    assert not patterns or seconds != 900  # (demand blocks of several intervals are cut by the day patterns)
    assert _all(bill_grid(schedule, periods, grid, wh)) == by_slots  # the kept kernel too
    monkeypatch.setattr(g, "FEW_ODD_DAYS", -1)  # every grid has too many odd days: the day patterns
    clear_cache()
    by_patterns = _all(bill_grid(schedule, periods, grid, wh))
    assert patterns
    assert by_patterns == by_slots == _all(bill_grid(schedule, periods, grid, wh, cache=False))


@pytest.mark.parametrize("schedule_id, first, last", [("E-4-TOU", dt.date(2025, 7, 1), dt.date(2026, 7, 1)),
                                                      ("E-4-TOU", dt.date(2025, 1, 1), dt.date(2025, 9, 1)),
                                                      ("E-7-TOU", dt.date(2025, 10, 1), dt.date(2026, 4, 1))])
def test_one_customer_by_the_quick_kernel_equals_the_general_kernel(monkeypatch, schedule_id, first, last):
    # one customer under the common TOU plan is billed by Kernel.quick (its passes and integers as
    # Kernel.run's, the rest in Python ints); the same bills as Kernel.run and as no cache at all
    from tariffc.compiler.vector import kernel  # noqa: PLC0415

    schedule = TARIFFS.schedule(schedule_id)
    grid = _grid(first, last, 900)
    periods = monthly_periods(first, last - dt.timedelta(days=1))
    wh = np.random.default_rng(7).integers(0, 250_000, (1, grid.count))
    try:
        afresh = _all(bill_grid(schedule, periods, grid, wh, cache=False))
    except BillInputError as exc:
        pytest.skip(f"refused: {exc}")
    bill_grid(schedule, periods, grid, wh)  # the plan traced and kept (its calls then share their runs)
    quick = []
    real = kernel.Kernel.quick
    monkeypatch.setattr(kernel.Kernel, "quick", lambda self, source: quick.append(1) or real(self, source))
    clear_cache()
    first_seen, again = _all(bill_grid(schedule, periods, grid, wh)), _all(bill_grid(schedule, periods, grid, wh))
    assert len(quick) == 2 and first_seen == again == afresh
    monkeypatch.setattr(kernel.Kernel, "_quick_form", lambda self: None)  # every kernel by `run`
    clear_cache()
    assert _all(bill_grid(schedule, periods, grid, wh)) == _all(bill_grid(schedule, periods, grid, wh)) == afresh
    assert len(quick) == 2
