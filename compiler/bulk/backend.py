"""Bill many customers at once: the vectorised backend when it is installed, else the scalar bill
functions one bill at a time. Both take and return the same shapes, so the population code never
knows which one ran (and a test compares them on a sample).

    backend = choose(tariffs)
    totals = backend.bill_totals(schedule, periods, kwh=wh)        # wh: int64 (customers, bills), Wh
    totals = backend.bill_grid(schedule, periods, grid, wh)        # wh: int64 (customers, grid.count)
    totals.units[c, b] * totals.step == the bill's total (Decimal, rounded as the schedule says)

`schedule` is the checked IR (`tariffs.schedule(id)`); `periods` a list of (start, end) local dates;
energy in Wh (gas in millitherms, demand in W), as in `tariffc.compiler.vector`. Errors: the bill
functions' `BillInputError` (field, value, message), raised for the whole call.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import attrs

from tariffc.compiler.meterdata.localtime import UTC

TIMEZONE = "America/Los_Angeles"


@attrs.frozen
class Grid:
    """A regular interval grid: `count` intervals of `seconds` from UTC epoch second `start`."""

    start: int
    seconds: int
    count: int
    timezone: str = TIMEZONE

    def shifted(self, start: int) -> Grid:
        return attrs.evolve(self, start=start)


@attrs.frozen
class Totals:
    """Rounded bill totals: `units` int64 (customers, bills) in multiples of `step` dollars."""

    units: object
    step: Decimal

    def total(self, customer: int, bill: int) -> Decimal:
        return int(self.units[customer, bill]) * self.step


class ScalarBackend:
    """One `Tariffs.bill` call per customer and period (the reference; slow but obviously right)."""

    name = "scalar"

    def __init__(self, tariffs):
        self.tariffs = tariffs

    def bill_totals(self, schedule, periods, *, kwh=None, kw=None, therms=None, values=None) -> Totals:
        import numpy as np  # noqa: PLC0415

        given = {name: array for name, array in (("kwh", kwh), ("kw", kw), ("therms", therms)) if array is not None}
        customers = next(iter(given.values())).shape[0]
        out = np.zeros((customers, len(periods)), dtype=np.int64)
        step = None
        for c in range(customers):
            for b, (start, end) in enumerate(periods):
                quantities = {name: Fraction(int(array[c, b]), 1000) for name, array in given.items()}
                bill = self.tariffs.bill(schedule.id, start=start, end=end, values=dict(values or {}), **quantities)
                step, out[c, b] = _units(bill.total, step)
        return Totals(units=out, step=step or Decimal("0.01"))

    def bill_grid(self, schedule, periods, grid: Grid, wh, values=None) -> Totals:
        import numpy as np  # noqa: PLC0415

        from tariffc.compiler.runtime import Interval  # noqa: PLC0415

        out = np.zeros((wh.shape[0], len(periods)), dtype=np.int64)
        step = None
        bounds = [period_slice(grid, start, end) for start, end in periods]
        for c in range(wh.shape[0]):
            for b, ((start, end), (lo, hi)) in enumerate(zip(periods, bounds)):
                intervals = [Interval(start=dt.datetime.fromtimestamp(grid.start + i * grid.seconds, UTC),
                                      seconds=grid.seconds, kwh=Fraction(int(wh[c, i]), 1000)) for i in range(lo, hi)]
                bill = self.tariffs.bill(schedule.id, start=start, end=end, intervals=intervals,
                                         values=dict(values or {}))
                step, out[c, b] = _units(bill.total, step)
        return Totals(units=out, step=step or Decimal("0.01"))


def _units(total: Decimal, step: Decimal | None) -> tuple[Decimal, int]:
    step = step or Decimal("0.01")
    units = total / step
    if units != units.to_integral_value():
        raise ValueError(f"bill total {total} is not a multiple of {step}")
    return step, int(units)


class VectorBackend:
    """`tariffc.compiler.vector` (numpy, exact integer fixed point); features it does not do
    (`VectorUnsupported`) go to the scalar backend for that call."""

    name = "vector"

    def __init__(self, tariffs):
        import tariffc.compiler.vector as vector  # noqa: PLC0415

        self.vector = vector
        self.scalar = ScalarBackend(tariffs)

    def bill_totals(self, schedule, periods, *, kwh=None, kw=None, therms=None, values=None) -> Totals:
        try:
            result = self.vector.bill_totals(schedule, periods, kwh=kwh, kw=kw, therms=therms, values=values)
        except self.vector.VectorUnsupported:
            return self.scalar.bill_totals(schedule, periods, kwh=kwh, kw=kw, therms=therms, values=values)
        return Totals(units=result.total_units, step=result.step)

    def bill_grid(self, schedule, periods, grid: Grid, wh, values=None) -> Totals:
        time_grid = self.vector.TimeGrid(start=grid.start, seconds=grid.seconds, count=grid.count,
                                         timezone=grid.timezone)
        try:
            result = self.vector.bill_grid(schedule, periods, time_grid, wh, values=values)
        except self.vector.VectorUnsupported:
            return self.scalar.bill_grid(schedule, periods, grid, wh, values=values)
        return Totals(units=result.total_units, step=result.step)


def choose(tariffs, name: str | None = None):
    """The vectorised backend when importable (or `name` = "scalar" / "vector" to insist)."""
    if name == "scalar":
        return ScalarBackend(tariffs)
    try:
        return VectorBackend(tariffs)
    except ImportError:
        if name == "vector":
            raise
        return ScalarBackend(tariffs)


def local_midnight(day: dt.date, timezone: str = TIMEZONE) -> int:
    from zoneinfo import ZoneInfo  # noqa: PLC0415

    return int(dt.datetime.combine(day, dt.time(0), tzinfo=ZoneInfo(timezone)).timestamp())


def period_slice(grid: Grid, start: dt.date, end: dt.date) -> tuple[int, int]:
    """Grid indices [lo, hi) of the local-date period [start, end); the period must be on the grid."""
    lo = (local_midnight(start, grid.timezone) - grid.start) // grid.seconds
    hi = (local_midnight(end, grid.timezone) - grid.start) // grid.seconds
    if lo < 0 or hi > grid.count:
        raise ValueError(f"period {start}..{end} is not on the grid")
    return int(lo), int(hi)
