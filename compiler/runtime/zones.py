"""A time zone's UTC offset changes (transitions), found once per zone and UTC year: the one home of
this rule for the vectorised backend (`runtime/vector.py`, which classifies time grids) and the meter
readers (`meterdata/localtime.py`, which check ESPI LocalTimeParameters and list the DST changes a
file crosses). Standard library only.

zoneinfo has no public transition list, so the offset is sampled every 6 days and at the end of the
span, and each change is located to the second by bisection. Sampling every 6 days sees every
transition when no two are closer than that: in tzdata, no zone has two transitions less than 7 days
apart between 1990 and 2040 (checked for every zone at 6-hour resolution; the closest pair is 7.0
days, America/Boa_Vista in October 2000). Instants are UTC epoch seconds; offsets seconds east of UTC.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from functools import lru_cache
from zoneinfo import ZoneInfo

DAY = 86400
SAMPLE = 6 * DAY  # see the module docstring
QUARTER = 900
EPOCH = dt.date(1970, 1, 1)
# The instants a scan may touch: `datetime` stops at years 1 and 9999, and local time is up to 14 h
# either side of UTC, so scans keep a day clear of both ends.
FIRST = (dt.date(1, 1, 2) - EPOCH).days * DAY
LAST = (dt.date(9999, 12, 31) - EPOCH).days * DAY


def offset_at(tz: ZoneInfo, t: int) -> int:
    """The zone's UTC offset (seconds) at instant `t`."""
    return int(dt.datetime.fromtimestamp(t, tz).utcoffset().total_seconds())


def zone_changes(timezone: str, t0: int, t1: int) -> tuple[list[int], list[int]]:
    """UTC instants in (t0, t1] where the offset changes, and the offsets: ``offsets[0]`` before the
    first instant, ``offsets[i+1]`` from instant ``i`` on. Read from the zone's UTC years
    (`zone_year`, found once per zone and year: a fact of tzdata, like `ZoneInfo`'s own cache)."""
    y0, y1 = utc_year(t0), utc_year(t1)
    if y0 is None or y1 is None or y1 - y0 > 400:
        return scan(timezone, t0, t1)  # beyond the calendar years datetime knows: scan the span itself
    instants, offsets = zone_year(timezone, y0)
    at = bisect_right(instants, t0)
    found, after = list(instants[at:]), [offsets[at]] + list(offsets[at + 1:])
    for y in range(y0 + 1, y1 + 1):
        more, offs = zone_year(timezone, y)
        found.extend(more)
        after.extend(offs[1:])
    cut = bisect_right(found, t1)
    return found[:cut], after[:cut + 1]


def utc_year(t: int) -> int | None:
    """The UTC calendar year of instant `t`, or None outside years 1 to 9998."""
    try:
        year = (EPOCH + dt.timedelta(days=t // DAY)).year
    except OverflowError:
        return None
    return year if year <= 9998 else None


@lru_cache(maxsize=4096)
def zone_year(timezone: str, year: int) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """The zone's transitions in the UTC calendar year `year`: (instants in (Jan 1, next Jan 1],
    offsets: before the first and after each), as `zone_changes` (cached: tzdata does not change
    while the process runs; `zone_year.cache_clear()` forgets them)."""
    a = max((dt.date(year, 1, 1) - EPOCH).days * DAY, FIRST)
    b = LAST if year >= 9999 else min((dt.date(year + 1, 1, 1) - EPOCH).days * DAY, LAST)
    instants, offsets = scan(timezone, a, b)
    return tuple(instants), tuple(offsets)


def scan(timezone: str, t0: int, t1: int) -> tuple[list[int], list[int]]:
    """`zone_changes` found with `zoneinfo`: the offset sampled every 6 days (module docstring) and
    at t1, each change bisected."""
    tz = ZoneInfo(timezone)
    at = dt.datetime.fromtimestamp
    # the offset every 6 days and at t1, as timedelta objects (compared, not converted: one call each)
    samples = list(range(t0, t1, SAMPLE)) + [t1]
    seen = [at(t, tz).utcoffset() for t in samples]
    instants: list[int] = []
    offsets = [int(seen[0].total_seconds())]
    for i in range(1, len(seen)):
        if seen[i] != seen[i - 1]:
            instants.append(_first_instant(tz, samples[i - 1], samples[i], offsets[-1]))
            offsets.append(int(seen[i].total_seconds()))
    return instants, offsets


def _first_instant(tz: ZoneInfo, lo: int, hi: int, before: int) -> int:
    """The first instant in (lo, hi] whose offset is not `before` (offset(lo) == before != offset(hi)),
    by bisection: first on quarter hours (where transitions fall in practice: a year costs about
    11 look-ups instead of 19), then, if the change is not on a quarter hour, to the second."""
    while hi - lo > QUARTER:
        mid = (lo + hi) // 2
        mid -= mid % QUARTER
        if mid <= lo:
            break
        if offset_at(tz, mid) == before:
            lo = mid
        else:
            hi = mid
    if hi % QUARTER == 0 and hi - 1 >= lo and offset_at(tz, hi - 1) == before:
        return hi  # the change is at the quarter hour `hi`
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if offset_at(tz, mid) == before:
            lo = mid
        else:
            hi = mid
    return hi
