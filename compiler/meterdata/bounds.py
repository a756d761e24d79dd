"""The ranges a meter-data value must lie in, stated once for every reader (Green Button, CSV).

Beyond them a reader refuses the file with MeterDataError naming the field and value, instead of
crashing in date arithmetic or spending minutes on a number no meter produces:

- instants: years 1 to 9999 with a day to spare at each end, so a reading's local time (UTC±14 h)
  and its end stay representable (`datetime` stops at 9999-12-31);
- durations: 1 second to 10 years (a billing-period read is a month or two; an IntervalBlock a
  year or so);
- values: magnitude below 10^15 (Int48 in ESPI is below 1.5 x 10^14) with at most 20 decimals;
- ESPI powerOfTenMultiplier: -12 to 12 (UnitMultiplierKind p … T);
- numbers: ASCII digits without `_` (`written_plainly`): Python's int() and Decimal() also read
  Arabic-Indic digits and `1_250`, which no meter writes.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

EARLIEST = datetime(1, 1, 2, tzinfo=UTC)
LATEST = datetime(9999, 12, 30, tzinfo=UTC)
EARLIEST_SECONDS = int(EARLIEST.timestamp())
LATEST_SECONDS = int(LATEST.timestamp())
MAX_DURATION = 10 * 366 * 86400
MAX_MAGNITUDE = Decimal(10) ** 15
MAX_DECIMALS = 20
INT48 = 2 ** 47

# ESPI integer fields: (lowest, highest) accepted; fields not listed are bounded as Int64.
ESPI_INT_BOUNDS = {
    "timePeriod/start": (EARLIEST_SECONDS, LATEST_SECONDS),
    "interval/start": (EARLIEST_SECONDS, LATEST_SECONDS),
    "timePeriod/duration": (1, MAX_DURATION),
    "interval/duration": (0, MAX_DURATION),
    "intervalLength": (1, MAX_DURATION),
    "value": (-INT48, INT48 - 1),
    "cost": (-INT48, INT48 - 1),
    "powerOfTenMultiplier": (-12, 12),
}
INT64 = (-(2 ** 63), 2 ** 63 - 1)


def int_problem(field: str, value: int) -> str | None:
    """Why an ESPI integer field's value is refused, or None."""
    low, high = ESPI_INT_BOUNDS.get(field, INT64)
    if low <= value <= high:
        return None
    if low == 1 and value < 1:
        return f"{field} {value} is not positive"
    if field.endswith("start"):
        return f"{field} {value} is not an instant in the years 1 to 9999 (seconds since 1970)"
    return f"{field} {value} is outside {low} to {high}"


def span_problem(field: str, start: int, duration: int) -> str | None:
    """Why a start + duration is refused (its end after 9999-12-30), or None."""
    if start + duration > LATEST_SECONDS:
        return f"{field} ends after the year 9999 (start {start} + duration {duration} s)"
    return None


def decimal_problem(value: Decimal) -> str | None:
    """Why a decimal meter value is refused (too large, too many decimals, not finite), or None."""
    if not value.is_finite():
        return "is not a finite number"
    if value != 0 and (value.adjusted() >= 15 or abs(value) >= MAX_MAGNITUDE):
        return "is too large for a meter value (magnitude 10^15 or more)"
    _, digits, exponent = value.as_tuple()
    text = "".join(map(str, digits))
    if exponent + len(text) - len(text.rstrip("0")) < -MAX_DECIMALS and text.rstrip("0"):
        return f"has more than {MAX_DECIMALS} decimals"
    return None


def naive_problem(moment: datetime) -> str | None:
    """Why a wall-clock (or offset) date-time is refused: outside 0001-01-02 … 9999-12-30."""
    naive = moment.replace(tzinfo=None)
    if not EARLIEST.replace(tzinfo=None) <= naive <= LATEST.replace(tzinfo=None):
        return "is outside the years 1 to 9999 that can be read (0001-01-02 to 9999-12-30)"
    return None


def written_plainly(text: str) -> bool:
    """A number's text uses the characters a meter file writes (ASCII, no `_` digit grouping)."""
    return text.isascii() and "_" not in text
