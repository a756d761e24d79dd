"""Local time for CPAU customers: America/Los_Angeles via zoneinfo.

Readings are stored in UTC; local time is derived. The two DST hazards of naive local
timestamps are classified here: a spring-forward time that never happened (nonexistent) and a
fall-back time that happened twice (ambiguous).
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import attrs

from tariffc.compiler.runtime import zones

LOCAL_TZ_NAME = "America/Los_Angeles"
LOCAL_TZ = ZoneInfo(LOCAL_TZ_NAME)
UTC = timezone.utc



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


@functools.lru_cache(maxsize=4096)
def year_transitions(year: int, tz: ZoneInfo = LOCAL_TZ) -> tuple[Transition, ...]:
    """The zone's offset changes whose UTC instant falls in the UTC year `year` (more exactly in
    (Jan 1, next Jan 1]), oldest first: `runtime/zones.py`'s, the one home of this rule, as
    Transitions. Cached per (year, zone): a file's readings and every report on it ask for the same
    few years."""
    instants, offsets = zones.zone_year(str(tz.key), year)
    return tuple(Transition(at=utc_from_epoch(at), offset_before=before, offset_after=after)
                 for at, before, after in zip(instants, offsets, offsets[1:]))


def transitions_between(start: datetime, end: datetime, tz: ZoneInfo = LOCAL_TZ) -> tuple[Transition, ...]:
    """Offset changes strictly between `start` and `end` (UTC-aware datetimes), oldest first.

    Read from `year_transitions`, so the cost is a scan of each UTC year in the span the first time
    it is asked for (about 80 offset look-ups a year): callers with readings spread over centuries
    ask per covered stretch (`covered_stretches`), not for the whole span.
    """
    if end <= start:
        return ()
    return tuple(t for year in range(start.year, end.year + 1) for t in year_transitions(year, tz)
                 if start < t.at < end)


def covered_stretches(spans: Iterable[tuple[datetime, datetime]]) -> list[tuple[datetime, datetime]]:
    """The (start, end) spans merged where they touch or overlap, oldest first: the time the readings
    cover, without the gaps between them."""
    merged: list[list[datetime]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(start, end) for start, end in merged]
