"""Billing-period reads (a day or longer) as local date ranges.

Exporters write such reads in one of two ways: at the UTC instant of local midnight, or as the
local date at 00:00 UTC with the duration in local elapsed time (the Opower gas sample), which
leaves seams of +-1 hour at DST changes. Either way the bill period is a pair of local dates:
each boundary is rounded to the nearest midnight of the frame its starts use (UTC when every
start is a UTC midnight, else local time). A boundary more than an hour from a midnight is not a
date and is refused.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import attrs

from tariffc.compiler.meterdata.errors import MeterDataError
from tariffc.compiler.meterdata.fitness import duration_text
from tariffc.compiler.meterdata.model import Direction, IntervalSeries
from tariffc.compiler.meterdata.collisions import LONG_READ

_HOUR = timedelta(hours=1)


@attrs.frozen(kw_only=True)
class PeriodRead:
    start_date: date
    end_date: date  # exclusive: the next period's start_date
    value: Decimal
    unit: str
    direction: Direction
    cost: Decimal | None

    @property
    def days(self) -> int:
        return (self.end_date - self.start_date).days


def period_reads(series: IntervalSeries) -> tuple[PeriodRead, ...]:
    short = [r for r in series.readings if r.duration < LONG_READ]
    if short:
        raise MeterDataError(f"not billing-period reads: {len(short)} reading(s) shorter than 23 h, "
                             f"e.g. {short[0].start:%Y-%m-%d %H:%M}Z", file=series.source, line=short[0].line)
    utc_frame = all(r.start.hour == r.start.minute == r.start.second == 0 for r in series.readings)
    tz = series.tz

    def to_date(moment: datetime, line: int | None) -> date:
        local = moment if utc_frame else moment.astimezone(tz)
        nearest = (local + timedelta(hours=12)).replace(hour=0, minute=0, second=0, microsecond=0)
        off = abs(local.replace(tzinfo=None) - nearest.replace(tzinfo=None))
        if off > _HOUR:
            raise MeterDataError(f"{moment:%Y-%m-%d %H:%M}Z is {duration_text(int(off.total_seconds()))} from a "
                                 "midnight; not a date boundary", file=series.source, line=line)
        return nearest.date()

    return tuple(PeriodRead(start_date=to_date(r.start, r.line), end_date=to_date(r.end, r.line), value=r.value,
                            unit=r.unit, direction=r.direction, cost=r.cost) for r in series.readings)
