"""The vectorised backend equals the scalar bill function and the reference interpreter exactly: every
line, the exact total, the rounded total, on random bills of every schedule that loads clean, from
totals and from 15-minute interval data (periods inside and across seasons and version changes,
DST days, holidays); when the scalar path refuses an input, so does the vector path. Also: many
customers in one call equal one at a time; the overflow guard falls back to exact Python ints."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from hypothesis import HealthCheck, Phase, assume, example, given, settings, strategies as st

from tariffc.compiler.api import make_inputs
from tariffc.compiler.interpret import interpret
from tariffc.compiler.runtime import BillInputError
from tariffc.compiler.vector import TimeGrid, VectorUnsupported, bill_grid, bill_intervals, bill_totals
from tariffc.compiler.runtime.vector import LIMIT, QArray, round_units
from tariffc.compiler.runtime.vector import local_seconds

from ..support import strategies
from ..support.schedules import CLEAN, PACIFIC as TZ, TARIFFS

# Schedules the vectorised backend refuses whole, by name (compiler/vector/language.py): a charge priced by
# another schedule or usage estimated from inputs (E-16 C.2, D.a); the scalar function bills them.
REFUSED_WHOLE = [s for s in CLEAN if any(v.references or v.rules.estimate for v in TARIFFS.schedule(s).versions)]
VECTORISED = [s for s in CLEAN if s not in REFUSED_WHOLE]


@pytest.mark.parametrize("schedule_id", REFUSED_WHOLE)
def test_schedules_the_vector_backend_refuses_say_why(schedule_id):
    with pytest.raises(VectorUnsupported, match="reference|estimates"):
        bill_totals(TARIFFS.schedule(schedule_id), [(dt.date(2025, 7, 1), dt.date(2025, 7, 31))],
                    kwh=np.array([[100000]], dtype=np.int64))


def _same(a, b) -> bool:
    """Two bills equal in everything a caller sees: lines (every field), exact and rounded totals."""
    return (a.schedule, a.versions, a.start, a.end, a.lines, a.total_exact, a.total, a.rounding) == \
        (b.schedule, b.versions, b.start, b.end, b.lines, b.total_exact, b.total, b.rounding)


def _lines(bill):
    return sorted((x.version, x.charge, x.component, x.key, x.quantity, x.unit, x.rate, x.amount, x.source, x.note)
                  for x in bill.lines)


@st.composite
def cases(draw, schedule_id, intervals: bool):
    """One random bill (tests/support/strategies.py) as `(schedule_id, start, end, values, usage,
    pattern)`: usage in thousandths or None, `pattern` a day's shape of interval data (Wh) when
    `intervals`, the measured kWh and kW then left to the intervals."""
    schedule = TARIFFS.schedule(schedule_id)
    version = draw(st.sampled_from(schedule.versions))
    ((start, end),) = draw(strategies.billing_periods(schedule, version, days=(1, 35 if intervals else 64)))
    # inputs asking for a rule the vector path leaves to the scalar function (VectorUnsupported, by
    # name: compiler/vector/language.py; tested in tests/compiler/test_standby_credit.py)
    declined = {c.input for v in schedule.versions for c in v.rules.credits} | \
        {v.rules.demand_input for v in schedule.versions if v.rules.demand_input}
    values = draw(strategies.named_values(schedule, skip=declined)) | \
        draw(strategies.passthrough_values(version)) | draw(strategies.lamp_counts(version))
    usage = draw(strategies.totals(schedule))
    pattern = None
    if intervals:
        usage["kwh"] = usage["kw"] = None
        pattern = draw(strategies.day_pattern())
    return schedule_id, start, end, values, usage, pattern


def _scalar(schedule_id, start, end, values, usage, intervals=None):
    inputs = make_inputs(start=start, end=end, values=values, intervals=intervals,
                         **{k: None if v is None else str(Fraction(v, 1000)) for k, v in usage.items()})
    return TARIFFS.module(schedule_id).bill(inputs), inputs


def _check_equal(vector, scalar, inputs, schedule):
    assert _lines(vector) == _lines(scalar)
    assert vector.lines == scalar.lines
    assert vector.total_exact == scalar.total_exact
    assert vector.total == scalar.total
    assert _same(vector, scalar)
    reference = interpret(schedule, inputs)
    assert sorted((x.version, x.charge, x.component, x.key, x.quantity, x.unit, x.rate, x.amount)
                  for x in reference.lines) == \
        sorted((x.version, x.charge, x.component, x.key, x.quantity, x.unit, x.rate, x.amount) for x in vector.lines)
    assert reference.total == vector.total and reference.total_exact == vector.total_exact


SETTINGS = dict(deadline=None, phases=[Phase.explicit, Phase.reuse, Phase.generate],
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@pytest.mark.parametrize("schedule_id", VECTORISED)
def test_vector_equals_scalar_from_totals(schedule_id):
    schedule = TARIFFS.schedule(schedule_id)

    @settings(max_examples=30, **SETTINGS)
    @given(cases(schedule_id, intervals=False))
    def check(case):
        sid, start, end, values, usage, _ = case
        try:
            scalar, inputs = _scalar(sid, start, end, values, usage)
        except BillInputError:
            with pytest.raises(BillInputError):
                arrays = {k: None if v is None else np.array([[v]], dtype=np.int64) for k, v in usage.items()}
                bill_totals(schedule, [(start, end)], values=values, **arrays).bill(0, 0)
            return
        arrays = {k: None if v is None else np.array([[v]], dtype=np.int64) for k, v in usage.items()}
        vector = bill_totals(schedule, [(start, end)], values=values, **arrays)
        _check_equal(vector.bill(0, 0), scalar, inputs, schedule)

    check()


def _grid_for(start, end, pattern):
    lo, wh, records = strategies.quarter_hours(start, end, pattern, TZ)
    return lo, np.array(wh, dtype=np.int64), records


@pytest.mark.parametrize("schedule_id", VECTORISED)
def test_vector_equals_scalar_from_intervals(schedule_id):
    schedule = TARIFFS.schedule(schedule_id)

    @settings(max_examples=12, **SETTINGS)
    @given(cases(schedule_id, intervals=True))
    @example(("E-4-TOU", dt.date(2025, 10, 20), dt.date(2025, 11, 14), {}, {}, list(range(0, 96 * 3000, 3000))))
    def check(case):
        sid, start, end, values, usage, pattern = case
        assume(sid == schedule_id)
        lo, wh, records = _grid_for(start, end, pattern)
        extra = {k: None if usage.get(k) is None else np.array([usage[k]]) for k in ("therms", "exported_kwh")}
        usage = {k: usage.get(k) for k in ("therms", "exported_kwh")}
        try:
            scalar, inputs = _scalar(sid, start, end, values, usage, intervals=records)
        except BillInputError:
            with pytest.raises(BillInputError):
                bill_intervals(schedule, [(start, end)], start=lo, seconds=900, wh=wh, values=values, **extra)
            return
        (vector,) = bill_intervals(schedule, [(start, end)], start=lo, seconds=900, wh=wh, values=values, **extra)
        _check_equal(vector, scalar, inputs, schedule)

    check()


def test_a_year_of_e4_tou_with_dst_and_holidays_equals_scalar():
    schedule = TARIFFS.schedule("E-4-TOU")
    periods = [(dt.date(2025, 10, 20), dt.date(2025, 11, 14)), (dt.date(2025, 11, 14), dt.date(2025, 12, 1)),
               (dt.date(2026, 3, 1), dt.date(2026, 3, 31)), (dt.date(2026, 4, 15), dt.date(2026, 5, 15))]
    lo = int(dt.datetime(2025, 10, 1, tzinfo=TZ).timestamp())
    hi = int(dt.datetime(2026, 6, 1, tzinfo=TZ).timestamp())
    rng = np.random.default_rng(7)
    wh = rng.integers(0, 250_000, (hi - lo) // 900)
    bills = bill_intervals(schedule, periods, start=lo, seconds=900, wh=wh)
    for (a, z), vector in zip(periods, bills):
        b0 = int(dt.datetime.combine(a, dt.time(0), tzinfo=TZ).timestamp())
        b1 = int(dt.datetime.combine(z, dt.time(0), tzinfo=TZ).timestamp())
        records = [(dt.datetime.fromtimestamp(t, dt.timezone.utc), 900, Fraction(int(wh[(t - lo) // 900]), 1000))
                   for t in range(b0, b1, 900)]
        scalar = TARIFFS.module("E-4-TOU").bill(make_inputs(start=a, end=z, intervals=records))
        assert _same(vector, scalar)


def test_many_customers_equal_one_at_a_time():
    schedule = TARIFFS.schedule("E-1")
    periods = [(dt.date(2025, 6, 1), dt.date(2025, 7, 1)), (dt.date(2025, 6, 20), dt.date(2025, 7, 20)),
               (dt.date(2025, 7, 20), dt.date(2025, 8, 21))]
    kwh = np.random.default_rng(3).integers(0, 2_000_000, (40, 3))
    many = bill_totals(schedule, periods, kwh=kwh)
    for c in range(0, 40, 7):
        for b, (a, z) in enumerate(periods):
            one = TARIFFS.bill("E-1", start=a, end=z, kwh=str(Fraction(int(kwh[c, b]), 1000)))
            assert _same(many.bill(c, b), one)
            assert many.total(c, b) == one.total
            assert sum(many.charge(name, c, b) for name in many.by_charge) == one.total_exact


def test_bulk_grid_equals_scalar_hourly():
    schedule = TARIFFS.schedule("E-2")
    lo = int(dt.datetime(2025, 7, 1, tzinfo=TZ).timestamp())
    hi = int(dt.datetime(2025, 9, 1, tzinfo=TZ).timestamp())
    grid = TimeGrid(lo, 3600, (hi - lo) // 3600)
    wh = np.random.default_rng(5).integers(0, 9000, (5, grid.count))
    periods = [(dt.date(2025, 7, 1), dt.date(2025, 8, 1)), (dt.date(2025, 8, 1), dt.date(2025, 9, 1))]
    result = bill_grid(schedule, periods, grid, wh)
    for c in range(5):
        for b, (a, z) in enumerate(periods):
            b0 = int(dt.datetime.combine(a, dt.time(0), tzinfo=TZ).timestamp())
            b1 = int(dt.datetime.combine(z, dt.time(0), tzinfo=TZ).timestamp())
            records = [(dt.datetime.fromtimestamp(t, dt.timezone.utc), 3600,
                        Fraction(int(wh[c, (t - lo) // 3600]), 1000)) for t in range(b0, b1, 3600)]
            assert _same(result.bill(c, b), TARIFFS.module("E-2").bill(make_inputs(start=a, end=z, intervals=records)))


# ------------------------------------------------------------------ the overflow guard
def test_overflow_guard_falls_back_to_exact_python_ints():
    schedule = TARIFFS.schedule("E-1")
    huge = 10**15 - 1000  # Wh: just under the largest total accepted (10**12 kWh); x rate x share leaves int64
    result = bill_totals(schedule, [(dt.date(2025, 7, 1), dt.date(2025, 7, 31))], kwh=np.array([[huge]]))
    assert result.fallback
    scalar = TARIFFS.bill("E-1", start="2025-07-01", end="2025-07-31", kwh=str(Fraction(huge, 1000)))
    assert _same(result.bill(0, 0), scalar)
    small = bill_totals(schedule, [(dt.date(2025, 7, 1), dt.date(2025, 7, 31))], kwh=np.array([[600_000]]))
    assert not small.fallback


def test_q_bounds_hold_and_fall_back():
    a = QArray(np.array([LIMIT // 2, -(LIMIT // 2)]), 1)
    total = a + a + a  # 3 x (2**62) does not fit: computed with Python ints
    assert total.fallback and int(total.num[0]) == 3 * (LIMIT // 2)
    scaled = QArray(np.array([2**40]), 3).times(Fraction(2**30, 7))
    assert scaled.fallback and Fraction(int(scaled.num[0]), scaled.den) == Fraction(2**70, 21)
    fits = QArray(np.array([2**20]), 3).times(Fraction(2**20, 7))
    assert not fits.fallback and Fraction(int(fits.num[0]), fits.den) == Fraction(2**40, 21)


@pytest.mark.parametrize("mode", ["half_up", "half_even", "down", "up"])
def test_round_units_matches_round_to(mode):
    from tariffc.compiler.runtime import round_to

    nums = np.arange(-2000, 2001, dtype=np.int64)
    value = QArray(nums, 400)
    units = round_units(value, Fraction(1, 100), mode)
    for n, u in zip(nums.tolist(), units.tolist()):
        assert Fraction(u, 100) == round_to(Fraction(n, 400), Fraction(1, 100), mode)


# ------------------------------------------------------------------ inputs refused
def test_beyond_the_largest_accepted_value_is_refused_as_scalar():
    schedule = TARIFFS.schedule("E-1")
    period = [(dt.date(2025, 7, 1), dt.date(2025, 7, 31))]
    with pytest.raises(BillInputError):
        TARIFFS.bill("E-1", start="2025-07-01", end="2025-07-31", kwh=str(10**12 + 1))
    with pytest.raises(BillInputError, match="largest value"):
        bill_totals(schedule, period, kwh=np.array([[(10**12 + 1) * 1000]]))


def test_float_and_negative_inputs_are_refused():
    schedule = TARIFFS.schedule("E-1")
    period = [(dt.date(2025, 7, 1), dt.date(2025, 7, 31))]
    with pytest.raises(BillInputError, match="floats are not exact"):
        bill_totals(schedule, period, kwh=np.array([[600.5]]))
    with pytest.raises(BillInputError, match="negative"):
        bill_totals(schedule, period, kwh=np.array([[-1]]))
    lo = int(dt.datetime(2025, 7, 1, tzinfo=TZ).timestamp())
    wh = np.ones(30 * 96, dtype=np.int64)
    wh[5] = -3
    with pytest.raises(BillInputError, match="negative"):
        bill_intervals(schedule, period, start=lo, seconds=900, wh=wh)
    with pytest.raises(BillInputError, match="do not cover"):
        bill_intervals(schedule, period, start=lo, seconds=900, wh=np.ones(29 * 96, dtype=np.int64))


def test_tou_energy_without_intervals_is_refused_as_scalar():
    schedule = TARIFFS.schedule("E-4-TOU")
    with pytest.raises(BillInputError, match="interval data; give intervals="):
        bill_totals(schedule, [(dt.date(2025, 7, 1), dt.date(2025, 7, 31))], kwh=np.array([[1000]]),
                    kw=np.array([[10]]))


def test_grid_not_aligned_to_demand_blocks_is_named():
    schedule = TARIFFS.schedule("E-4-TOU")
    lo = int(dt.datetime(2025, 7, 1, tzinfo=TZ).timestamp())
    # 5-minute data starting at 00:00 is aligned; the same data shifted by 5 minutes is not
    grid = TimeGrid(lo - 300, 300, 31 * 288 + 1)
    with pytest.raises((VectorUnsupported, BillInputError)):
        bill_grid(schedule, [(dt.date(2025, 7, 1), dt.date(2025, 7, 31))], grid, np.ones((1, grid.count), np.int64))


# ------------------------------------------------------------------ local time from transitions
@pytest.mark.parametrize("zone", ["America/Los_Angeles", "Europe/London", "Australia/Lord_Howe", "UTC"])
def test_local_time_from_transitions_equals_astimezone(zone):
    rng = np.random.default_rng(11)
    start = int(dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc).timestamp())
    instants = np.sort(start + rng.integers(0, 3 * 365 * 86400, 4000)) // 60 * 60
    # and every quarter hour around this zone's transitions
    instants = np.concatenate([instants, start + np.arange(0, 3 * 365 * 86400, 900 * 97)])
    instants.sort()
    local = local_seconds(instants, zone)
    tz = ZoneInfo(zone)
    for t, got in zip(instants.tolist(), local.tolist()):
        wall = dt.datetime.fromtimestamp(t, tz).replace(tzinfo=None)
        assert got == int((wall - dt.datetime(1970, 1, 1)).total_seconds()), (zone, t)


# ------------------------------------------------------------------ Tariffs.bill takes the array path
def test_tariffs_bill_with_interval_arrays_takes_the_vector_path_and_equals_scalar(monkeypatch):
    from tariffc.compiler import vector
    from tariffc.compiler.api import IntervalArrays

    lo = int(dt.datetime(2025, 10, 20, tzinfo=TZ).timestamp())
    hi = int(dt.datetime(2025, 11, 14, tzinfo=TZ).timestamp())
    wh = np.random.default_rng(2).integers(0, 200_000, (hi - lo) // 900)
    calls = []
    real = vector.bill_intervals
    monkeypatch.setattr(vector, "bill_intervals", lambda *a, **k: calls.append(1) or real(*a, **k))
    fast = TARIFFS.bill("E-4-TOU", start="2025-10-20", end="2025-11-14", intervals=IntervalArrays(lo, 900, wh))
    assert calls, "the array path was not taken"
    slow = TARIFFS.module("E-4-TOU").bill(make_inputs(start="2025-10-20", end="2025-11-14",
                                                      intervals=IntervalArrays(lo, 900, [int(x) for x in wh])))
    assert _same(fast, slow)
    # data that do not tile the period are refused, as the generated function refuses them
    with pytest.raises(BillInputError):
        TARIFFS.bill("E-4-TOU", start="2025-10-21", end="2025-11-14", intervals=IntervalArrays(lo, 900, wh))


def test_tariffs_bill_with_an_interval_series_equals_scalar():
    from decimal import Decimal

    from tariffc.compiler.meterdata.model import IntervalReading, IntervalSeries

    lo = int(dt.datetime(2026, 3, 1, tzinfo=TZ).timestamp())
    hi = int(dt.datetime(2026, 3, 31, tzinfo=TZ).timestamp())  # the March DST change inside
    wh = np.random.default_rng(4).integers(0, 9_000, (hi - lo) // 3600)
    readings = [IntervalReading(start=dt.datetime.fromtimestamp(lo + 3600 * i, dt.timezone.utc), duration=3600,
                                value=Decimal(int(x)).scaleb(-3), unit="kWh") for i, x in enumerate(wh)]
    series = IntervalSeries(readings=readings, source="synthetic")
    fast = TARIFFS.bill("E-2", start="2026-03-01", end="2026-03-31", intervals=series)
    slow = TARIFFS.module("E-2").bill(make_inputs(start="2026-03-01", end="2026-03-31", intervals=[
        (r.start, r.duration, r.value) for r in readings]))
    assert _same(fast, slow)
