"""ESPI LocalTimeParameters: decode the DST rules and compare them with the local zone.

ESPI DstRuleType is a 32-bit map (NAESB REQ.21 ESPI schema annotation, quoted in e.g.
VerdigrisTech/green-button-data lib/green-button-data/dst.rb; IEEE 2030.5 uses the same type):
  bits  0-11 seconds (0-3599)           bits 12-16 hours (0-23)
  bits 17-19 day of week (1 = Monday .. 7 = Sunday, 0 = not applicable)
  bits 20-24 day of month (1-31, 0 = not applicable)
  bits 25-27 operator                   bits 28-31 month (1-12)
Operators: 0 on the day of month; 1 the day of week on or after the day of month; 2..6 the
1st..5th occurrence of the day of week in the month; 7 its last occurrence.
0xFFFFFFFF disables DST. The seconds count within the hour: the schema's example "third Friday
in March at 1:45 AM" is hours 1, seconds 2700. The samples' 360E2000 = month 3, operator 3
(2nd), day of week 7 (Sunday), 02:00; B40E2000 = 1st Sunday of November, 02:00.

The reader keeps times in UTC and converts with America/Los_Angeles; these parameters are only
checked, and a disagreement is a warning (sample files come from other zones).
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import attrs

from tariffc.compiler.meterdata.localtime import LOCAL_TZ, offset_text, year_transitions

DST_DISABLED = 0xFFFFFFFF
_ORDINALS = {2: "1st", 3: "2nd", 4: "3rd", 5: "4th", 6: "5th", 7: "last"}
_DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@attrs.frozen(kw_only=True)
class DstRule:
    raw: int
    month: int
    operator: int
    day_of_month: int
    day_of_week: int  # 1 = Monday .. 7 = Sunday
    hour: int
    second: int

    @classmethod
    def decode(cls, raw: int) -> DstRule:
        return cls(
            raw=raw,
            month=(raw >> 28) & 0xF,
            operator=(raw >> 25) & 0x7,
            day_of_month=(raw >> 20) & 0x1F,
            day_of_week=(raw >> 17) & 0x7,
            hour=(raw >> 12) & 0x1F,
            second=raw & 0xFFF,
        )

    def problem(self) -> str | None:
        """Why the rule cannot be evaluated, or None."""
        if not 1 <= self.month <= 12:
            return f"month {self.month} is not 1-12"
        if self.hour > 23 or self.second > 3599:
            return f"time {self.hour}h {self.second}s is out of range"
        needs_weekday = self.operator >= 1
        if needs_weekday and not 1 <= self.day_of_week <= 7:
            return f"operator {self.operator} needs a day of week, got {self.day_of_week}"
        if self.operator in (0, 1) and not 1 <= self.day_of_month <= 31:
            return f"operator {self.operator} needs a day of month, got {self.day_of_month}"
        return None

    def day_in(self, year: int) -> date | None:
        """The rule's date in `year`, None when that day does not exist (e.g. a 5th Sunday)."""
        days_in_month = calendar.monthrange(year, self.month)[1]
        weekday = self.day_of_week - 1  # Python: Monday = 0
        if self.operator == 0:
            return date(year, self.month, self.day_of_month) if self.day_of_month <= days_in_month else None
        if self.operator == 1:
            if self.day_of_month > days_in_month:
                return None
            first = date(year, self.month, self.day_of_month)
            found = first + timedelta(days=(weekday - first.weekday()) % 7)
            return found if found.month == self.month else None
        if self.operator == 7:
            last = date(year, self.month, days_in_month)
            return last - timedelta(days=(last.weekday() - weekday) % 7)
        first = date(year, self.month, 1)
        found = first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (self.operator - 2))
        return found if found.month == self.month else None

    def wall_time_in(self, year: int) -> datetime | None:
        day = self.day_in(year)
        if day is None:
            return None
        return datetime(day.year, day.month, day.day) + timedelta(hours=self.hour, seconds=self.second)

    def describe(self) -> str:
        clock = f"{self.hour:02d}:{self.second // 60:02d}"
        if self.second % 60:
            clock += f":{self.second % 60:02d}"
        month = calendar.month_name[self.month] if 1 <= self.month <= 12 else f"month {self.month}"
        if self.operator == 0:
            return f"{month} {self.day_of_month} at {clock}"
        day_name = _DAY_NAMES[self.day_of_week - 1] if 1 <= self.day_of_week <= 7 else "?"
        if self.operator == 1:
            return f"first {day_name} on or after {month} {self.day_of_month} at {clock}"
        return f"{_ORDINALS[self.operator]} {day_name} of {month} at {clock}"


@attrs.frozen(kw_only=True)
class LocalTimeParameters:
    href: str | None
    tz_offset: int  # seconds, standard time
    dst_offset: int  # seconds added during DST
    dst_start_rule: int
    dst_end_rule: int

    @property
    def start_rule(self) -> DstRule | None:
        return None if self.dst_start_rule == DST_DISABLED else DstRule.decode(self.dst_start_rule)

    @property
    def end_rule(self) -> DstRule | None:
        return None if self.dst_end_rule == DST_DISABLED else DstRule.decode(self.dst_end_rule)


def _zone_transitions(year: int, tz: ZoneInfo):
    """The zone's changes whose local wall time (before the change) is in `year`."""
    nearby = (t for y in range(max(year - 1, 1), min(year + 1, 9999) + 1) for t in year_transitions(y, tz))
    return [t for t in nearby if t.wall_time_before.year == year]


def _check_rule(name: str, raw: int, rule: DstRule | None, zone_change, year: int, tz_name: str) -> list[str]:
    hex_text = f"{raw:08X}"
    if rule is None:
        if zone_change is None:
            return []
        return [f"LocalTimeParameters {name} {hex_text} disables DST, but {tz_name} has "
                f"{zone_change.describe()}"]
    problem = rule.problem()
    if problem:
        return [f"LocalTimeParameters {name} {hex_text} is not a valid ESPI DST rule: {problem}"]
    expected = rule.wall_time_in(year)
    described = f"{name} {hex_text} ({rule.describe()})"
    if zone_change is None:
        return [f"LocalTimeParameters {described}, but {tz_name} has no such change in {year}"]
    if expected is None:
        return [f"LocalTimeParameters {described} names no day in {year}; {tz_name} has {zone_change.describe()}"]
    if expected != zone_change.wall_time_before:
        return [f"LocalTimeParameters {described} gives {expected:%Y-%m-%d %H:%M} in {year}, but "
                f"{tz_name} changes at {zone_change.wall_time_before:%Y-%m-%d %H:%M}"]
    return []


def check_against_zone(params: LocalTimeParameters, years: Iterable[int], tz: ZoneInfo = LOCAL_TZ) -> tuple[str, ...]:
    """Warnings where the file's LocalTimeParameters disagree with `tz` in the given years (the local
    years the readings cover, not every year between the first and the last reading).

    Each kind of disagreement is said once, for the first year it occurs, with a count of the
    other years it also occurs in.
    """
    tz_name = str(tz.key)
    first: dict[str, str] = {}
    repeats: dict[str, int] = {}

    def note(key: str, message: str) -> None:
        if key in first:
            repeats[key] = repeats.get(key, 0) + 1
        else:
            first[key] = message

    for year in years:
        changes = _zone_transitions(year, tz)
        starts = [t for t in changes if t.starts_dst]
        ends = [t for t in changes if not t.starts_dst]
        standard = (ends[0].offset_after if ends else
                    int(datetime(year, 1, 15, tzinfo=tz).utcoffset().total_seconds()))
        if params.tz_offset != standard:
            note("tzOffset", f"LocalTimeParameters tzOffset {params.tz_offset} s ({offset_text(params.tz_offset)}) "
                             f"disagrees with {tz_name} standard time {standard} s ({offset_text(standard)}) in {year}")
        if starts and params.start_rule is not None:
            zone_dst = starts[0].offset_after - starts[0].offset_before
            if params.dst_offset != zone_dst:
                note("dstOffset", f"LocalTimeParameters dstOffset {params.dst_offset} s disagrees with "
                                  f"{tz_name} DST offset {zone_dst} s in {year}")
        for message in _check_rule("dstStartRule", params.dst_start_rule, params.start_rule,
                                   starts[0] if starts else None, year, tz_name):
            note("dstStartRule", message)
        for message in _check_rule("dstEndRule", params.dst_end_rule, params.end_rule,
                                   ends[0] if ends else None, year, tz_name):
            note("dstEndRule", message)
    return tuple(message + (f" (and in {repeats[key]} other year(s))" if key in repeats else "")
                 for key, message in first.items())
