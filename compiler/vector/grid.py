"""Time grids classified once: local time from the zone's transitions, local day, minute of the day,
weekday, holiday; then (per schedule) version, season and TOU period or demand windows.

Local time is found without converting each interval: the UTC offset is constant between the
zone's transitions, so the transitions inside the grid are found once (`zone_transitions`: the
offset sampled every 4 days with `zoneinfo`, each change located to the second by bisection), and
every interval's offset is a `searchsorted` into them. Sampling every 4 days sees every transition
when no two are closer than that: in tzdata, no zone has two transitions less than 7 days apart
between 1990 and 2040 (checked for every zone at 6-hour resolution; the closest pair is 7.0 days,
America/Boa_Vista in October 2000). Wall-clock minute and local date follow from ``utc + offset``; so a
repeated hour in November and the missing hour in March land exactly where
`datetime.astimezone` puts them (tested against it).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import numpy as np

DAY = 86400
SAMPLE = 4 * DAY  # see the module docstring
EPOCH = dt.date(1970, 1, 1)


@dataclass(frozen=True)
class TimeGrid:
    """A regular interval grid: interval ``i`` covers ``[start + i*seconds, start + (i+1)*seconds)``
    (UTC epoch seconds); `timezone` is the IANA zone the tariff's clock runs in. Hashable: it is
    the key under which its classification is cached."""

    start: int
    seconds: int
    count: int
    timezone: str = "America/Los_Angeles"

    def __post_init__(self):
        for name in ("start", "seconds", "count"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
                raise TypeError(f"TimeGrid.{name} must be an int, got {value!r}")
        if self.seconds <= 0 or self.count < 0 or self.seconds % 60:
            raise ValueError("TimeGrid.seconds must be a positive whole number of minutes; count >= 0")

    @property
    def end(self) -> int:
        return self.start + self.seconds * self.count

    def starts(self) -> np.ndarray:
        return self.start + self.seconds * np.arange(self.count, dtype=np.int64)


def _offset(tz: ZoneInfo, t: int) -> int:
    return int(dt.datetime.fromtimestamp(t, tz).utcoffset().total_seconds())


def zone_transitions(timezone: str, t0: int, t1: int) -> tuple[np.ndarray, np.ndarray]:
    """UTC instants in (t0, t1] where the offset changes, and the offsets: ``offsets[0]`` before the
    first instant, ``offsets[i+1]`` from instant ``i`` on."""
    tz = ZoneInfo(timezone)
    instants: list[int] = []
    offsets = [_offset(tz, t0)]
    t = t0
    while t < t1:
        nxt = min(t + SAMPLE, t1)
        after = _offset(tz, nxt)
        if after != offsets[-1]:
            lo, hi = t, nxt  # offset(lo) = previous, offset(hi) = after
            while hi - lo > 1:
                mid = (lo + hi) // 2
                if _offset(tz, mid) == offsets[-1]:
                    lo = mid
                else:
                    hi = mid
            instants.append(hi)
            offsets.append(after)
        t = nxt
    return np.array(instants, dtype=np.int64), np.array(offsets, dtype=np.int64)


def local_seconds(instants: np.ndarray, timezone: str) -> np.ndarray:
    """Local wall-clock seconds since 1970-01-01 00:00 (local) of UTC epoch `instants` (int64)."""
    if instants.size == 0:
        return instants.copy()
    trans, offsets = zone_transitions(timezone, int(instants.min()), int(instants.max()))
    if trans.size == 0:
        return instants + offsets[0]
    return instants + offsets[np.searchsorted(trans, instants, side="right")]


def local_midnight_utc(day: dt.date, timezone: str) -> int:
    """UTC epoch seconds of local 00:00 on `day`."""
    return int(dt.datetime.combine(day, dt.time(0), tzinfo=ZoneInfo(timezone)).timestamp())


def daynum(day: dt.date) -> int:
    return (day - EPOCH).days


def date_of(n: int) -> dt.date:
    return EPOCH + dt.timedelta(days=int(n))


@dataclass
class GridClock:
    """Per interval of a grid: local day (index into `days`) and minute of the day; per day: the
    day number, weekday, holiday and day class (weekday + 7 if a holiday)."""

    days: np.ndarray      # int64 day numbers (days since 1970-01-01), consecutive
    day_of: np.ndarray    # int32 per interval: index into days
    minute: np.ndarray    # int32 per interval: local minute of the day (0..1439)
    weekday: np.ndarray   # int8 per day, Monday = 0
    holiday: np.ndarray   # bool per day
    cls: np.ndarray       # int32 per day: weekday + 7 * holiday


def day_attributes(first: int, last: int, holidays: tuple, holidays_in) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Day numbers first..last, their weekday (Monday = 0) and holiday flag (`holidays_in(holidays,
    year)` gives a year's observed dates: the runtime's calendar function, so both paths agree)."""
    days = np.arange(first, last + 1, dtype=np.int64)
    weekday = ((days + 3) % 7).astype(np.int8)  # 1970-01-01 was a Thursday
    marked = [daynum(d) for year in range(date_of(first).year, date_of(last).year + 1)
              for d in holidays_in(tuple(holidays), year)]
    holiday = np.isin(days, np.array(marked, dtype=np.int64)) if marked else np.zeros(days.size, dtype=bool)
    return days, weekday, holiday


def clock(grid: TimeGrid, holidays: tuple, holidays_in) -> GridClock:
    local = local_seconds(grid.starts(), grid.timezone)
    dayn = local // DAY
    first, last = (int(dayn[0]), int(dayn[-1])) if dayn.size else (0, -1)
    days, weekday, holiday = day_attributes(first, last, holidays, holidays_in)
    day_of = (dayn - first).astype(np.int32)
    minute = ((local - dayn * DAY) // 60).astype(np.int32)
    cls = weekday.astype(np.int32) + 7 * holiday
    return GridClock(days, day_of, minute, weekday, holiday, cls)


def month_day(days: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(month 1..12, day of month 1..31) of day numbers."""
    d = days.astype("datetime64[D]")
    m = d.astype("datetime64[M]")
    return (m.astype(np.int64) % 12 + 1), (d - m.astype("datetime64[D]")).astype(np.int64) + 1


# ------------------------------------------------------------------ period tables
def _clause_masks(clause) -> tuple[np.ndarray, np.ndarray] | None:
    """(day classes (14,), minutes (1440,)) where `clause` holds, as `calendar.clause_matches`:
    its table is their outer product; None when it never holds."""
    if clause.kind == "always":
        return np.ones(14, dtype=bool), np.ones(1440, dtype=bool)
    if clause.kind != "days":
        return None
    rows = np.zeros(14, dtype=bool)
    if clause.holidays_only:
        rows[7:] = True
    else:
        for wd in clause.weekdays:
            rows[wd] = True
            if not clause.except_holidays:
                rows[wd + 7] = True
    minutes = np.zeros(1440, dtype=bool)
    for a, b in clause.hours:
        minutes[max(a, 0):min(b, 1440)] = True
    return rows, minutes


def set_matches(period_set, names: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """For (day class = weekday + 7*holiday, minute of the day), (14, 1440): the periods
    `calendar.periods_at` returns for the set as bits of their index in `names` (int64), and the
    first of them (int16, -1: none). A partition gives the first period that matches, else its
    `otherwise` period; a set of windows every window that matches, else its `otherwise` one."""
    bits = np.zeros((14, 1440), dtype=np.int64)
    first = np.full((14, 1440), -1, dtype=np.int16)
    taken = np.zeros((14, 1440), dtype=bool)
    fallback = None
    for period in period_set.periods:
        if any(c.kind == "otherwise" for c in period.clauses):
            fallback = period.name
            continue
        hit = np.zeros((14, 1440), dtype=bool)
        for clause in period.clauses:
            masks = _clause_masks(clause)
            if masks is not None:
                hit |= masks[0][:, None] & masks[1][None, :]
        if period_set.partition:
            hit &= ~taken
        index = names.index(period.name)
        first[hit & ~taken] = index
        bits[hit] |= 1 << index
        taken |= hit
    if fallback is not None:
        index = names.index(fallback)
        first[~taken] = index
        bits[~taken] |= 1 << index
    return bits, first
