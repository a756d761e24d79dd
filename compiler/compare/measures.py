"""What the data show in each billed period: delivered and received kWh, maximum demand."""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Sequence
from decimal import Decimal

import attrs

from tariffc.compiler.compare.periods import BillPeriod, PeriodData
from tariffc.compiler.meterdata import KWH, IntervalReading
from tariffc.compiler.runtime import BillInputError
from tariffc.compiler.runtime.intervals import peak_demand

DEFAULT_DEMAND_MINUTES = 15
_Interval = namedtuple("_Interval", "start seconds kwh")  # a reading as the runtime's demand rule reads it


@attrs.frozen(kw_only=True)
class PeriodMeasure:
    """A billed period's delivered and received kWh (therms for gas data) and maximum demand."""

    period: BillPeriod
    kwh: Decimal
    received_kwh: Decimal
    max_kw: Decimal | None  # largest average kW over `demand_minutes`
    demand_minutes: int | None  # 15, or the data's interval when they are coarser (hourly data: 60)


def max_demand(readings: Sequence[IntervalReading], minutes: int) -> Decimal | None:
    """Largest average kW over clock-aligned `minutes` windows (the bill's own rule,
    runtime.intervals.maximum_demand); None when the data are coarser than the window (hourly data
    cannot show a 15-minute maximum)."""
    if not readings:
        return None
    try:
        kw = peak_demand((_Interval(r.start, r.duration, r.value) for r in readings), minutes)
    except BillInputError:
        return None
    # a kW that does not terminate in decimals (45-minute blocks) to Decimal's 28 digits, as it was
    return kw if isinstance(kw, Decimal) else Decimal(kw.numerator) / Decimal(kw.denominator)


def interval_minutes(slices: Sequence[PeriodData]) -> int | None:
    """The longest reading (minutes) among the billed data."""
    longest = max((r.duration for s in slices for r in s.delivered), default=None)
    return None if longest is None else -(-longest // 60)


def measure(piece: PeriodData) -> PeriodMeasure:
    """The period's measures; maximum demand over 15 minutes, or the data's interval when coarser
    (none for daily reads or gas)."""
    minutes = max(DEFAULT_DEMAND_MINUTES, interval_minutes([piece]) or DEFAULT_DEMAND_MINUTES)
    if minutes >= 1440 or any(r.unit != KWH for r in piece.delivered):  # daily reads, gas: no demand
        return PeriodMeasure(period=piece.period, kwh=piece.kwh, received_kwh=piece.received_kwh, max_kw=None,
                             demand_minutes=None)
    return PeriodMeasure(period=piece.period, kwh=piece.kwh, received_kwh=piece.received_kwh,
                         max_kw=max_demand(piece.delivered, minutes), demand_minutes=minutes)


def fmt(value: Decimal) -> str:
    """312, 312.5, 312.125 (at most three decimals, no exponent)."""
    return f"{value.quantize(Decimal('0.001')).normalize():f}"
