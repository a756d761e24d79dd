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

from tariffc.compiler.meterdata.csv_layouts import NAMED_LAYOUTS, CsvLayout, column_index, detect_layout, unit_from_word
from tariffc.compiler.meterdata.csv_values import CellError, parse_moment, parse_number, parse_time
from tariffc.compiler.meterdata.errors import MeterDataError
from tariffc.compiler.meterdata.localtime import LOCAL_TZ, UTC, LocalKind, classify_local, local_to_utc
from tariffc.compiler.meterdata.model import KWH, THERM, Direction, IntervalReading, IntervalSeries, sort_readings

HEADER_SEARCH_LINES = 30  # utility exports put account details above the header
_INCLUSIVE_END_LENGTHS = {300, 900, 1800, 3600, 86400}  # 00:00-00:14 means a 15-minute interval


@attrs.frozen(kw_only=True)
class _Columns:
    start: int
    time: int | None
    end: int | None
    delivered: int
    received: int | None
    unit: int | None


@attrs.frozen(kw_only=True)
class _Row:
    line: int
    start: datetime  # UTC
    naive_start: datetime | None  # local wall time as written (None when the text had an offset)
    whole_day: bool  # the start was a date without a time
    end_naive: datetime | None
    end_whole_day: bool
    delivered: Decimal | None
    received: Decimal | None
    unit: str


def read_csv_intervals(
    source: str | os.PathLike | TextIO,
    *,
    layout: str | CsvLayout | None = None,
    interval: timedelta | None = None,
    tz: ZoneInfo = LOCAL_TZ,
) -> IntervalSeries:
    if isinstance(source, (str, os.PathLike)):
        name = os.fspath(source)
        try:
            with open(source, encoding="utf-8-sig", newline="") as stream:
                return _Reader(name, tz).read(stream, layout, interval)
        except UnicodeDecodeError as error:
            raise MeterDataError(f"not UTF-8 text ({error.reason} at byte {error.start})", file=name) from None
        except OSError as error:
            raise MeterDataError(f"cannot read the file: {error.strerror}", file=name) from None
    name = str(getattr(source, "name", "<stream>"))
    return _Reader(name, tz).read(source, layout, interval)


class _Reader:
    def __init__(self, name: str, tz: ZoneInfo) -> None:
        self.name = name
        self.tz = tz
        self.warnings: list[str] = []

    def error(self, message: str, line: int | None = None) -> MeterDataError:
        return MeterDataError(message, file=self.name, line=line)

    # -- header -------------------------------------------------------------------------------

    def read(self, stream: TextIO, layout: str | CsvLayout | None, interval: timedelta | None) -> IntervalSeries:
        lines = list(_numbered_rows(stream, self.name))
        chosen, columns, header_at = self._find_header(lines, layout)
        if header_at > 0:
            header_line = lines[header_at][0]
            self.warnings.append(f"skipped {header_line - 1} line(s) above the header on line {header_line}")
        rows = [self._row(line, cells, columns, chosen) for line, cells in lines[header_at + 1:]
                if any(cell.strip() for cell in cells)]
        if not rows:
            raise self.error("no data rows below the header", lines[header_at][0])
        readings = self._readings(rows, interval)
        units = {reading.unit for reading in readings}
        service = {frozenset({KWH}): "electricity", frozenset({THERM}): "gas"}.get(frozenset(units))
        return IntervalSeries(readings=sort_readings(readings), source=self.name, warnings=tuple(self.warnings),
                              service=service, timezone=str(self.tz.key))

    def _find_header(self, lines, layout) -> tuple[CsvLayout, _Columns, int]:
        if not lines:
            raise self.error("empty file: expected a header such as 'start,kwh'", 1)
        if isinstance(layout, str):
            if layout not in NAMED_LAYOUTS:
                raise self.error(f"unknown CSV layout {layout!r}; known: {', '.join(sorted(NAMED_LAYOUTS))}")
            layout = NAMED_LAYOUTS[layout]
        for position, (_line, cells) in enumerate(lines[:HEADER_SEARCH_LINES]):
            candidate = layout if layout is not None else detect_layout(cells)
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
        raise self.error(
            "bad header: expected a start column (start, date, timestamp, ...) and a usage column "
            f"(kWh, Usage, Value, ...) within the first {HEADER_SEARCH_LINES} lines; line {first_line} is {shown!r}",
            first_line)

    @staticmethod
    def _columns(cells: list[str], layout: CsvLayout) -> _Columns | None:
        found = {}
        for role in ("start", "time", "end", "delivered", "received", "unit_column"):
            wanted = getattr(layout, role)
            if wanted is None:
                found[role] = None
                continue
            index = column_index(cells, wanted)
            if index is None:
                return None
            found[role] = index
        return _Columns(start=found["start"], time=found["time"], end=found["end"], delivered=found["delivered"],
                        received=found["received"], unit=found["unit_column"])

    # -- rows ---------------------------------------------------------------------------------

    def _cell(self, cells: list[str], index: int | None, line: int) -> str | None:
        if index is None:
            return None
        if index >= len(cells):
            raise self.error(f"expected at least {index + 1} columns, found {len(cells)}", line)
        return cells[index]

    def _row(self, line: int, cells: list[str], columns: _Columns, layout: CsvLayout) -> _Row | None:
        try:
            start, has_time = parse_moment(self._cell(cells, columns.start, line))
            if columns.time is not None:
                if has_time:
                    raise CellError(f"{cells[columns.start].strip()!r} holds a time, but the time column is separate")
                clock, end_of_day = parse_time(self._cell(cells, columns.time, line))
                if end_of_day:
                    raise CellError("24:00 is not a start time")
                start, has_time = datetime.combine(start.date(), clock), True
            end_naive, end_whole_day = self._end(cells, columns, start, line)
            delivered = self._value(cells, columns.delivered, line)
            received = self._value(cells, columns.received, line)
            unit = self._unit(cells, columns, layout, line)
        except CellError as error:
            raise self.error(str(error), line) from None
        return _Row(line=line, start=self._to_utc(start, line), naive_start=start if start.tzinfo is None else None,
                    whole_day=not has_time, end_naive=end_naive, end_whole_day=end_whole_day,
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
        return parse_number(text)

    def _unit(self, cells, columns: _Columns, layout: CsvLayout, line: int) -> str:
        if columns.unit is None:
            return layout.unit
        text = self._cell(cells, columns.unit, line).strip()
        unit = unit_from_word(text)
        if unit is None:
            raise CellError(f"unit {text!r} is not kWh or therms")
        return unit

    # -- local time ---------------------------------------------------------------------------

    def _to_utc(self, moment: datetime, line: int) -> datetime:
        if moment.tzinfo is not None:
            return moment.astimezone(UTC)
        kind = classify_local(moment, self.tz)
        if kind is LocalKind.NONEXISTENT:
            raise self.error(
                f"local time {moment:%Y-%m-%d %H:%M} does not exist in {self.tz.key}: clocks skip that "
                "hour when DST starts, so no interval can start then", line)
        return local_to_utc(moment, tz=self.tz)  # ambiguous times are settled in _settle_repeats

    def _settle_repeats(self, rows: list[_Row]) -> list[_Row]:
        """Fall back: a repeated wall time is read in the file's time order.

        Its first appearance is the first occurrence (PDT) and its second the second (PST), with
        one refinement: a first appearance that would step back in time from the row before it
        (a file that starts inside the repeated hour's first pass) is the second occurrence.
        A file running backwards in time (newest first) is read from its end.
        """
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
        elif any(row.end_naive is None and not row.whole_day for row in rows):
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
                    readings.append(IntervalReading(start=row.start, duration=duration, value=value, unit=row.unit,
                                                    direction=direction))
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
        if row.end_naive is not None:
            if row.end_whole_day:
                end_utc = local_to_utc(row.end_naive, tz=self.tz)  # local midnight: never repeated in LA
                seconds = int((end_utc - row.start).total_seconds())
            else:
                base = row.naive_start if row.naive_start is not None else row.start.replace(tzinfo=None)
                seconds = int((row.end_naive - base).total_seconds())  # the interval as labelled
                if seconds + 60 in _INCLUSIVE_END_LENGTHS and seconds not in _INCLUSIVE_END_LENGTHS:
                    seconds += 60
                    inclusive_seen.append(row.line)
            if not 0 < seconds <= 86400 * 31:
                raise self.error(f"end {row.end_naive:%Y-%m-%d %H:%M} is not after the start "
                                 "(or the interval is longer than 31 days)", row.line)
            return seconds
        if row.whole_day:
            next_midnight = local_to_utc(datetime.combine(row.naive_start.date() + timedelta(days=1),
                                                          datetime.min.time()), tz=self.tz)
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
