"""Compare rate options on a customer's own interval data: bills per period, cheapest first.

    result = compare(slices, candidates=parse_candidates("E-1,E-2,E-1+E-EEC-1"), schedules=ir_by_id,
                     biller=Tariffs.load("schedules"), inputs={"green_option": "renewable_100"})

A candidate is a base schedule, optionally `+` an export-compensation schedule (`E-1+E-EEC-1`):
the base is billed on energy delivered by CPAU (E-EEC-1 D.2.b), and the export schedule on the
energy received from the customer (`exported_kwh`): E-EEC-1 per period on that period's received
kWh; E-NSE-1 once, on the net surplus of the whole compared range (received minus delivered, if
positive), taken as the annual settlement period of Rule 29 (which is not among the sources).

Applicability is judged from the schedule's own `limit` declarations against the data:
`limit demand` on the maximum demand (the largest average over the schedule's demand interval,
`demand 15 minutes`, in any billed period), `limit usage` on the largest period usage; a bound
`low to high` holds for low <= value < high (E-4 "below 1,000 kW", E-7 "at least 1,000 kW").
A bound judged over history (`for 3 consecutive months in 12`, `per year`) is judged on the
monthly values of the data, one billing period a month, a period with missing data an unknown month
(`compiler/applicability.py`): an option whose bound is not met is refused with the months that
decided it; one the data cannot decide is billed, with a note saying what is missing. Customer class (residential, non-residential) is a fact about the customer, not the
data: it is shown, never decided. Periods with missing data are reported and billed for nobody.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any, Protocol

import attrs

from tariffc.compiler import applicability as history
from tariffc.compiler import ir
from tariffc.compiler.bill_periods import BillPeriod, PeriodData
from tariffc.compiler.meterdata import KWH, THERM, IntervalReading, MeterDataError
from tariffc.compiler.runtime import BillInputError, round_to
from tariffc.compiler.runtime.inputs import typed

EXPORT_SCHEDULES = ("E-EEC-1", "E-NSE-1")
ANNUAL_EXPORT = "E-NSE-1"
_BASE_CLASSES_REFUSED = {"export": "is billed with a base schedule: write e.g. E-1+{id}",
                         "street_lighting": "bills lamps, not metered energy",
                         "unmetered": "is for unmetered service"}
DEFAULT_DEMAND_MINUTES = 15


class CompareError(ValueError):
    """A candidate list or input that cannot be compared at all (exit 1, nothing billed)."""


class InputError(CompareError):
    """A `--set NAME=VALUE` that no candidate declares, or a value of the wrong type (a usage error)."""


class Biller(Protocol):
    def bill(self, schedule_id: str, *, start: date, end: date, **quantities: Any) -> Any: ...


@attrs.frozen
class Candidate:
    base: str
    export: str | None = None

    @property
    def label(self) -> str:
        return self.base + (f"+{self.export}" if self.export else "")


def parse_candidates(text: str | Sequence[str]) -> tuple[Candidate, ...]:
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


# -- measures from the data ------------------------------------------------------------------------

def max_demand(readings: Sequence[IntervalReading], minutes: int) -> Decimal | None:
    """Largest average kW over clock-aligned `minutes` windows; None when the data are coarser
    than the window (hourly data cannot show a 15-minute maximum)."""
    window = minutes * 60
    if not readings:
        return None
    if any(r.duration > window or window % r.duration for r in readings):
        return None
    sums: dict[int, Decimal] = {}
    for reading in readings:
        key = int(reading.start.timestamp()) // window
        sums[key] = sums.get(key, Decimal(0)) + reading.value
    return max(sums.values()) * 60 / minutes


def interval_minutes(slices: Sequence[PeriodData]) -> int | None:
    """The longest reading (minutes) among the billed data."""
    longest = max((r.duration for s in slices for r in s.delivered), default=None)
    return None if longest is None else -(-longest // 60)


def demand_minutes(schedule: ir.Schedule, day: date) -> int | None:
    version = schedule.version_on(day) or (schedule.versions[-1] if schedule.versions else None)
    return version.rules.demand_minutes if version else None


def bills_demand(schedule: ir.Schedule) -> bool:
    return any(charge.quantity == "kw" for version in schedule.versions for charge in version.charges)


def is_time_of_use(schedule: ir.Schedule) -> bool:
    return any(p.partition and p.charge.startswith("energy") for v in schedule.versions for p in v.rules.periods)


def billing_unit(schedule: ir.Schedule) -> str:
    return THERM if schedule.utility == "gas" else KWH


# -- results ---------------------------------------------------------------------------------------

@attrs.frozen(kw_only=True)
class PeriodBill:
    period: BillPeriod
    total: Decimal  # the bill as rounded (base + export credit)
    total_exact: Fraction | None
    base: Any  # the Bill objects, for --format json lines
    export: Any = None


@attrs.frozen(kw_only=True)
class Result:
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
class PeriodMeasure:
    period: BillPeriod
    kwh: Decimal
    received_kwh: Decimal
    max_kw: Decimal | None  # largest average kW over `demand_minutes`
    demand_minutes: int | None  # 15, or the data's interval when they are coarser (hourly data: 60)


@attrs.frozen(kw_only=True)
class Comparison:
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
    inputs = dict(inputs or {})
    known = {c.base for c in candidates} | {c.export for c in candidates if c.export}
    missing = sorted(k for k in known if k not in schedules)
    if missing:
        raise CompareError(f"unknown schedule(s): {', '.join(missing)} (known: {', '.join(sorted(schedules))})")
    for candidate in candidates:
        schedule = schedules[candidate.base]
        if candidate.base in EXPORT_SCHEDULES or schedule.customer_class in _BASE_CLASSES_REFUSED:
            continue
        _check_units(units, source, schedule)
    converted = convert_inputs(inputs, [schedules[k] for k in sorted(known)])

    billed = [s for s in slices if s.complete]
    skipped = tuple((s.period, s.reason(source)) for s in slices if not s.complete)
    if not billed:
        raise CompareError("no billing period has complete data: " +
                           ("; ".join(f"{p.label()}: {why}" for p, why in skipped[:3]) or "no periods"))
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
                reason = f"{candidate.label}: cannot be billed: {tries[0]}{every}{hint}"
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
    measures = tuple(_measure(s) for s in billed)
    received_total = sum((m.received_kwh for m in measures), Decimal(0))
    if received_total and not any(c.export for c in candidates):
        notes.append(f"the data show {_fmt(received_total)} kWh received from the customer; bills here are on energy "
                     "delivered only: add +E-EEC-1 (or +E-NSE-1) to a candidate to credit it")
    results = []
    for candidate, tries in attempts.items():
        if not billed:
            break
        try:
            results.append(_result(candidate, [tries[i] for i in kept], billed, schedules, biller, converted))
        except bill_errors as error:
            refused.append(Refusal(candidate=candidate, reason=f"{candidate.label}: cannot be billed: {error}"))
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


def _measure(piece: PeriodData) -> PeriodMeasure:
    minutes = max(DEFAULT_DEMAND_MINUTES, interval_minutes([piece]) or DEFAULT_DEMAND_MINUTES)
    if minutes >= 1440 or any(r.unit != KWH for r in piece.delivered):  # daily reads, gas: no demand
        return PeriodMeasure(period=piece.period, kwh=piece.kwh, received_kwh=piece.received_kwh, max_kw=None,
                             demand_minutes=None)
    return PeriodMeasure(period=piece.period, kwh=piece.kwh, received_kwh=piece.received_kwh,
                         max_kw=max_demand(piece.delivered, minutes), demand_minutes=minutes)


def _check_units(units: frozenset[str], source: str, schedule: ir.Schedule) -> None:
    wanted = billing_unit(schedule)
    other = sorted(units - {wanted})
    if other:
        article = "an" if schedule.utility[:1] in "aeiou" else "a"
        raise MeterDataError(f"the data are in {', '.join(other)}; {schedule.id} is {article} {schedule.utility} "
                             f"schedule billed in {wanted}", file=source)


def applicability(candidate: Candidate, billed: Sequence[PeriodData], schedules: Mapping[str, ir.Schedule],
                  inputs: Mapping[str, Any] | None = None, slices: Sequence[PeriodData] | None = None) -> str | None:
    """Why the data exclude this candidate, or None when they can meet it. `slices`: every period
    of the data in order, complete or not (the months a history bound is judged over; default
    `billed`); `inputs` decide a bound's `when` condition."""
    schedule = schedules[candidate.base]
    label = candidate.label
    if schedule.customer_class in _BASE_CLASSES_REFUSED:
        return f"{label}: {schedule.id} " + _BASE_CLASSES_REFUSED[schedule.customer_class].format(id=schedule.id)
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
            return f"{label}: {what} {_fmt(peak)} {unit} is {_outside_words(limit)}"
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
    low = None if limit.low is None else _fmt(Decimal(limit.low.numerator) / limit.low.denominator)
    high = None if limit.high is None else _fmt(Decimal(limit.high.numerator) / limit.high.denominator)
    if low and high:
        return f"{low}-{high} {limit.unit} range"
    return f"{high} {limit.unit} limit" if high else f"{low} {limit.unit} minimum"


def _outside_words(limit: ir.Limit) -> str:
    if limit.low is not None and limit.high is not None:
        return f"outside its {_bounds(limit)}"
    return f"not below its {_bounds(limit)}" if limit.high is not None else f"below its {_bounds(limit)}"


def _fmt(value: Decimal) -> str:
    """312, 312.5, 312.125 (at most three decimals, no exponent)."""
    return f"{value.quantize(Decimal('0.001')).normalize():f}"


def convert_inputs(inputs: Mapping[str, str], schedules: Sequence[ir.Schedule]) -> dict[str, dict[str, Any]]:
    """`--set NAME=VALUE` as typed values, per schedule that declares NAME (an `input`, or a
    pass-through price such as `commodity`). A name no candidate declares is an error (a typo must
    not be ignored)."""
    declared: dict[str, list[tuple[ir.Schedule, ir.Input | None]]] = {}
    for schedule in schedules:
        for item in schedule.inputs:
            declared.setdefault(item.name, []).append((schedule, item))
        for name in sorted({p.name for v in schedule.versions for p in v.passthroughs}):
            declared.setdefault(name, []).append((schedule, None))  # a price: the bill checks its range
    per_schedule: dict[str, dict[str, Any]] = {s.id: {} for s in schedules}
    for name, text in inputs.items():
        if name not in declared:
            every = sorted(declared)
            raise InputError(f"input '{name}' is declared by none of the schedules compared"
                               + (f" (their inputs: {', '.join(every)})" if every else ""))
        for schedule, item in declared[name]:
            per_schedule[schedule.id][name] = text.strip() if item is None else _typed(item, text, schedule)
    return per_schedule


def _typed(item: ir.Input, text: str, schedule: ir.Schedule) -> Any:
    """A named input typed by the one input layer (`runtime.inputs.typed`, as `tariffc bill` and
    the API type it); the refusal worded for a comparison (which schedule declared it)."""
    schedule_id = schedule.id
    spec = next(s for s in schedule.input_specs() if s.name == item.name)
    try:
        return typed(spec, text.strip())
    except BillInputError as error:
        what = {"flag": "is a flag: give true or false", "choice": f"is one of {', '.join(item.choices)}",
                "count": "is a count: give a whole number"}.get(item.type, f"needs a number ({error.message})")
        raise InputError(f"input {item.name} ({schedule_id}) {what}, not '{text}'") from None


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
    """Whether a `when` condition holds for the inputs given (no condition: always)."""
    if condition is None:
        return True
    value = values.get(condition.input)
    if condition.kind == "flag":
        return bool(value)
    if condition.kind == "not":
        return not value
    return value == condition.value


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
