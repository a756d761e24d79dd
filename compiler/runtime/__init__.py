"""What generated bill modules import, and only that (Jinja's `runtime.exported`, Catala's
runtime): exact numbers and the one rounding rule, bill inputs and their validation, calendar /
season / TOU classification, proration, interval aggregation, `Line`/`Bill`, and errors that carry
a `.tariff` location.

One-way imports: this package imports the standard library and itself, nothing else of tariffc
(a test fails otherwise). The vectorised primitives live beside it in `runtime/vector.py`
(numpy; not imported here).
"""

from __future__ import annotations

import datetime as _dt

from .bill import Bill, Line
from .credits import undecided_credit
from .calendar import (Calendar, Clause, Cond, Holiday, Period, PeriodSet, Season, clause_text, holiday_date,
                       holidays_in, in_season, is_holiday, parse_clause, period, periods_at, season_of)
from .errors import BillError, BillInputError, Loc, locate, located
from .inputs import (BillInputs, InputSpec, Interval, IntervalArrays, PriceSpec, bills_on, check_intervals,
                     check_quantities, typed_values)
from .numbers import EXACT, ROUNDING, D, Q, decimal_text, div, exact, money, round_to, round_total, rounded
from .proration import PRORATION, in_effect, parts, segments
from .records import BillingRule, Schedule, Version
from .reference import reference_days
from .run import Part, Run, exact_arithmetic

date = _dt.date

__all__ = [
    # numbers and the one rounding
    "D", "Q", "EXACT", "ROUNDING", "div", "exact", "round_to", "rounded", "round_total", "decimal_text", "money",
    # errors
    "Loc", "BillInputError", "BillError", "locate", "located",
    # inputs
    "BillInputs", "Interval", "IntervalArrays", "InputSpec", "PriceSpec", "typed_values", "check_quantities",
    "check_intervals", "bills_on",
    # calendar, seasons, TOU
    "Calendar", "Holiday", "Season", "Clause", "Cond", "Period", "PeriodSet", "period", "parse_clause",
    "clause_text", "in_season", "season_of", "holiday_date", "holidays_in", "is_holiday", "periods_at",
    # proration
    "PRORATION", "in_effect", "parts", "segments",
    # records a generated module writes, and the bill set-up
    "BillingRule", "Version", "Schedule", "Run", "Part", "exact_arithmetic", "date",
    # the bill
    "Line", "Bill", "reference_days",
    # the standby sections' Maximum Demand credit
    "undecided_credit",
]
