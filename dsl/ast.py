"""Surface AST: frozen attrs nodes mirroring the Council sheet; literals kept as source text.

Nodes are values: positions (`span`) are excluded from equality, so two parses of the same
content laid out differently (`tariffc fmt`) compare equal.
"""

from __future__ import annotations

import attrs

from tariffc.dsl.diagnostics import Span

node = attrs.frozen(kw_only=True)


def span_field():
    return attrs.field(eq=False, repr=False)


@node
class Lit:
    """A literal exactly as written (number, date, name, percentage)."""

    text: str
    span: Span = span_field()


@node
class Text:
    """A quoted string, unescaped."""

    value: str
    span: Span = span_field()


# ------------------------------------------------------------------ shared statements
@node
class Source:
    document: Text
    sheet: Text | None
    line: Lit | None
    span: Span = span_field()


@node
class Note:
    text: Text
    span: Span = span_field()


@node
class Condition:
    kind: str  # "flag" | "not" | "is"
    name: Lit
    value: Lit | None = None
    span: Span = span_field()


# ------------------------------------------------------------------ calendars
@node
class FixedDate:
    month: Lit
    day: Lit


@node
class NthWeekday:
    ordinal: Lit
    weekday: Lit
    month: Lit


@node
class RelativeDate:
    """`day after thanksgiving`: the day after (or before) another holiday of the calendar."""

    relation: Lit  # "after" | "before"
    holiday: Lit


@node
class HolidayOffset:
    """`+ 1 day`, `- 2 days` after a date."""

    sign: Lit  # "+" | "-"
    days: Lit
    span: Span = span_field()


@node
class Holiday:
    name: Lit
    label: Text | None
    date: FixedDate | NthWeekday | RelativeDate
    observed: Lit | None
    offset: HolidayOffset | None = None
    span: Span = span_field()


@node
class Billing:
    doc: Text | None
    statements: tuple  # BillingPeriod | MonthlyCharges | Rounding
    span: Span = span_field()


@node
class BillingPeriod:
    convention: Lit
    max_days: Lit
    span: Span = span_field()


@node
class MonthlyCharges:
    mode: Lit
    divisor: Lit | None
    span: Span = span_field()


@node
class Rounding:
    what: Lit
    mode: Lit
    step: Lit
    span: Span = span_field()


@node
class Calendar:
    name: Lit
    title: Text | None
    timezone: Text | None
    holidays: tuple[Holiday, ...]
    billing: Billing | None
    notes: tuple[Note, ...]
    span: Span = span_field()


# ------------------------------------------------------------------ rules (D. Special notes)
@node
class Season:
    name: Lit
    label: Text | None
    start_month: Lit
    start_day: Lit
    end_month: Lit
    end_day: Lit
    span: Span = span_field()


@node
class Seasons:
    doc: Text | None
    seasons: tuple[Season, ...]
    span: Span = span_field()


@node
class Prorate:
    what: Lit
    doc: Text | None
    how: Lit | None = None  # "days" or "timestamp"
    span: Span = span_field()


@node
class Allowance:
    amount: Lit
    unit: str
    per_days: Lit | None
    season: Lit | None
    span: Span = span_field()


@node
class Tier:
    name: Lit
    allowances: tuple[Allowance, ...]  # empty: "rest"
    span: Span = span_field()


@node
class TierRound:
    step: Lit
    mode: Lit
    doc: Text | None
    span: Span = span_field()


@node
class TierExample:
    """`example TIER AMOUNT UNIT per [N] day(s) [in SEASON] "words"`: a worked example the sheet prints
    beside its allowance rule (G-1 D.3 "0.767 therms per day x 30 days = 23 therms")."""

    tier: Lit
    allowance: Allowance
    doc: Text | None
    span: Span = span_field()


@node
class Tiers:
    quantity: Lit
    doc: Text | None
    tiers: tuple[Tier, ...]
    rounding: TierRound | None
    examples: tuple[TierExample, ...] = ()
    span: Span = span_field()


@node
class Clause:
    kind: str  # "days" | "otherwise" | "always"
    days: Lit | None = None  # "mon-fri", "every day", "holidays"
    hours: tuple[Lit, ...] = ()
    except_holidays: bool = False
    span: Span = span_field()


@node
class PeriodLine:
    name: Lit
    clauses: tuple[Clause, ...]
    span: Span = span_field()


@node
class Periods:
    partition: bool  # `periods` (each hour once) or `windows` (may overlap)
    charge: Lit
    season: Lit | None
    doc: Text | None
    condition: Condition | None
    lines: tuple[PeriodLine, ...]
    span: Span = span_field()


@node
class Demand:
    minutes: Lit
    doc: Text | None
    option: Lit | None = None  # `or 5 minutes by INPUT`: the City's alternative interval
    option_input: Lit | None = None
    span: Span = span_field()


@node
class Adjustment:
    kind: str  # "discount" | "surcharge"
    name: Lit
    percent: Lit
    charges: tuple[Lit, ...]
    condition: Condition
    doc: Text | None
    scaled: tuple[Lit, Lit, Lit] | None = None  # for each STEP% INPUT below THRESHOLD%
    span: Span = span_field()


@node
class Exempt:
    charge: Lit
    condition: Condition
    doc: Text | None
    span: Span = span_field()


@node
class Minimum:
    charge: Lit | None
    amount: Lit | None
    unit: str | None
    doc: Text | None
    condition: Condition | None = None
    span: Span = span_field()


# ------------------------------------------------------------------ schedules and versions
@node
class DemandCredit:
    """`credit CHARGE[, CHARGE] [in WINDOW] by INPUT [refused "reason"] [when COND] "words"`: the
    standby sections' Maximum Demand credit (E-4 D.7.d(1) ...)."""

    charges: tuple[Lit, ...]
    window: Lit | None
    input: Lit
    refused: Text | None
    condition: Condition | None
    doc: Text | None
    span: Span = span_field()


@node
class LimitHistory:
    """How a `limit` is judged over usage history: `for MONTHS consecutive months in WINDOW`
    (kind "sustained") or `per year` (kind "per_year", the usage of 12 months added up)."""

    kind: str  # "sustained" | "per_year"
    months: Lit | None = None
    window: Lit | None = None
    span: Span = span_field()


@node
class Limit:
    quantity: Lit
    low: Lit | None
    high: Lit | None
    unit: str
    doc: Text | None
    history: LimitHistory | None = None
    condition: Condition | None = None
    span: Span = span_field()


@node
class Input:
    name: Lit
    type: str  # "flag" | "count" | "number" | "choice" | "unit"
    unit: str | None
    choices: tuple[Lit, ...]
    doc: Text | None
    span: Span = span_field()


@node
class Header:
    """A schedule header line: utility, class, calendar, applicability, territory."""

    kind: str
    value: Lit | Text
    span: Span = span_field()


@node
class Schedule:
    id: Lit
    title: Text
    statements: tuple  # header statements and rules, in order
    span: Span = span_field()


@node
class Row:
    keys: tuple[Lit, ...]
    label: Text | None
    cells: tuple[Lit, ...]  # "-" for blank
    total: Lit | None
    span: Span = span_field()


@node
class Band:
    key: Lit
    label: Text | None
    open_low: bool
    low: Lit
    high: Lit  # "inf" for no upper bound
    open_high: bool
    value: Lit
    span: Span = span_field()


@node
class Charge:
    name: Lit
    label: Text | None
    unit: str
    on: Lit | None
    credit: bool = False  # `credit` written: the charge is a credit
    condition: Condition | None
    value: Lit | None = None  # one-line fixed charge
    columns: tuple[Lit, ...] = ()
    total_column: Lit | None = None
    rows: tuple[Row, ...] = ()
    band_input: Lit | None = None
    bands: tuple[Band, ...] = ()
    span: Span = span_field()


@node
class PassThrough:
    name: Lit
    label: Text | None
    unit: str
    low: Lit | None  # None: a pass-through with no printed range
    high: Lit | None
    span: Span = span_field()


@node
class Declared:
    """`unresolved` (kind "unresolved") or `discrepancy KIND` with a path and a reason."""

    kind: str
    path: tuple[Lit, ...]
    reason: Text
    span: Span = span_field()


@node
class Ends:
    """`ends DATE "reason"`: the last day a version is known to apply is the day before DATE."""

    date: Lit
    reason: Text
    span: Span = span_field()


@node
class Version:
    effective: Lit
    supersedes: Lit | None
    statements: tuple
    span: Span = span_field()


# ------------------------------------------------------------------ fees (E-16 E., E-14 D.6)
@node
class FeeRow:
    """One priced item of a fee table (`ft_1 "(A) 1 ft. of usable space" 47.60`)."""

    key: Lit
    label: Text | None
    amount: Lit
    span: Span = span_field()


@node
class Fee:
    """`fee NAME "label" ...`: a miscellaneous fee billed on a declared count, size or amount.

    kind "fixed" (one amount, `on` input or the fee's name), "table" (rows, each billed on the
    input `NAME.ROW`), "percent" (`PERCENT per month of INPUT`), "refused" (`refused "reason"`)."""

    kind: str
    name: Lit
    label: Text | None
    unit: Lit | None = None  # ft | pole (fixed, table)
    term: str | None = None  # "per year" | "per month" | "once" | "per month" (percent)
    amount: Lit | None = None  # fixed amount, or the percentage of a percent fee
    on: Lit | None = None  # fixed: the input billed on; percent: the amount input
    rows: tuple[FeeRow, ...] = ()
    reason: Text | None = None  # refused
    span: Span = span_field()


@node
class Index:
    """`index FEE, FEE by INPUT "words"`: the fees are adjusted by the ratio given as INPUT."""

    fees: tuple[Lit, ...]
    input: Lit
    doc: Text | None
    span: Span = span_field()


@node
class YearlyFees:
    """`yearly_fees monthly 12 "words"`: a per-year fee is billed as one 12th of it a month."""

    divisor: Lit
    doc: Text | None
    span: Span = span_field()


# ------------------------------------------------------------------ references and estimates (E-16)
@node
class Reference:
    """`charge NAME "label" per UNIT as SCHEDULE CHARGE [gaps "reason"]`."""

    name: Lit
    label: Text | None
    unit: str
    schedule: Lit
    charge: Lit
    gaps: Text | None
    span: Span = span_field()


@node
class EstimateStep:
    """`times INPUT UNIT "words"` or `divided_by NUMBER UNIT "words"` (the first step: `INPUT UNIT`)."""

    kind: str  # "input" | "times" | "divided_by"
    operand: Lit  # an input name or a number
    unit: tuple[Lit, Lit | None]  # unit [per unit]
    doc: Text | None
    span: Span = span_field()


@node
class Estimate:
    """`estimate kwh "words"` and its steps: the bill's quantity computed from inputs."""

    quantity: Lit
    doc: Text | None
    steps: tuple[EstimateStep, ...]
    span: Span = span_field()


@node
class Bound:
    """`bound INPUT up_to NUMBER UNIT "words"`: the rates apply only up to this value of the input."""

    input: Lit
    high: Lit
    unit: tuple[Lit, Lit | None]
    doc: Text | None
    span: Span = span_field()


# ------------------------------------------------------------------ published staff tables
@node
class PublishedRow:
    schedule: Lit
    path: tuple[Lit, ...]
    values: tuple[Lit, ...]
    span: Span = span_field()


@node
class PublishedDiscrepancy:
    schedule: Lit
    path: tuple[Lit, ...]
    reason: Text
    span: Span = span_field()


@node
class Published:
    title: Text
    caption: Text | None
    source: Source | None
    columns: tuple[Lit, ...]
    rows: tuple[PublishedRow, ...]
    discrepancies: tuple[PublishedDiscrepancy, ...]
    notes: tuple[Note, ...]
    span: Span = span_field()


@node
class File:
    path: str
    items: tuple  # Calendar | Schedule | Version | Published
