"""A data-quality report for an IntervalSeries: what a person should know before billing it.

Counts, the period covered in local time, interval lengths, gaps, duplicates and overlaps, DST
transitions crossed (inside the readings' covered time, not inside gaps), negative values and received (exported) energy. Gaps, duplicates, overlaps and
DST seams are found by the one rule of collisions.py: billing-period reads (a day or longer) whose
seams are off by exactly one hour are DST artefacts of reads taken on local dates; they are listed
as `dst_seams`, not as gaps or overlaps.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import attrs

from tariffc.compiler.meterdata.collisions import LONG_READ, Kind, reading_seams
from tariffc.compiler.meterdata.localtime import Transition, covered_stretches, transitions_between
from tariffc.compiler.meterdata.model import Direction, IntervalReading, IntervalSeries
from tariffc.compiler.runtime.timetext import local_time_text

SHOWN_DECIMALS = 6  # a total is shown exact up to a millionth of its unit, else rounded to it
_SHOWN = 10  # examples rendered per list


@attrs.frozen(kw_only=True)
class Seam:
    """Where one reading ends and the next of the same direction starts, when they do not meet."""

    direction: Direction
    previous_end: datetime  # UTC
    next_start: datetime  # UTC

    @property
    def seconds(self) -> int:
        """Positive for a gap, negative for an overlap."""
        return int((self.next_start - self.previous_end).total_seconds())


@attrs.frozen(kw_only=True)
class Collision:
    """Two readings of the same direction that cover the same time."""

    direction: Direction
    first_start: datetime
    second_start: datetime
    overlap_seconds: int

    @property
    def duplicate(self) -> bool:
        return self.first_start == self.second_start


@attrs.frozen(kw_only=True)
class QualityReport:
    source: str
    service: str | None
    timezone: str
    units: tuple[str, ...]
    intervals: int
    intervals_by_direction: tuple[tuple[Direction, int], ...]
    period_start: datetime  # local, aware
    period_end: datetime  # local, aware (end of the last reading)
    interval_lengths: tuple[tuple[int, int], ...]  # (seconds, count), ascending
    mixed_interval_lengths: bool
    gaps: tuple[Seam, ...]
    duplicates: tuple[Collision, ...]
    overlaps: tuple[Collision, ...]
    dst_seams: tuple[Seam, ...]
    dst_transitions: tuple[Transition, ...]
    negative_values: tuple[IntervalReading, ...]
    midnight_straddles: tuple[IntervalReading, ...]  # intervals across local midnight, where bill periods start
    totals: tuple[tuple[Direction, str, Decimal], ...]  # exact sums per direction and unit
    warnings: tuple[str, ...]

    @property
    def received_energy(self) -> tuple[tuple[str, Decimal], ...]:
        return tuple((unit, total) for direction, unit, total in self.totals if direction is Direction.RECEIVED)

    def render(self) -> str:
        return "\n".join(_render_lines(self))

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready: datetimes as ISO 8601 strings, Decimals as strings."""
        return {
            "source": self.source,
            "service": self.service,
            "timezone": self.timezone,
            "units": list(self.units),
            "intervals": self.intervals,
            "intervals_by_direction": {d.value: n for d, n in self.intervals_by_direction},
            "period": {"start": self.period_start.isoformat(), "end": self.period_end.isoformat()},
            "interval_lengths": [{"seconds": s, "count": n} for s, n in self.interval_lengths],
            "mixed_interval_lengths": self.mixed_interval_lengths,
            "gaps": [_seam_dict(s) for s in self.gaps],
            "duplicates": [_collision_dict(c) for c in self.duplicates],
            "overlaps": [_collision_dict(c) for c in self.overlaps],
            "dst_seams": [_seam_dict(s) for s in self.dst_seams],
            "dst_transitions": [{"at": t.at.isoformat(), "starts_dst": t.starts_dst, "description": t.describe()}
                                for t in self.dst_transitions],
            "negative_values": [{"start": r.start.isoformat(), "direction": r.direction.value, "value": str(r.value)}
                                for r in self.negative_values],
            "midnight_straddles": [{"start": r.start.isoformat(), "seconds": r.duration, "line": r.line}
                                   for r in self.midnight_straddles],
            "totals": [{"direction": d.value, "unit": u, "total": exact_text(t)} for d, u, t in self.totals],
            "received_energy": {unit: exact_text(total) for unit, total in self.received_energy},
            "warnings": list(self.warnings),
        }


def quality_report(series: IntervalSeries) -> QualityReport:
    if not series.readings:
        raise ValueError(f"{series.source}: no readings to report on")
    tz = series.tz
    gaps: list[Seam] = []
    dst_seams: list[Seam] = []
    duplicates: list[Collision] = []
    overlaps: list[Collision] = []
    by_direction: list[tuple[Direction, int]] = []
    for direction in sorted(series.directions, key=lambda d: d.value):
        stream = series.of(direction)
        by_direction.append((direction, len(stream)))
        _walk(stream, tz, direction, gaps, dst_seams, duplicates, overlaps)

    lengths = Counter(reading.duration for reading in series.readings)
    short = {seconds for seconds in lengths if seconds < LONG_READ}
    mixed = len(short) > 1 or (bool(short) and len(short) < len(lengths))
    totals: dict[tuple[Direction, str], Decimal] = {}
    for reading in series.readings:
        key = (reading.direction, reading.unit)
        totals[key] = totals.get(key, Decimal(0)) + reading.value
    return QualityReport(
        source=series.source, service=series.service, timezone=series.timezone,
        units=tuple(sorted(series.units)), intervals=len(series.readings),
        intervals_by_direction=tuple(by_direction),
        period_start=series.start.astimezone(tz), period_end=series.end.astimezone(tz),
        interval_lengths=tuple(sorted(lengths.items())), mixed_interval_lengths=mixed,
        gaps=tuple(gaps), duplicates=tuple(duplicates), overlaps=tuple(overlaps), dst_seams=tuple(dst_seams),
        dst_transitions=_transitions_covered(series, tz),
        negative_values=tuple(reading for reading in series.readings if reading.value < 0),
        midnight_straddles=tuple(r for r in series.readings if r.duration < LONG_READ and _across_midnight(r, tz)),
        totals=tuple((d, u, t) for (d, u), t in sorted(totals.items(), key=lambda kv: (kv[0][0].value, kv[0][1]))),
        warnings=series.warnings,
    )


def _transitions_covered(series: IntervalSeries, tz: ZoneInfo) -> tuple[Transition, ...]:
    """The zone's offset changes inside the time the readings cover. A change inside a gap is not
    crossed by any reading (the gap is reported on its own), and skipping gaps keeps the report
    linear in the data: readings in 2025 and in 7521 do not list 11,000 changes between them."""
    return tuple(t for start, end in covered_stretches((r.start, r.end) for r in series.readings)
                 for t in transitions_between(start, end, tz))


def _across_midnight(reading: IntervalReading, tz: ZoneInfo) -> bool:
    """Whether the reading starts before a local midnight and ends after it (a bill period cannot
    start or end there without cutting it)."""
    local = reading.start.astimezone(tz)
    following = datetime.combine(local.date() + timedelta(days=1), time(0), tzinfo=tz)
    return reading.end > following.astimezone(reading.start.tzinfo)


def _walk(stream, tz, direction, gaps, dst_seams, duplicates, overlaps) -> None:
    """Sort what the one rule (collisions.py) finds in one direction's stream into the report's lists."""
    for found in reading_seams(stream, tz):
        previous, reading = stream[found.previous], stream[found.index]
        if found.kind is Kind.DUPLICATE:
            duplicates.append(Collision(direction=direction, first_start=previous.start, second_start=reading.start,
                                        overlap_seconds=min(previous.duration, reading.duration)))
        elif found.kind is Kind.OVERLAP:
            overlaps.append(Collision(direction=direction, first_start=previous.start, second_start=reading.start,
                                      overlap_seconds=int(-found.seconds)))
        else:
            seam = Seam(direction=direction, previous_end=stream[found.covering].end, next_start=reading.start)
            (dst_seams if found.kind is Kind.DST_SEAM else gaps).append(seam)


def _seam_dict(seam: Seam) -> dict[str, Any]:
    return {"direction": seam.direction.value, "previous_end": seam.previous_end.isoformat(),
            "next_start": seam.next_start.isoformat(), "seconds": seam.seconds}


def _collision_dict(collision: Collision) -> dict[str, Any]:
    return {"direction": collision.direction.value, "first_start": collision.first_start.isoformat(),
            "second_start": collision.second_start.isoformat(), "overlap_seconds": collision.overlap_seconds}


# -- rendering -----------------------------------------------------------------------------------

def _length_text(seconds: int) -> str:
    seconds = abs(seconds)
    if seconds >= 86400:
        days, rest = divmod(seconds, 86400)
        return f"{days} d" + (f" {_length_text(rest)}" if rest else "")
    if seconds % 3600 == 0:
        return f"{seconds // 3600} h"
    if seconds % 60 == 0:
        return f"{seconds // 60} min"
    return f"{seconds} s"


def _local(moment: datetime, report: QualityReport) -> str:
    return local_time_text(moment, ZoneInfo(report.timezone))


def _listing(title: str, items: list[str]) -> list[str]:
    if not items:
        return [f"  {title}: none"]
    lines = [f"  {title}: {len(items)}"]
    lines += [f"    {item}" for item in items[:_SHOWN]]
    if len(items) > _SHOWN:
        lines.append(f"    ... and {len(items) - _SHOWN} more")
    return lines


def _render_lines(report: QualityReport) -> list[str]:
    lines = [f"Meter data quality: {report.source}",
             f"  service: {report.service or 'unknown'}; units: {', '.join(report.units)}",
             f"  intervals: {report.intervals:,} ("
             + ", ".join(f"{d.value} {n:,}" for d, n in report.intervals_by_direction) + ")",
             f"  period ({report.timezone}): {local_time_text(report.period_start)} to "
             f"{local_time_text(report.period_end)}",
             "  interval lengths: " + ", ".join(f"{_length_text(s)} x {n:,}" for s, n in report.interval_lengths)
             + (" (MIXED)" if report.mixed_interval_lengths else "")]
    lines += _listing("gaps", [f"{s.direction.value}: {_local(s.previous_end, report)} to "
                               f"{_local(s.next_start, report)} ({_length_text(s.seconds)} missing)"
                               for s in report.gaps])
    lines += _listing("duplicates", [f"{c.direction.value}: two readings start {_local(c.first_start, report)}"
                                     for c in report.duplicates])
    lines += _listing("overlaps", [f"{c.direction.value}: {_local(c.second_start, report)} starts "
                                   f"{_length_text(c.overlap_seconds)} before the previous reading ends"
                                   for c in report.overlaps])
    if report.dst_seams:
        lines += _listing("DST seams between local-date reads (1 h, not gaps)",
                          [f"{s.direction.value}: {s.previous_end:%Y-%m-%d %H:%M}Z -> {s.next_start:%Y-%m-%d %H:%M}Z "
                           f"({'gap' if s.seconds > 0 else 'overlap'} 1 h)" for s in report.dst_seams])
    lines += _listing("DST transitions crossed", [t.describe() for t in report.dst_transitions])
    lines += _listing("negative values", [f"{r.direction.value} {_local(r.start, report)}: {r.value} {r.unit}"
                                          for r in report.negative_values])
    if report.midnight_straddles:
        lines += _listing("readings across local midnight (bill periods start at local midnight: a period that "
                          "begins or ends inside one is not billed)",
                          [f"{r.direction.value} {_local(r.start, report)} to {_local(r.end, report)}"
                           + (f" (line {r.line})" if r.line is not None else "") for r in report.midnight_straddles])
    received = report.received_energy
    lines.append("  received energy: " + (", ".join(f"{quantity_text(t)} {u}" for u, t in received)
                                          if received else "none"))
    lines += [f"  total {d.value}: {quantity_text(t)} {u}" for d, u, t in report.totals]
    lines += _listing("warnings", list(report.warnings))
    return lines


def exact_text(value: Decimal) -> str:
    """The exact value without trailing zeros (5.142000000 → 5.142; never an exponent)."""
    sign, digits, exponent = value.as_tuple()
    text = "".join(map(str, digits))
    stripped = text.rstrip("0") or "0"
    exponent += len(text) - len(stripped)
    if stripped == "0":
        return "0"
    if exponent >= 0:
        body = stripped + "0" * exponent
    else:
        body = stripped.rjust(-exponent + 1, "0")
        body = f"{body[:exponent]}.{body[exponent:]}"
    return ("-" if sign else "") + body


def quantity_text(value: Decimal) -> str:
    """A total for a person: exact when it has at most SHOWN_DECIMALS decimals, else rounded (≈)."""
    text = exact_text(value)
    decimals = len(text.partition(".")[2])
    if decimals <= SHOWN_DECIMALS:
        return text
    whole, _, fraction = text.lstrip("-").partition(".")
    scaled = int(whole + fraction[:SHOWN_DECIMALS]) + (fraction[SHOWN_DECIMALS] >= "5")
    rounded = exact_text(Decimal(scaled).scaleb(-SHOWN_DECIMALS)) if scaled else "0"
    return f"≈{'-' if text.startswith('-') and scaled else ''}{rounded}"
