"""The compiled plan (compiler/vector/plan.py) bills exactly what the generic evaluation bills: the
exact total of every customer x bill, the rounded total, every charge's amount; on the call that
traces the plan and on later calls that reuse it with other data (many customers, several bills,
periods across seasons and version changes), from totals and from interval data. The generic
evaluation is the walk the three-way differential test checks against the scalar function and the
interpreter (tests/compiler/test_vector_differential.py); here the plan is checked against it."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from tariffc.compiler.runtime import BillInputError
from tariffc.compiler.runtime.vector import round_units
from tariffc.compiler.vector import TimeGrid, VectorUnsupported, bill_grid, bill_totals, clear_cache, plan
from tariffc.compiler.vector import _scalar, sources, structure
from tariffc.compiler.vector.evaluate import Evaluation

from ..support import strategies
from ..support.schedules import CLEAN, PACIFIC as TZ, TARIFFS


@st.composite
def calls(draw, schedule_id):
    """Consecutive billing periods near a version's start, named inputs, and a seed for two
    customers' worth of totals for two calls (the second reuses the plan the first traced)."""
    schedule = TARIFFS.schedule(schedule_id)
    version = draw(st.sampled_from(schedule.versions))
    periods = draw(strategies.billing_periods(schedule, version, count=(1, 4), days=(25, 34)))
    values = draw(strategies.named_values(schedule)) | draw(strategies.passthrough_values(version))
    seed = draw(st.integers(0, 2**32 - 1))
    return schedule, periods, values, seed


def _totals(schedule, shape, rng):
    """Totals in thousandths (tests/support/strategies.py `TOTALS_MAX`) of the quantities the
    schedule bills on, for `shape` customers x bills; the first customer's all zero (a minimum
    bill, an empty tier)."""
    bills_on = schedule.measured_inputs()
    out = {}
    for name, hi in strategies.TOTALS_MAX.items():
        if name in bills_on or (name == "kwh" and "intervals" in bills_on):
            arr = rng.integers(0, hi * 1000, shape)
            arr[0, :] = 0
            out[name] = arr
    return out


def _generic(schedule, periods, values, source):
    s = structure.build(schedule, periods, values)
    return Evaluation(s, source(s))


def _assert_same(result, generic):
    assert type(result._ev) is plan.PlannedEvaluation
    shape = result.shape  # (1, B) from totals when the schedule bills on no measured quantity
    C, B = shape
    units = np.broadcast_to(generic.units, shape)
    for c in range(C):
        for b in range(B):
            assert result.total_exact(c, b) == generic.total.at((c, b))
            assert int(result.total_units[c, b]) == int(units[c, b])
            for name, q in generic.amounts.items():
                assert result.charge(name, c, b) == q.at((c, b)), name
    assert set(result.by_charge) == set(generic.amounts)


@pytest.mark.parametrize("schedule_id", CLEAN)
def test_plan_equals_generic_evaluation_from_totals(schedule_id):
    schedule = TARIFFS.schedule(schedule_id)

    @settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(calls(schedule_id))
    def check(case):
        schedule, periods, values, seed = case
        rng = np.random.default_rng(seed)
        shape = (4, len(periods))
        for _ in range(2):  # the first call traces the plan, the second reuses it
            totals = _totals(schedule, shape, rng)
            try:
                generic = _generic(schedule, periods, values,
                                   lambda s: sources.TotalsSource(shape, **totals))
            except (BillInputError, VectorUnsupported) as exc:
                with pytest.raises(type(exc)):
                    bill_totals(schedule, periods, values=values, **totals)
                return
            _assert_same(bill_totals(schedule, periods, values=values, **totals), generic)

    check()


@pytest.mark.parametrize("schedule_id", ["E-4-TOU", "E-7-TOU", "E-2", "E-1"])
@pytest.mark.parametrize("cached", [True, False])
@pytest.mark.parametrize("order", [1, -1])
def test_plan_equals_generic_evaluation_from_intervals(schedule_id, cached, order):
    """Across DST (March and November), holidays, a season change; the grid classified afresh
    (`clear_cache`) or reused; several customers; the plan reused with new data; bills listed in
    time order or not."""
    schedule = TARIFFS.schedule(schedule_id)
    periods = [(dt.date(2025, 10, 20), dt.date(2025, 11, 20)), (dt.date(2025, 11, 20), dt.date(2025, 12, 19)),
               (dt.date(2026, 2, 20), dt.date(2026, 3, 20)), (dt.date(2026, 4, 15), dt.date(2026, 5, 15))][::order]
    lo = int(dt.datetime(2025, 10, 1, tzinfo=TZ).timestamp())
    hi = int(dt.datetime(2026, 6, 1, tzinfo=TZ).timestamp())
    grid = TimeGrid(lo, 900, (hi - lo) // 900)
    rng = np.random.default_rng(11)
    holidays = tuple(schedule.calendar.holidays)
    for call in range(3):
        if not cached:
            clear_cache()
        wh = rng.integers(0, 400_000, (3, grid.count))
        wh[0, :] = 0
        generic = _generic(schedule, periods, {}, lambda s: sources.IntervalSource(
            grid, wh, s, holidays, _scalar.holidays_in, cache=False))
        result = bill_grid(schedule, periods, grid, wh, cache=cached)
        # on a cached grid, the calls after the first are billed by the kernel (kernel.py): the
        # total without forming the features (they are formed when the amounts are asked for)
        assert (result._ev._values is None) == (cached and call > 0)
        _assert_same(result, generic)


def test_a_plan_is_kept_per_signature_and_a_walk_it_cannot_trace_is_billed_generically(monkeypatch):
    schedule = TARIFFS.schedule("E-1")
    periods = [(dt.date(2025, 7, 1), dt.date(2025, 7, 31))]
    kwh = np.array([[450_000], [1_200_000]])
    clear_cache(plans=True)
    first = bill_totals(schedule, periods, kwh=kwh)
    second = bill_totals(schedule, periods, kwh=kwh * 2)
    assert first._ev.plan is second._ev.plan  # traced once, replayed
    clear_cache(plans=True)

    def refuse(*args, **kwargs):
        raise plan.NotCompiled("test")

    monkeypatch.setattr(plan, "trace", refuse)
    generic = bill_totals(schedule, periods, kwh=kwh * 2)
    assert type(generic._ev) is Evaluation
    for c in range(2):
        assert generic.total_exact(c, 0) == second.total_exact(c, 0)
        a, b = generic.bill(c, 0), second.bill(c, 0)
        assert (a.lines, a.total_exact, a.total) == (b.lines, b.total_exact, b.total)
    clear_cache(plans=True)


def test_plan_overflow_falls_back_to_python_ints_exactly():
    schedule = TARIFFS.schedule("E-4-TOU")
    periods = [(dt.date(2025, 7, 1), dt.date(2025, 8, 1))]
    lo = int(dt.datetime(2025, 7, 1, tzinfo=TZ).timestamp())
    hi = int(dt.datetime(2025, 8, 1, tzinfo=TZ).timestamp())
    grid = TimeGrid(lo, 900, (hi - lo) // 900)
    wh = np.full((1, grid.count), 10**15 // grid.count, dtype=np.int64)  # sums near 10**15 Wh
    clear_cache()
    bill_grid(schedule, periods, grid, wh)
    result = bill_grid(schedule, periods, grid, wh)  # the kernel declines (beyond int64): the plan's path
    assert type(result._ev) is plan.PlannedEvaluation
    generic = _generic(schedule, periods, {}, lambda s: sources.IntervalSource(
        grid, wh, s, tuple(schedule.calendar.holidays), _scalar.holidays_in, cache=False))
    assert result.fallback
    assert result.total_exact(0, 0) == generic.total.at((0, 0))
    assert int(result.total_units[0, 0]) == int(np.broadcast_to(round_units(generic.total, generic.step,
                                                                            generic.mode), (1, 1))[0, 0])
