"""The common data model every reader produces: an immutable series of interval readings.

Times are UTC-aware datetimes (local time is derived, never stored); values are exact Decimals
in the series unit (kWh for electricity, therm for gas); durations are whole seconds.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import attrs

from tariffc.compiler.meterdata.localtime import LOCAL_TZ, LOCAL_TZ_NAME, UTC
from tariffc.compiler.runtime.timetext import local_time_text

KWH = "kWh"
THERM = "therm"


class Direction(enum.Enum):
    """Which way the energy flowed through the meter."""

    DELIVERED = "delivered"  # utility to customer (ESPI flowDirection 1, "forward")
    RECEIVED = "received"  # customer to utility, e.g. solar export (ESPI flowDirection 19, "reverse")


def _utc_aware(instance: object, attribute: attrs.Attribute, value: datetime) -> None:
    if value.tzinfo is None or value.utcoffset() != timedelta(0):
        raise ValueError(f"{attribute.name} must be a UTC-aware datetime, got {value!r}")


def _positive(instance: object, attribute: attrs.Attribute, value: int) -> None:
    if value <= 0:
        raise ValueError(f"{attribute.name} must be positive, got {value!r}")


@attrs.frozen(kw_only=True)
class IntervalReading:
    start: datetime = attrs.field(validator=_utc_aware)
    duration: int = attrs.field(validator=_positive)  # seconds
    value: Decimal
    unit: str
    direction: Direction = Direction.DELIVERED
    cost: Decimal | None = None  # in currency units (Green Button only)
    quality: tuple[int, ...] = ()  # ESPI ReadingQuality codes, if any
    line: int | None = attrs.field(default=None, eq=False)  # the CSV line it was read from (for messages)

    @property
    def end(self) -> datetime:
        return self.start + timedelta(seconds=self.duration)

    def local_start(self, tz: ZoneInfo = LOCAL_TZ) -> datetime:
        return self.start.astimezone(tz)

    def local_end(self, tz: ZoneInfo = LOCAL_TZ) -> datetime:
        return self.end.astimezone(tz)

    def place(self, source: str) -> str:
        """`usage.csv:12`: the file and, when known, the line the reading was read from."""
        return f"{source}:{self.line}" if self.line is not None else source

    def where(self, source: str, tz: ZoneInfo = LOCAL_TZ) -> str:
        """`usage.csv:12 (2025-07-15 00:05 PDT)`: the file and line when known, and the local start."""
        return f"{self.place(source)} ({local_time_text(self.start, tz)})"


def _sorted_readings(instance: IntervalSeries, attribute: attrs.Attribute, value: tuple) -> None:
    keys = [(reading.start, reading.direction.value) for reading in value]
    if keys != sorted(keys):
        raise ValueError("readings must be sorted by start, then direction")


@attrs.frozen(kw_only=True)
class IntervalSeries:
    """Readings of one service point, sorted by start (UTC), with what the reader noticed."""

    readings: tuple[IntervalReading, ...] = attrs.field(converter=tuple, validator=_sorted_readings)
    source: str
    warnings: tuple[str, ...] = attrs.field(default=(), converter=tuple)
    service: str | None = None  # "electricity", "gas", or None when the file does not say
    timezone: str = LOCAL_TZ_NAME

    def __len__(self) -> int:
        return len(self.readings)

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def start(self) -> datetime:
        """Start of the first reading (UTC); readers never return an empty series."""
        if not self.readings:
            raise ValueError(f"{self.source}: the series is empty")
        return self.readings[0].start

    @property
    def end(self) -> datetime:
        if not self.readings:
            raise ValueError(f"{self.source}: the series is empty")
        return max(reading.end for reading in self.readings)

    @property
    def units(self) -> frozenset[str]:
        return frozenset(reading.unit for reading in self.readings)

    @property
    def directions(self) -> frozenset[Direction]:
        return frozenset(reading.direction for reading in self.readings)

    def of(self, direction: Direction) -> tuple[IntervalReading, ...]:
        return tuple(reading for reading in self.readings if reading.direction is direction)

    def total(self, direction: Direction = Direction.DELIVERED, unit: str | None = None) -> Decimal:
        """Exact sum of the values flowing in `direction`; refuses to add different units."""
        chosen = self.of(direction)
        units = {reading.unit for reading in chosen}
        if unit is None:
            if len(units) > 1:
                raise ValueError(f"readings in several units {sorted(units)}; name the unit to total")
        else:
            chosen = tuple(reading for reading in chosen if reading.unit == unit)
        return sum((reading.value for reading in chosen), Decimal(0))

    def total_cost(self) -> Decimal | None:
        costs = [reading.cost for reading in self.readings if reading.cost is not None]
        return sum(costs, Decimal(0)) if costs else None

    def between(self, start: datetime, end: datetime) -> IntervalSeries:
        """Readings whose start lies in [start, end) (aware datetimes, any zone)."""
        start, end = start.astimezone(UTC), end.astimezone(UTC)
        chosen = [reading for reading in self.readings if start <= reading.start < end]
        return attrs.evolve(self, readings=chosen)


def sort_readings(readings: Iterable[IntervalReading]) -> tuple[IntervalReading, ...]:
    return tuple(sorted(readings, key=lambda reading: (reading.start, reading.direction.value)))
