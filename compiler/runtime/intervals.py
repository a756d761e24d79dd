"""Interval aggregation for one bill: classify each interval (local time, weekday, holiday,
minute of the day → segment and TOU period or demand windows), energy per period, and the highest
demand per window.

Classification is memoised per (segment, weekday, holiday, minute of the day), and each local day
is looked up once, so a month of 15-minute data costs one time-zone conversion per interval.
"""

from __future__ import annotations

import datetime as dt

from .calendar import is_holiday, periods_at
from .errors import BillInputError
from .numbers import div

_UTC = dt.timezone.utc


class Classifier:
    """TOU classification of instants within one bill. `segments`: [(part index, version, season,
    first day, days)]; `holds(cond)` decides a period set's `when`; `holidays` the calendar's."""

    def __init__(self, segments, tz, holidays, holds):
        self.segments = segments
        self.tz = tz
        self.holidays = tuple(holidays)
        self.holds = holds
        self._days: dict[dt.date, tuple] = {}
        self._memo: dict[tuple, tuple[str, ...]] = {}

    def segment_of(self, day: dt.date) -> int:
        for index, (_, _, _, first, days) in enumerate(self.segments):
            if first <= day < first + dt.timedelta(days=days):
                return index
        raise BillInputError("intervals", day.isoformat(), "the interval is outside the billing period")

    def active(self, version, name: str, season):
        """The period sets of charge `name` in force for `season` (their `when` holding)."""
        return [s for s in version.periods if s.charge == name and s.season in (None, season)
                and (s.when is None or self.holds(s.when))]

    def classify(self, name: str, instant: dt.datetime) -> tuple[int, tuple[str, ...]]:
        """(segment index, periods or windows of charge `name`) of an instant."""
        local = instant.astimezone(self.tz)
        day = local.date()
        info = self._days.get(day)
        if info is None:
            info = self._days[day] = (self.segment_of(day), is_holiday(self.holidays, day), day.weekday())
        index, holiday, weekday = info
        minute = local.hour * 60 + local.minute
        key = (name, index, weekday, holiday, minute)
        found = self._memo.get(key)
        if found is None:
            _, version, season, _, _ = self.segments[index]
            found = ()
            for period_set in self.active(version, name, season):
                found += periods_at(period_set, weekday, holiday, minute)
            self._memo[key] = found
        return index, found


def energy_by_period(classifier: Classifier, intervals, name: str) -> dict[tuple[int, str], object]:
    """kWh per (segment index, period) of charge `name`: each interval by its start (the
    by-timestamp proration rule); an instant in no period is not priced by it."""
    out: dict[tuple[int, str], object] = {}
    for interval in intervals:
        index, periods = classifier.classify(name, interval.start)
        if periods:
            key = (index, periods[0])
            out[key] = out[key] + interval.kwh if key in out else interval.kwh
    return out


def demand_blocks(intervals, minutes: int) -> dict[int, object]:
    """kWh per `minutes` block, blocks aligned on the epoch (for 15 minutes, local clock time):
    {epoch seconds // (minutes × 60): kWh}. `intervals` have `start` (aware datetime), `seconds`,
    `kwh`. Raises BillInputError when an interval is longer than a block or does not divide it
    (hourly data cannot show a 15-minute demand). The one home of the demand-block rule: bills,
    and `tariffc compare`'s applicability and measures, call it."""
    step = minutes * 60
    blocks: dict[int, object] = {}
    for interval in intervals:
        if interval.seconds > step or step % interval.seconds:
            raise BillInputError("intervals", f"{interval.seconds // 60} minutes", f"demand is measured over "
                                 f"{minutes}-minute intervals; the data must divide them")
        block = int(interval.start.timestamp()) // step
        previous = blocks.get(block)
        blocks[block] = interval.kwh if previous is None else previous + interval.kwh
    return blocks


def block_kw(kwh, minutes: int):
    """The average kW of a block's kWh: kWh × 60 / minutes, exactly."""
    return div(kwh * 60, minutes)


def peak_demand(intervals, minutes: int):
    """The Maximum Demand of the whole data: the highest average kW over any `minutes` block
    (see demand_blocks); 0 for no interval."""
    return block_kw(max(demand_blocks(intervals, minutes).values(), default=0), minutes)


def max_demand(classifier: Classifier, intervals, name: str, minutes: int) -> dict[str, object]:
    """The Maximum Demand: the highest average kW over any `minutes` block (demand_blocks), per
    window of charge `name`, and over the whole bill ('*'). kW = kWh × 60 / minutes is monotonic in
    kWh: compare block energies, scale once."""
    step = minutes * 60
    top: dict[str, object] = {"*": 0}
    for block, kwh in demand_blocks(intervals, minutes).items():
        if kwh > top["*"]:
            top["*"] = kwh
        for window in classifier.classify(name, dt.datetime.fromtimestamp(block * step, _UTC))[1]:
            best = top.get(window)
            if best is None or kwh > best:
                top[window] = kwh
    return {window: block_kw(kwh, minutes) for window, kwh in top.items()}
