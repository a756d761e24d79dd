"""Local time for CPAU customers: America/Los_Angeles via zoneinfo.

Readings are stored in UTC; local time is derived. The two DST hazards of naive local
timestamps are classified here: a spring-forward time that never happened (nonexistent) and a
fall-back time that happened twice (ambiguous).
"""

from __future__ import annotations

import enum
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import attrs

LOCAL_TZ_NAME = "America/Los_Angeles"
LOCAL_TZ = ZoneInfo(LOCAL_TZ_NAME)
UTC = timezone.utc

_DAY = timedelta(days=1)
_SECOND = timedelta(seconds=1)


def utc_from_epoch(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


class LocalKind(enum.Enum):
    NORMAL = "normal"
    AMBIGUOUS = "ambiguous"  # fall back: the wall time occurs twice
    NONEXISTENT = "nonexistent"  # spring forward: the wall time is skipped


def classify_local(naive: datetime, tz: ZoneInfo = LOCAL_TZ) -> LocalKind:
    first = naive.replace(tzinfo=tz, fold=0)
    second = naive.replace(tzinfo=tz, fold=1)
    if first.utcoffset() == second.utcoffset():
        return LocalKind.NORMAL
    # Both folds disagree in a gap and in an overlap; only a gap fails the round trip.
    round_trip = first.astimezone(UTC).astimezone(tz).replace(tzinfo=None)
    return LocalKind.NONEXISTENT if round_trip != naive else LocalKind.AMBIGUOUS


def local_to_utc(naive: datetime, *, second_occurrence: bool = False, tz: ZoneInfo = LOCAL_TZ) -> datetime:
    """UTC instant of a wall time known to exist; `second_occurrence` picks the later of a repeated time."""
    return naive.replace(tzinfo=tz, fold=1 if second_occurrence else 0).astimezone(UTC)


def local_midnight_utc(day: date, tz: ZoneInfo = LOCAL_TZ) -> datetime:
    return datetime.combine(day, time(0), tzinfo=tz).astimezone(UTC)


def offset_text(seconds: int) -> str:
    sign = "-" if seconds < 0 else "+"
    hours, rest = divmod(abs(seconds), 3600)
    return f"UTC{sign}{hours:02d}:{rest // 60:02d}"


@attrs.frozen(kw_only=True)
class Transition:
    """A change of UTC offset in the local zone."""

    at: datetime  # UTC instant of the change
    offset_before: int  # seconds east of UTC
    offset_after: int

    @property
    def starts_dst(self) -> bool:
        return self.offset_after > self.offset_before

    @property
    def wall_time_before(self) -> datetime:
        """The local clock reading at the instant of change, as the clock showed before it."""
        return (self.at + timedelta(seconds=self.offset_before)).replace(tzinfo=None)

    def describe(self) -> str:
        what = "DST starts" if self.starts_dst else "DST ends"
        after = (self.at + timedelta(seconds=self.offset_after)).replace(tzinfo=None)
        return (
            f"{what} {self.wall_time_before:%Y-%m-%d}: clocks go from {self.wall_time_before:%H:%M} "
            f"to {after:%H:%M} ({offset_text(self.offset_before)} -> {offset_text(self.offset_after)})"
        )


def _offset(at: datetime, tz: ZoneInfo) -> int:
    return int(at.astimezone(tz).utcoffset().total_seconds())


def transitions_between(start: datetime, end: datetime, tz: ZoneInfo = LOCAL_TZ) -> tuple[Transition, ...]:
    """Offset changes in [start, end) (UTC-aware datetimes).

    zoneinfo has no public transition list, so step a day at a time and bisect each change to
    the second; zones change offset at most once a day.
    """
    found: list[Transition] = []
    cursor = start
    before = _offset(cursor, tz)
    while cursor < end:
        step_end = min(cursor + _DAY, end)
        after = _offset(step_end, tz)
        if after != before:
            low, high = cursor, step_end  # offset(low) == before, offset(high) == after
            while high - low > _SECOND:
                middle = low + (high - low) / 2
                middle = middle.replace(microsecond=0)
                if middle <= low:
                    break
                if _offset(middle, tz) == before:
                    low = middle
                else:
                    high = middle
            if high < end:
                found.append(Transition(at=high, offset_before=before, offset_after=after))
        cursor, before = step_end, after
    return tuple(found)
