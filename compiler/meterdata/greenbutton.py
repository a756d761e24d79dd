"""Read a Green Button (ESPI Atom XML) file into IntervalSeries, one per UsagePoint.

    data = read_green_button("usage.xml")
    series = data.series()            # the one UsagePoint with interval data (else MeterDataError)

Values are scaled exactly (powerOfTenMultiplier may be negative; Wh become kWh by an exponent
shift); times stay UTC; the file's LocalTimeParameters are checked against America/Los_Angeles
and any disagreement becomes a warning, because CPAU bills are in Pacific time whatever the file
claims. The reader returns everything or raises MeterDataError: nothing half-read.
"""

from __future__ import annotations

import os
from collections import Counter
from datetime import datetime, timedelta
from collections.abc import Sequence
from typing import BinaryIO
from zoneinfo import ZoneInfo

import attrs

from tariffc.compiler.inpaths import open_input
from tariffc.compiler.meterdata.errors import MeterDataError
from tariffc.compiler.meterdata.espi_codes import (
    COST_POWER_OF_TEN,
    FLOW_DELIVERED,
    direction_for_flow,
    not_interval_energy,
    scale_exact,
    service_for_kind,
    unconverted_unit,
    unit_for_uom,
)
from tariffc.compiler.meterdata.espi_dst import LocalTimeParameters, check_against_zone
from tariffc.compiler.meterdata.espi_feed import RawBlock, RawFeed, ReadingType, read_feed
from tariffc.compiler.meterdata.espi_links import LinkedMeterReading, LinkedUsagePoint, link_feed
from tariffc.compiler.meterdata.localtime import LOCAL_TZ, UTC, covered_stretches, transitions_between, utc_from_epoch
from tariffc.compiler.meterdata.model import Direction, IntervalReading, IntervalSeries, sort_readings


@attrs.frozen(kw_only=True)
class BlockInfo:
    """An IntervalBlock as the file declares it (its interval is informative only)."""

    href: str | None
    interval_start: int | None  # epoch seconds
    interval_duration: int | None  # seconds
    reading_count: int


@attrs.frozen(kw_only=True)
class MeterReadingInfo:
    href: str | None
    title: str | None
    reading_type: ReadingType
    unit: str
    direction: Direction
    blocks: tuple[BlockInfo, ...]
    reading_count: int


@attrs.frozen(kw_only=True)
class UsagePointData:
    href: str | None
    title: str | None
    service_kind: int | None  # ESPI ServiceCategory kind: 0 electricity, 1 gas
    local_time: LocalTimeParameters | None
    meter_readings: tuple[MeterReadingInfo, ...]
    series: IntervalSeries


@attrs.frozen(kw_only=True)
class GreenButtonData:
    source: str
    usage_points: tuple[UsagePointData, ...]
    warnings: tuple[str, ...]  # file-level; each series also carries them

    def series(self, service: str | None = None, usage_point: str | None = None) -> IntervalSeries:
        """The series of the only UsagePoint (of `service`, "electricity" or "gas", if given), or of the
        one whose href or title is `usage_point` (`--usage-point` on the command line). Raises
        MeterDataError naming the UsagePoints the file has when none or several remain."""
        chosen = [p for p in self.usage_points if service is None or p.series.service == service]
        if usage_point is not None:
            chosen = [p for p in chosen if usage_point in (p.href, p.title)]
        if len(chosen) == 1:
            return chosen[0].series
        available = ", ".join(_described(p) for p in self.usage_points)
        wanted = "".join([f" for {service}" if service else "", f" named {usage_point!r}" if usage_point else ""])
        if not chosen:
            raise MeterDataError(f"no UsagePoint with interval data{wanted}; the file has: {available}",
                                 file=self.source)
        raise MeterDataError(f"{len(chosen)} UsagePoints with interval data{wanted}: {available}; "
                             "choose one by its href or title (--usage-point, or usage_point= in Python)",
                             file=self.source)


def _described(point: UsagePointData) -> str:
    title = f" {point.title!r}" if point.title else ""
    return f"{point.href or '(unlinked)'}{title} ({point.series.service or 'service unknown'})"


def read_green_button(source: str | os.PathLike | BinaryIO, *, tz: ZoneInfo = LOCAL_TZ) -> GreenButtonData:
    """Read a Green Button ESPI file (a path or a binary file object)."""
    if isinstance(source, (str, os.PathLike)):
        name = os.fspath(source)
        try:
            with open_input(source) as stream:
                feed = read_feed(stream, name)
        except OSError as error:
            raise MeterDataError(f"cannot read the file: {error.strerror}", file=name) from None
    else:
        name = getattr(source, "name", "<stream>")
        feed = read_feed(source, str(name))
    return _build(feed, str(name), tz)


def _build(feed: RawFeed, name: str, tz: ZoneInfo) -> GreenButtonData:
    if not any(entry.kind for entry in feed.entries):
        raise MeterDataError(
            f"not a Green Button file: an Atom feed with {len(feed.entries)} entries but no ESPI "
            "(http://naesb.org/espi) resources", file=name)
    reading_count = sum(len(block.readings) for entry in feed.entries if entry.kind == "IntervalBlock"
                        for block in entry.resource)
    if reading_count == 0:
        kinds = Counter(entry.kind for entry in feed.entries if entry.kind)
        listing = ", ".join(f"{count} {kind}" for kind, count in sorted(kinds.items()))
        raise MeterDataError(f"no interval data: the feed has {listing} but no IntervalReading", file=name)

    file_warnings = list(feed.warnings)
    file_warnings += _timezone_element_warnings(feed.timezones_seen, tz)
    points = [_usage_point(linked, name, tz, file_warnings) for linked in link_feed(feed, name)]
    points = [point for point in points if point is not None]
    if not points:  # pragma: no cover - link_feed only returns points with blocks that hold readings
        raise MeterDataError("no interval data linked to a MeterReading", file=name)
    return GreenButtonData(source=name, usage_points=tuple(points), warnings=tuple(file_warnings))


def _local_years(readings: Sequence[IntervalReading], tz: ZoneInfo) -> list[int]:
    """The local years the readings cover: a file with a reading in 2025 and one in 7521 is checked in
    those two years, not in the 5,497 between them (linear in the readings' covered time)."""
    years: set[int] = set()
    for start, end in covered_stretches((r.start, r.end) for r in readings):
        years.update(range(start.astimezone(tz).year, (end - timedelta(seconds=1)).astimezone(tz).year + 1))
    return sorted(years)


def _timezone_element_warnings(seen: frozenset[str], tz: ZoneInfo) -> list[str]:
    if not seen:
        return []
    # Offsets the zone uses (standard and DST), written as the element writes them: -0800.
    zone_offsets = {f"{t.offset_before // 3600:+03d}00" for t in transitions_between(
        datetime(2020, 1, 1, tzinfo=UTC), datetime(2021, 1, 1, tzinfo=UTC), tz)}
    foreign = sorted(seen - zone_offsets)
    verdict = f", which is not {tz.key}" if foreign else ""
    return [f"timePeriod carries a non-schema <timezone> ({', '.join(sorted(seen))}){verdict}; ignored: "
            f"ESPI start times are UTC and are shown in {tz.key}"]


def _usage_point(linked: LinkedUsagePoint, name: str, tz: ZoneInfo, file_warnings: list[str]) -> UsagePointData | None:
    warnings = list(file_warnings)
    point = linked.entry
    service_kind = point.resource.service_kind if point is not None else None
    if point is None:
        warnings.append("MeterReadings linked to no UsagePoint in this file; service unknown")
    elif service_kind is None:
        warnings.append(f"UsagePoint {point.self_href} has no ServiceCategory; service unknown")

    readings: list[IntervalReading] = []
    infos: list[MeterReadingInfo] = []
    not_energy: list[str] = []
    for meter in linked.meter_readings:
        reading_type = meter.reading_type
        why = not_interval_energy(reading_type.kind, reading_type.accumulation_behaviour, reading_type.data_qualifier)
        if why is not None:
            not_energy.append(f"ReadingType {reading_type.href} of {meter.entry.describe()}: {why}")
            continue
        made, info = _meter_reading(meter, name, warnings)
        readings += made
        infos.append(info)
    if not_energy and not infos:
        raise MeterDataError("no MeterReading holds the energy of each interval, which a bill needs: "
                             + "; ".join(not_energy) + "; refusing rather than billing them as interval energy",
                             file=name)
    warnings += [f"{why}; not read (not interval energy)" for why in not_energy]
    if not readings:
        return None
    readings_sorted = sort_readings(readings)

    if linked.local_time is None:
        warnings.append(f"no LocalTimeParameters; local times use {tz.key}")
    else:
        warnings += [w + f"; local times use {tz.key}" for w in
                     check_against_zone(linked.local_time, _local_years(readings_sorted, tz), tz)]

    series = IntervalSeries(readings=readings_sorted, source=name, warnings=tuple(warnings),
                            service=service_for_kind(service_kind), timezone=str(tz.key))
    return UsagePointData(href=point.self_href if point else None, title=point.title if point else None,
                          service_kind=service_kind, local_time=linked.local_time,
                          meter_readings=tuple(infos), series=series)


def _meter_reading(
    meter: LinkedMeterReading, name: str, warnings: list[str]
) -> tuple[list[IntervalReading], MeterReadingInfo]:
    reading_type = meter.reading_type
    where = f"ReadingType {reading_type.href} of {meter.entry.describe()}"
    if reading_type.uom is None:
        raise MeterDataError("ReadingType has no uom, so the unit of the readings is unknown", file=name,
                             element=where)
    converted = unit_for_uom(reading_type.uom)
    if converted is None:
        unit, power = unconverted_unit(reading_type.uom), reading_type.power_of_ten_multiplier
        warnings.append(f"{where}: uom {reading_type.uom} is not Wh (72) or therm (169); values are kept as "
                        f"'{unit}' scaled by 10^{power}, not converted")
    else:
        unit, extra = converted
        power = reading_type.power_of_ten_multiplier + extra

    if reading_type.flow_direction is None:
        direction = Direction.DELIVERED
        warnings.append(f"{where} has no flowDirection; taken as delivered ({FLOW_DELIVERED})")
    else:
        direction = direction_for_flow(reading_type.flow_direction)
        if direction is None:
            raise MeterDataError(
                f"flowDirection {reading_type.flow_direction} is not supported (1 delivered, 19 received); "
                "refusing rather than guessing how to bill it", file=name, element=where)

    readings: list[IntervalReading] = []
    blocks: list[BlockInfo] = []
    for entry in meter.blocks:
        for block in entry.resource:
            blocks.append(BlockInfo(href=entry.self_href, interval_start=block.interval_start,
                                    interval_duration=block.interval_duration, reading_count=len(block.readings)))
            readings += _readings(block, unit, power, direction)

    if reading_type.interval_length is not None:
        other = Counter(r.duration for r in readings if r.duration != reading_type.interval_length)
        if other:
            lengths = ", ".join(f"{count} x {seconds} s" for seconds, count in sorted(other.items()))
            warnings.append(f"{where}: intervalLength {reading_type.interval_length} s but readings last {lengths}")
    info = MeterReadingInfo(href=meter.entry.self_href, title=meter.entry.title, reading_type=reading_type,
                            unit=unit, direction=direction, blocks=tuple(blocks), reading_count=len(readings))
    return readings, info


def _readings(block: RawBlock, unit: str, power: int, direction: Direction) -> list[IntervalReading]:
    made = []
    for start, duration, value, cost, quality in block.readings:
        made.append(IntervalReading(
            start=utc_from_epoch(start), duration=duration, value=scale_exact(value, power), unit=unit,
            direction=direction, cost=None if cost is None else scale_exact(cost, COST_POWER_OF_TEN),
            quality=quality))
    return made

