"""What generated bill modules import, and only that: exact numbers, bill inputs, the Bill, input
errors, the records a generated version function returns, and `compute_bill` (the shared bill
semantics, in `bill_engine`).

Money and quantities are exact: constants arrive as `Decimal('0.10373')` written from the source
text and are turned into `Fraction` at once; nothing passes through a float.
"""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_DOWN, ROUND_FLOOR, ROUND_HALF_EVEN, ROUND_HALF_UP, ROUND_UP, Decimal
from fractions import Fraction

D = Decimal
date = dt.date

ROUNDING = {"half_up": ROUND_HALF_UP, "half_even": ROUND_HALF_EVEN, "down": ROUND_DOWN, "up": ROUND_UP,
            "floor": ROUND_FLOOR, "ceiling": ROUND_CEILING}


# ------------------------------------------------------------------ exact numbers
def exact(value) -> Fraction:
    """Decimal, int, Fraction or a decimal string → Fraction (floats are refused)."""
    if isinstance(value, float):
        raise TypeError("floats are not exact; pass a Decimal, a Fraction, an int or a string")
    if isinstance(value, Fraction):
        return value
    return Fraction(value)


def round_to(value: Fraction, step: Fraction, mode: str) -> Fraction:
    """Round `value` to a multiple of `step` by `mode` (half_up: halves away from zero)."""
    q = Fraction(value) / Fraction(step)
    floor = q.numerator // q.denominator
    rest = q - floor
    if rest == 0:
        n = floor
    elif mode == "down":
        n = floor if q >= 0 else floor + 1
    elif mode == "up":
        n = floor + 1 if q >= 0 else floor
    elif mode == "half_up":
        n = floor + 1 if (rest > Fraction(1, 2) or (rest == Fraction(1, 2) and q > 0)) else floor
    elif mode == "half_even":
        n = floor + 1 if rest > Fraction(1, 2) or (rest == Fraction(1, 2) and floor % 2 == 1) else floor
    else:
        raise ValueError(f"unknown rounding mode {mode!r}")
    return n * Fraction(step)


def decimal_text(value: Fraction, places: int = 10) -> str:
    """A Fraction as a decimal string: exact when it terminates, else rounded half-up to `places`."""
    value = Fraction(value)
    digits, scaled = 0, value
    while scaled.denominator != 1 and digits < places:
        scaled *= 10
        digits += 1
    if scaled.denominator != 1:
        scaled = round_to(scaled, Fraction(1), "half_up")
    return format(Decimal(scaled.numerator).scaleb(-digits), "f")


def money(value: Fraction, places: int = 2) -> str:
    """For display only: a value rounded half-up to `places` decimals."""
    r = round_to(Fraction(value), Fraction(1, 10 ** places), "half_up")
    return format(Decimal(r.numerator) / Decimal(r.denominator), f".{places}f")


# ------------------------------------------------------------------ errors and inputs
class BillInputError(ValueError):
    """Bill input that cannot be billed: names the field and the value."""

    def __init__(self, field_name: str, value, message: str):
        self.field = field_name
        self.value = value
        self.message = message
        super().__init__(f"{field_name} = {value}: {message}")


@dataclass(frozen=True)
class Interval:
    """One interval of metered energy: `start` is timezone-aware; `seconds` long; `kwh` delivered."""

    start: dt.datetime
    seconds: int
    kwh: Fraction


@dataclass(frozen=True)
class BillInputs:
    start: dt.date
    end: dt.date
    kwh: Fraction | None = None
    kw: Fraction | None = None
    therms: Fraction | None = None
    exported_kwh: Fraction | None = None
    intervals: tuple[Interval, ...] | None = None
    values: dict = field(default_factory=dict)  # named inputs, already typed (flag → bool, …)

    @property
    def days(self) -> int:
        return (self.end - self.start).days


# ------------------------------------------------------------------ the bill
@dataclass(frozen=True)
class Line:
    charge: str
    component: str
    quantity: Fraction
    unit: str
    rate: Fraction
    amount: Fraction
    source: str  # "file:line"
    section: str
    version: str
    key: tuple[str, ...] = ()
    note: str = ""

    def as_json(self) -> dict:
        return {"charge": self.charge, "component": self.component, "key": list(self.key),
                "quantity": decimal_text(self.quantity), "unit": self.unit, "rate": decimal_text(self.rate),
                "amount": decimal_text(self.amount), "version": self.version, "source": self.source,
                "section": self.section, **({"note": self.note} if self.note else {})}


@dataclass(frozen=True)
class Bill:
    schedule: str
    versions: tuple[str, ...]
    start: dt.date
    end: dt.date
    lines: tuple[Line, ...]
    total_exact: Fraction
    total: Decimal
    rounding: str

    @property
    def days(self) -> int:
        return (self.end - self.start).days

    def by_component(self) -> dict[str, Fraction]:
        out: dict[str, Fraction] = OrderedDict()
        for line in self.lines:
            out[line.component] = out.get(line.component, Fraction(0)) + line.amount
        return dict(out)

    def by_charge(self) -> dict[str, Fraction]:
        out: dict[str, Fraction] = OrderedDict()
        for line in self.lines:
            out[line.charge] = out.get(line.charge, Fraction(0)) + line.amount
        return dict(out)

    def as_json(self) -> dict:
        return {"schedule": self.schedule, "versions": list(self.versions), "start": self.start.isoformat(),
                "end": self.end.isoformat(), "days": self.days, "lines": [x.as_json() for x in self.lines],
                "total_exact": decimal_text(self.total_exact), "total": str(self.total),
                "rounding": self.rounding}


# ------------------------------------------------------------------ records a generated module builds
@dataclass(frozen=True)
class Cond:
    kind: str  # "flag" | "not" | "is"
    input: str
    value: str | None = None


@dataclass(frozen=True)
class Holiday:
    month: int
    day: int | None = None
    ordinal: int | None = None
    weekday: int | None = None
    observed: str = "none"
    name: str = ""
    relative_to: str | None = None  # another holiday's name: `offset_days` from its observed date
    offset_days: int = 0


@dataclass(frozen=True)
class Calendar:
    timezone: str
    holidays: tuple[Holiday, ...]


@dataclass(frozen=True)
class InputSpec:
    name: str
    type: str  # flag | count | number | choice | unit
    unit: str | None = None
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class Billing:
    max_days: int
    monthly_charges: str
    divisor: int
    rounding_mode: str
    rounding_step: Decimal


@dataclass(frozen=True)
class Season:
    name: str
    start: tuple[int, int]
    end: tuple[int, int]


@dataclass(frozen=True)
class Allowance:
    amount: Decimal
    per_days: int
    season: str | None


@dataclass(frozen=True)
class Tier:
    name: str
    allowances: tuple[Allowance, ...]


@dataclass(frozen=True)
class Tiers:
    quantity: str
    tiers: tuple[Tier, ...]
    round_step: Decimal | None
    round_mode: str | None
    loc: int


@dataclass(frozen=True)
class Clause:
    kind: str  # days | otherwise | always
    weekdays: frozenset = frozenset()
    holidays_only: bool = False
    hours: tuple[tuple[int, int], ...] = ((0, 1440),)
    except_holidays: bool = False


@dataclass(frozen=True)
class Period:
    name: str
    clauses: tuple[Clause, ...]


@dataclass(frozen=True)
class PeriodSet:
    partition: bool
    charge: str
    season: str | None
    periods: tuple[Period, ...]
    when: Cond | None
    loc: int


@dataclass(frozen=True)
class Row:
    key: tuple[str, ...]
    parts: tuple[tuple[str, Decimal | None], ...]
    total: Decimal | None
    loc: int


@dataclass(frozen=True)
class Band:
    key: str
    low: Decimal
    low_closed: bool
    high: Decimal | None
    high_closed: bool
    value: Decimal
    loc: int

    def contains(self, x: Fraction) -> bool:
        above = x >= Fraction(self.low) if self.low_closed else x > Fraction(self.low)
        if self.high is None:
            return above
        return above and (x <= Fraction(self.high) if self.high_closed else x < Fraction(self.high))


@dataclass(frozen=True)
class Charge:
    name: str
    unit: str
    on: str
    credit: bool
    when: Cond | None
    rows: tuple[Row, ...]
    loc: int
    band_input: str | None = None
    bands: tuple[Band, ...] = ()


@dataclass(frozen=True)
class PassThrough:
    name: str
    unit: str
    minimum: Decimal | None
    maximum: Decimal | None
    loc: int


@dataclass(frozen=True)
class Adjustment:
    kind: str  # discount | surcharge
    name: str
    percent: Decimal
    charges: tuple[str, ...]
    when: Cond
    loc: int
    step: Decimal | None = None
    step_input: str | None = None
    threshold: Decimal | None = None


@dataclass(frozen=True)
class Exemption:
    charge: str
    when: Cond
    loc: int


@dataclass(frozen=True)
class Minimum:
    charge: str | None
    amount: Decimal | None
    unit: str | None
    when: Cond | None
    loc: int


@dataclass(frozen=True)
class Version:
    effective: dt.date
    ends: dt.date | None
    billing: Billing
    seasons: tuple[Season, ...] = ()
    prorate_seasons: bool = False
    prorate_versions: bool = False
    demand_minutes: int | None = None
    tiers: tuple[Tiers, ...] = ()
    periods: tuple[PeriodSet, ...] = ()
    charges: tuple[Charge, ...] = ()
    passthroughs: tuple[PassThrough, ...] = ()
    adjustments: tuple[Adjustment, ...] = ()
    exemptions: tuple[Exemption, ...] = ()
    minimum: Minimum | None = None

    @property
    def label(self) -> str:
        return self.effective.isoformat()


@dataclass(frozen=True)
class Schedule:
    """What `compute_bill` needs about a schedule besides its versions."""

    id: str
    calendar: Calendar
    inputs: tuple[InputSpec, ...]
    loc: dict  # line id → ("file:line", "section")


def compute_bill(schedule: Schedule, versions: tuple[Version, ...], inputs: BillInputs) -> Bill:
    """The shared bill semantics (see `bill_engine`)."""
    from tariffc.compiler.bill_engine import compute  # noqa: PLC0415 - keeps this module's surface small

    return compute(schedule, versions, inputs)
