"""The vector path's clock: zone transitions found exactly (on a quarter hour or not), a grid's bill
edges read off its day clock equal to `zoneinfo`'s local midnights, and a zone whose clock goes back
across midnight refused by name (VectorUnsupported naming the zone and the date), never a plain
ValueError; `Tariffs.bill` then leaves such data to the scalar bill function."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import attrs
import numpy as np
import pytest

from tariffc.compiler.api import Tariffs
from tariffc.compiler.runtime import BillInputError
from tariffc.compiler.runtime.vector import ClockGoesBack, TimeGrid, day_clock, zone_transitions
from tariffc.compiler.vector import VectorUnsupported, _scalar, bill_arrays, bill_grid, clear_cache
from tariffc.compiler.vector import sources, structure

ROOT = Path(__file__).resolve().parents[2]
TARIFFS = Tariffs.load(ROOT / "schedules")
UTC = dt.timezone.utc


def _utc(*args) -> int:
    return int(dt.datetime(*args, tzinfo=UTC).timestamp())


def _offset(zone: ZoneInfo, t: int) -> int:
    return int(dt.datetime.fromtimestamp(t, zone).utcoffset().total_seconds())


@pytest.mark.parametrize("zone, t0, t1", [
    ("America/Los_Angeles", _utc(2029, 1, 1), _utc(2030, 1, 1)),     # on the hour
    ("Australia/Lord_Howe", _utc(2024, 1, 1), _utc(2025, 1, 1)),     # 30-minute changes
    ("Africa/Monrovia", _utc(1971, 12, 1), _utc(1972, 3, 1)),        # -0:44:30 -> 0:00, not on a quarter hour
    ("America/St_Johns", _utc(2006, 1, 1), _utc(2007, 1, 1)),        # at 00:01 local
])
def test_zone_transitions_are_exact(zone, t0, t1):
    tz = ZoneInfo(zone)
    instants, offsets = zone_transitions(zone, t0, t1)
    assert instants.size >= 1
    # each found instant is where the offset changes, to the second; and between them nothing changes
    for i, t in enumerate(instants.tolist()):
        assert _offset(tz, t - 1) == offsets[i] and _offset(tz, t) == offsets[i + 1]
    edges = [t0] + instants.tolist() + [t1]
    for i, (a, z) in enumerate(zip(edges, edges[1:])):
        for t in range(a + (1 if i else 0), z, 3 * 3600):  # every 3 hours: no change missed
            assert _offset(tz, t) == offsets[i], (zone, t)


def test_a_clock_going_back_across_midnight_is_named():
    # America/St_Johns, 29 Oct 2006: at 00:01 NDT (02:31 UTC) back to 23:01 NST on the 28th
    grid = TimeGrid(_utc(2006, 10, 20, 2, 30), 900, 96 * 15, "America/St_Johns")
    with pytest.raises(ClockGoesBack) as caught:
        day_clock(grid, (), _scalar.holidays_in)
    message = str(caught.value)
    assert "America/St_Johns" in message and "2006-10-29" in message and "back to 2006-10-28 23:" in message
    assert caught.value.timezone == "America/St_Johns" and caught.value.date == dt.date(2006, 10, 29)


def _in_st_johns(schedule):
    """The schedule on St John's time, its first version moved back to 2006 (the zone stopped
    changing at 00:01 in 2011)."""
    first, *rest = schedule.versions
    return attrs.evolve(schedule, calendar=attrs.evolve(schedule.calendar, timezone="America/St_Johns"),
                        versions=(attrs.evolve(first, effective=dt.date(2006, 1, 1)), *rest))


def test_the_vector_path_refuses_it_with_vector_unsupported_and_tariffs_bill_falls_back():
    schedule = _in_st_johns(TARIFFS.schedule("E-1"))
    start = int(dt.datetime(2006, 10, 1, tzinfo=ZoneInfo("America/St_Johns")).timestamp())
    end = int(dt.datetime(2006, 11, 1, tzinfo=ZoneInfo("America/St_Johns")).timestamp())
    grid = TimeGrid(start, 900, (end - start) // 900, "America/St_Johns")
    wh = np.full((1, grid.count), 100, dtype=np.int64)
    periods = [(dt.date(2006, 10, 1), dt.date(2006, 11, 1))]
    clear_cache()
    with pytest.raises(VectorUnsupported) as caught:
        bill_grid(schedule, periods, grid, wh)
    assert "America/St_Johns" in str(caught.value) and "2006-10-29" in str(caught.value)
    assert not isinstance(caught.value, ValueError)
    # Tariffs.bill's array path declines it (None: the scalar bill function takes the data)
    assert bill_arrays(schedule, "2006-10-01", "2006-11-01", {"start": start, "seconds": 900, "wh": wh[0]}) is None


@pytest.mark.parametrize("first, last", [((2029, 1, 1), (2030, 1, 1)), ((2025, 10, 20), (2026, 4, 1))])
@pytest.mark.parametrize("seconds", [900, 3600])
def test_bill_edges_from_the_day_clock_equal_zoneinfo_midnights(first, last, seconds):
    schedule = TARIFFS.schedule("E-4-TOU")
    tz = ZoneInfo("America/Los_Angeles")
    lo = int(dt.datetime(*first, tzinfo=tz).timestamp())
    hi = int(dt.datetime(*last, tzinfo=tz).timestamp())
    grid = TimeGrid(lo, seconds, (hi - lo) // seconds)
    day = dt.date(*first)
    periods = []
    while day < dt.date(*last):  # bills of 27 to 33 days, across both DST changes
        end = min(day + dt.timedelta(days=27 + len(periods) % 7), dt.date(*last))
        periods.append((day, end))
        day = end
    s = structure.build(schedule, periods, None)
    clock = day_clock(grid, tuple(schedule.calendar.holidays), _scalar.holidays_in)
    fast = sources._edges_from_clock(grid, s, clock)
    assert fast is not None and fast == sources._edges_exact(grid, s)


def test_a_period_the_grid_does_not_cover_is_refused_by_name():
    schedule = TARIFFS.schedule("E-4-TOU")
    tz = ZoneInfo("America/Los_Angeles")
    lo = int(dt.datetime(2025, 7, 1, tzinfo=tz).timestamp())
    grid = TimeGrid(lo, 900, 96 * 20)
    with pytest.raises(BillInputError, match="do not cover the billing period 2025-07-01 to 2025-07-31"):
        bill_grid(schedule, [(dt.date(2025, 7, 1), dt.date(2025, 7, 31))], grid, np.ones((1, grid.count), np.int64))


# The day clock cuts each stretch of one UTC offset as an arithmetic progression of days; checked
# here against zoneinfo interval by interval (the local day and minute of every interval's start),
# on zones with hour and half-hour changes, a zone that skipped a whole day (Pacific/Apia, 30 Dec
# 2011: the clock cuts such a grid by its search), a zone with no changes, and grids starting at
# any minute, of intervals that divide a day or not.
CLOCK_GRIDS = [
    ("America/Los_Angeles", (2029, 1, 1, 0, 0), 900, 35_040),       # a calendar year: both changes
    ("America/Los_Angeles", (2025, 3, 8, 13, 15), 300, 12 * 24 * 6),  # starts mid-day, 5-minute data
    ("America/Los_Angeles", (2025, 10, 30, 0, 0), 3600, 24 * 10),   # the fall-back day, hourly
    ("Australia/Lord_Howe", (2024, 3, 30, 0, 0), 900, 96 * 200),    # 30-minute changes
    ("Europe/London", (2024, 3, 28, 7, 0), 1800, 48 * 220),         # changes at 01:00 UTC
    ("Asia/Kolkata", (2024, 1, 1, 0, 0), 900, 96 * 40),             # no change
    ("Pacific/Apia", (2011, 12, 25, 0, 0), 3600, 24 * 12),          # 30 Dec 2011 never happened
    ("America/Sao_Paulo", (2018, 10, 30, 0, 0), 900, 96 * 10),      # the change at local midnight
    ("America/Los_Angeles", (2029, 3, 1, 0, 0), 7 * 60, 3000),      # 7 minutes: does not divide a day
]


@pytest.mark.parametrize("zone, first, seconds, count", CLOCK_GRIDS)
def test_the_day_clock_agrees_with_zoneinfo_interval_by_interval(zone, first, seconds, count):
    tz = ZoneInfo(zone)
    start = int(dt.datetime(*first, tzinfo=tz).timestamp())
    clock = day_clock(TimeGrid(start, seconds, count, zone), (), _scalar.holidays_in)
    d0 = dt.date(1970, 1, 1) + dt.timedelta(days=int(clock.days[0]))
    assert clock.first[0] == 0 and clock.first[-1] == count
    for i in range(count):
        local = dt.datetime.fromtimestamp(start + i * seconds, tz)
        d = (local.date() - d0).days
        assert clock.first[d] <= i < clock.first[d + 1], (zone, i, local)
        j = i - int(clock.first[d])
        minute = int(clock.minutes[d][j]) if d in clock.minutes else int(clock.m0[d]) + j * seconds // 60
        assert minute == local.hour * 60 + local.minute, (zone, i, local)
        # a day is regular exactly when no offset change falls between its first and last interval
    for d in range(clock.days.size):
        a, z = int(clock.first[d]), int(clock.first[d + 1])
        if z > a:
            offsets = {dt.datetime.fromtimestamp(start + i * seconds, tz).utcoffset() for i in (a, z - 1)}
            assert bool(clock.regular[d]) == (len(offsets) == 1), (zone, d)


@pytest.mark.parametrize("zone, first, seconds, count", CLOCK_GRIDS)
def test_the_day_clock_lists_exactly_the_days_that_are_not_whole(zone, first, seconds, count):
    # `odd`: the days with intervals that do not run from local midnight to local midnight, from
    # minute 0, without an offset change (`day_runs_by_slots` cuts those one by one)
    tz = ZoneInfo(zone)
    start = int(dt.datetime(*first, tzinfo=tz).timestamp())
    clock = day_clock(TimeGrid(start, seconds, count, zone), (), _scalar.holidays_in)
    if clock.odd is None:
        pytest.skip("cut by the search, which does not list them")
    per = 86400 // seconds
    counts = np.diff(clock.first)
    whole = (counts == per) & (clock.m0 == 0) & clock.regular
    assert clock.odd == np.flatnonzero(~whole & (counts > 0)).tolist()
