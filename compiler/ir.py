"""Checked intermediate form: typed, exact (Fraction), every node with its Span and section path.

Produced by `compiler/lower/` from the surface AST; read by the checks, the code generator,
the reference interpreter and the docs generator. Nodes are immutable values.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import attrs

from tariffc.compiler.runtime.errors import Loc
from tariffc.compiler.runtime.inputs import HOURS_IN, MAX_INDEX_RATIO, MEASURED, InputSpec, PriceSpec, bills_on
from tariffc.compiler.runtime.proration import in_effect
from tariffc.dsl.diagnostics import Span

node = attrs.frozen(kw_only=True)


def span_field():
    return attrs.field(eq=False, repr=False)


WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


@node
class Number:
    """An exact value with the text it was written as (for codegen `Decimal('…')` and docs)."""

    value: Fraction
    text: str
    entered: bool = True  # False: `?`, a cell of a new version not yet entered (value 0, never billed)
    span: Span = span_field()


@node
class Condition:
    """`when FLAG`, `when not FLAG`, `when INPUT is VALUE`."""

    kind: str  # "flag" | "not" | "is"
    input: str
    value: str | None = None

    def describe(self) -> str:
        return {"flag": self.input, "not": f"not {self.input}", "is": f"{self.input} is {self.value}"}[self.kind]


@node
class Source:
    document: str
    sheet: str | None
    line: int | None
    span: Span = span_field()


# ------------------------------------------------------------------ calendar
@node
class Holiday:
    name: str
    label: str
    month: int
    day: int | None = None  # fixed date
    ordinal: int | None = None  # 1..5, or -1 for "last"
    weekday: int | None = None  # 0 = Monday
    observed: str = "none"  # "none" | "nearest_weekday"
    relative_to: str | None = None  # another holiday's name: this one is `offset_days` from its observed date
    offset_days: int = 0  # days added to the date (`day after x` = x + 1; `fourth thu of nov + 1 day`)
    span: Span = span_field()


@node
class Billing:
    """Billing conventions (Rule and Regulation 11 assumptions, stated in a calendar or schedule)."""

    max_days: int = 62
    monthly_charges: str = "per_bill"  # "per_bill" | "prorated"
    proration_divisor: int = 30
    rounding_mode: str = "half_up"  # half_up | half_even | down | up
    rounding_step: Fraction = Fraction(1, 100)
    doc: str | None = None
    span: Span | None = attrs.field(default=None, eq=False, repr=False)


@node
class Calendar:
    name: str
    title: str
    timezone: str
    holidays: tuple[Holiday, ...]
    billing: Billing
    notes: tuple[str, ...]
    path: str
    prorate: tuple[tuple[str, str | None], ...] = ()  # conventions every schedule naming it inherits
    prorate_spans: tuple[tuple[str, Span], ...] = attrs.field(default=(), eq=False, repr=False)
    span: Span = span_field()


# ------------------------------------------------------------------ rules
@node
class Season:
    name: str
    label: str
    start: tuple[int, int]  # (month, day) inclusive
    end: tuple[int, int]  # (month, day) inclusive
    span: Span = span_field()


@node
class Allowance:
    amount: Fraction
    unit: str
    per_days: int  # 1 for "per day", 30 for "per 30 days"
    season: str | None
    span: Span = span_field()


@node
class Tier:
    name: str
    allowances: tuple[Allowance, ...]  # empty for the last tier ("rest")
    span: Span = span_field()


@node
class TierExample:
    """A worked example the sheet prints beside its allowance rule (G-1 D.3 "0.767 therms per day x 30
    days = 23 therms"): shown in `tariffc rates`; `checks/examples.py` proves it gives the rule's
    rounded allowance for every bill length a billing period allows (T230 otherwise). No bill uses it."""

    tier: str
    amount: Number
    unit: str
    per_days: int
    season: str | None
    doc: str | None
    span: Span = span_field()


@node
class TierRule:
    quantity: str  # "kwh" | "therms"
    tiers: tuple[Tier, ...]
    round_step: Fraction | None
    round_mode: str | None
    doc: str | None
    examples: tuple[TierExample, ...] = ()
    span: Span = span_field()


@node
class Clause:
    """Hours of some days. `days` holds weekday numbers; `holidays` selects holidays only."""

    kind: str  # "days" | "otherwise" | "always"
    weekdays: frozenset[int] = frozenset()
    holidays_only: bool = False
    hours: tuple[tuple[int, int], ...] = ((0, 1440),)  # [start, end) minutes of the day
    except_holidays: bool = False
    span: Span = span_field()


@node
class Period:
    name: str
    clauses: tuple[Clause, ...]
    span: Span = span_field()


@node
class PeriodSet:
    """`periods` (partition: every hour exactly once) or `windows` (may overlap)."""

    partition: bool
    charge: str
    season: str | None
    periods: tuple[Period, ...]
    condition: Condition | None
    doc: str | None
    span: Span = span_field()


@node
class Adjustment:
    kind: str  # "discount" | "surcharge"
    name: str
    percent: Number
    charges: tuple[str, ...]
    condition: Condition
    doc: str | None
    # A scaled adjustment: `percent` for each `step` (%) that input `step_input` (as a fraction,
    # e.g. power_factor 0.92) falls below `threshold` (%). None: a flat percentage.
    step: Fraction | None = None
    step_input: str | None = None
    threshold: Fraction | None = None
    span: Span = span_field()


@node
class Exemption:
    charge: str
    condition: Condition
    doc: str | None
    span: Span = span_field()


@node
class Minimum:
    charge: str | None  # minimum bill = this charge
    amount: Number | None  # or an amount per unit
    unit: str | None  # "day" | "month"
    doc: str | None
    condition: Condition | None = None  # the minimum applies only when this holds
    span: Span = span_field()

    @property
    def key(self) -> str:
        """The minimum's row key wherever rates are listed (`tariffc rates`, the site, a published
        staff row `E-2-G minimum KEY total`): `all` for a minimum of every bill, else its condition
        as one name: `green_option_is_block_1000` (`when green_option is block_1000`), `medical`
        (`when medical`), `not_medical` (`when not medical`). A version has one minimum per key
        (lowering refuses a second under one condition, T306)."""
        c = self.condition
        if c is None:
            return "all"
        return {"flag": c.input, "not": f"not_{c.input}", "is": f"{c.input}_is_{c.value}"}[c.kind]


@node
class DemandCredit:
    """The standby sections' Maximum Demand credit (E-4 D.7.d(1), E-4-TOU D.7.d(1), E-7 ...): "the
    Maximum Demand will be reduced by the sum of the Maximum Generation of those non-utility
    generators, but in no event shall the Customer's Maximum Demand be reduced below zero".

    The billing demand of `charges`' rows (those of demand window `window`, else every row) is
    reduced by the kW of bill input `input`, never below zero, written as credit lines
    (`compiler/runtime/credits.py`). `refused`: the sheet's words cannot decide the amount for this
    version (the reason); a bill giving `input` is refused with it."""

    charges: tuple[str, ...]
    window: str | None
    input: str
    refused: str | None = None
    condition: Condition | None = None
    doc: str | None = None
    span: Span = span_field()


@node
class Rules:
    """The D. Special notes in force for one version (schedule-level rules merged with the version's)."""

    seasons: tuple[Season, ...] = ()
    seasons_doc: str | None = None
    prorate: tuple[tuple[str, str | None], ...] = ()  # (what, quoted words): "seasons", "versions"
    tiers: tuple[TierRule, ...] = ()
    periods: tuple[PeriodSet, ...] = ()
    demand_minutes: int | None = None
    demand_doc: str | None = None
    demand_option: int | None = None  # the City's alternative interval (E-4 D.3: 5 minutes) ...
    demand_input: str | None = None  # ... billed when this bill input asks for it
    adjustments: tuple[Adjustment, ...] = ()
    exemptions: tuple[Exemption, ...] = ()
    # every minimum bill rule of the version, in order; the bill bills each whose condition holds
    # (E-2-G 2020-07-01 C.1 when renewable_100, C.2 when block_1000)
    minimums: tuple[Minimum, ...] = ()
    billing: Billing = Billing()
    notes: tuple[str, ...] = ()
    yearly_fees: YearlyFees | None = None  # lang: how a per-year fee meets a monthly bill
    indexes: tuple[Index, ...] = ()  # lang: fees adjusted by an index input (CPI)
    credits: tuple[DemandCredit, ...] = ()  # Maximum Demand credits (standby sections)
    estimate: Estimate | None = None  # lang: the bill's kWh estimated from inputs (E-16 D.a)
    bounds: tuple[Bound, ...] = ()  # lang: inputs the rates apply within (E-14 burning hours)
    # Where the rules without a node of their own were written (for `tariffc rates` sources).
    demand_span: Span | None = attrs.field(default=None, eq=False, repr=False)
    prorate_spans: tuple[tuple[str, Span], ...] = attrs.field(default=(), eq=False, repr=False)

    def season(self, name: str) -> Season | None:
        return next((s for s in self.seasons if s.name == name), None)

    def minimum_for(self, key: str) -> Minimum | None:
        """The minimum bill rule listed under `key` (`Minimum.key`), else the minimum of every bill
        (`all`), which applies whatever the condition: so a staff table's row, or an older version's
        cell, that names one option's minimum reads a version with a single minimum too."""
        return next((m for m in self.minimums if m.key == key), None) or \
            next((m for m in self.minimums if m.condition is None), None)

    def tier_rule(self, quantity: str) -> TierRule | None:
        return next((t for t in self.tiers if t.quantity == quantity), None)

    def period_sets(self, charge: str) -> tuple[PeriodSet, ...]:
        return tuple(p for p in self.periods if p.charge == charge)


# ------------------------------------------------------------------ fees (E-16 E., E-14 D.6)
FEE_UNIT_WORDS = {"ft": "ft", "pole": "pole", "$": "$"}


@node
class YearlyFees:
    """How a per-year fee meets a monthly bill: one `divisor`-th of it a month (`yearly_fees monthly 12`)."""

    divisor: int
    doc: str | None
    span: Span = span_field()


@node
class Index:
    """`index FEE, … by INPUT`: the named fees' lines are adjusted by the ratio INPUT (E-16 F., the CPI-U
    of December of the current base year over that of the licence's base year); a bill with such a fee
    line and no ratio is refused, naming the input and the reason."""

    fees: tuple[str, ...]
    input: str
    doc: str | None
    span: Span = span_field()


@node
class FeeRow:
    key: str  # "all" for a one-amount fee
    label: str | None
    rate: Number  # $ per unit (per term); a percent fee: the percentage as printed (1.25 = 1.25%)
    input: str  # the bill input it is billed on
    span: Span = span_field()


@node
class Fee:
    """A miscellaneous fee billed on a declared input (E-16 E.1-E.5, E-14 D.6).

    `kind`: "fixed" | "table" | "percent" | "refused"; `unit`: "ft" | "pole" | "$" (percent of an
    amount) | None (refused); `term`: "year" | "month" | "once" | None. A refused fee has no rows and
    `reason`: a bill whose input asks for it is refused with that reason."""

    kind: str
    name: str
    label: str
    unit: str | None
    term: str | None
    rows: tuple[FeeRow, ...]
    reason: str | None
    refused_input: str | None
    section: str
    span: Span = span_field()

    @property
    def per(self) -> str:
        """The fee's unit as the sheet prints it: `$/ft/yr`, `$/pole/yr`, `$/pole`, `% of $/month`."""
        if self.kind == "percent":
            return "% of $ per month"
        if self.kind == "refused" or self.unit is None:
            return "refused"
        term = {"year": "/yr", "month": "/month", "once": ""}[self.term]
        return f"$/{self.unit}{term}"

    def inputs(self) -> tuple[str, ...]:
        return tuple(r.input for r in self.rows) + ((self.refused_input,) if self.refused_input else ())


# ------------------------------------------------------------------ references and estimates (E-16)
@node
class EstimateStep:
    """One step of an estimate: the input it starts from, `times` an input, `divided_by` a number;
    `unit` the step operand's unit (numerator, denominator or None)."""

    kind: str  # "input" | "times" | "divided_by"
    operand: str  # an input name, or the number as written
    value: Fraction | None  # divided_by: the number
    unit: tuple[str, str | None]
    doc: str | None
    span: Span = span_field()


@node
class Estimate:
    """A bill quantity (kWh a month) computed from inputs step by step, units proven (E-16 D.a):
    total_watts W x annual_hours h/year / 1000 Wh/kWh / 12 month/year = kWh/month."""

    quantity: str
    steps: tuple[EstimateStep, ...]
    doc: str | None
    span: Span = span_field()

    def inputs(self) -> tuple[str, ...]:
        return tuple(s.operand for s in self.steps if s.kind in ("input", "times"))

    def divisor(self) -> Fraction:
        out = Fraction(1)
        for step in self.steps:
            if step.kind == "divided_by":
                out *= step.value
        return out


@node
class Bound:
    """A bill input the rates apply within (E-14 D.3: burning hours "not exceeding 4,100 hours per
    year"): a bill giving more than `high` is refused with the sheet's words."""

    input: str
    high: Number
    unit: tuple[str, str | None]
    doc: str | None
    span: Span = span_field()

    @property
    def unit_text(self) -> str:
        return self.unit[0] + (f" per {self.unit[1]}" if self.unit[1] else "")


@node
class ReferenceTarget:
    """A version of the referenced schedule as the referring charge bills it: its dates, seasons and
    the referenced charge's rows (keyed by season or `all`)."""

    schedule: str
    version: str
    effective: dt.date
    ends: dt.date | None
    seasons: tuple[Season, ...]
    rows: tuple[Row, ...]
    span: Span = span_field()


@node
class Reference:
    """`charge NAME "label" per kWh as SCHEDULE CHARGE [gaps "reason"]` (E-16 C.2: "using Electric Rate
    Schedule E2"): each day of a bill is priced by the referenced schedule's version in effect that day.
    `targets` is filled in when the project links schedules (compiler/link_references.py)."""

    name: str
    label: str
    unit: str
    quantity: str
    schedule: str
    charge: str
    gaps: str | None
    section: str
    targets: tuple[ReferenceTarget, ...] = ()
    span: Span = span_field()

    def target_on(self, day: dt.date) -> ReferenceTarget | None:
        return next((t for t in reversed(self.targets) if t.effective <= day and (t.ends is None or day < t.ends)),
                    None)


# ------------------------------------------------------------------ charges
@node
class Row:
    keys: tuple[str, ...]  # selectors: season, period/window, tier, or an item name
    label: str | None
    components: tuple[tuple[str, Number | None], ...]  # (column, value); None = printed blank
    total: Number | None  # the printed total, when the sheet prints one
    section: str
    span: Span = span_field()

    def component(self, name: str) -> Number | None:
        return dict(self.components).get(name)

    def rate(self) -> Fraction:
        """The rate billed: the printed total when there is one (the adopted figure), else the sum."""
        if self.total is not None:
            return self.total.value
        return sum((v.value for _, v in self.components if v is not None), Fraction(0))


@node
class Band:
    key: str
    label: str | None
    low: Fraction
    low_closed: bool
    high: Fraction | None  # None = no upper bound
    high_closed: bool
    value: Number
    span: Span = span_field()

    def contains(self, x: Fraction) -> bool:
        above = x >= self.low if self.low_closed else x > self.low
        below = True if self.high is None else (x <= self.high if self.high_closed else x < self.high)
        return above and below


@node
class Charge:
    name: str
    label: str
    unit: str  # "kWh" | "kW" | "therm" | "month" | "day" | "lamp per month" | "1000 kWh"
    quantity: str  # what it is billed on: kwh, kw, therms, bill, days, lamps, exported_kwh, or an input
    credit: bool
    condition: Condition | None
    columns: tuple[str, ...]  # components; a fixed charge has the single column (name,)
    has_total: bool
    rows: tuple[Row, ...]
    band_input: str | None
    bands: tuple[Band, ...]
    section: str
    span: Span = span_field()

    def row(self, keys) -> Row | None:
        keys = tuple(keys)
        return next((r for r in self.rows if r.keys == keys), None)


@node
class PassThrough:
    name: str
    label: str
    unit: str
    minimum: Number | None  # None: the sheet prints "Pass-through" with no range
    maximum: Number | None
    span: Span = span_field()


@node
class Declared:
    kind: str  # "unresolved" | "sum" | other discrepancy kinds
    path: tuple[str, ...]
    reason: str
    span: Span = span_field()


@node
class Version:
    effective: dt.date
    supersedes: dt.date | None
    ends: dt.date | None  # the day it stops applying (exclusive), None if still in effect
    source: Source | None
    charges: tuple[Charge, ...]
    passthroughs: tuple[PassThrough, ...]
    rules: Rules
    declared: tuple[Declared, ...]
    ends_declared: tuple[dt.date, str] | None = None  # `ends DATE "reason"`: known coverage stops there
    applicability: str | None = None  # set when the version's sheet words it differently
    territory: str | None = None
    fees: tuple[Fee, ...] = ()  # lang: E. miscellaneous fees, billed after the minimum
    references: tuple[Reference, ...] = ()  # lang: charges priced by another schedule (E-16 C.2)
    span: Span = span_field()

    def fee(self, name: str) -> Fee | None:
        return next((f for f in self.fees if f.name == name), None)

    def charge(self, name: str) -> Charge | None:
        return next((c for c in self.charges if c.name == name), None)

    @property
    def label(self) -> str:
        return self.effective.isoformat()


@node
class Limit:
    """An applicability bound of A. Applicability: `low <= value < high` on a measured quantity.

    `history` says over what the value is judged: None, each bill's own value (E-4 "maximum Demand
    below 1,000 kilowatts"); "sustained", at least `months` consecutive monthly values inside the
    bound among the most recent `window` months (E-4-TOU A. "sustained this level of usage for at
    least three consecutive months during the most recent 12 month period"); "per_year", the usage of
    the most recent 12 months added up (G-2 A.1 "less than 250,000 therms per year"). `condition`:
    the bound applies only to customers meeting it (G-2 A.1 commercial Customers). Judged by
    `compiler/applicability.py`.
    """

    quantity: str  # "demand" | "usage"
    low: Fraction | None
    high: Fraction | None
    unit: str
    doc: str | None
    history: str | None = None  # None | "sustained" | "per_year"
    months: int | None = None  # sustained: consecutive months inside the bound
    window: int | None = None  # sustained: among the most recent WINDOW months
    condition: Condition | None = None
    span: Span = span_field()


@node
class Input:
    name: str
    type: str  # "flag" | "count" | "number" | "choice" | "unit"
    unit: str | None
    choices: tuple[str, ...]
    doc: str | None
    span: Span = span_field()


def _ratio(name: str) -> InputSpec:
    """An index ratio (E-16 F.: CPI-U of the later December / that of the base year): more than 0 and
    at most MAX_INDEX_RATIO, so that the index itself (e.g. 330.2) given for the ratio is refused."""
    return InputSpec(name=name, type="number", positive=True, maximum=MAX_INDEX_RATIO,
                     why_maximum="an index ratio is the later index over the base-year index, 1 in the base year: "
                                 "above 10 it is an index, not a ratio")


def _amount(name: str, unit: tuple[str, str | None]) -> InputSpec:
    """An amount input in `unit` (numerator, per-what): hours per year or month bounded by the hours
    such a term has (runtime.inputs.HOURS_IN), so `annual_hours=9000` is refused by name."""
    most, why = HOURS_IN.get(unit[1], (None, "")) if unit[0] == "h" else (None, "")
    return InputSpec(name=name, type="unit", unit=unit[0], maximum=most, why_maximum=why)


@node
class Schedule:
    id: str
    title: str
    utility: str
    customer_class: str
    calendar: Calendar | None
    applicability: str
    territory: str
    limits: tuple[Limit, ...]
    inputs: tuple[Input, ...]
    versions: tuple[Version, ...]  # oldest first
    notes: tuple[str, ...]
    path: str
    span: Span = span_field()

    def version_on(self, day: dt.date) -> Version | None:
        """The version in effect on `day` (the one rule: `runtime.proration.in_effect`)."""
        return in_effect(self.versions, day)

    def measured_inputs(self) -> frozenset[str]:
        """The measured inputs this schedule bills on (kwh, kw, therms, exported_kwh, and interval
        data wherever kWh or kW is billed); any other is refused at bill time, naming it."""
        quantities = {c.quantity for v in self.versions for c in v.charges}
        quantities |= {r.quantity for v in self.versions for r in v.references}
        quantities |= {"therms" if p.unit == "therm" else "kwh" for v in self.versions for p in v.passthroughs}
        return bills_on(quantities)

    def input_specs(self) -> tuple[InputSpec, ...]:
        """The declared inputs as the runtime types them, then the inputs the fees bill on."""
        fractions = self.fraction_inputs()
        ratios = {index.input for v in self.versions for index in v.rules.indexes}
        declared = tuple(_ratio(i.name) if i.name in ratios and i.type == "number" else
                         InputSpec(name=i.name, type=i.type, unit=i.unit, choices=tuple(i.choices),
                                   maximum=Decimal(1) if i.name in fractions else None) for i in self.inputs)
        names = {s.name for s in declared}
        return declared + tuple(s for s in self.fee_inputs() if s.name not in names)

    def fee_inputs(self) -> tuple[InputSpec, ...]:
        """The inputs of every version's fees and indexes, typed by the fee's unit (a pole count is a
        whole number, feet and dollars exact amounts 0 or more, an index ratio a number), and those of
        an estimate (E-16 D.a: watts, hours a year; amounts 0 or more)."""
        out: dict[str, InputSpec] = {}
        for v in self.versions:
            for fee in v.fees:
                for name in fee.inputs():
                    if fee.unit == "pole" or name == fee.refused_input:
                        out.setdefault(name, InputSpec(name=name, type="count"))
                    else:
                        out.setdefault(name, InputSpec(name=name, type="unit", unit=fee.unit))
            for index in v.rules.indexes:
                out.setdefault(index.input, _ratio(index.input))
            for bound in v.rules.bounds:
                out.setdefault(bound.input, _amount(bound.input, bound.unit))
            if v.rules.estimate is not None:
                for step in v.rules.estimate.steps:
                    if step.kind != "divided_by":
                        out.setdefault(step.operand, _amount(step.operand, step.unit))
        return tuple(out.values())

    def price_specs(self) -> tuple[tuple[dt.date, PriceSpec], ...]:
        """(version effective date, pass-through price range) for every version's pass-throughs."""
        def dec(n):
            return None if n is None else Decimal(n.text)
        return tuple((v.effective, PriceSpec(name=p.name, unit=p.unit, minimum=dec(p.minimum), maximum=dec(p.maximum)))
                     for v in self.versions for p in v.passthroughs)

    def places(self) -> tuple[tuple[str, dt.date, Loc], ...]:
        """Where each bill input is declared, for the refusal of its value (runtime/places.py):
        (field, version effective date, Loc). A declared input: its `input` line (one entry, for every
        version); an input a fee, index, bound or estimate bills on, a lamp row, a pass-through price:
        that line in each version; a measured quantity (and `intervals`): the first line of each version
        that bills on it; `period` (start, end): each version's billing rule; `*`, any other field (a
        quantity the schedule does not bill on, a name it has no input of): the `schedule` line."""
        def at(span, section: str) -> Loc:
            return Loc(getattr(span, "path", None) or self.path, getattr(span, "line", 0), section)

        out: list[tuple[str, dt.date, Loc]] = [("*", dt.date.min, at(self.span, f"schedule {self.id}"))]
        out += [(i.name, dt.date.min, at(i.span, f"input {i.name}")) for i in self.inputs]
        declared = {i.name for i in self.inputs}
        for v in self.versions:
            found: dict[str, Loc] = {}

            def add(name, span, section):
                if name and name not in declared and name not in found:
                    found[name] = at(span, section)

            for c in v.charges:
                if c.quantity in MEASURED:
                    add(c.quantity, c.span, c.section)
                    if c.quantity in ("kwh", "kw"):
                        add("intervals", c.span, c.section)
                for r in c.rows if c.quantity == "lamps" else ():
                    add(f"lamps.{r.keys[0]}", r.span, r.section)
            for ref in v.references:
                add(ref.quantity, ref.span, ref.section)
                add("intervals", ref.span, ref.section)
            for p in v.passthroughs:
                add(p.name, p.span, f"C. Unbundled rates › {p.label}")
                add("therms" if p.unit == "therm" else "kwh", p.span, f"C. Unbundled rates › {p.label}")
            for fee in v.fees:
                for row in fee.rows:
                    add(row.input, row.span, fee.section)
                add(fee.refused_input, fee.span, fee.section)
            rules = v.rules
            for index in rules.indexes:
                add(index.input, index.span, f"D. Special notes › index {index.input}")
            for bound in rules.bounds:
                add(bound.input, bound.span, f"D. Special notes › bound {bound.input}")
            if rules.estimate is not None:
                for step in rules.estimate.steps:
                    if step.kind != "divided_by":
                        add(step.operand, step.span, f"D. Special notes › estimate {rules.estimate.quantity}")
            add("period", rules.billing.span or v.span, "billing" if rules.billing.span else f"version {v.label}")
            out.extend((name, v.effective, loc) for name, loc in found.items())
        return tuple(out)

    def lamp_inputs(self) -> frozenset[str]:
        """The `lamps.ROW` count inputs of lamp charges."""
        return frozenset(f"lamps.{r.keys[0]}" for v in self.versions for c in v.charges if c.quantity == "lamps"
                         for r in c.rows)

    def fraction_inputs(self) -> frozenset[str]:
        """Inputs given as a fraction of 1 (a power factor, 0.92 = 92%): those an adjustment is
        scaled by (`for each 1% power_factor below 95%`); a value above 1 is refused."""
        return frozenset(a.step_input for v in self.versions for a in v.rules.adjustments if a.step_input)

    def input(self, name: str) -> Input | None:
        return next((i for i in self.inputs if i.name == name), None)


# ------------------------------------------------------------------ published staff tables
@node
class PublishedRow:
    schedule: str
    charge: str
    keys: tuple[str, ...]
    column: str
    values: tuple[tuple[str, Number], ...]  # (column heading: a date, "change" or "pct_change", value)
    span: Span = span_field()


@node
class PublishedTable:
    title: str
    caption: str | None
    source: Source | None
    columns: tuple[str, ...]
    rows: tuple[PublishedRow, ...]
    discrepancies: tuple[Declared, ...]  # path = (schedule, charge, *keys, column)
    path: str
    span: Span = span_field()
