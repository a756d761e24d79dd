"""Read interval usage from a CSV file with local (America/Los_Angeles) timestamps.

    series = read_csv_intervals("usage.csv")                 # layout detected from the header
    series = read_csv_intervals("usage.csv", layout="cpau")  # or named (see csv_layouts)

Local wall times are turned into UTC here, where the two DST hazards are decided:
- spring forward: a time that never happened (2024-03-10 02:30) is an error naming the line;
- fall back: a time that happened twice (2024-11-03 01:30) is taken in file order: its first
  appearance is the first occurrence (PDT), its second the second (PST); this is reported
  (details in `_Reader._settle_repeats`).
Interval lengths come from an end column, from `interval=`, from whole local days (date-only
starts) or from the most common spacing of the starts. The reader returns the whole series or
raises MeterDataError with the file, line and value.
"""

from __future__ import annotations

import csv
import io
import os
from collections import Counter
from datetime import datetime, timedelta
from decimal import Decimal
from typing import TextIO
from zoneinfo import ZoneInfo

import attrs

from tariffc.compiler.inpaths import open_input_text
from tariffc.compiler.meterdata.clock import CLOCK_HINT, Clock, clock_of, fixed_to_utc
from tariffc.compiler.meterdata.csv_layouts import (
    DELIVERED,
    NAMED_LAYOUTS,
    CsvLayout,
    HeaderMatch,
    column_index,
    match_header,
    preamble_unit,
)
from tariffc.compiler.meterdata.csv_values import CellError, parse_duration, parse_moment, parse_number, parse_time
from tariffc.compiler.meterdata.errors import MeterDataError
from tariffc.compiler.meterdata.fitness import duration_text
from tariffc.compiler.meterdata.localtime import LOCAL_TZ, UTC, LocalKind, classify_local, local_to_utc
from tariffc.compiler.meterdata.model import KWH, THERM, Direction, IntervalReading, IntervalSeries, sort_readings
from tariffc.compiler.meterdata.units import MeterUnit, UnitError, convert, meter_unit

HEADER_SEARCH_LINES = 30  # utility exports put account details above the header
LONGEST_READ_DAYS = 62  # the CPAU calendar's `period end_exclusive max 62 days`; commands pass the calendar's value
_INCLUSIVE_END_LENGTHS = {300, 900, 1800, 3600, 86400}  # 00:00-00:14 means a 15-minute interval


@attrs.frozen(kw_only=True)
class _Columns:
    start: int
    time: int | None
    end: int | None
    duration: int | None
    delivered: int | None
    received: int | None
    net: int | None
    unit: int | None


@attrs.frozen(kw_only=True)
class _Row:
    line: int
    start: datetime  # UTC
    naive_start: datetime | None  # local wall time as written (None when the text had an offset)
    whole_day: bool  # the start was a date without a time
    end_naive: datetime | None
    end_whole_day: bool
    duration: int | None  # seconds, from a duration column
    delivered: Decimal | None  # in `unit`, not yet converted
    received: Decimal | None
    unit: MeterUnit


def read_csv_intervals(
    source: str | os.PathLike | TextIO,
    *,
    layout: str | CsvLayout | None = None,
    interval: timedelta | None = None,
    tz: ZoneInfo = LOCAL_TZ,
    clock: str | Clock | None = None,
    longest_read_days: int = LONGEST_READ_DAYS,
) -> IntervalSeries:
    """Read a CSV interval file (see the module docstring and docs/meter-data.md).

    `clock` says which clock naive timestamps are in: "local" (default, wall time with DST),
    "standard" (standard time all year) or "utc". `longest_read_days` is the longest read accepted
    (the billing rule's maximum period). Raises MeterDataError naming the file, line and column.
    """
    try:
        chosen_clock = clock_of(clock)
    except ValueError as error:
        raise MeterDataError(str(error)) from None
    if isinstance(source, (str, os.PathLike)):
        name = os.fspath(source)
        try:
            with open_input_text(source, encoding="utf-8-sig", newline="") as stream:
                return _Reader(name, tz, chosen_clock, longest_read_days).read(stream, layout, interval)
        except UnicodeDecodeError as error:
            raise MeterDataError(f"not UTF-8 text ({error.reason} at byte {error.start})", file=name) from None
        except OSError as error:
            raise MeterDataError(f"cannot read the file: {error.strerror}", file=name) from None
    name = str(getattr(source, "name", "<stream>"))
    return _Reader(name, tz, chosen_clock, longest_read_days).read(source, layout, interval)


class _Reader:
    def __init__(self, name: str, tz: ZoneInfo, clock: Clock = Clock.LOCAL,
                 longest_read_days: int = LONGEST_READ_DAYS) -> None:
        self.name = name
        self.tz = tz
        self.clock = clock
        self.longest_read_days = longest_read_days
        self.warnings: list[str] = []
        self.header: list[str] = []
        self.stated_unit: tuple[int, str] | None = None  # (line, unit) from a preamble line such as `UOM: kWh`
        # "1,250" is 1250 with a thousands separator or 1.25 with a decimal comma: read as 1250 only if
        # some number in the file has a decimal point, which shows the point is the decimal mark.
        self.first_grouping: tuple[int, str, str] | None = None  # (line, column, cell)
        self.decimal_point_seen = False

    def error(self, message: str, line: int | None = None) -> MeterDataError:
        return MeterDataError(message, file=self.name, line=line)

    # -- header -------------------------------------------------------------------------------

    def read(self, stream: TextIO, layout: str | CsvLayout | None, interval: timedelta | None) -> IntervalSeries:
        lines = list(_numbered_rows(stream, self.name))
        chosen, columns, header_at = self._find_header(lines, layout)
        self.header = lines[header_at][1]
        for line, cells in lines[:header_at]:
            stated = preamble_unit(cells)
            if stated is not None:
                self.stated_unit = (line, stated)
        if header_at > 0:
            header_line = lines[header_at][0]
            self.warnings.append(f"skipped {header_line - 1} line(s) above the header on line {header_line}")
        default_unit = self._default_unit(chosen, lines[header_at][0])
        rows = [self._row(line, cells, columns, default_unit) for line, cells in lines[header_at + 1:]
                if any(cell.strip() for cell in cells)]
        if self.first_grouping is not None and not self.decimal_point_seen:
            line, column, text = self.first_grouping
            number = text.strip()
            raise self.error(f"column {column!r}: {number!r} is ambiguous: {number.replace(',', '')} with a thousands "
                             f"separator or {number.replace(',', '.')} with a decimal comma, and no number in the file "
                             "has a decimal point to tell which; write the numbers without thousands separators",
                             line)
        if not rows:
            raise self.error("no data rows below the header", lines[header_at][0])
        readings = self._readings(rows, interval)
        units = {reading.unit for reading in readings}
        service = {frozenset({KWH}): "electricity", frozenset({THERM}): "gas"}.get(frozenset(units))
        return IntervalSeries(readings=sort_readings(readings), source=self.name, warnings=tuple(self.warnings),
                              service=service, timezone=str(self.tz.key))

    def _default_unit(self, layout: CsvLayout, header_line: int) -> MeterUnit | None:
        """The unit of usage values when there is no units column: the header's, else the preamble's,
        else kWh (said in a warning). A unit named but not known is refused, never read as kWh."""
        where, text = header_line, layout.unit
        if layout.unit_column is not None:
            return None
        if text is None and self.stated_unit is not None:
            where, text = self.stated_unit
        if text is None:
            self.warnings.append(f"the file names no unit (header line {header_line}); usage read as kWh")
            text = KWH
        try:
            unit = meter_unit(text)
        except UnitError as error:
            usage = layout.delivered or layout.net or layout.received
            raise self.error(f"column {usage!r}: {error}", where) from None
        if not unit.identity:
            self.warnings.append(f"usage converted: {unit.describe()}")
        return unit

    def _find_header(self, lines, layout) -> tuple[CsvLayout, _Columns, int]:
        if not lines:
            raise self.error("empty file: expected a header such as 'start,kwh'", 1)
        if isinstance(layout, str):
            if layout not in NAMED_LAYOUTS:
                raise self.error(f"unknown CSV layout {layout!r}; known: {', '.join(sorted(NAMED_LAYOUTS))}")
            layout = NAMED_LAYOUTS[layout]
        best: tuple[int, int, HeaderMatch] | None = None  # (score, line, match) of the most header-like line
        for position, (line, cells) in enumerate(lines[:HEADER_SEARCH_LINES]):
            if layout is None:
                found = match_header(cells)
                if best is None or found.score > best[0]:
                    best = (found.score, line, found)
                candidate = found.layout() if found.usable else None
            else:
                candidate = layout
            if candidate is None:
                continue
            columns = self._columns(cells, candidate)
            if columns is not None:
                return candidate, columns, position
        first_line, first_cells = lines[0]
        shown = ",".join(first_cells)[:120]
        if layout is not None:
            raise self.error(f"bad header: layout {layout.name!r} needs columns {', '.join(layout.required())}; "
                             f"none of the first {HEADER_SEARCH_LINES} lines has them (line {first_line}: {shown!r})",
                             first_line)
        if best is not None and best[0] > 0:
            _score, line, found = best
            named = ", ".join(f"{role} {cell!r}" for role, cell in found.roles.items())
            missing = "usage column (kWh, Usage, Consumed, Net, ...)" if "start" in found.roles else \
                "start column (start, date, timestamp, ...)"
            unknown = ", ".join(repr(c) for c in found.unknown) or "none"
            raise self.error(f"bad header: line {line} names {named} but no {missing}; columns not understood: "
                             f"{unknown} (usage columns are named e.g. {', '.join(DELIVERED[:8])})", line)
        separator = next((mark for mark in (";", "\t", "|") if len(first_cells) == 1 and mark in first_cells[0]), None)
        hint = (f"; its columns seem separated by {separator!r}, and tariffc reads comma-separated files: save it "
                "as CSV with commas (and decimal points)") if separator else ""
        raise self.error(
            "bad header: expected a start column (start, date, timestamp, ...) and a usage column "
            f"(kWh, Usage, Consumed, ...) within the first {HEADER_SEARCH_LINES} lines; line {first_line} is {shown!r}"
            + hint, first_line)

    @staticmethod
    def _columns(cells: list[str], layout: CsvLayout) -> _Columns | None:
        found = {}
        for role in ("start", "time", "end", "duration", "delivered", "received", "net", "unit_column"):
            wanted = getattr(layout, role)
            if wanted is None:
                found[role] = None
                continue
            index = column_index(cells, wanted)
            if index is None:
                return None
            found[role] = index
        if found["delivered"] is None and found["received"] is None and found["net"] is None:
            return None
        return _Columns(start=found["start"], time=found["time"], end=found["end"], duration=found["duration"],
                        delivered=found["delivered"], received=found["received"], net=found["net"],
                        unit=found["unit_column"])

    # -- rows ---------------------------------------------------------------------------------

    def _column_name(self, index: int) -> str:
        return self.header[index].strip() if index < len(self.header) else f"column {index + 1}"

    def _cell(self, cells: list[str], index: int | None, line: int) -> str | None:
        if index is None:
            return None
        if index >= len(cells):
            raise self.error(f"expected at least {index + 1} columns (up to {self._column_name(index)!r}), "
                             f"found {len(cells)}", line)
        return cells[index]

    def _row(self, line: int, cells: list[str], columns: _Columns, default_unit: MeterUnit | None) -> _Row:
        index = columns.start
        try:
            start, has_time = parse_moment(self._cell(cells, columns.start, line))
            if columns.time is not None:
                index = columns.time
                if has_time:
                    raise CellError(f"{cells[columns.start].strip()!r} holds a time, but the time column is separate")
                clock, end_of_day = parse_time(self._cell(cells, columns.time, line))
                if end_of_day:
                    raise CellError("24:00 is not a start time")
                start, has_time = datetime.combine(start.date(), clock), True
            index = columns.end
            end_naive, end_whole_day = self._end(cells, columns, start, line)
            duration = None
            if columns.duration is not None:
                index = columns.duration
                duration = parse_duration(self._cell(cells, columns.duration, line))
            index = columns.unit
            unit = default_unit if columns.unit is None else self._unit(cells, columns, line)
            index = columns.delivered
            delivered = self._value(cells, columns.delivered, line)
            index = columns.received
            received = self._value(cells, columns.received, line)
            if columns.net is not None:
                index = columns.net
                net = self._value(cells, columns.net, line)
                if net is not None:  # net = delivered - received, per interval
                    delivered, received = max(net, Decimal(0)), max(-net, Decimal(0))
        except (CellError, UnitError) as error:
            raise self.error(f"column {self._column_name(index)!r}: {error}", line) from None
        return _Row(line=line, start=self._to_utc(start, line), naive_start=start if start.tzinfo is None else None,
                    whole_day=not has_time, end_naive=end_naive, end_whole_day=end_whole_day, duration=duration,
                    delivered=delivered, received=received, unit=unit)

    def _end(self, cells, columns: _Columns, start: datetime, line: int) -> tuple[datetime | None, bool]:
        if columns.end is None:
            return None, False
        text = self._cell(cells, columns.end, line)
        try:
            end, has_time = parse_moment(text)
            return end.replace(tzinfo=None), not has_time
        except CellError:
            clock, end_of_day = parse_time(text)  # a time of day on the start's date
            end = datetime.combine(start.date(), clock)
            if end_of_day or end <= start.replace(tzinfo=None):
                end += timedelta(days=1)
            return end, False

    def _value(self, cells, index: int | None, line: int) -> Decimal | None:
        text = self._cell(cells, index, line)
        if text is None or not text.strip():
            return None
        number = parse_number(text)
        if "." in text:
            self.decimal_point_seen = True
        elif text.count(",") == 1 and self.first_grouping is None:  # 1,234,567 is not a decimal comma
            self.first_grouping = (line, self._column_name(index), text)
        return number

    def _unit(self, cells, columns: _Columns, line: int) -> MeterUnit:
        return meter_unit(self._cell(cells, columns.unit, line))

    # -- local time ---------------------------------------------------------------------------

    def _to_utc(self, moment: datetime, line: int) -> datetime:
        if moment.tzinfo is not None:
            return moment.astimezone(UTC)
        if self.clock is not Clock.LOCAL:
            return fixed_to_utc(moment, self.clock, self.tz)
        kind = classify_local(moment, self.tz)
        if kind is LocalKind.NONEXISTENT:
            raise self.error(
                f"local time {moment:%Y-%m-%d %H:%M} does not exist in {self.tz.key}: clocks skip that "
                f"hour when DST starts, so no interval can start then; {CLOCK_HINT}", line)
        return local_to_utc(moment, tz=self.tz)  # ambiguous times are settled in _settle_repeats

    def _wall_to_utc(self, naive: datetime) -> datetime:
        if self.clock is not Clock.LOCAL:
            return fixed_to_utc(naive, self.clock, self.tz)
        return local_to_utc(naive, tz=self.tz)

    def _settle_repeats(self, rows: list[_Row]) -> list[_Row]:
        """Fall back: a repeated wall time is read in the file's time order.

        Its first appearance is the first occurrence (PDT) and its second the second (PST), with
        one refinement: a first appearance that would step back in time from the row before it
        (a file that starts inside the repeated hour's first pass) is the second occurrence.
        A file running backwards in time (newest first) is read from its end.
        """
        if self.clock is not Clock.LOCAL:  # standard time and UTC repeat no hour
            return rows
        steps = [(b.start > a.start) - (b.start < a.start) for a, b in zip(rows, rows[1:])]
        # One step cannot tell a newest-first file from a fall-back crossing: two rows are read in order.
        backwards = sum(steps) < 0 and len(steps) > 1
        ordered = list(reversed(rows)) if backwards else rows
        choices: dict[datetime, list[tuple[int, bool]]] = {}  # wall time -> [(line, second occurrence)]
        settled: dict[int, _Row] = {}
        previous: datetime | None = None
        for row in ordered:
            naive = row.naive_start
            if naive is not None and classify_local(naive, self.tz) is LocalKind.AMBIGUOUS:
                seen = choices.setdefault(naive, [])
                first = local_to_utc(naive, tz=self.tz)
                second = not seen and previous is not None and first < previous
                if seen:
                    lines = ", ".join(str(line) for line, _ in seen + [(row.line, True)])
                    if len(seen) > 1:
                        raise self.error(f"local time {naive:%Y-%m-%d %H:%M} appears a third time (lines {lines}); "
                                         f"it occurs only twice in {self.tz.key}", row.line)
                    if seen[0][1]:
                        raise self.error(f"local time {naive:%Y-%m-%d %H:%M} appears again (lines {lines}) after "
                                         "being read as its second occurrence", row.line)
                    second = True
                seen.append((row.line, second))
                row = attrs.evolve(row, start=local_to_utc(naive, second_occurrence=second, tz=self.tz))
            settled[row.line] = row
            previous = row.start
        self._report_repeats(choices)
        return [settled[row.line] for row in rows]

    def _report_repeats(self, choices: dict[datetime, list[tuple[int, bool]]]) -> None:
        for naive, seen in choices.items():
            names = {False: naive.replace(tzinfo=self.tz, fold=0).strftime("%Z"),
                     True: naive.replace(tzinfo=self.tz, fold=1).strftime("%Z")}
            if len(seen) == 2:
                (line_a, _), (line_b, _) = seen
                self.warnings.append(f"{naive:%Y-%m-%d %H:%M} occurs twice as clocks fall back: line {line_a} "
                                     f"taken as {names[False]} (first occurrence), "
                                     f"line {line_b} as {names[True]} (second)")
            else:
                ((line, second),) = seen
                why = f", after a later {names[False]} time" if second else ""
                which = "second" if second else "first"
                self.warnings.append(f"{naive:%Y-%m-%d %H:%M} (line {line}) occurs twice as clocks fall back but "
                                     f"appears once{why}; taken as {names[second]} ({which} occurrence)")

    # -- intervals ----------------------------------------------------------------------------

    def _readings(self, rows: list[_Row], interval: timedelta | None) -> list[IntervalReading]:
        rows = self._settle_repeats(rows)
        spacing = None
        if interval is not None:
            spacing = int(interval.total_seconds())
            if spacing <= 0:
                raise self.error(f"interval {interval} is not positive")
        elif any(row.end_naive is None and row.duration is None and not row.whole_day for row in rows):
            spacing = self._inferred_spacing(rows)
        inclusive_seen: list[int] = []
        readings = []
        for row in rows:
            if row.delivered is None and row.received is None:
                self.warnings.append(f"line {row.line}: no usage value; the interval is left out (a gap)")
                continue
            duration = self._duration(row, spacing, inclusive_seen)
            for direction, value in ((Direction.DELIVERED, row.delivered), (Direction.RECEIVED, row.received)):
                if value is not None:
                    try:
                        value = convert(value, row.unit, duration)
                    except UnitError as error:
                        raise self.error(str(error), row.line) from None
                    readings.append(IntervalReading(start=row.start, duration=duration, value=value,
                                                    unit=row.unit.unit, direction=direction, line=row.line))
        if inclusive_seen:
            self.warnings.append(f"end times name the interval's last minute (e.g. line {inclusive_seen[0]}); "
                                 f"one minute added to {len(inclusive_seen)} interval(s)")
        return readings

    def _inferred_spacing(self, rows: list[_Row]) -> int:
        starts = sorted({row.start for row in rows})
        steps = Counter(int((b - a).total_seconds()) for a, b in zip(starts, starts[1:]))
        if not steps:
            raise self.error("cannot tell the interval length from a single start time; "
                             "add an end column or pass interval=", rows[0].line)
        spacing, _count = max(steps.items(), key=lambda item: (item[1], -item[0]))
        if len(steps) > 1:
            self.warnings.append(f"interval length {spacing} s taken from the most common spacing of the starts "
                                 f"(spacings seen: {', '.join(f'{s} s' for s in sorted(steps))})")
        return spacing

    def _duration(self, row: _Row, spacing: int | None, inclusive_seen: list[int]) -> int:
        if row.duration is not None and row.end_naive is None:
            if row.duration > 86400 * self.longest_read_days:
                raise self.error(f"duration {duration_text(row.duration)}: the read is longer than "
                                 f"{self.longest_read_days} days, the longest billing period the billing rule allows",
                                 row.line)
            return row.duration
        if row.end_naive is not None:
            if row.end_whole_day:
                end_utc = self._wall_to_utc(row.end_naive)  # local midnight: never repeated in LA
                seconds = int((end_utc - row.start).total_seconds())
            else:
                base = row.naive_start if row.naive_start is not None else row.start.replace(tzinfo=None)
                seconds = int((row.end_naive - base).total_seconds())  # the interval as labelled
                if seconds + 60 in _INCLUSIVE_END_LENGTHS and seconds not in _INCLUSIVE_END_LENGTHS:
                    seconds += 60
                    inclusive_seen.append(row.line)
            if seconds <= 0:
                raise self.error(f"end {row.end_naive:%Y-%m-%d %H:%M} is not after the start", row.line)
            if seconds > 86400 * self.longest_read_days + 3600:  # + 1 h: a read across the November clock change
                raise self.error(f"end {row.end_naive:%Y-%m-%d %H:%M}: the read is longer than "
                                 f"{self.longest_read_days} days, the longest billing period the billing rule allows",
                                 row.line)
            return seconds
        if row.whole_day:
            next_midnight = self._wall_to_utc(datetime.combine(row.naive_start.date() + timedelta(days=1),
                                                               datetime.min.time()))
            return int((next_midnight - row.start).total_seconds())
        return spacing


def _numbered_rows(stream: TextIO, name: str):
    reader = csv.reader(stream)
    line = 1
    try:
        for cells in reader:
            yield line, cells
            line = reader.line_num + 1
    except csv.Error as error:
        raise MeterDataError(f"malformed CSV: {error}", file=name, line=reader.line_num) from None


def read_csv_text(text: str, *, name: str = "<text>", **options) -> IntervalSeries:
    """Convenience for tests and callers holding the CSV in memory."""
    stream = io.StringIO(text)
    stream.name = name  # type: ignore[attr-defined]
    return read_csv_intervals(stream, **options)
