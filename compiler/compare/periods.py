"""Billing periods for interval data: calendar months or meter-read dates, and what each one holds.

A period is a pair of local dates `[start, end)` (America/Los_Angeles): it runs from local
midnight of `start` to local midnight of `end`, so `days = end - start`, as a bill counts them.

    periods = calendar_months(date(2025, 1, 1), date(2026, 1, 1))      # [1st of month, 1st of next)
    periods = read_date_periods(parse_read_dates("2025-01-03,2025-02-02,2025-03-04"))
    slices = split(series, periods)                                     # PeriodData, one per period

`split` takes each reading that lies in the period and checks the period is covered without a
hole: a period with missing time is `complete == False` and carries its gaps, so the caller
reports it instead of billing it. A reading that straddles the period's start or end (15-minute
readings starting at :05, a daily read from noon to noon) cannot be cut without guessing how its
energy was spread over its length: the period is not billed, and the reason says the readings
straddle the boundary (`tariffc inspect` reports the same readings). A file of billing-period
reads (one read per bill) is billed on its own reads: `reads_as_periods`.
"""

from __future__ import annotations

import bisect
import os
import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import attrs

from tariffc.compiler.compare.errors import CompareError
from tariffc.compiler.meterdata import Direction, IntervalReading, IntervalSeries
from tariffc.compiler.meterdata.fitness import duration_text, straddle_message
from tariffc.compiler.meterdata.localtime import LOCAL_TZ, UTC
from tariffc.compiler.meterdata.quality import LONG_READ
from tariffc.compiler.runtime.inputs import iso_date
from tariffc.compiler.runtime.timetext import local_time_text


class PeriodError(ValueError):
    """Billing periods that cannot be used (bad dates, not ascending, none at all)."""


@attrs.frozen
class BillPeriod:
    start: date
    end: date  # exclusive: the next meter-read date

    @property
    def days(self) -> int:
        return (self.end - self.start).days

    def utc_bounds(self, tz: ZoneInfo = LOCAL_TZ) -> tuple[datetime, datetime]:
        return local_midnight(self.start, tz), local_midnight(self.end, tz)

    def label(self) -> str:
        """`2025-03` for a calendar month, else `2025-01-03..2025-02-02` (end exclusive)."""
        if self.start.day == 1 and self.end == _first_of_next_month(self.start):
            return f"{self.start:%Y-%m}"
        return f"{self.start.isoformat()}..{self.end.isoformat()}"


def local_midnight(day: date, tz: ZoneInfo = LOCAL_TZ) -> datetime:
    return datetime.combine(day, time(0), tzinfo=tz).astimezone(UTC)


def _first_of_next_month(day: date) -> date:
    """The 1st of the next month; in December 9999 (no year 10000 exists) the last date, 9999-12-31."""
    if (day.year, day.month) == (date.max.year, 12):
        return date.max
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


# -- building periods -------------------------------------------------------------------------------

def calendar_months(start: date, end: date) -> tuple[BillPeriod, ...]:
    """Calendar months intersected with [start, end): the first and last may be partial months."""
    if end <= start:
        raise PeriodError(f"the end {end} is not after the start {start}")
    periods, cursor = [], start
    while cursor < end:
        following = min(_first_of_next_month(cursor), end)
        periods.append(BillPeriod(cursor, following))
        cursor = following
    return tuple(periods)


def read_date_periods(dates: Sequence[date]) -> tuple[BillPeriod, ...]:
    """Consecutive meter-read dates -> periods [d0, d1), [d1, d2), ...; at least two dates, ascending."""
    if len(dates) < 2:
        raise PeriodError(f"meter-read dates: need at least two dates (a start and an end), got {len(dates)}")
    for earlier, later in zip(dates, dates[1:]):
        if later <= earlier:
            raise PeriodError(f"meter-read dates must ascend: {later} comes after {earlier}")
    return tuple(BillPeriod(a, b) for a, b in zip(dates, dates[1:]))


_DATE_SPLIT = re.compile(r"[,\s]+")


def parse_date(text: str, what: str = "date") -> date:
    try:
        return iso_date(text)
    except ValueError as exc:
        raise PeriodError(f"{what} '{text.strip()[:40]}' {exc}") from None


def parse_read_dates(value: str) -> tuple[date, ...]:
    """A comma-separated list of dates, or the path of a file with one date per line (# comments)."""
    if os.path.isfile(value):
        try:
            with open(value, encoding="utf-8-sig") as stream:
                text = stream.read()
        except (OSError, UnicodeDecodeError) as error:
            raise PeriodError(f"{value}: cannot read the meter-read dates ({error})") from None
        items = []
        for number, line in enumerate(text.splitlines(), start=1):
            line = line.split("#", 1)[0].strip()
            if line:
                try:
                    items.append(parse_date(line, "meter-read date"))
                except PeriodError as error:
                    raise PeriodError(f"{value}:{number}: {error}") from None
        return tuple(items)
    return tuple(parse_date(item, "meter-read date") for item in _DATE_SPLIT.split(value.strip()) if item)


def covered_days(series: IntervalSeries) -> tuple[date, date]:
    """The whole local days the series covers: [first midnight at or after its start, last midnight at or
    before its end)."""
    tz = series.tz
    first = series.start.astimezone(tz)
    start_day = first.date() if first.timetz().replace(tzinfo=None) == time(0) else first.date() + timedelta(days=1)
    end_day = series.end.astimezone(tz).date()
    return start_day, end_day


def whole_months(series: IntervalSeries) -> tuple[tuple[BillPeriod, ...], tuple[str, ...]]:
    """Calendar months the data covers from their first to their last day, and notes on the days
    left out at either end (a partial month is not a month's bill)."""
    first_day, end_day = covered_days(series)
    start = first_day if first_day.day == 1 else _first_of_next_month(first_day)
    end = date(end_day.year, end_day.month, 1)
    notes = []
    if start > first_day:
        notes.append(f"left out {first_day}..{min(start, end_day)} ({(min(start, end_day) - first_day).days} days): "
                     "not a whole calendar month")
    if end < end_day and end >= start:
        notes.append(f"left out {end}..{end_day} ({(end_day - end).days} days): not a whole calendar month")
    if end <= start:
        return (), (f"the data cover {first_day}..{end_day} and hold no whole calendar month; "
                    "give --start/--end or --read-dates",)
    return calendar_months(start, end), tuple(notes)


# -- splitting a series ----------------------------------------------------------------------------

@attrs.frozen(kw_only=True)
class Gap:
    start: datetime  # UTC
    end: datetime
    direction: Direction = Direction.DELIVERED

    @property
    def seconds(self) -> int:
        return int((self.end - self.start).total_seconds())

    def describe(self, tz: ZoneInfo = LOCAL_TZ) -> str:
        which = "received energy: " if self.direction is Direction.RECEIVED else ""
        return (f"{which}{self.start.astimezone(tz):%Y-%m-%d %H:%M} to {local_time_text(self.end, tz)} "
                f"({duration_text(self.seconds)} missing)")


@attrs.frozen(kw_only=True)
class PeriodData:
    period: BillPeriod
    delivered: tuple[IntervalReading, ...]
    received: tuple[IntervalReading, ...]
    gaps: tuple[Gap, ...]  # missing time in the delivered readings (and received, when the file has any)
    straddling: tuple[IntervalReading, ...] = ()  # readings across the period's start or end

    @property
    def complete(self) -> bool:
        return not self.gaps and not self.straddling

    def reason(self, source: str, tz: ZoneInfo = LOCAL_TZ) -> str:
        """Why the period is not billed (empty when it is complete)."""
        parts = []
        if self.straddling:
            parts.append(straddle_message(source, self.straddling, tz, "the period's start or end (local midnight)"))
        parts += [gap.describe(tz) for gap in self.gaps[:3]]
        if len(self.gaps) > 3:
            parts.append(f"and {len(self.gaps) - 3} more gaps")
        return "; ".join(parts)

    @property
    def kwh(self) -> Decimal:
        return sum((r.value for r in self.delivered), Decimal(0))

    @property
    def received_kwh(self) -> Decimal:
        return sum((r.value for r in self.received), Decimal(0))

    @property
    def missing_seconds(self) -> int:
        return sum(gap.seconds for gap in self.gaps)


def split(series: IntervalSeries, periods: Iterable[BillPeriod]) -> tuple[PeriodData, ...]:
    tz = series.tz
    delivered = series.of(Direction.DELIVERED)
    received = series.of(Direction.RECEIVED)
    d_starts = [r.start for r in delivered]
    r_starts = [r.start for r in received]
    out = []
    for period in periods:
        low, high = period.utc_bounds(tz)
        chosen, across = _within(delivered, d_starts, low, high)
        back, back_across = _within(received, r_starts, low, high)
        gaps = _gaps(chosen, low, high, across=across)
        if received:  # a file that records export must record it for the whole period too
            gaps += _gaps(back, low, high, Direction.RECEIVED, across=back_across)
        out.append(PeriodData(period=period, delivered=chosen, received=back, gaps=gaps,
                              straddling=across + back_across))
    return tuple(out)


def _within(readings: Sequence[IntervalReading], starts: list, low: datetime, high: datetime):
    """(readings wholly inside [low, high), readings straddling low or high), by bisection on starts."""
    first, stop = bisect.bisect_left(starts, low), bisect.bisect_left(starts, high)
    inside = [r for r in readings[first:stop] if r.end <= high]
    across = [r for r in readings[first:stop] if r.end > high]
    before = readings[first - 1] if first > 0 else None
    if before is not None and before.end > low:
        across.insert(0, before)
    return tuple(inside), tuple(across)


def _gaps(readings: Sequence[IntervalReading], low: datetime, high: datetime,
          direction: Direction = Direction.DELIVERED, across: Sequence[IntervalReading] = ()) -> tuple[Gap, ...]:
    """Missing time in [low, high); time covered by a straddling reading is not missing (it is
    reported as straddling)."""
    for reading in across:
        if reading.start < low < reading.end:
            low = reading.end
        if reading.start < high < reading.end:
            high = reading.start
    gaps, cursor = [], low
    for reading in readings:
        if reading.start > cursor:
            gaps.append(Gap(start=cursor, end=reading.start, direction=direction))
        cursor = max(cursor, reading.end)
    if cursor < high:
        gaps.append(Gap(start=cursor, end=high, direction=direction))
    return tuple(gaps)


def is_billing_period_reads(series: IntervalSeries) -> bool:
    """Reads of whole billing periods (longer than a day, e.g. one per bill), not interval data."""
    return all(r.duration >= LONG_READ for r in series.readings) and any(r.duration > 90000 for r in series.readings)


def reads_as_periods(series: IntervalSeries) -> tuple[PeriodData, ...]:
    """Each billing-period read is its own period (its local dates, as `period_reads` takes them);
    delivered and received reads of the same dates share a period."""
    from tariffc.compiler.meterdata import period_reads

    grouped: dict[tuple[date, date], tuple[list, list]] = {}
    for reading, read in zip(series.readings, period_reads(series)):
        delivered, received = grouped.setdefault((read.start_date, read.end_date), ([], []))
        (received if reading.direction is Direction.RECEIVED else delivered).append(reading)
    return tuple(PeriodData(period=BillPeriod(start, end), delivered=tuple(d), received=tuple(r), gaps=())
                 for (start, end), (d, r) in sorted(grouped.items()))


# -- the periods of a comparison ----------------------------------------------------------------------

def choose_periods(series: IntervalSeries, start: str | None = None, end: str | None = None,
                   read_dates: str | None = None) -> tuple[tuple[PeriodData, ...], tuple[str, ...]]:
    """(slices, notes): the data cut into billing periods: the file's own billing-period reads (cut
    to `start`/`end`), else meter-read dates, else calendar months of [start, end), else the whole
    calendar months the data cover. Raises PeriodError for options that cannot be used together or a
    bad date (a usage error), CompareError when no period is left, MeterDataError for reads that do
    not form periods."""
    if read_dates and (start or end):
        raise PeriodError("give --read-dates or --start/--end, not both")
    if is_billing_period_reads(series):
        if read_dates:
            raise PeriodError("the file holds billing-period reads (one per bill): they are the periods; "
                              "drop --read-dates (--start/--end choose which reads are compared)")
        slices = reads_as_periods(series)
        notes = ["the file holds billing-period reads: each read is billed as one period"]
        if start or end:
            low = parse_date(start, "--start") if start else slices[0].period.start
            high = parse_date(end, "--end") if end else slices[-1].period.end
            inside = tuple(s for s in slices if low <= s.period.start and s.period.end <= high)
            partly = [s.period.label() for s in slices if s not in inside and s.period.start < high and low < s.period.end]
            notes.append(f"--start/--end {low}..{high}: {len(inside)} of {len(slices)} reads lie inside"
                         + (f"; left out, partly outside the range: {', '.join(partly)}" if partly else ""))
            if not inside:
                raise CompareError(f"no billing-period read lies wholly inside {low}..{high} (end exclusive); "
                                   f"the reads cover {slices[0].period.start}..{slices[-1].period.end}")
            slices = inside
        return slices, tuple(notes)
    if read_dates:
        periods, notes = read_date_periods(parse_read_dates(read_dates)), ()
    elif start or end:
        first, last = covered_days(series)
        low = parse_date(start, "--start") if start else first
        high = parse_date(end, "--end") if end else last
        periods, notes = calendar_months(low, high), ()
    else:
        periods, notes = whole_months(series)
    if not periods:
        raise CompareError("; ".join(notes) or "no billing period")
    return split(series, periods), notes
