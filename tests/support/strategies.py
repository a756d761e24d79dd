"""Hypothesis strategies for random bills, shared by the differential tests
(tests/compiler/test_differential.py, test_vector_differential.py, test_vector_plan.py): billing
periods, a schedule's named inputs, pass-through values, lamp and fee inputs, measured totals and
interval data. One home, so every backend comparison draws its bills the same way.

Units: dates are `datetime.date` (a billing period is `(start, end)`, end exclusive, as
`make_inputs` takes it); measured totals are whole thousandths (Wh for kWh, W for kW,
milli-therms), the integer form the vectorised backend takes (`np.int64` arrays) and
`str(Fraction(n, 1000))` gives the scalar one; interval data are whole Wh per 15-minute interval.
Named input values are strings of exact decimals (`"7/2"` = 3.5), as a caller passes them.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

from hypothesis import strategies as st

from .schedules import PACIFIC

# The largest measured total drawn, per quantity (kWh, kW, therms, kWh): past every tier and block
# allowance of the schedules, and zero (a minimum bill, an empty tier) inside the range.
TOTALS_MAX = {"kwh": 300_000, "kw": 2_000, "therms": 5_000, "exported_kwh": 2_000}
QUARTER_HOUR = 900  # seconds: CPAU's interval meters record 15-minute intervals


def decimal_text(lo: int, hi: int, places: int) -> st.SearchStrategy[str]:
    """Exact decimals from `lo` to `hi` with `places` decimal places, as text (`"7/2"`)."""
    return st.integers(lo * 10 ** places, hi * 10 ** places).map(lambda n: str(Fraction(n, 10 ** places)))


def interesting_days(schedule, version) -> list[dt.date]:
    """Days near which bills cross something: version changes, season boundaries, DST changes,
    holidays (a bill starting a few days before), over the version's first two calendar years."""
    days = [v.effective for v in schedule.versions]
    for year in range(version.effective.year, version.effective.year + 2):
        days += [dt.date(year, m, d) for m, d in ((1, 1), (3, 9), (3, 10), (5, 1), (7, 4), (11, 1), (11, 2),
                                                  (11, 3), (11, 27), (11, 28), (12, 25))]
        days += [dt.date(year, s.start[0], s.start[1]) for s in version.rules.seasons]
    return sorted(set(days))


@st.composite
def bill_start(draw, schedule, version) -> dt.date:
    """A first day of a billing period: half the time up to 20 days before an interesting day
    (so the period crosses it), otherwise up to 400 days into `version`."""
    if draw(st.booleans()):
        anchor = draw(st.sampled_from(interesting_days(schedule, version)))
        return anchor - dt.timedelta(days=draw(st.integers(0, 20)))
    return version.effective + dt.timedelta(days=draw(st.integers(0, 400)))


@st.composite
def billing_periods(draw, schedule, version, *, count=(1, 1), days=(1, 64)) -> list[tuple[dt.date, dt.date]]:
    """`count` (a range) consecutive billing periods from a `bill_start`, each `days` (a range) long."""
    day = draw(bill_start(schedule, version))
    periods = []
    for _ in range(draw(st.integers(*count))):
        end = day + dt.timedelta(days=draw(st.integers(*days)))
        periods.append((day, end))
        day = end
    return periods


@st.composite
def named_values(draw, schedule, *, skip=frozenset()) -> dict[str, object]:
    """Values for about half of the schedule's declared inputs (`input` lines), not those in
    `skip`: flags, counts 0..5, a choice, a fraction of 1 in hundredths (a power factor), any
    other number 0..6000 in tenths."""
    values = {}
    fractions = schedule.fraction_inputs()
    for spec in schedule.inputs:
        if spec.name in skip or not draw(st.booleans()):
            continue
        if spec.type == "flag":
            values[spec.name] = draw(st.booleans())
        elif spec.type == "count":
            values[spec.name] = draw(st.integers(0, 5))
        elif spec.type == "choice":
            values[spec.name] = draw(st.sampled_from(spec.choices))
        elif spec.name in fractions:
            values[spec.name] = draw(decimal_text(0, 1, 2))
        else:
            values[spec.name] = draw(decimal_text(0, 6000, 1))
    return values


@st.composite
def fee_values(draw, schedule) -> dict[str, object]:
    """Values for about a third of the schedule's fee inputs (E-16 E., E-14 D.6): counts 0..4,
    ratios 0..2 in thousandths (the CPI ratio), feet and dollars 0..20000 in hundredths."""
    values = {}
    for spec in schedule.fee_inputs():
        if draw(st.integers(0, 2)):
            continue
        if spec.type == "count":
            values[spec.name] = draw(st.integers(0, 4))
        elif spec.type == "number":
            values[spec.name] = draw(decimal_text(0, 2, 3))
        else:
            values[spec.name] = draw(decimal_text(0, 20000, 2))
    return values


@st.composite
def passthrough_values(draw, version) -> dict[str, str]:
    """A value for every pass-through of `version`, in hundredths of its stated range (0..3 where
    it states none)."""
    values = {}
    for p in version.passthroughs:
        low = p.minimum.value if p.minimum else Fraction(0)
        high = p.maximum.value if p.maximum else Fraction(3)
        values[p.name] = str(low + (high - low) * Fraction(draw(st.integers(0, 100)), 100))
    return values


@st.composite
def lamp_counts(draw, version) -> dict[str, int]:
    """Lamp counts 0..40 (`lamps.<row key>`) for the first three rows of every charge billed per
    lamp (E-14)."""
    values = {}
    for charge in version.charges:
        if charge.quantity == "lamps":
            for row in charge.rows[:3]:
                values[f"lamps.{row.keys[0]}"] = draw(st.integers(0, 40))
    return values


@st.composite
def totals(draw, schedule) -> dict[str, int | None]:
    """Measured totals in thousandths (`TOTALS_MAX` bounds) for the quantities the schedule bills
    on, one in ten left out (None); one bill in ten also gives the quantities it does not bill on
    (the backends must refuse alike)."""
    accepted = schedule.measured_inputs()
    # one in ten is a 9, not a 0: hypothesis draws the simplest choice (0) far more often than that
    everything = draw(st.integers(0, 9)) == 9
    out = {}
    for name, hi in TOTALS_MAX.items():
        if name in accepted or everything:
            out[name] = None if draw(st.integers(0, 9)) == 9 else draw(st.integers(0, hi * 1000))
        else:
            out[name] = None
    return out


def day_pattern(hi: int = 400_000) -> st.SearchStrategy[list[int]]:
    """A day's shape of interval data: 96 quarter-hour readings, 0..`hi` Wh each."""
    return st.lists(st.integers(0, hi), min_size=96, max_size=96)


def quarter_hours(start: dt.date, end: dt.date, pattern: list[int], zone=PACIFIC):
    """Interval data covering local midnight of `start` to local midnight of `end` in `zone`, in
    UTC steps of 15 minutes (a DST day has 92 or 100 intervals, as a meter records it): the i-th
    reading is `pattern[i % 96] * (1 + i % 7)` Wh (the day's shape, varied day to day).

    Returns `(lo, wh, records)`: the first instant in Unix seconds, the readings in Wh (ints) and
    the same as `(UTC datetime, 900, kWh Fraction)` records for `make_inputs(intervals=...)`.
    """
    lo = int(dt.datetime.combine(start, dt.time(0), tzinfo=zone).timestamp())
    hi = int(dt.datetime.combine(end, dt.time(0), tzinfo=zone).timestamp())
    n = (hi - lo) // QUARTER_HOUR
    wh = [pattern[i % 96] * (1 + i % 7) for i in range(n)]
    records = [(dt.datetime.fromtimestamp(lo + QUARTER_HOUR * i, dt.timezone.utc), QUARTER_HOUR,
                Fraction(wh[i], 1000)) for i in range(n)]
    return lo, wh, records
