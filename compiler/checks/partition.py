"""Seasons cover every day of the year once; TOU periods cover every minute of every day type once."""

from __future__ import annotations

import datetime as dt

from tariffc.compiler import ir
from tariffc.compiler.runtime.calendar import in_season
from tariffc.dsl.diagnostics import error

LEAP_YEAR = 2024  # every month/day pair, Feb 29 included
DAY_TYPES = tuple((weekday, holiday) for weekday in range(7) for holiday in (False, True))


def _days_of_year():
    day = dt.date(LEAP_YEAR, 1, 1)
    while day.year == LEAP_YEAR:
        yield day
        day += dt.timedelta(days=1)


def seasons_partition_year(schedule: ir.Schedule):
    reported = set()
    for version in schedule.versions:
        seasons = version.rules.seasons
        if not seasons or seasons in reported:
            continue
        reported.add(seasons)
        for day in _days_of_year():
            covering = [s for s in seasons if in_season(s, day)]  # the bills' own rule
            if len(covering) != 1:
                what = "no season" if not covering else f"{len(covering)} seasons ({', '.join(s.name for s in covering)})"
                yield error("T202", f"{day:%B} {day.day} falls in {what}", seasons[0].span,
                            "seasons must cover every day of the year exactly once",
                            hint="make each season end the day before the next one starts")
                break


def clause_covers(clause: ir.Clause, weekday: int, holiday: bool) -> bool:
    if clause.kind == "always":
        return True
    if clause.holidays_only:
        return holiday
    if weekday not in clause.weekdays:
        return False
    return not (holiday and clause.except_holidays)


Intervals = tuple[tuple[int, int], ...]  # sorted, disjoint, non-touching half-open [start, end) minutes
DAY = 1440


def merge(intervals) -> Intervals:
    """Sorted half-open minute intervals, overlapping or touching ones joined."""
    out: list[list[int]] = []
    for start, end in sorted(i for i in intervals if i[0] < i[1]):
        if out and start <= out[-1][1]:
            out[-1][1] = max(out[-1][1], end)
        else:
            out.append([start, end])
    return tuple((a, b) for a, b in out)


def complement(intervals: Intervals) -> Intervals:
    """The minutes of the day [0, 1440) that `intervals` (merged) leave out."""
    out, at = [], 0
    for start, end in intervals:
        if start > at:
            out.append((at, start))
        at = max(at, end)
    if at < DAY:
        out.append((at, DAY))
    return tuple(out)


def day_intervals(period_set: ir.PeriodSet) -> dict[str, dict[tuple[int, bool], Intervals]]:
    """For each period, per day type (weekday, holiday), the minutes it covers as merged intervals;
    `otherwise` takes what no other clause covers."""
    raw: dict[str, dict[tuple[int, bool], list]] = {}
    for period in period_set.periods:
        days = raw.setdefault(period.name, {day: [] for day in DAY_TYPES})
        for clause in period.clauses:
            if clause.kind == "otherwise":
                continue
            hours = ((0, DAY),) if clause.kind == "always" else clause.hours
            for day in DAY_TYPES:
                if clause_covers(clause, *day):
                    days[day].extend(hours)
    covered = {name: {day: merge(spans) for day, spans in days.items()} for name, days in raw.items()}
    rest = {day: complement(merge(i for days in covered.values() for i in days[day])) for day in DAY_TYPES}
    for period in period_set.periods:
        if any(c.kind == "otherwise" for c in period.clauses):
            covered[period.name] = {day: merge(covered[period.name][day] + rest[day]) for day in DAY_TYPES}
    return covered


def coverage(period_set: ir.PeriodSet) -> dict[str, set[tuple[int, bool, int]]]:
    """Minutes of the week (per day type) each period covers, as (weekday, holiday, minute) cells
    (the period map on the site draws these); `otherwise` takes what is left."""
    return {name: {(w, h, m) for (w, h), spans in days.items() for start, end in spans for m in range(start, end)}
            for name, days in day_intervals(period_set).items()}


def overlaps(by_name: dict[str, Intervals]) -> list[tuple[int, int, tuple[str, ...]]]:
    """Maximal runs [start, end) covered by two or more periods, each with the periods covering its
    first minute (a sweep over the interval ends)."""
    events = sorted((minute, kind, name) for name, spans in by_name.items() for a, b in spans
                    for minute, kind in ((a, 1), (b, -1)))
    active: set[str] = set()
    runs: list[tuple[int, int, tuple[str, ...]]] = []
    open_at, names_at_open, i = None, (), 0
    while i < len(events):
        minute = events[i][0]
        while i < len(events) and events[i][0] == minute:
            _, kind, name = events[i]
            active.add(name) if kind == 1 else active.discard(name)
            i += 1
        if len(active) > 1 and open_at is None:
            open_at, names_at_open = minute, tuple(sorted(active))
        elif len(active) <= 1 and open_at is not None:
            runs.append((open_at, minute, names_at_open))
            open_at = None
    return runs


def _describe(weekday: int, holiday: bool, start: int, end: int) -> str:
    day = ir.WEEKDAYS[weekday] + (" (holiday)" if holiday else "")
    return f"{day} {start // 60:02d}:{start % 60:02d}-{end // 60:02d}:{end % 60:02d}"


def periods_partition_week(schedule: ir.Schedule):
    """TOU periods cover every minute of every day type (weekday × holiday or not) exactly once:
    T203 names the first uncovered run, T204 the first run two periods both cover (day types in
    order Monday … Sunday, the working day before the holiday)."""
    seen = set()
    for version in schedule.versions:
        for period_set in version.rules.periods:
            if not period_set.partition or period_set in seen:
                continue
            seen.add(period_set)
            covered = day_intervals(period_set)
            label = f"periods {period_set.charge}" + (f" {period_set.season}" if period_set.season else "")
            days = sorted(DAY_TYPES)
            for w, h in days:
                gaps = complement(merge(i for spans in covered.values() for i in spans[(w, h)]))
                if gaps:
                    yield error("T203", f"{label}: no period covers {_describe(w, h, *gaps[0])}", period_set.span,
                                "time-of-use periods must cover every hour of every day type, holidays included",
                                hint="add the hours to a period, or give one period `otherwise`")
                    break
            for w, h in days:
                runs = overlaps({name: spans[(w, h)] for name, spans in covered.items()})
                if runs:
                    start, end, names = runs[0]
                    yield error("T204", f"{label}: {' and '.join(names)} both cover {_describe(w, h, start, end)}",
                                period_set.span, "each hour belongs to exactly one period",
                                hint="remove the hours from one of the periods")
                    break
