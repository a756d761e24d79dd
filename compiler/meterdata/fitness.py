"""Whether a series read whole can be billed at all, and which readings a billing period takes.

    problem = unfit_for_bills(series)           # None, or why every bill from it would be doubtful
    chosen = select_period(series, low, high)   # the readings inside [low, high), and the rest counted

Both `tariffc bill --intervals` and `tariffc compare` use these, so they refuse the same files with
the same words; every message names the file and line (CSV) of the reading it is about and shows
quantities as decimals.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

import attrs

from tariffc.compiler.meterdata.model import IntervalReading, IntervalSeries
from tariffc.compiler.meterdata.collisions import LONG_READ, reading_seams
from tariffc.compiler.runtime.timetext import local_time_text


def duration_text(seconds: int) -> str:
    """`15 min`, `1 h`, `1 h 5 min`, `2 days`, `90 s`: a length exactly, never a long decimal of hours."""
    if seconds % 86400 == 0 and seconds >= 86400:
        days = seconds // 86400
        return f"{days} day{'s' if days != 1 else ''}"
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    parts = ([f"{hours:,} h"] if hours else []) + ([f"{minutes} min"] if minutes else []) + \
        ([f"{secs} s"] if secs else [])
    return " ".join(parts) or "0 s"


def lengths_text(lengths: Counter) -> str:
    """`8 x 15 min, 48 x 60 min` (interval lengths in minutes, as `inspect` lists them)."""
    return ", ".join(f"{count:,} x {seconds // 60} min" if seconds % 60 == 0 else f"{count:,} x {seconds} s"
                     for seconds, count in sorted(lengths.items()))


def unfit_for_bills(series: IntervalSeries) -> str | None:
    """What in a file read whole still makes every bill from it doubtful: mixed interval lengths,
    duplicate or overlapping readings, negative values. (The findings of `tariffc inspect`.)"""
    where, tz = series.source, series.tz
    lengths = Counter(r.duration for r in series.readings)
    short = [s for s in lengths if s < LONG_READ]
    if len(short) > 1 or (short and len(short) < len(lengths)):
        return (f"{where}: mixed interval lengths ({lengths_text(lengths)}); bills need one interval length "
                "(run `tariffc inspect` on the file)")
    clashes = []
    for direction in series.directions:  # duplicates and overlaps by the one rule (collisions.py)
        stream = series.of(direction)
        clashes += [stream[found.index] for found in reading_seams(stream, tz) if found.clash]
    if clashes:
        first = clashes[0]
        return (f"{first.place(where)}: {len(clashes)} readings start before the previous one ends (duplicates or "
                f"overlaps), the first at {local_time_text(first.start, tz)}; the same energy would be "
                "billed twice (run `tariffc inspect` on the file)")
    negative = [r for r in series.readings if r.value < 0]
    if negative:
        first = negative[0]
        return (f"{first.place(where)}: {len(negative)} negative readings, the first {first.value:f} {first.unit} at "
                f"{local_time_text(first.start, tz)}; delivered and received energy must be given as "
                "separate, non-negative readings")
    return None


@attrs.frozen(kw_only=True)
class Selection:
    """The readings of [low, high), the count left out because they lie wholly outside, and those
    that straddle `low` or `high` (start on one side, end on the other)."""

    readings: tuple[IntervalReading, ...]
    outside: int
    straddling: tuple[IntervalReading, ...]


def select_period(readings: Sequence[IntervalReading], low: datetime, high: datetime) -> Selection:
    """Split `readings` by the period [low, high) (aware datetimes): inside, straddling, outside."""
    inside, straddling, outside = [], [], 0
    for reading in readings:
        if reading.end <= low or reading.start >= high:
            outside += 1
        elif reading.start < low or reading.end > high:
            straddling.append(reading)
        else:
            inside.append(reading)
    return Selection(readings=tuple(inside), outside=outside, straddling=tuple(straddling))


def straddle_message(source: str, straddling: Sequence[IntervalReading], tz: ZoneInfo, what: str) -> str:
    """Why readings that cross a period boundary are not billed: a reading cannot be cut without
    inventing how its energy was spread over its length."""
    first = straddling[0]
    ends = sorted({(r.start.astimezone(tz).minute, r.start.astimezone(tz).second) for r in straddling})
    return (f"{len(straddling)} reading(s) straddle {what}, e.g. the {duration_text(first.duration)} reading at "
            f"{first.where(source, tz)} to {local_time_text(first.end, tz)}; a bill cannot cut a "
            f"reading without guessing how its energy was spread over its length, so such a period is not billed "
            f"(readings start at minute {', '.join(f':{m:02d}' for m, _ in ends[:4])} of the hour; bill periods "
            "start at local midnight)")
