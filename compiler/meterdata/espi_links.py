"""Join the entries of an ESPI feed: UsagePoint -> MeterReading -> ReadingType and IntervalBlocks.

Atom entries are flat; ESPI ties them together with `self`, `up` and `related` links. Real files
bend the usual hierarchy (see shared/data/greenbutton/README.md), so a child belongs to a parent
when any of these hold:
  - the child's `up` is the parent's `self` + "/<ChildKind>"       (the collection link)
  - the child's `self` starts with the parent's `self` + "/<ChildKind>/"
  - the child's `self` or `up` is one of the parent's `related` links
A MeterReading's ReadingType is the ReadingType entry whose `self` is one of the MeterReading's
`related` links: never "the first ReadingType in the file". Links are compared as written
(trimmed, trailing "/" removed): relative and absolute forms of one URL do not match.
"""

from __future__ import annotations

import attrs

from tariffc.compiler.meterdata.errors import MeterDataError
from tariffc.compiler.meterdata.espi_dst import LocalTimeParameters
from tariffc.compiler.meterdata.espi_feed import FeedEntry, RawFeed, ReadingType, iter_kinds


@attrs.frozen(kw_only=True)
class LinkedMeterReading:
    entry: FeedEntry
    reading_type: ReadingType
    blocks: tuple[FeedEntry, ...]


@attrs.frozen(kw_only=True)
class LinkedUsagePoint:
    entry: FeedEntry | None  # None: MeterReadings no UsagePoint in the file claims
    meter_readings: tuple[LinkedMeterReading, ...]
    local_time: LocalTimeParameters | None


def belongs_to(child: FeedEntry, parent: FeedEntry, child_kind: str) -> bool:
    parent_self = parent.self_href
    if parent_self is None:
        return False
    collection = f"{parent_self}/{child_kind}"
    related = parent.related_hrefs
    child_self, child_up = child.self_href, child.up_href
    return (
        child_up == collection
        or (child_self is not None and child_self.startswith(collection + "/"))
        or (child_self is not None and child_self in related)
        or (child_up is not None and child_up in related)
    )


def link_feed(feed: RawFeed, name: str) -> tuple[LinkedUsagePoint, ...]:
    reading_types = {entry.self_href: entry.resource for entry in iter_kinds(feed, "ReadingType")
                     if entry.self_href is not None}
    meter_readings = list(iter_kinds(feed, "MeterReading"))
    blocks = list(iter_kinds(feed, "IntervalBlock"))
    usage_points = list(iter_kinds(feed, "UsagePoint"))

    blocks_of = {id(meter): [] for meter in meter_readings}
    for block in blocks:
        owners = [meter for meter in meter_readings if belongs_to(block, meter, "IntervalBlock")]
        if not owners:
            raise MeterDataError(
                "IntervalBlock is linked to no MeterReading in this file (its self/up links match none), "
                "so its readings cannot be given a unit", file=name, element=block.describe())
        if len(owners) > 1:
            raise MeterDataError(
                "IntervalBlock is linked to several MeterReadings: "
                + ", ".join(owner.describe() for owner in owners), file=name, element=block.describe())
        blocks_of[id(owners[0])].append(block)

    linked: dict[int, list[LinkedMeterReading]] = {id(point): [] for point in usage_points}
    orphans: list[LinkedMeterReading] = []
    for meter in meter_readings:
        mine = tuple(blocks_of[id(meter)])
        if not mine:
            continue  # a MeterReading without data adds nothing (and needs no ReadingType)
        reading = LinkedMeterReading(entry=meter, reading_type=_reading_type_of(meter, reading_types, name),
                                     blocks=mine)
        owners = [point for point in usage_points if belongs_to(meter, point, "MeterReading")]
        if len(owners) > 1:
            raise MeterDataError("MeterReading is linked to several UsagePoints: "
                                 + ", ".join(owner.describe() for owner in owners),
                                 file=name, element=meter.describe())
        (linked[id(owners[0])] if owners else orphans).append(reading)

    local_times = {entry.self_href: entry.resource for entry in iter_kinds(feed, "LocalTimeParameters")
                   if entry.resource is not None}
    result = [LinkedUsagePoint(entry=point, meter_readings=tuple(linked[id(point)]),
                               local_time=_local_time_of(point, local_times))
              for point in usage_points if linked[id(point)]]
    if orphans:
        result.append(LinkedUsagePoint(entry=None, meter_readings=tuple(orphans),
                                       local_time=_local_time_of(None, local_times)))
    return tuple(result)


def _reading_type_of(meter: FeedEntry, reading_types: dict, name: str) -> ReadingType:
    found = [reading_types[href] for href in meter.related_hrefs if href in reading_types]
    if len(found) == 1:
        return found[0]
    if found:
        raise MeterDataError("MeterReading has several related ReadingTypes: "
                             + ", ".join(rt.href for rt in found), file=name, element=meter.describe())
    named = [href for href in meter.related_hrefs if "ReadingType" in href]
    if named:
        raise MeterDataError(f"MeterReading's ReadingType {named[0]} is not in this file "
                             f"(ReadingTypes present: {', '.join(sorted(reading_types)) or 'none'})",
                             file=name, element=meter.describe())
    raise MeterDataError("MeterReading has no related link to a ReadingType, so the unit and scale of its "
                         "readings are unknown", file=name, element=meter.describe())


def _local_time_of(point: FeedEntry | None, local_times: dict) -> LocalTimeParameters | None:
    if point is not None:
        for href in point.related_hrefs:
            if href in local_times:
                return local_times[href]
    # Unlinked but unambiguous: a feed with a single LocalTimeParameters applies it to all.
    return next(iter(local_times.values())) if len(local_times) == 1 else None
