"""Exact numbers for bills, and the one rounding rule.

A bill's arithmetic runs in `Decimal` under `EXACT`, a context that traps `Inexact` and `Rounded`:
any operation whose result would not be exact raises instead of rounding. Divisions (proration by
days, months of a period) go through `div`, which returns a `Decimal` when the quotient terminates
and an exact rational `Q` otherwise. `Q` is a `Fraction` that also takes `Decimal` operands, so
code written once with `Decimal` constants stays exact when a share such as 17/31 enters it.
Nothing passes through a float.
"""

from __future__ import annotations

import decimal
from decimal import (ROUND_CEILING, ROUND_DOWN, ROUND_FLOOR, ROUND_HALF_EVEN, ROUND_HALF_UP, ROUND_UP,
                     Decimal)
from fractions import Fraction
from functools import lru_cache

D = Decimal

#: Rounding modes a `rounding` rule may name → the decimal module's constants.
ROUNDING = {"half_up": ROUND_HALF_UP, "half_even": ROUND_HALF_EVEN, "down": ROUND_DOWN, "up": ROUND_UP,
            "floor": ROUND_FLOOR, "ceiling": ROUND_CEILING}

#: The context bill arithmetic runs in: 80 digits (inputs are bounded to 16 significant digits and
#: rates to 12, see `inputs.MAX_DIGITS`), and every rounding is an error, never silent.
EXACT = decimal.Context(prec=80, rounding=ROUND_HALF_EVEN, Emax=999, Emin=-999,
                        traps=[decimal.Inexact, decimal.Rounded, decimal.InvalidOperation,
                               decimal.DivisionByZero, decimal.Overflow])


def _fraction(x):
    return Fraction(x) if isinstance(x, Decimal) else x


class Q(Fraction):
    """An exact rational that mixes with `Decimal` (a `Decimal` operand is converted exactly).

    Results of arithmetic are `Q` again, so a prorated quantity stays exact through every product
    and sum a generated bill function writes."""

    __slots__ = ()

    def __add__(self, other):
        return Q(Fraction.__add__(self, _fraction(other)))

    def __radd__(self, other):
        return Q(Fraction.__radd__(self, _fraction(other)))

    def __sub__(self, other):
        return Q(Fraction.__sub__(self, _fraction(other)))

    def __rsub__(self, other):
        return Q(Fraction.__rsub__(self, _fraction(other)))

    def __mul__(self, other):
        return Q(Fraction.__mul__(self, _fraction(other)))

    def __rmul__(self, other):
        return Q(Fraction.__rmul__(self, _fraction(other)))

    def __truediv__(self, other):
        return Q(Fraction.__truediv__(self, _fraction(other)))

    def __rtruediv__(self, other):
        return Q(Fraction.__rtruediv__(self, _fraction(other)))

    def __neg__(self):
        return Q(Fraction.__neg__(self))

    def __pos__(self):
        return self

    def __abs__(self):
        return Q(Fraction.__abs__(self))


def div(a, b):
    """a / b exactly: a `Decimal` when the quotient terminates within `EXACT`, else a `Q`."""
    if isinstance(a, Fraction) or isinstance(b, Fraction):
        return Q(_fraction(a)) / _fraction(b)
    try:
        return EXACT.divide(Decimal(a), Decimal(b))
    except (decimal.Inexact, decimal.Rounded):
        return Q(Fraction(a)) / Fraction(b)


def exact(value) -> Fraction:
    """Decimal, int, Fraction or a decimal string → Fraction (floats are refused)."""
    if isinstance(value, float):
        raise TypeError("floats are not exact; pass a Decimal, a Fraction, an int or a string")
    if isinstance(value, Fraction):
        return value
    return Fraction(value)


def round_to(value, step, mode: str) -> Fraction:
    """Round `value` to a multiple of `step` by `mode` (half_up: halves away from zero).

    The one rounding function: tier allowances and bill totals both use it."""
    q = Fraction(value) / Fraction(step)
    floor = q.numerator // q.denominator
    rest = q - floor
    if rest == 0:
        n = floor
    elif mode == "down":
        n = floor if q >= 0 else floor + 1
    elif mode == "up":
        n = floor + 1 if q >= 0 else floor
    elif mode == "floor":
        n = floor
    elif mode == "ceiling":
        n = floor + 1
    elif mode == "half_up":
        n = floor + 1 if (rest > Fraction(1, 2) or (rest == Fraction(1, 2) and q > 0)) else floor
    elif mode == "half_even":
        n = floor + 1 if rest > Fraction(1, 2) or (rest == Fraction(1, 2) and floor % 2 == 1) else floor
    else:
        raise ValueError(f"unknown rounding mode {mode!r}")
    return n * Fraction(step)


def rounded(value, step, mode: str):
    """`round_to` for bill arithmetic (a rounded tier allowance): the same rounding, as a `Decimal`
    (a multiple of a decimal step always terminates)."""
    r = round_to(value, step, mode)
    return Decimal(r.numerator) / Decimal(r.denominator) if r.denominator != 1 else Decimal(r.numerator)


@lru_cache(maxsize=None)
def _power_of_ten(step: Decimal) -> bool:
    return step.as_tuple().digits == (1,)


def round_total(value, step: Decimal, mode: str) -> Decimal:
    """A bill total rounded once, as the billing rule says (`rounding total MODE STEP`): a Decimal
    with the step's places. Fast path: a Decimal total quantized by the decimal module, which
    rounds the same way as `round_to` for a power-of-ten step."""
    if isinstance(value, Decimal) and _power_of_ten(step) and mode in ROUNDING:
        return value.quantize(step, rounding=ROUNDING[mode], context=EXACT_QUANTIZE)
    rounded = round_to(value, step, mode)
    return (Decimal(rounded.numerator) / Decimal(rounded.denominator)).quantize(step, context=EXACT_QUANTIZE)


#: quantize must be allowed to round (that is its job) but never to lose digits beyond the step.
EXACT_QUANTIZE = decimal.Context(prec=80, traps=[decimal.InvalidOperation, decimal.Overflow])


def decimal_text(value, places: int = 10) -> str:
    """An exact value as a decimal string: exact when it terminates, else rounded half-up to `places`."""
    value = Fraction(value)
    digits, scaled = 0, value
    while scaled.denominator != 1 and digits < places:
        scaled *= 10
        digits += 1
    if scaled.denominator != 1:
        scaled = round_to(scaled, Fraction(1), "half_up")
    return format(Decimal(scaled.numerator).scaleb(-digits), "f")


def money(value, places: int = 2) -> str:
    """For display only: a value rounded half-up to `places` decimals."""
    r = round_to(Fraction(value), Fraction(1, 10 ** places), "half_up")
    return format(Decimal(r.numerator) / Decimal(r.denominator), f".{places}f")


def as_decimal(value: Fraction) -> Decimal:
    """A Fraction as a Decimal (the context's precision for one that does not terminate)."""
    return Decimal(value.numerator) / Decimal(value.denominator)


def text_of(value: Fraction) -> str:
    """A rate as tables print it: `0.19461`, `5`, no exponent (rates, checks, the site)."""
    return format(as_decimal(value).normalize(), "f") if value.denominator != 1 else str(value.numerator)
