"""Seasons cover every day of the year once; TOU periods cover every minute of every day type once."""

from __future__ import annotations

import datetime as dt

from tariffc.compiler import ir
from tariffc.dsl.diagnostics import error

LEAP_YEAR = 2024  # every month/day pair, Feb 29 included
DAY_TYPES = tuple((weekday, holiday) for weekday in range(7) for holiday in (False, True))


def _in_season(season: ir.Season, month_day: tuple[int, int]) -> bool:
    if season.start <= season.end:
        return season.start <= month_day <= season.end
    return month_day >= season.start or month_day <= season.end  # wraps over the new year


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
            covering = [s for s in seasons if _in_season(s, (day.month, day.day))]
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


def coverage(period_set: ir.PeriodSet) -> dict[str, set[tuple[int, bool, int]]]:
    """Minutes of the week (per day type) each period covers; `otherwise` takes what is left."""
    covered: dict[str, set] = {}
    for period in period_set.periods:
        cells = covered.setdefault(period.name, set())
        for clause in period.clauses:
            if clause.kind == "otherwise":
                continue
            for weekday, holiday in DAY_TYPES:
                if clause_covers(clause, weekday, holiday):
                    hours = ((0, 1440),) if clause.kind == "always" else clause.hours
                    for start, end in hours:
                        cells.update((weekday, holiday, minute) for minute in range(start, end))
    taken = set().union(*covered.values()) if covered else set()
    everything = {(w, h, m) for w, h in DAY_TYPES for m in range(1440)}
    for period in period_set.periods:
        if any(c.kind == "otherwise" for c in period.clauses):
            covered[period.name] |= everything - taken
    return covered


def _describe(weekday: int, holiday: bool, minutes: list[int]) -> str:
    start, end = minutes[0], minutes[0]
    for m in minutes:
        if m != end:
            break
        end = m + 1
    day = ir.WEEKDAYS[weekday] + (" (holiday)" if holiday else "")
    return f"{day} {start // 60:02d}:{start % 60:02d}-{end // 60:02d}:{end % 60:02d}"


def periods_partition_week(schedule: ir.Schedule):
    seen = set()
    for version in schedule.versions:
        for period_set in version.rules.periods:
            if not period_set.partition or period_set in seen:
                continue
            seen.add(period_set)
            covered = coverage(period_set)
            label = f"periods {period_set.charge}" + (f" {period_set.season}" if period_set.season else "")
            counts: dict[tuple[int, bool, int], list[str]] = {}
            for name, cells in covered.items():
                for cell in cells:
                    counts.setdefault(cell, []).append(name)
            gaps = sorted(c for w, h in DAY_TYPES for c in [(w, h, m) for m in range(1440)] if c not in counts)
            if gaps:
                w, h, _ = gaps[0]
                minutes = [m for (gw, gh, m) in gaps if (gw, gh) == (w, h)]
                yield error("T203", f"{label}: no period covers {_describe(w, h, minutes)}", period_set.span,
                            "time-of-use periods must cover every hour of every day type, holidays included",
                            hint="add the hours to a period, or give one period `otherwise`")
            overlaps = sorted(c for c, names in counts.items() if len(names) > 1)
            if overlaps:
                w, h, _ = overlaps[0]
                names = sorted(counts[overlaps[0]])
                minutes = [m for (ow, oh, m) in overlaps if (ow, oh) == (w, h)]
                yield error("T204", f"{label}: {' and '.join(names)} both cover {_describe(w, h, minutes)}",
                            period_set.span, "each hour belongs to exactly one period",
                            hint="remove the hours from one of the periods")
