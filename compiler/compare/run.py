"""The comparison: every applicable candidate billed period by period, ranked cheapest first.

The base schedule is billed on energy delivered by CPAU (E-EEC-1 D.2.b), and the export schedule on
the energy received from the customer (`exported_kwh`): E-EEC-1 per period on that period's received
kWh; E-NSE-1 once, on the net surplus of the whole compared range (received minus delivered, if
positive), taken as the annual settlement period of Rule 29 (which is not among the sources).
Periods with missing data are reported and billed for nobody.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any, Protocol

import attrs

from tariffc.compiler import ir
from tariffc.compiler.compare.candidates import (
    ANNUAL_EXPORT,
    BASE_CLASSES_REFUSED,
    EXPORT_SCHEDULES,
    Candidate,
    applicability,
    bills_demand,
    billing_unit,
    check_units,
    demand_minutes,
    limit_notes,
)
from tariffc.compiler.compare.errors import CompareError
from tariffc.compiler.compare.inputs import convert_inputs
from tariffc.compiler.compare.measures import DEFAULT_DEMAND_MINUTES, PeriodMeasure, fmt, max_demand, measure
from tariffc.compiler.compare.periods import BillPeriod, PeriodData
from tariffc.compiler.meterdata import KWH, THERM
from tariffc.compiler.runtime import round_to
from tariffc.compiler.runtime.conditions import condition_holds


class Biller(Protocol):
    """What bills a period: `tariffc.compiler.api.Tariffs`, or `rates.at.RatesAt` (compare --at)."""

    def bill(self, schedule_id: str, *, start: date, end: date, **quantities: Any) -> Any: ...


# -- results ---------------------------------------------------------------------------------------

@attrs.frozen(kw_only=True)
class PeriodBill:
    """One candidate's bill for one period: base bill, export credit, total rounded once."""

    period: BillPeriod
    total: Decimal  # the bill as rounded (base + export credit)
    total_exact: Fraction | None
    base: Any  # the Bill objects, for --format json lines
    export: Any = None


@attrs.frozen(kw_only=True)
class Result:
    """One candidate over every billed period, its rank and its difference to the cheapest."""

    candidate: Candidate
    customer_class: str
    title: str
    bills: tuple[PeriodBill, ...]
    annual_export: Any = None  # E-NSE-1: the one settlement bill
    total: Decimal
    difference: Decimal = Decimal(0)  # to the cheapest
    rank: int = 0


@attrs.frozen(kw_only=True)
class Refusal:
    candidate: Candidate
    reason: str

@attrs.frozen(kw_only=True)
class Comparison:
    """The whole comparison: measures per billed period, results cheapest first, refusals, periods
    not billed with the reason, notes."""

    source: str
    unit: str
    measures: tuple[PeriodMeasure, ...]  # billed periods
    skipped: tuple[tuple[BillPeriod, str], ...]  # periods with missing data: billed for nobody
    results: tuple[Result, ...]  # cheapest first
    refused: tuple[Refusal, ...]
    notes: tuple[str, ...]

    @property
    def periods(self) -> tuple[BillPeriod, ...]:
        return tuple(m.period for m in self.measures)

    def with_notes(self, notes: Sequence[str]) -> Comparison:
        """The comparison with `notes` (of the period choice, `--at`) before its own."""
        return attrs.evolve(self, notes=tuple(notes) + self.notes) if notes else self


# -- the comparison --------------------------------------------------------------------------------

def compare(
    slices: Sequence[PeriodData],
    *,
    source: str,
    units: frozenset[str],
    candidates: Sequence[Candidate],
    schedules: Mapping[str, ir.Schedule],
    biller: Biller,
    inputs: Mapping[str, str] | None = None,
    bill_errors: tuple[type[BaseException], ...] = (ValueError,),
    progress: Callable[[int], None] | None = None,
) -> Comparison:
    """Bill each candidate on the complete periods of `slices`. Raises CompareError (unknown
    schedule, no complete period), InputError (a `--set` no candidate declares or of the wrong
    type), MeterDataError (data in another unit than a candidate bills). `bill_errors` are the
    exceptions that refuse one bill (the period or the candidate is then reported, not billed);
    `progress(1)` is called once per candidate."""
    inputs = dict(inputs or {})
    known = {c.base for c in candidates} | {c.export for c in candidates if c.export}
    missing = sorted(k for k in known if k not in schedules)
    if missing:
        raise CompareError(f"unknown schedule(s): {', '.join(missing)} (known: {', '.join(sorted(schedules))})")
    for candidate in candidates:
        schedule = schedules[candidate.base]
        if candidate.base in EXPORT_SCHEDULES or schedule.customer_class in BASE_CLASSES_REFUSED:
            continue
        check_units(units, source, schedule)
    converted = convert_inputs(inputs, [schedules[k] for k in sorted(known)])

    billed = [s for s in slices if s.complete]
    skipped = tuple((s.period, s.reason(source)) for s in slices if not s.complete)
    if not billed:
        raise CompareError(f"{source}: no billing period has complete data: " +
                           ("; ".join(f"{p.label()}: {why}" for p, why in skipped[:3]) or "no periods") +
                           f"; choose periods the file covers whole (--start/--end, --read-dates) or fill the gaps "
                           f"(`tariffc inspect {source}` lists them)")
    notes: list[str] = []

    # Bill every applicable candidate period by period. A candidate no period of which can be billed
    # is refused; a period some candidate cannot bill (e.g. it predates the rates known for that
    # schedule) is billed for nobody and listed with the reasons, so the totals stay comparable.
    attempts: dict[Candidate, list[PeriodBill | str]] = {}
    refused = []
    for candidate in candidates:
        reason = applicability(candidate, billed, schedules, inputs=converted, slices=slices)
        if reason is None:
            tries = _bill_periods(candidate, billed, schedules, biller, converted, bill_errors)
            if all(isinstance(t, str) for t in tries):
                every = f" (in all {len(tries)} periods)" if len(tries) > 1 else ""
                hint = ("; --at DATE bills the periods at the rates of the version in effect on DATE"
                        if any("no version in effect" in t for t in tries) else "")
                reason = cannot_bill(candidate, f"{tries[0]}{every}{hint}")
            else:
                attempts[candidate] = tries
                notes += limit_notes(candidate, billed, schedules, inputs=converted, slices=slices)
        if reason is not None:
            refused.append(Refusal(candidate=candidate, reason=reason))
        if progress:
            progress(1)
    failed = {i: [f"{c.label}: {tries[i]}" for c, tries in attempts.items() if isinstance(tries[i], str)]
              for i in range(len(billed))}
    failed = {i: why for i, why in failed.items() if why}
    skipped += tuple((billed[i].period, "cannot be billed for every option: " + "; ".join(why))
                     for i, why in sorted(failed.items()))
    kept = [i for i in range(len(billed)) if i not in failed]
    billed = [billed[i] for i in kept]
    measures = tuple(measure(s) for s in billed)
    received_total = sum((m.received_kwh for m in measures), Decimal(0))
    if received_total and not any(c.export for c in candidates):
        notes.append(f"the data show {fmt(received_total)} kWh received from the customer; bills here are on energy "
                     "delivered only: add +E-EEC-1 (or +E-NSE-1) to a candidate to credit it")
    results = []
    for candidate, tries in attempts.items():
        if not billed:
            break
        try:
            results.append(_result(candidate, [tries[i] for i in kept], billed, schedules, biller, converted))
        except bill_errors as error:
            refused.append(Refusal(candidate=candidate, reason=cannot_bill(candidate, error)))
    for candidate in candidates:
        if candidate.export == ANNUAL_EXPORT:
            notes.append(f"{candidate.label}: E-NSE-1 credits the annual net surplus (Rule 29, not among the sources): "
                         "the compared range is taken as the settlement period, credited once in its last bill; "
                         "the base schedule is billed on delivered energy (Net Energy Metering netting is not modelled)")
    classes = {r.customer_class for r in results}
    if len(classes) > 1:
        notes.append("the options serve different customer classes (" + ", ".join(
            f"{r.candidate.label}: {r.customer_class}" for r in results) + "); which one the account may take is a "
            "fact about the customer (A. Applicability), not something the meter data show")
    ranked = sorted(results, key=lambda r: (r.total, r.candidate.label))
    cheapest = ranked[0].total if ranked else Decimal(0)
    ranked = [attrs.evolve(r, difference=r.total - cheapest, rank=i + 1) for i, r in enumerate(ranked)]
    return Comparison(source=source, unit=KWH if KWH in units else next(iter(sorted(units)), KWH),
                      measures=measures, skipped=skipped, results=tuple(ranked), refused=tuple(refused),
                      notes=tuple(notes))

def cannot_bill(candidate: Candidate, why: object) -> str:
    """The one wording of a candidate refused because its bills fail (not because of its limits)."""
    return f"{candidate.label}: cannot be billed: {why}"


def _bill_periods(candidate: Candidate, billed: Sequence[PeriodData], schedules: Mapping[str, ir.Schedule],
                  biller: Biller, inputs: Mapping[str, Mapping[str, Any]],
                  bill_errors: tuple[type[BaseException], ...]) -> list[PeriodBill | str]:
    """Each period's bill for the candidate, or the reason it cannot be billed (a bill error)."""
    schedule = schedules[candidate.base]
    gas = billing_unit(schedule) == THERM
    uses_windows = any(_holds(p.condition, inputs[schedule.id]) for v in schedule.versions for p in v.rules.periods)
    out: list[PeriodBill | str] = []
    for piece in billed:
        period = piece.period
        quantities = _quantities(schedule, piece, gas, uses_windows)
        try:
            base = biller.bill(schedule.id, start=period.start, end=period.end, **quantities, **inputs[schedule.id])
            export = None
            if candidate.export == "E-EEC-1":
                export = biller.bill("E-EEC-1", start=period.start, end=period.end, exported_kwh=piece.received_kwh,
                                     **inputs["E-EEC-1"])
        except bill_errors as error:
            out.append(str(error))
            continue
        exact = _exact(base, export)
        total = base.total if export is None else _rounded_once(exact, schedule, period, base, export)
        out.append(PeriodBill(period=period, total=total, total_exact=exact, base=base, export=export))
    return out


def _result(candidate: Candidate, bills: list[PeriodBill], billed: Sequence[PeriodData],
            schedules: Mapping[str, ir.Schedule], biller: Biller, inputs: Mapping[str, Mapping[str, Any]]) -> Result:
    """The candidate's result over the billed periods, with E-NSE-1's annual credit in the last bill."""
    schedule = schedules[candidate.base]
    annual = None
    if candidate.export == ANNUAL_EXPORT:
        surplus = max(Decimal(0), sum((s.received_kwh - s.kwh for s in billed), Decimal(0)))
        last = billed[-1].period
        annual = biller.bill(ANNUAL_EXPORT, start=last.start, end=last.end, exported_kwh=surplus,
                             **inputs[ANNUAL_EXPORT])
        final = bills[-1]
        exact = None if final.total_exact is None else _exact(annual)
        combined = None if exact is None else final.total_exact + exact
        bills[-1] = attrs.evolve(final, total=_rounded_once(combined, schedule, last, final, annual), export=annual,
                                 total_exact=combined)
    return Result(candidate=candidate, customer_class=schedule.customer_class, title=schedule.title,
                  bills=tuple(bills), annual_export=annual, total=sum((b.total for b in bills), Decimal(0)))


def _holds(condition: ir.Condition | None, values: Mapping[str, Any]) -> bool:
    """Whether a `when` condition holds for the inputs given (no condition: always; a choice not
    given: not), by the runtime's one reading (runtime/conditions.py)."""
    return condition is None or condition_holds(condition.kind, condition.input, condition.value, values)


def _quantities(schedule: ir.Schedule, piece: PeriodData, gas: bool, uses_windows: bool) -> dict[str, Any]:
    """What the bill is given. Gas: the therms total. A schedule with time-of-use periods or demand
    windows: the intervals themselves (the bill sorts every interval into its period). Otherwise the
    totals the intervals give, which is the same bill computed faster: kWh, and the maximum demand
    over the schedule's `demand N minutes` (clock-aligned blocks, as the bill engine takes them)."""
    if gas:
        return {"therms": piece.kwh}
    if uses_windows:
        return {"intervals": piece.delivered}
    quantities: dict[str, Any] = {"kwh": piece.kwh}
    if bills_demand(schedule):
        minutes = demand_minutes(schedule, piece.period.start) or DEFAULT_DEMAND_MINUTES
        kw = max_demand(piece.delivered, minutes)
        if kw is None:  # pragma: no cover - applicability() refuses such data first
            return {"intervals": piece.delivered}
        quantities["kw"] = kw
    return quantities


def _rounded_once(exact: Fraction | None, schedule: ir.Schedule, period: BillPeriod, *bills: Any) -> Decimal:
    """A base bill and its export credit are one bill: its lines are exact and its total is rounded
    once, as the billing rule of the base schedule's version says (`rounding total half_up 0.01`),
    not the sum of two rounded totals. Without exact totals (a biller that gives none), the sum."""
    if exact is None:
        return sum((bill.total for bill in bills), Decimal(0))
    version = schedule.version_on(period.start) or schedule.versions[-1]
    billing = version.rules.billing
    rounded = round_to(exact, billing.rounding_step, billing.rounding_mode)
    step = Decimal(billing.rounding_step.numerator) / Decimal(billing.rounding_step.denominator)
    return (Decimal(rounded.numerator) / Decimal(rounded.denominator)).quantize(step)


def _exact(*bills: Any) -> Fraction | None:
    """Sum of the bills' exact totals (Fraction), None if any bill lacks one."""
    values = [getattr(bill, "total_exact", None) for bill in bills if bill is not None]
    if any(v is None for v in values):
        return None
    return sum((Fraction(v) for v in values), Fraction(0))
