"""CSV interval layouts: which column holds the start, the end, the usage and its unit.

A layout is detected from the header, or named by the caller:
  start_kwh  `start,kwh`: local start date and time, kWh (tariffc's own form)
  cpau       `date,export_kwh,import_kwh,net_kwh`: the output of the community jsinnott/cpau
             downloader for MyCPAU (import = delivered, export = received; net is derived, unused)
  opower     `TYPE,DATE,START TIME,END TIME,USAGE,UNITS,COST,NOTES` (PG&E-style Green Button CSV
             from Opower portals; `USAGE (kWh)` without a UNITS column also matches; end times
             are the last minute of the interval, e.g. 00:14)
Column names compare case-insensitively, with `_` as a space and a trailing "(unit)" read as
the unit: `Usage (kWh)` is the usage column in kWh.
"""

from __future__ import annotations

import re

import attrs

from tariffc.compiler.meterdata.model import KWH, THERM


@attrs.frozen(kw_only=True)
class CsvLayout:
    name: str
    start: str  # local date, or local date and time, of each interval's start
    delivered: str  # usage delivered to the customer
    time: str | None = None  # local start time of day, when `start` holds only the date
    end: str | None = None  # end time of day, or end date and time
    received: str | None = None  # usage received from the customer (export)
    unit_column: str | None = None
    unit: str = KWH  # unit when there is no unit column

    def required(self) -> tuple[str, ...]:
        return tuple(c for c in (self.start, self.time, self.end, self.delivered, self.received, self.unit_column) if c)


NAMED_LAYOUTS: dict[str, CsvLayout] = {
    "start_kwh": CsvLayout(name="start_kwh", start="start", delivered="kwh"),
    "cpau": CsvLayout(name="cpau", start="date", delivered="import_kwh", received="export_kwh"),
    "opower": CsvLayout(name="opower", start="date", time="start time", end="end time", delivered="usage",
                        unit_column="units"),
}

# Header words by role, in order of preference.
_DATES = ("date", "read date", "usage date", "interval date", "day")
_TIMES = ("start time", "time", "interval start time", "interval start", "start", "hour")
_STARTS = ("start", "start time", "start date time", "start datetime", "interval start", "interval start time",
           "datetime", "date time", "timestamp", "time stamp", "read start")
_ENDS = ("end time", "end", "interval end", "interval end time", "end date time", "end datetime")
_DELIVERED = ("import kwh", "kwh delivered", "delivered kwh", "kwh", "usage", "value", "consumption", "energy",
              "therms")
_RECEIVED = ("export kwh", "kwh received", "received kwh")
_UNITS = ("units", "unit", "uom")
_UNIT_WORDS = {"kwh": KWH, "therm": THERM, "therms": THERM}

_PARENTHESIS = re.compile(r"^(.*?)\s*[(\[]\s*([^)\]]*?)\s*[)\]]$")


def normalize_column(name: str) -> str:
    return " ".join(name.replace("_", " ").replace("\ufeff", "").casefold().split())


def split_unit(name: str) -> tuple[str, str | None]:
    """`Usage (kWh)` -> ("usage", "kwh")."""
    normalized = normalize_column(name)
    match = _PARENTHESIS.match(normalized)
    return (match.group(1), match.group(2)) if match else (normalized, None)


def unit_from_word(word: str) -> str | None:
    return _UNIT_WORDS.get(normalize_column(word))


def detect_layout(header: list[str]) -> CsvLayout | None:
    """The layout a header row describes, or None if it names no start and no usage column."""
    names = {}
    unit_hints = {}
    for cell in header:
        base, hint = split_unit(cell)
        if base and base not in names:
            names[base] = cell
            unit_hints[base] = hint

    def pick(candidates, exclude=()) -> str | None:
        return next((c for c in candidates if c in names and c not in exclude), None)

    date = pick(_DATES)
    if date is not None:
        start, time = date, pick(_TIMES, exclude=(date,))
    else:
        start, time = pick(_STARTS), None
    delivered = pick(_DELIVERED)
    if start is None or delivered is None:
        return None
    used = (start, time, delivered)
    end = pick(_ENDS, exclude=used)
    received = pick(_RECEIVED, exclude=used)
    unit_column = pick(_UNITS)
    hint = unit_hints[delivered] or delivered
    unit = unit_from_word(hint) or KWH
    return CsvLayout(
        name="detected", start=names[start], time=names.get(time) if time else None,
        end=names[end] if end else None, delivered=names[delivered],
        received=names[received] if received else None,
        unit_column=names[unit_column] if unit_column else None, unit=unit)


def column_index(header: list[str], wanted: str) -> int | None:
    target = normalize_column(wanted)
    for index, cell in enumerate(header):
        if normalize_column(cell) == target or split_unit(cell)[0] == target:
            return index
    return None
