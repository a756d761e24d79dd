"""Calendar questions a bill asks: which season a day is in, which days are holidays (from the
calendar's holiday rules, with observed-day shifting), which time-of-use period or demand window
an instant is in.

The records are written into generated modules as readable data: a period's clauses keep the
sheet's words (`'mon-fri 12:00-18:00 except holidays'`), parsed once when the module loads.
The IR types have the same field names, so the reference interpreter asks these functions too:
season membership, holidays and TOU classification are each written once, here.
"""

from __future__ import annotations

import calendar as _cal
import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


@dataclass(frozen=True)
class Holiday:
    """A holiday rule: a fixed date (`month`, `day`), the `ordinal` (1..5, -1 = last) `weekday`
    (0 = Monday) of `month`, or `offset_days` from the observed date of the holiday named
    `relative_to`; then moved under `observed='nearest_weekday'`."""

    month: int
    day: int | None = None
    ordinal: int | None = None
    weekday: int | None = None
    observed: str = "none"
    name: str = ""
    relative_to: str | None = None  # another holiday's name: `offset_days` from its observed date
    offset_days: int = 0


@dataclass(frozen=True)
class Calendar:
    """The calendar a schedule names: its time zone (IANA name) and holiday rules."""

    timezone: str
    holidays: tuple[Holiday, ...]


@dataclass(frozen=True)
class Season:
    """A season: (month, day) `start` to `end`, both inclusive; it may wrap the new year."""

    name: str
    start: tuple[int, int]
    end: tuple[int, int]


@dataclass(frozen=True)
class Clause:
    """Hours of some days: `kind` days | otherwise | always; `hours` are [start, end) minutes."""

    kind: str
    weekdays: frozenset = frozenset()
    holidays_only: bool = False
    hours: tuple[tuple[int, int], ...] = ((0, 1440),)
    except_holidays: bool = False


@dataclass(frozen=True)
class Cond:
    """`when FLAG` (kind 'flag'), `when not FLAG` ('not'), `when INPUT is VALUE` ('is')."""

    kind: str
    input: str
    value: str | None = None


@dataclass(frozen=True)
class Period:
    name: str
    clauses: tuple[Clause, ...]


@dataclass(frozen=True)
class PeriodSet:
    """`periods` (a partition: every instant in exactly one) or `windows` (may overlap) of `charge`,
    in `season` (None: all year), applying when `when` holds."""

    partition: bool
    charge: str
    season: str | None
    periods: tuple[Period, ...]
    when: Cond | None = None


# ------------------------------------------------------------------ readable clause text
def _hhmm(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def clause_text(clause) -> str:
    """The sheet-like words of a clause: 'mon-fri 08:00-12:00, 18:00-21:00 except holidays'."""
    if clause.kind in ("otherwise", "always"):
        return clause.kind
    if clause.holidays_only:
        days = "holidays"
    else:
        days = ",".join(_day_runs(sorted(clause.weekdays)))
    hours = "" if tuple(map(tuple, clause.hours)) == ((0, 1440),) else \
        " " + ", ".join(f"{_hhmm(a)}-{_hhmm(b)}" for a, b in clause.hours)
    return days + hours + (" except holidays" if clause.except_holidays else "")


def _day_runs(days: list[int]) -> list[str]:
    runs, i = [], 0
    while i < len(days):
        j = i
        while j + 1 < len(days) and days[j + 1] == days[j] + 1:
            j += 1
        runs.append(WEEKDAYS[days[i]] if i == j else f"{WEEKDAYS[days[i]]}-{WEEKDAYS[days[j]]}")
        i = j + 1
    return runs


_HOURS = re.compile(r"(\d\d):(\d\d)-(\d\d):(\d\d)")


@lru_cache(maxsize=None)
def parse_clause(text: str) -> Clause:
    """The inverse of `clause_text`."""
    if text in ("otherwise", "always"):
        return Clause(kind=text)
    except_holidays = text.endswith(" except holidays")
    if except_holidays:
        text = text[: -len(" except holidays")]
    days, _, hours = text.partition(" ")
    spans = tuple((int(m[1]) * 60 + int(m[2]), int(m[3]) * 60 + int(m[4])) for m in _HOURS.finditer(hours)) \
        or ((0, 1440),)
    if days == "holidays":
        return Clause(kind="days", holidays_only=True, hours=spans, except_holidays=except_holidays)
    weekdays = set()
    for run in days.split(","):
        first, _, last = run.partition("-")
        a, b = WEEKDAYS.index(first), WEEKDAYS.index(last or first)
        weekdays.update(range(a, b + 1))
    return Clause(kind="days", weekdays=frozenset(weekdays), hours=spans, except_holidays=except_holidays)


def period(name: str, *clauses: str) -> Period:
    """A period or window from its clauses' words (see `clause_text`)."""
    return Period(name=name, clauses=tuple(parse_clause(c) for c in clauses))


# ------------------------------------------------------------------ seasons
def in_season(season, day: dt.date) -> bool:
    """Whether `day` falls in `season` (start and end inclusive; a season may wrap the new year)."""
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


# ------------------------------------------------------------------ holidays
def holiday_date(holiday, year: int, holidays: tuple = ()) -> dt.date | None:
    """The date a holiday is observed in `year`: its date (a fixed day, the nth weekday of a month,
    or the observed date of the holiday it is relative to, which `holidays` must hold), plus its
    `offset_days`, then moved under `observed nearest_weekday` (Saturday to Friday, Sunday to Monday).
    The lowering has refused relative references that are unknown or circular. None outside the
    years a date can have (1..9999)."""
    if not 1 <= year <= 9999:
        return None
    try:
        if holiday.relative_to is not None:
            base = next(h for h in holidays if h.name == holiday.relative_to)
            day = holiday_date(base, year, holidays)
            if day is None:
                return None
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
    except OverflowError:  # a shift past 9999-12-31 or before 0001-01-01
        return None
    return day


@lru_cache(maxsize=256)
def holidays_in(holidays: tuple, year: int) -> frozenset[dt.date]:
    """Observed holiday dates falling in `year` (a Jan 1 on Saturday is observed on Dec 31 before)."""
    found = set()
    for y in (year - 1, year, year + 1):
        for holiday in holidays:
            day = holiday_date(holiday, y, holidays)
            if day is not None and day.year == year:
                found.add(day)
    return frozenset(found)


def is_holiday(holidays: tuple, day: dt.date) -> bool:
    return day in holidays_in(tuple(holidays), day.year)


# ------------------------------------------------------------------ time-of-use classification
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
    for p in period_set.periods:
        if any(c.kind == "otherwise" for c in p.clauses):
            fallback = p.name
            continue
        if any(clause_matches(c, weekday, holiday, minute) for c in p.clauses):
            if period_set.partition:
                return (p.name,)
            matched.append(p.name)
    if period_set.partition:
        return (fallback,) if fallback else ()
    if fallback and not matched:
        matched.append(fallback)
    return tuple(matched)


def windowed(period_sets) -> bool:
    """Whether any clause of these sets depends on the time (not just `always`)."""
    return any(c.kind != "always" for s in period_sets for p in s.periods for c in p.clauses)
