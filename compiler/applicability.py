"""A. Applicability bounds judged over a customer's usage history.

The sheets bound who may take a schedule by what the customer's usage has been, not by one bill:

- E-4-TOU A. "Customers with Demand between 500 and 1,000 kilowatts per month and who have
  sustained this level of usage for at least three consecutive months during the most recent 12
  month period"; E-7, E-7-TOU, E-7-G A. "a Maximum Demand of at least 1,000KW per month per site,
  who have sustained this Demand level at least 3 consecutive months during the last twelve months"
  (`limit demand … for 3 consecutive months in 12`);
- G-2 A.1 "Commercial Customers who use less than 250,000 therms per year at one site", G-3 A.1 "at
  least 250,000 therms per year" (`limit usage … per year when commercial`).

`judge(limit, history)` takes the monthly values oldest first (the last one is the most recent
month: its maximum demand in kW, or its usage in kWh or therms), `None` for a month whose value is
not known, and says whether the bound is met, not met, or cannot be judged from what is known. It
never guesses: a month outside the data could have been anything, so a verdict is given only when
every possible value of the unknown months gives the same one (usage is never negative, so a partial
year's usage is a lower bound of the year's).

A bound is `low <= value < high` (E-4 "below 1,000", E-7 "at least 1,000"), as `compare` reads it.
`tariffc compare` and the population impact runs (`compiler/bulk/`) pass the months of the data
(one billing period counts as one month); a single bill (`tariffc bill`) holds one month, so a
history bound is reported there as not judged, never silently met.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from fractions import Fraction

import attrs

from tariffc.compiler import ir

MET, NOT_MET, NOT_JUDGED = "met", "not met", "not judged"
YEAR_MONTHS = 12


@attrs.frozen
class Verdict:
    """One bound judged: `status` is MET, NOT_MET or NOT_JUDGED; `reason` says why in words (the
    months counted, the values that decided it, or what is missing)."""

    limit: ir.Limit
    status: str
    reason: str

    def as_dict(self) -> dict:
        return {"limit": describe(self.limit), "status": self.status, "reason": self.reason,
                "words": self.limit.doc, "source": f"{self.limit.span.path}:{self.limit.span.line}"}


def judged_over_history(limit: ir.Limit) -> bool:
    """Whether the bound needs more than one bill to judge (sustained or per year)."""
    return limit.history is not None


def describe(limit: ir.Limit) -> str:
    """`demand 500-1000 kW for 3 consecutive months in 12`, `usage below 250000 therms per year when commercial`."""
    text = f"{limit.quantity} {bounds_text(limit)}"
    if limit.history == "sustained":
        text += f" for {limit.months} consecutive months in {limit.window}"
    elif limit.history == "per_year":
        text += " per year"
    if limit.condition is not None:
        text += f" when {limit.condition.describe()}"
    return text


def bounds_text(limit: ir.Limit) -> str:
    low, high = _text(limit.low), _text(limit.high)
    if low is not None and high is not None:
        return f"{low}-{high} {limit.unit}"
    return f"below {high} {limit.unit}" if high is not None else f"at least {low} {limit.unit}"


def within(limit: ir.Limit, value: Decimal | Fraction) -> bool:
    exact = Fraction(value)
    return (limit.low is None or exact >= limit.low) and (limit.high is None or exact < limit.high)


def condition_holds(condition: ir.Condition | None, inputs: Mapping[str, object]) -> bool | None:
    """Whether the bound applies to this customer: True, False, or None when the input is not given."""
    if condition is None:
        return True
    if condition.input not in inputs or inputs[condition.input] is None:
        return None
    value = inputs[condition.input]
    if condition.kind == "is":
        return str(value) == condition.value
    flag = value if isinstance(value, bool) else str(value).strip().lower() in ("true", "yes", "1")
    return flag if condition.kind == "flag" else not flag


def judge(limit: ir.Limit, history: Sequence[Decimal | Fraction | None],
          inputs: Mapping[str, object] | None = None, labels: Sequence[str] | None = None) -> Verdict:
    """Judge `limit` on monthly `history` (oldest first, the last the most recent month; None = not
    known). `labels` name the months in reasons (`2025-03`); `inputs` decide a `when` condition.

    A bound without a history form is judged on each month given (met when every one is inside).
    Raises nothing; an empty history is NOT_JUDGED.
    """
    applies = condition_holds(limit.condition, inputs or {})
    if applies is None:
        name = limit.condition.input
        return Verdict(limit, NOT_JUDGED, f"applies only when {limit.condition.describe()}: "
                                          f"give --set {name}=... to judge it")
    if not applies:
        return Verdict(limit, MET, f"does not apply: not {limit.condition.describe()}")
    if not history:
        return Verdict(limit, NOT_JUDGED, "no month of usage is known")
    names = list(labels) if labels is not None else [f"month {i + 1}" for i in range(len(history))]
    if limit.history == "sustained":
        return _sustained(limit, list(history), names)
    if limit.history == "per_year":
        return _per_year(limit, list(history))
    known = [v for v in history if v is not None]
    if len(known) < len(history):
        return Verdict(limit, NOT_JUDGED, f"{len(history) - len(known)} of {len(history)} months not known")
    outside = [names[i] for i, v in enumerate(history) if not within(limit, v)]
    if outside:
        return Verdict(limit, NOT_MET, f"outside {bounds_text(limit)} in {', '.join(outside)}")
    return Verdict(limit, MET, f"inside {bounds_text(limit)} in every month given ({len(history)})")


def _sustained(limit: ir.Limit, history: list, names: list[str]) -> Verdict:
    window = limit.window
    recent = history[-window:]
    recent_names = names[-window:]
    missing_before = window - len(recent)  # months of the window before the data begin
    best = _longest_run([v is not None and within(limit, v) for v in recent])
    if best[1] >= limit.months:
        start, length = best
        return Verdict(limit, MET, f"inside {bounds_text(limit)} in {length} consecutive months "
                                   f"({recent_names[start]} to {recent_names[start + length - 1]}) among the most "
                                   f"recent {window}")
    maybe = [True] * missing_before + [v is None or within(limit, v) for v in recent]
    unknown = missing_before + sum(1 for v in recent if v is None)
    inside = sum(1 for v in recent if v is not None and within(limit, v))
    if _longest_run(maybe)[1] >= limit.months:
        return Verdict(limit, NOT_JUDGED, f"{unknown} of the most recent {window} months not known; {inside} known "
                                          f"month(s) inside {bounds_text(limit)}, at most {best[1]} in a row; "
                                          f"needs {limit.months} consecutive")
    return Verdict(limit, NOT_MET, f"no {limit.months} consecutive months inside {bounds_text(limit)} among the most "
                                   f"recent {window} ({inside} inside, at most {best[1]} in a row)")


def _per_year(limit: ir.Limit, history: list) -> Verdict:
    recent = history[-YEAR_MONTHS:]
    unknown = YEAR_MONTHS - len(recent) + sum(1 for v in recent if v is None)
    total = sum((Fraction(v) for v in recent if v is not None), Fraction(0))
    shown = f"{_text(total)} {limit.unit}"
    if unknown == 0:
        if within(limit, total):
            return Verdict(limit, MET, f"{shown} in the most recent 12 months, {bounds_text(limit)}")
        return Verdict(limit, NOT_MET, f"{shown} in the most recent 12 months, not {bounds_text(limit)}")
    # usage is never negative: what the known months add up to is a lower bound of the year's
    if limit.high is not None and total >= limit.high:
        return Verdict(limit, NOT_MET, f"already {shown} in {YEAR_MONTHS - unknown} of the most recent 12 months, "
                                       f"not {bounds_text(limit)}")
    if limit.high is None and total >= limit.low:
        return Verdict(limit, MET, f"already {shown} in {YEAR_MONTHS - unknown} of the most recent 12 months, "
                                   f"{bounds_text(limit)}")
    return Verdict(limit, NOT_JUDGED, f"{unknown} of the most recent 12 months not known ({shown} in the "
                                      f"{YEAR_MONTHS - unknown} known)")


def _longest_run(flags: Sequence[bool]) -> tuple[int, int]:
    """(start, length) of the longest run of True (the earliest when two tie)."""
    best, start = (0, 0), None
    for i, flag in enumerate(list(flags) + [False]):
        if flag and start is None:
            start = i
        elif not flag and start is not None:
            if i - start > best[1]:
                best = (start, i - start)
            start = None
    return best


def _text(value: Fraction | None) -> str | None:
    if value is None:
        return None
    if value.denominator == 1:
        return str(value.numerator)
    return format((Decimal(value.numerator) / Decimal(value.denominator)).normalize(), "f")


def single_bill(schedule: ir.Schedule, *, kw=None, usage=None,
                inputs: Mapping[str, object] | None = None) -> list[Verdict]:
    """The history bounds of `schedule` as one bill sees them: the bill's month is the only month
    known (`kw` its billing demand, `usage` its kWh or therms, either None when not given), so a
    sustained or yearly bound is judged only where one month decides it, else NOT_JUDGED."""
    out = []
    for limit in schedule.limits:
        if not judged_over_history(limit):
            continue
        value = kw if limit.quantity == "demand" else usage
        verdict = judge(limit, [None if value is None else Decimal(str(value))], inputs, labels=["this bill"])
        if verdict.status == NOT_JUDGED:
            verdict = attrs.evolve(verdict, reason="a single bill holds one month of usage; " + verdict.reason
                                   + "; tariffc compare judges it from a year of interval data")
        out.append(verdict)
    return out
