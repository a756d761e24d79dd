"""How a bill's days divide: which version is in effect on a day (the one rule, also used by the
IR, `rates`, `compare` and the interpreter), the parts of a bill (one per version in effect) and
the segments of a part (one per season).

The proration rule (declared in the calendar: `prorate seasons|versions by days`, `prorate
intervals by timestamp`; see `docs/language.md`): a charge priced per interval (time-of-use
energy) takes each interval by its timestamp; every other quantity — totals, tier quantities,
demand, monthly and daily charges — is prorated to the segments by days. The declarations reach
the runtime as `Version.prorate_seasons/_versions/_intervals`; a bill needing an undeclared one is
refused.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from .calendar import season_of
from .errors import BillInputError

#: The proration rule, by kind of charge: what each declaration means (see the module docstring).
PRORATION = {"intervals": "timestamp", "seasons": "days", "versions": "days"}


def in_effect(versions, day: dt.date):
    """The version in effect on `day`: the latest `effective` on or before it whose `ends` (if
    any) is after it; None when there is none. `versions` are oldest first."""
    found = None
    for version in versions:
        if version.effective <= day and (version.ends is None or day < version.ends):
            found = version
    return found


class Segment(NamedTuple):
    """Days [start, start + days) of one part in one season (None: the schedule has no seasons)."""

    season: str | None
    start: dt.date
    days: int


def parts(schedule_id: str, versions, start: dt.date, end: dt.date) -> list[tuple[object, dt.date, dt.date]]:
    """[(version, first day, end)] covering [start, end), one per version in effect, oldest first;
    a day with no version in effect is refused naming the nearest versions."""
    ordered = sorted(versions, key=lambda v: v.effective)
    out = []
    day = start
    while day < end:
        version = in_effect(ordered, day)
        if version is None:
            field_name = "start" if day == start else "end"
            shown = (start if day == start else end).isoformat()
            if day < ordered[0].effective:
                raise BillInputError(field_name, shown, f"schedule {schedule_id} has no version in effect on "
                                     f"{day.isoformat()}; its first version is effective "
                                     f"{ordered[0].effective.isoformat()}")
            before = [v for v in ordered if v.effective <= day]
            after = [v for v in ordered if v.effective > day]
            raise BillInputError(field_name, shown, f"schedule {schedule_id} has no version in effect on "
                                 f"{day.isoformat()} (version {before[-1].effective.isoformat()} ended "
                                 f"{before[-1].ends.isoformat()}"
                                 + (f"; the next is effective {after[0].effective.isoformat()})" if after else ")"))
        stop = min(end, version.ends) if version.ends else end
        for later in ordered:
            if day < later.effective < stop:
                stop = later.effective
        out.append((version, day, stop))
        day = stop
    return out


def segments(seasons, start: dt.date, end: dt.date) -> list[Segment]:
    """The season segments of [start, end) (consecutive days of one season)."""
    if not seasons:
        return [Segment(None, start, (end - start).days)]
    out: list[Segment] = []
    day = start
    one = dt.timedelta(days=1)
    while day < end:
        season = season_of(seasons, day)
        if out and out[-1].season == season:
            last = out[-1]
            out[-1] = Segment(season, last.start, last.days + 1)
        else:
            out.append(Segment(season, day, 1))
        day += one
    return out
