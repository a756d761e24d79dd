"""Exact rational arrays in integer fixed point, with an overflow guard.

A `Q` is `num / den`: `num` an integer numpy array (int64, or Python ints in an object array after a
fallback), `den` a positive Python int shared by every element, `bound` a Python int with
``abs(num) <= bound`` element-wise.

Exactness argument (the invariant and why it holds):

* Every input enters as integers with an exact scale (Wh → ``Q(wh, 1000)`` is exactly kWh; a rate
  printed ``0.14087`` enters as ``Fraction('0.14087')``, i.e. ``14087/100000``), and `bound` is the
  true maximum of ``abs(num)`` (measured) or a proven upper limit.
* Every operation is exact integer arithmetic on numerators once the operands share a denominator:
  ``a/d + b/d = (a+b)/d``; ``(a/d)(p/q) = ap/(dq)``; ``min(a/d, b/d) = min(a,b)/d``; comparisons of
  ``a/d`` and ``b/d`` compare ``a`` and ``b``. Bringing ``a/d`` to ``L = lcm(d, e)`` multiplies ``a``
  by the integer ``L/d``.
* The result's `bound` is derived from the operands' bounds by the triangle inequality
  (``|a*k| <= bound_a*|k|``, ``|a+b| <= bound_a + bound_b``, ``|a*b| <= bound_a*bound_b``). Before an
  operation runs in int64, `_fits` checks that this bound is at most ``2**63 - 1``; every
  intermediate value of the operation is bounded by the result bound (sums of non-cancelling
  terms are bounded by the sum of their bounds), so no int64 operation can wrap. If the bound does
  not fit, the operands are converted to object arrays of Python ints (unbounded) first: the result
  is still exact, only slower, and `Q.fallback` records that it happened.
* Division happens once, at the end: `round_units` rounds ``num/den`` to a multiple of the step in
  integer arithmetic (floor division and remainder), with the same rule as `runtime.round_to`.

So every amount equals, as a rational number, what the scalar bill function computes with
`Fraction`; the only rounding is the schedule's one rounding of the total.
"""

from __future__ import annotations

from fractions import Fraction
from math import gcd, lcm

import numpy as np

LIMIT = 2**63 - 1


def _fits(bound: int) -> bool:
    return bound <= LIMIT


def _obj(num):
    return num if num.dtype == object else num.astype(object)


def as_int_array(num) -> np.ndarray:
    arr = np.asarray(num)
    if arr.dtype == object:
        return arr
    if arr.dtype.kind not in "iu":
        raise TypeError(f"expected an integer array, got dtype {arr.dtype}")
    return arr.astype(np.int64, copy=False)


class Q:
    """An exact rational array ``num / den`` (see the module docstring for the invariant)."""

    __slots__ = ("num", "den", "bound")

    def __init__(self, num, den: int = 1, bound: int | None = None):
        if bound is not None and type(num) is np.ndarray and (num.dtype == np.int64 or num.dtype == object) \
                and type(den) is int and den > 0:
            self.num, self.den, self.bound = num, den, bound  # internal results: already checked
            if bound > LIMIT and num.dtype != object:
                self.num = num.astype(object)
            return
        num = as_int_array(num)
        if bound is None:
            bound = int(np.abs(num).max()) if num.size else 0
        self.num, self.den, self.bound = num, int(den), int(bound)
        if self.den <= 0:
            raise ValueError("den must be positive")
        if not _fits(self.bound) and self.num.dtype != object:
            self.num = _obj(self.num)

    # ------------------------------------------------------------ construction
    @classmethod
    def const(cls, value) -> Q:
        f = Fraction(value)
        return cls(np.array(f.numerator if abs(f.numerator) <= LIMIT else f.numerator, dtype=np.int64
                            if abs(f.numerator) <= LIMIT else object), f.denominator, abs(f.numerator))

    @classmethod
    def zero(cls) -> Q:
        return cls(np.zeros((), dtype=np.int64), 1, 0)

    @property
    def fallback(self) -> bool:
        return self.num.dtype == object

    # ------------------------------------------------------------ scaling
    def to_den(self, den: int) -> Q:
        """The same values over `den` (a multiple of `self.den`)."""
        if den == self.den:
            return self
        k = den // self.den
        if k * self.den != den:
            raise ValueError("not a multiple of the denominator")
        bound = self.bound * k
        num = self.num if _fits(bound) else _obj(self.num)
        return Q(num * k, den, bound)

    # ------------------------------------------------------------ arithmetic
    def __add__(self, other: Q) -> Q:
        if other.bound == 0:
            return self
        if self.bound == 0:
            return other
        den = lcm(self.den, other.den)
        ka, kb = den // self.den, den // other.den
        bound = self.bound * ka + other.bound * kb
        a, b = self.num, other.num
        if not _fits(bound):
            a, b = _obj(a), _obj(b)
        return Q((a * ka if ka != 1 else a) + (b * kb if kb != 1 else b), den, bound)

    def __neg__(self) -> Q:
        return Q(-self.num, self.den, self.bound)

    def __sub__(self, other: Q) -> Q:
        return self + (-other)

    def times(self, value) -> Q:
        """Multiply by an exact scalar (Fraction, int, Decimal)."""
        if type(value) is int:
            p, q = value, 1
        else:
            f = value if type(value) is Fraction else Fraction(value)
            p, q = f.numerator, f.denominator
        if p == 0 or self.bound == 0:
            return Q(np.zeros_like(self.num, dtype=np.int64) if self.num.dtype != object else self.num * 0, 1, 0)
        g = gcd(p, self.den)  # cancel what the denominator allows: keeps numbers small
        p, den = p // g, self.den // g * q
        bound = self.bound * abs(p)
        num = self.num if _fits(bound) else _obj(self.num)
        return Q(num * p if p != 1 else num, den, bound)

    def __mul__(self, other: Q) -> Q:
        bound = self.bound * other.bound
        a, b = self.num, other.num
        if not _fits(bound):
            a, b = _obj(a), _obj(b)
        return Q(a * b, self.den * other.den, bound)

    # ------------------------------------------------------------ order
    def _common(self, other: Q):
        den = lcm(self.den, other.den)
        return self.to_den(den), other.to_den(den), den

    def minimum(self, other: Q) -> Q:
        a, b, den = self._common(other)
        an, bn = (a.num, b.num) if a.num.dtype == b.num.dtype else (_obj(a.num), _obj(b.num))
        return Q(np.minimum(an, bn), den, max(a.bound, b.bound))

    def maximum(self, other: Q) -> Q:
        a, b, den = self._common(other)
        an, bn = (a.num, b.num) if a.num.dtype == b.num.dtype else (_obj(a.num), _obj(b.num))
        return Q(np.maximum(an, bn), den, max(a.bound, b.bound))

    def less(self, other: Q) -> np.ndarray:
        a, b, _ = self._common(other)
        return a.num < b.num

    def where(self, mask, other: Q) -> Q:
        """`self` where mask, else `other`."""
        a, b, den = self._common(other)
        an, bn = (a.num, b.num) if a.num.dtype == b.num.dtype else (_obj(a.num), _obj(b.num))
        return Q(np.where(mask, an, bn), den, max(a.bound, b.bound))

    def nonzero(self) -> np.ndarray:
        return self.num != 0

    def at(self, index) -> Fraction:
        """One element as a Fraction (broadcast dimensions are allowed to be missing)."""
        num = self.num
        if num.ndim == 0:
            return Fraction(int(num), self.den)
        if num.ndim < len(index):
            index = index[len(index) - num.ndim:]
        return Fraction(int(num[tuple(index)]), self.den)

    def broadcast(self, shape) -> Q:
        return Q(np.broadcast_to(self.num, shape), self.den, self.bound)


def total(items) -> Q:
    """Sum of Q values over their common denominator (one lcm, one scaling of each)."""
    items = [q for q in items if q.bound]
    if not items:
        return Q.zero()
    out = items[0]
    for q in items[1:]:
        out = out + q
    return out


def round_units(value: Q, step: Fraction, mode: str) -> np.ndarray:
    """`value` rounded to a multiple of `step`, returned as the integer count of steps (int64 or
    object), by the rule of `runtime.round_to`: half_up rounds halves away from zero, half_even to
    the even count, down toward zero, up away from zero."""
    step = Fraction(step)
    # value/step = num * step.den / (den * step.num) = a / b
    scaled = value.times(step.denominator)
    a, b = scaled.num, scaled.den * step.numerator
    if not _fits(2 * b) or not _fits(scaled.bound + b):
        a = _obj(a)
    floor = a // b
    rest = a - floor * b  # 0 <= rest < b
    exact = rest == 0
    if mode == "down":
        n = np.where(exact | (a >= 0), floor, floor + 1)
    elif mode == "up":
        n = np.where(exact | (a < 0), floor, floor + 1)
    elif mode == "half_up":
        twice = rest * 2
        n = np.where((twice > b) | ((twice == b) & (a > 0)), floor + 1, floor)
    elif mode == "half_even":
        twice = rest * 2
        n = np.where((twice > b) | ((twice == b) & (floor % 2 == 1)), floor + 1, floor)
    else:
        raise ValueError(f"unknown rounding mode {mode!r}")
    return n
