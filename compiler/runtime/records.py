"""The data records a generated module writes beside its functions: billing rule and a version's
header (what the bill's set-up needs before the version's arithmetic runs). Rates and tier
allowances are not here: they are constants and arithmetic in the generated functions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property
from decimal import Decimal


@dataclass(frozen=True)
class BillingRule:
    """The billing rule: at most `max_days` per bill; '$/month' charges `per_bill` (once per bill)
    or `prorated` (days / `divisor` months); the total rounded once by `rounding_mode` to a
    multiple of `rounding_step`."""

    max_days: int
    monthly_charges: str
    divisor: int
    rounding_mode: str
    rounding_step: Decimal

    @cached_property
    def label(self) -> str:
        """How the total is rounded, as a bill shows it: 'total half_up 0.01'."""
        return f"total {self.rounding_mode} {self.rounding_step}"


@dataclass(frozen=True)
class Version:
    """A version's header: when it is in effect, its billing rule, seasons and proration
    declarations, demand interval, TOU period sets, and its generated functions: `lines(run, part)`
    writes the lines of a part of a bill; `allowances(part)` (None without a tier rule) gives the
    tier allowances of a part's days, {quantity: {tier: allowance}}."""

    effective: dt.date
    ends: dt.date | None
    billing: BillingRule
    lines: object
    seasons: tuple = ()
    prorate_seasons: bool = False
    prorate_versions: bool = False
    prorate_intervals: bool = False
    demand_minutes: int | None = None
    demand_option: int | None = None  # the City's alternative demand interval, asked for by input ...
    demand_input: str | None = None  # ... `demand_input` (runtime/demand_interval.py)
    periods: tuple = ()
    allowances: object = None

    @cached_property
    def label(self) -> str:
        """The version's name: its effective date, YYYY-MM-DD."""
        return self.effective.isoformat()


@dataclass(frozen=True)
class Schedule:
    """What the bill's set-up needs about a schedule besides its versions: id, calendar, declared
    inputs and pass-through prices, lamp rows, the measured inputs it bills on, LOC, the table
    of "file:line" and sheet section by line id, and `places`, the line declaring each bill input."""

    id: str
    calendar: object
    inputs: tuple = ()
    prices: tuple = ()
    lamps: frozenset = frozenset()
    bills_on: frozenset = frozenset()
    loc: dict | None = None
    places: tuple = ()  # where each bill input is declared: ((field, effective, Loc), ...), runtime/places.py
