"""Literals → exact values: numbers (Fraction, printed text kept), dates, days of the year, time zones,
rounding steps and modes, demand intervals, conditions, sources, TOU hour ranges.

Each reader that can refuse a value records the diagnostic and returns a usable stand-in, so lowering
goes on (see context.py).
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from fractions import Fraction

from tariffc.compiler import ir
from tariffc.compiler.lower.context import Lowering
from tariffc.dsl import ast

# The quantity a charge is billed on when it does not say (`on NAME`): by its unit.
QUANTITY_OF_UNIT = {
    "kWh": "kwh", "kW": "kw", "therm": "therms", "therms": "therms", "month": "bill", "day": "days",
    "lamp per month": "lamps", "1000 kWh": "green_blocks",
}
# Quantities a bill measures itself (not bill inputs a schedule declares).
MEASURED = ("kwh", "kw", "therms", "exported_kwh", "days", "bill", "lamps")
ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "last": -1}
ROUNDING_MODES = ("half_up", "half_even", "down", "up")
# A rounding step is a positive amount no finer than a millionth and no coarser than a million (cents,
# whole kWh and therms are the steps the sheets use); anything else is a typo no bill can use.
STEP_MIN, STEP_MAX = Fraction(1, 10**6), Fraction(10**6)
DEFAULT_TIMEZONE = "America/Los_Angeles"


def doc(text: ast.Text | None) -> str | None:
    """The value of an optional quoted string (a rule's documentation line)."""
    return text.value if text is not None else None


def number(lit: ast.Lit) -> ir.Number:
    """A number or percentage as written → ir.Number (exact Fraction, text kept without `%`).
    `?` (not yet entered) is 0 marked `entered=False`; checks.entered reports it, so no bill or page
    uses it."""
    if lit.text == "?":
        return ir.Number(value=Fraction(0), text="?", entered=False, span=lit.span)
    text = lit.text.rstrip("%")
    return ir.Number(value=Fraction(text), text=text, span=lit.span)


def positive_integer(lx: Lowering, lit: ast.Lit, what: str) -> int:
    """A count that must be at least 1 (billing-period maximum, proration divisor); T316 otherwise."""
    value = int(lit.text)
    if value < 1:
        lx.err("T316", f"{what} of {lit.text} can bill nothing", lit.span, f"{what} must be at least 1")
        return 1
    return value


def demand_minutes(lx: Lowering, lit: ast.Lit, *, option: bool = False) -> int | None:
    """Demand interval: a whole number of minutes that divides the day (5, 15, 30, 60, …); T316 otherwise
    (then 15 for the interval, so that lowering goes on; None for the City's alternative `option`, which
    is dropped rather than read as a second 15)."""
    value = int(lit.text)
    if not 1 <= value <= 1440 or 1440 % value:
        what = "an alternative demand interval" if option else "a demand interval"
        lx.err("T316", f"{what} of {lit.text} minutes cannot be used", lit.span,
               "the demand interval is a number of minutes that divides the day (1 to 1440)",
               hint="the sheets' alternative is 5 minutes (E-4 D.3)" if option else
               "the sheets measure demand over 15 minutes")
        return None if option else 15
    return value


def rounding_step(lx: Lowering, lit: ast.Lit) -> Fraction:
    """A rounding step between STEP_MIN and STEP_MAX; T316 otherwise."""
    value = number(lit).value
    if not STEP_MIN <= value <= STEP_MAX:
        lx.err("T316", f"a rounding step of {lit.text} cannot be used", lit.span,
               "a rounding step is between 0.000001 and 1000000",
               hint="the sheets round bills to the cent (0.01) and allowances to a whole unit (1)")
        return Fraction(1, 100) if value < STEP_MIN else STEP_MAX
    return value


def rounding_mode(lx: Lowering, lit: ast.Lit) -> str:
    """One of ROUNDING_MODES (the modes runtime/numbers.py rounds with); T309 otherwise. The text is
    kept either way: the diagnostic stops every bill."""
    if lit.text not in ROUNDING_MODES:
        lx.err("T309", f"unknown rounding mode '{lit.text}'", lit.span,
               hint=f"use one of {', '.join(ROUNDING_MODES)}")
    return lit.text


def timezone(lx: Lowering, text: ast.Text | None) -> str:
    """An IANA time zone name (zoneinfo knows it); CPAU's America/Los_Angeles when absent; T315 otherwise."""
    if text is None:
        return DEFAULT_TIMEZONE
    try:
        zoneinfo.ZoneInfo(text.value)
    except (ValueError, OSError, zoneinfo.ZoneInfoNotFoundError):
        lx.err("T315", f"unknown time zone \"{text.value}\"", text.span,
               "a time zone is an IANA tz database name",
               hint='CPAU bills in "America/Los_Angeles"')
        return DEFAULT_TIMEZONE
    return text.value


def date(lx: Lowering, lit: ast.Lit) -> dt.date | None:
    """YYYY-MM-DD → date; T304 and None for a date the calendar does not have (2025-02-30)."""
    try:
        return dt.date.fromisoformat(lit.text)
    except ValueError:
        lx.err("T304", f"'{lit.text}' is not a calendar date", lit.span, hint="write dates as YYYY-MM-DD")
        return None


def month_day(lx: Lowering, month: ast.Lit, day: ast.Lit) -> tuple[int, int]:
    """`jun 1` → (6, 1); Feb 29 is a day of the year; T304 (and day 1) for one that is not."""
    m = ir.MONTHS.index(month.text) + 1
    d = int(day.text)
    try:
        dt.date(2024, m, d)  # a leap year admits Feb 29
    except ValueError:
        lx.err("T304", f"{month.text} {d} is not a day of the year", day.span)
        d = 1
    return m, d


def condition(cond: ast.Condition | None) -> ir.Condition | None:
    """`if NAME` / `unless NAME` / `if NAME is VALUE` → ir.Condition (names checked by checks.references)."""
    if cond is None:
        return None
    return ir.Condition(kind=cond.kind, input=cond.name.text, value=cond.value.text if cond.value else None)


def source(src: ast.Source | None) -> ir.Source | None:
    """`source "document" "sheet" line N` → ir.Source."""
    if src is None:
        return None
    return ir.Source(document=src.document.value, sheet=src.sheet.value if src.sheet else None,
                     line=int(src.line.text) if src.line else None, span=src.span)


def minutes(text: str) -> int | None:
    """`HH:MM` → minutes after midnight (24:00 is 1440); None if it is not a time of one day."""
    try:
        h, m = text.split(":")
        value = int(h) * 60 + int(m)
    except ValueError:
        return None
    return value if 0 <= value <= 1440 and int(m) < 60 else None
