"""Calendar questions a bill asks: which season a day is in, which days are holidays (computed from
the calendar's holiday rules, with observed-day shifting), which period or window an instant is in.

Works on the runtime records (`runtime.Season`, `runtime.Holiday`, `runtime.PeriodSet`); the IR
types have the same field names, so the reference interpreter uses these functions too.
"""

from __future__ import annotations

import calendar as _cal
import datetime as dt
from functools import lru_cache


def in_season(season, day: dt.date) -> bool:
    md = (day.month, day.day)
    if tuple(season.start) <= tuple(season.end):
        return tuple(season.start) <= md <= tuple(season.end)
    return md >= tuple(season.start) or md <= tuple(season.end)


def season_of(seasons, day: dt.date) -> str | None:
    """The name of the first season containing `day`; None when the schedule has no seasons."""
    for season in seasons:
        if in_season(season, day):
            return season.name
    if seasons:
        raise LookupError(f"{day.isoformat()} is in no season")
    return None


def holiday_date(holiday, year: int, holidays: tuple = ()) -> dt.date:
    """The date a holiday is observed in `year`: its date (a fixed day, the nth weekday of a month,
    or the observed date of the holiday it is relative to, which `holidays` must hold), plus its
    `offset_days`, then moved under `observed nearest_weekday` (Saturday to Friday, Sunday to Monday).
    The lowering has refused relative references that are unknown or circular."""
    if holiday.relative_to is not None:
        base = next(h for h in holidays if h.name == holiday.relative_to)
        day = holiday_date(base, year, holidays)
    elif holiday.day is not None:
        day = dt.date(year, holiday.month, holiday.day)
    else:
        weeks = _cal.monthcalendar(year, holiday.month)
        days = [week[holiday.weekday] for week in weeks if week[holiday.weekday]]
        n = days[-1] if holiday.ordinal == -1 else days[holiday.ordinal - 1]
        day = dt.date(year, holiday.month, n)
    day += dt.timedelta(days=holiday.offset_days)
    if holiday.observed == "nearest_weekday":
        if day.weekday() == 5:
            day -= dt.timedelta(days=1)
        elif day.weekday() == 6:
            day += dt.timedelta(days=1)
    return day


@lru_cache(maxsize=256)
def holidays_in(holidays: tuple, year: int) -> frozenset[dt.date]:
    """Observed holiday dates falling in `year` (a Jan 1 on Saturday is observed on Dec 31 before)."""
    found = set()
    for y in (year - 1, year, year + 1):
        for holiday in holidays:
            day = holiday_date(holiday, y, holidays)
            if day.year == year:
                found.add(day)
    return frozenset(found)


def is_holiday(holidays: tuple, day: dt.date) -> bool:
    return day in holidays_in(tuple(holidays), day.year)


def clause_matches(clause, weekday: int, holiday: bool, minute: int) -> bool:
    if clause.kind == "always":
        return True
    if clause.kind != "days":
        return False
    if clause.holidays_only:
        if not holiday:
            return False
    elif weekday not in clause.weekdays or (clause.except_holidays and holiday):
        return False
    return any(a <= minute < b for a, b in clause.hours)


def periods_at(period_set, weekday: int, holiday: bool, minute: int) -> tuple[str, ...]:
    """A partition gives exactly one period (the first that matches, else the `otherwise` one);
    a set of windows gives every window that contains the instant."""
    matched = []
    fallback = None
    for period in period_set.periods:
        if any(c.kind == "otherwise" for c in period.clauses):
            fallback = period.name
            continue
        if any(clause_matches(c, weekday, holiday, minute) for c in period.clauses):
            if period_set.partition:
                return (period.name,)
            matched.append(period.name)
    if period_set.partition:
        return (fallback,) if fallback else ()
    if fallback and not matched:
        matched.append(fallback)
    return tuple(matched)
