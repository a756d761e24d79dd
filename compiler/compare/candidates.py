"""Candidates (rate options) and their applicability to the data.

A candidate is a base schedule, optionally `+` an export-compensation schedule (`E-1+E-EEC-1`).
Applicability is judged from the schedule's own `limit` declarations against the data:
`limit demand` on the maximum demand (the largest average over the schedule's demand interval,
`demand 15 minutes`, in any billed period), `limit usage` on the largest period usage; a bound
`low to high` holds for low <= value < high (E-4 "below 1,000 kW", E-7 "at least 1,000 kW").
A bound judged over history (`for 3 consecutive months in 12`, `per year`) is judged on the
monthly values of the data, one billing period a month, a period with missing data an unknown month
(`compiler/applicability.py`): an option whose bound is not met is refused with the months that
decided it; one the data cannot decide is billed, with a note saying what is missing. Customer
class (residential, non-residential) is a fact about the customer, not the data: it is shown,
never decided.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

import attrs

from tariffc.compiler import applicability as history
from tariffc.compiler import ir
from tariffc.compiler.compare.errors import CompareError
from tariffc.compiler.compare.measures import DEFAULT_DEMAND_MINUTES, fmt, interval_minutes, max_demand
from tariffc.compiler.compare.periods import PeriodData
from tariffc.compiler.meterdata import KWH, THERM, MeterDataError
from tariffc.compiler.runtime.words import with_article

EXPORT_SCHEDULES = ("E-EEC-1", "E-NSE-1")
ANNUAL_EXPORT = "E-NSE-1"
BASE_CLASSES_REFUSED = {"export": "is billed with a base schedule: write e.g. E-1+{id}",
                         "street_lighting": "bills lamps, not metered energy",
                         "unmetered": "is for unmetered service"}


@attrs.frozen
class Candidate:
    """A rate option: a base schedule id, and an export-compensation schedule id or None."""

    base: str
    export: str | None = None

    @property
    def label(self) -> str:
        return self.base + (f"+{self.export}" if self.export else "")


def parse_candidates(text: str | Sequence[str]) -> tuple[Candidate, ...]:
    """`E-1,E-2 E-1+E-EEC-1` (comma-separated, or a sequence of such texts) → candidates in order.
    Raises CompareError for an empty list, a malformed or repeated option, or `+` anything but an
    export schedule."""
    items = [part.strip() for chunk in ([text] if isinstance(text, str) else text)
             for part in chunk.split(",") if part.strip()]
    if not items:
        raise CompareError("no schedules to compare: give --schedules A,B,...")
    out = []
    for item in items:
        parts = [p.strip() for p in item.split("+")]
        if len(parts) > 2 or not all(parts):
            raise CompareError(f"'{item}': write a schedule, or a schedule plus one export schedule (E-1+E-EEC-1)")
        if len(parts) == 2 and parts[1] not in EXPORT_SCHEDULES:
            raise CompareError(f"'{item}': only {' or '.join(EXPORT_SCHEDULES)} may follow '+'")
        candidate = Candidate(parts[0], parts[1] if len(parts) == 2 else None)
        if candidate in out:
            raise CompareError(f"'{item}' is listed twice")
        out.append(candidate)
    return tuple(out)


# -- what a schedule bills ---------------------------------------------------------------------------

def demand_minutes(schedule: ir.Schedule, day: date) -> int | None:
    """The schedule's `demand N minutes` in the version in effect on `day` (else its latest)."""
    version = schedule.version_on(day) or (schedule.versions[-1] if schedule.versions else None)
    return version.rules.demand_minutes if version else None


def bills_demand(schedule: ir.Schedule) -> bool:
    """Whether any version has a charge on kW (maximum or billing demand)."""
    return any(charge.quantity == "kw" for version in schedule.versions for charge in version.charges)


def is_time_of_use(schedule: ir.Schedule) -> bool:
    """Whether any version prices energy by TOU period (a partition of the week for an energy charge)."""
    return any(p.partition and p.charge.startswith("energy") for v in schedule.versions for p in v.rules.periods)


def billing_unit(schedule: ir.Schedule) -> str:
    """The unit the schedule's meter data must be in: therm for gas, kWh for electric."""
    return THERM if schedule.utility == "gas" else KWH


# -- applicability -----------------------------------------------------------------------------------

def unit_mismatch(units: frozenset[str], schedule: ir.Schedule) -> str:
    """Why readings in `units` cannot be billed on `schedule`, and what to do: gas readings (therm)
    on an electric schedule, or electric ones (kWh) on a gas schedule."""
    wanted = billing_unit(schedule)
    other = sorted(units - {wanted})
    kinds = {THERM: "gas", KWH: "electricity"}
    read = " and ".join(f"{unit} ({kinds.get(unit, 'unknown service')})" for unit in other)
    service = {"gas": "gas", "electric": "electricity"}.get(schedule.utility, schedule.utility)
    other_kind = kinds.get(other[0]) if len(other) == 1 else None
    todo = (f"bill these readings on {'a gas' if other_kind == 'gas' else 'an electric'} schedule "
            f"(`tariffc rates` lists them)" if other_kind and other_kind != service else "")
    return (f"the readings are in {read}; {schedule.id} is {with_article(schedule.utility)} schedule billed in "
            f"{wanted}: " + (f"{todo}, or give the {service} meter's data" if todo else f"give the {service} meter's data"))


def check_units(units: frozenset[str], source: str, schedule: ir.Schedule) -> None:
    """Refuse data in another unit than the schedule bills (therms for an electric schedule): MeterDataError."""
    if units - {billing_unit(schedule)}:
        raise MeterDataError(unit_mismatch(units, schedule), file=source)


def applicability(candidate: Candidate, billed: Sequence[PeriodData], schedules: Mapping[str, ir.Schedule],
                  inputs: Mapping[str, Any] | None = None, slices: Sequence[PeriodData] | None = None) -> str | None:
    """Why the data exclude this candidate, or None when they can meet it. `slices`: every period
    of the data in order, complete or not (the months a history bound is judged over; default
    `billed`); `inputs` decide a bound's `when` condition."""
    schedule = schedules[candidate.base]
    label = candidate.label
    if schedule.customer_class in BASE_CLASSES_REFUSED:
        return f"{label}: {schedule.id} " + BASE_CLASSES_REFUSED[schedule.customer_class].format(id=schedule.id)
    if candidate.export:
        export = schedules[candidate.export]
        if export.customer_class != "export":
            return f"{label}: {candidate.export} is not an export-compensation schedule"
        if candidate.export == "E-EEC-1" and is_time_of_use(schedule):
            return (f"{label}: E-EEC-1 A. Applicability: \"This Rate Schedule may not apply in conjunction with any "
                    f"time-of-use Rate Schedule\", and {schedule.id} is time-of-use")
    minutes = demand_minutes(schedule, billed[0].period.start) or DEFAULT_DEMAND_MINUTES
    needs_demand = bills_demand(schedule) or any(limit.quantity == "demand" for limit in schedule.limits)
    demands = [max_demand(s.delivered, minutes) for s in billed] if needs_demand else []
    if needs_demand and any(d is None for d in demands):
        return (f"{label}: needs the maximum {minutes}-minute demand; the data are "
                f"{interval_minutes(billed)}-minute intervals, which cannot show it")
    for limit in schedule.limits:
        if limit.history is not None or limit.condition is not None:
            verdict = judge_on_data(limit, slices or billed, minutes, inputs)
            if verdict.status == history.NOT_MET:
                later = f"{label}: A. Applicability, {history.describe(limit)}: {verdict.reason}"
            if limit.history != "sustained":  # a sustained bound is also a bound on each month, checked first
                if verdict.status == history.NOT_MET:
                    return later
                continue
        if limit.quantity == "demand":
            values, what, unit = demands, "maximum demand", "kW"
        elif limit.quantity == "usage":
            values = [s.kwh for s in billed]
            what, unit = "largest period usage", limit.unit
        else:
            return f"{label}: limit on '{limit.quantity}' is not understood by compare"
        peak = max(values)
        if not _within(limit, peak):
            return f"{label}: {what} {fmt(peak)} {unit} is {_outside_words(limit)}"
        if limit.history is not None and verdict.status == history.NOT_MET:
            return later
    return None


def _within(limit: ir.Limit, value: Decimal) -> bool:
    exact = Fraction(value)
    return (limit.low is None or exact >= limit.low) and (limit.high is None or exact < limit.high)


def judge_on_data(limit: ir.Limit, slices: Sequence[PeriodData], minutes: int,
                  inputs: Mapping[str, Any] | None) -> history.Verdict:
    """A bound judged over the data's months: each period one month (its maximum `minutes`-minute
    demand, or its usage), None where the period's data are incomplete."""
    def value(piece: PeriodData):
        if not piece.complete:
            return None
        return max_demand(piece.delivered, minutes) if limit.quantity == "demand" else piece.kwh
    return history.judge(limit, [value(s) for s in slices], inputs or {},
                         labels=[s.period.label() for s in slices])


def limit_notes(candidate: Candidate, billed: Sequence[PeriodData], schedules: Mapping[str, ir.Schedule],
                inputs: Mapping[str, Any] | None = None, slices: Sequence[PeriodData] | None = None) -> list[str]:
    """For a candidate the data meet: in how many periods each limit held, and how a bound judged
    over history was judged (met, or what the data cannot show)."""
    schedule = schedules[candidate.base]
    minutes = demand_minutes(schedule, billed[0].period.start) or DEFAULT_DEMAND_MINUTES
    notes = []
    for limit in schedule.limits:
        if limit.history is not None or limit.condition is not None:
            verdict = judge_on_data(limit, slices or billed, minutes, inputs)
            notes.append(f"{candidate.label}: A. Applicability, {history.describe(limit)}: {verdict.status}: "
                         f"{verdict.reason}" + (f"; the sheet: \"{limit.doc}\"" if limit.doc else ""))
            continue
        values = ([max_demand(s.delivered, minutes) for s in billed] if limit.quantity == "demand"
                  else [s.kwh for s in billed])
        inside = sum(1 for v in values if v is not None and _within(limit, v))
        notes.append(f"{candidate.label}: {limit.quantity} within its {_bounds(limit)} in {inside} of {len(values)} "
                     f"periods; the sheet: \"{limit.doc}\"" if limit.doc else
                     f"{candidate.label}: {limit.quantity} within its {_bounds(limit)} in {inside} of {len(values)} periods")
    return notes


def _bounds(limit: ir.Limit) -> str:
    low = None if limit.low is None else fmt(Decimal(limit.low.numerator) / limit.low.denominator)
    high = None if limit.high is None else fmt(Decimal(limit.high.numerator) / limit.high.denominator)
    if low and high:
        return f"{low}-{high} {limit.unit} range"
    return f"{high} {limit.unit} limit" if high else f"{low} {limit.unit} minimum"


def _outside_words(limit: ir.Limit) -> str:
    if limit.low is not None and limit.high is not None:
        return f"outside its {_bounds(limit)}"
    return f"not below its {_bounds(limit)}" if limit.high is not None else f"below its {_bounds(limit)}"
