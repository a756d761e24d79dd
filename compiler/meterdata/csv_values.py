"""Parse the cells of an interval CSV: dates, times, date-times and exact numbers.

Accepted forms (US exports and ISO 8601): 2024-03-10, 3/10/2024, 3/10/24, 2024/03/10; times
00:15, 00:15:00, 12:15 AM, 24:00 (end of day); date-times join the two with a space or `T`, and
ISO date-times may carry an offset (then no DST question arises). Day-first dates are not
accepted: 03/10/2024 is March 10.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation

from tariffc.compiler.meterdata import bounds

_DATE_FORMATS = ("%Y-%m-%d", "%m/%d/%Y", "%m/%d/%y", "%Y/%m/%d")
_TIME_FORMATS = ("%H:%M", "%H:%M:%S", "%I:%M %p", "%I:%M:%S %p", "%I:%M%p", "%I:%M:%S%p")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
# A comma is a thousands separator only in 1,234 and 1,234.5 (a first group of 1-3 digits not led by
# 0): "0,250" is a decimal comma (0.25), never a grouping, and is refused rather than read as 250.
_THOUSANDS = re.compile(r"[+-]?[1-9]\d{0,2}(,\d{3})+(\.\d*)?", re.ASCII)


class CellError(ValueError):
    """A cell that is not what its column needs; the caller adds file and line."""


def parse_date(text: str) -> date:
    text = text.strip()
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise CellError(f"{text!r} is not a date (YYYY-MM-DD or M/D/YYYY)")


def parse_time(text: str) -> tuple[time, bool]:
    """(time of day, True when the text was 24:00, the end of the day)."""
    text = text.strip()
    if not text.isascii():
        raise CellError(f"{text!r} is not a time of day (ASCII digits: HH:MM)")
    if text in ("24:00", "24:00:00"):
        return time(0), True
    for fmt in _TIME_FORMATS:
        try:
            return datetime.strptime(text.upper(), fmt).time(), False
        except ValueError:
            continue
    raise CellError(f"{text!r} is not a time of day (HH:MM, HH:MM:SS or H:MM AM)")


def parse_moment(text: str) -> tuple[datetime, bool]:
    """(datetime, has_time): a date alone is midnight with has_time False.

    The datetime is naive (local wall time) unless the text carries an offset. Refused (CellError)
    outside 0001-01-02 … 9999-12-30 (meterdata/bounds.py).
    """
    moment, has_time = _moment(text)
    problem = bounds.naive_problem(moment)
    if problem:
        raise CellError(f"{text.strip()!r} {problem}")
    return moment, has_time


def _moment(text: str) -> tuple[datetime, bool]:
    text = text.strip()
    if not text.isascii():  # strptime reads Arabic-Indic digits too; no meter writes them
        raise CellError(f"{text!r} is not a date or a date and time (ASCII digits: YYYY-MM-DD HH:MM)")
    if _ISO_DATE.fullmatch(text):
        return datetime.combine(parse_date(text), time(0)), False
    try:
        return datetime.fromisoformat(text), True
    except ValueError:
        pass
    date_text, _, time_text = text.partition(" ")
    try:
        day = parse_date(date_text)
        clock, end_of_day = parse_time(time_text) if time_text.strip() else (None, False)
    except CellError:
        raise CellError(f"{text!r} is not a date or a date and time (YYYY-MM-DD HH:MM or M/D/YYYY H:MM AM)") from None
    if clock is None:
        return datetime.combine(day, time(0)), False
    moment = datetime.combine(day, clock)
    if end_of_day and day == date.max:
        raise CellError(f"{text!r} is after the year 9999")
    return (moment + timedelta(days=1) if end_of_day else moment), True


def parse_number(text: str) -> Decimal:
    """An exact Decimal; thousands separators allowed only in the 1,234.5 pattern."""
    cleaned = text.strip()
    if _THOUSANDS.fullmatch(cleaned):
        cleaned = cleaned.replace(",", "")
    try:
        if not bounds.written_plainly(cleaned):
            raise InvalidOperation
        number = Decimal(cleaned)
    except InvalidOperation:
        hint = (": a decimal comma? write numbers with a decimal point (0.25); a comma is read only as a "
                "thousands separator (1,234.5)") if "," in cleaned else ""
        raise CellError(f"{text.strip()!r} is not a number{hint}") from None
    problem = bounds.decimal_problem(number)
    if problem:
        shown = cleaned if len(cleaned) < 40 else f"{cleaned[:20]}… ({len(cleaned)} characters)"
        raise CellError(f"{shown!r} {problem}")
    return number


_DURATION = re.compile(r"^(\d+(?:\.\d+)?)\s*(s|sec|secs|seconds?|m|min|mins|minutes?|h|hr|hrs|hours?)?$",
                       re.IGNORECASE | re.ASCII)
_CLOCK_DURATION = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?$", re.ASCII)


def parse_duration(text: str) -> int:
    """An interval length in whole seconds: `15` (minutes, as SDG&E writes it), `15 min`, `1 hour`,
    `900 s`, `0:15` or `00:15:00`."""
    cleaned = text.strip()
    clock = _CLOCK_DURATION.fullmatch(cleaned)
    if clock:
        hours, minutes, seconds = int(clock.group(1)), int(clock.group(2)), int(clock.group(3) or 0)
        total = hours * 3600 + minutes * 60 + seconds
    else:
        match = _DURATION.fullmatch(cleaned)
        if not match:
            raise CellError(f"{cleaned!r} is not a duration (minutes, e.g. 15, or 15 min, 1 hour, 0:15)")
        unit = (match.group(2) or "min").lower()
        scale = 1 if unit.startswith("s") else 3600 if unit.startswith("h") else 60
        exact = Decimal(match.group(1)) * scale
        if exact != exact.to_integral():
            raise CellError(f"{cleaned!r} is not a whole number of seconds")
        total = int(exact)
    if total <= 0:
        raise CellError(f"duration {cleaned!r} is not positive")
    return total
