"""Numpy primitives of the vectorised exact backend (`tariffc.compiler.vector`), beside the runtime:
exact rational arrays in integer fixed point with an overflow guard, and time grids classified
once (local time from the zone's transitions, local days, period tables and runs). Imports only
the standard library, numpy and `runtime/zones.py`; the runtime package does not import this module.

Exact rational arrays
---------------------
Exact rational arrays in integer fixed point, with an overflow guard.

A `QArray` is `num / den`: `num` an integer numpy array (int64, or Python ints in an object array after a
fallback), `den` a positive Python int shared by every element, `bound` a Python int with
``abs(num) <= bound`` element-wise.

Exactness argument (the invariant and why it holds):

* Every input enters as integers with an exact scale (Wh → ``QArray(wh, 1000)`` is exactly kWh; a rate
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
  is still exact, only slower, and `QArray.fallback` records that it happened.
* Division happens once, at the end: `round_units` rounds ``num/den`` to a multiple of the step in
  integer arithmetic (floor division and remainder), with the same rule as `runtime.round_to`.

So every amount equals, as a rational number, what the scalar bill function computes with
`Fraction`; the only rounding is the schedule's one rounding of the total.

Time grids
----------
Time grids classified once: local time from the zone's transitions, local day, minute of the day,
weekday, holiday; then (per schedule) version, season and TOU period or demand windows.

Local time is found without converting each interval: the UTC offset is constant between the
zone's transitions, so the transitions inside the grid are found once (`zone_transitions`, from
`runtime/zones.py`: found once per zone and UTC year), and every interval's offset is a
`searchsorted` into them. Wall-clock minute and local date follow from ``utc + offset``; so a
repeated hour in November and the missing hour in March land exactly where
`datetime.astimezone` puts them (tested against it).
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from math import gcd, lcm
from zoneinfo import ZoneInfo

import numpy as np

from . import zones

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


class QArray:
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
    def const(cls, value) -> QArray:
        f = Fraction(value)
        return cls(np.array(f.numerator if abs(f.numerator) <= LIMIT else f.numerator, dtype=np.int64
                            if abs(f.numerator) <= LIMIT else object), f.denominator, abs(f.numerator))

    @classmethod
    def zero(cls) -> QArray:
        return cls(np.zeros((), dtype=np.int64), 1, 0)

    @property
    def fallback(self) -> bool:
        return self.num.dtype == object

    # ------------------------------------------------------------ scaling
    def to_den(self, den: int) -> QArray:
        """The same values over `den` (a multiple of `self.den`)."""
        if den == self.den:
            return self
        k = den // self.den
        if k * self.den != den:
            raise ValueError("not a multiple of the denominator")
        if self.bound == 0:  # zeros over any denominator (k may not fit in int64)
            return _q(self.num, den, 0)
        bound = self.bound * k
        num = self.num if _fits(bound) else _obj(self.num)
        return _q(num * k, den, bound)

    # ------------------------------------------------------------ arithmetic
    def __add__(self, other: QArray) -> QArray:
        if type(other) is not QArray:
            return NotImplemented  # a symbolic value (vector/plan.py) adds itself
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
        return _q((a * ka if ka != 1 else a) + (b * kb if kb != 1 else b), den, bound)

    def __neg__(self) -> QArray:
        return _q(-self.num, self.den, self.bound)

    def __sub__(self, other: QArray) -> QArray:
        return self + (-other)

    def times(self, value) -> QArray:
        """Multiply by an exact scalar (Fraction, int, Decimal)."""
        if type(value) is int:
            p, q = value, 1
        else:
            f = value if type(value) is Fraction else Fraction(value)
            p, q = f.numerator, f.denominator
        if p == 0 or self.bound == 0:
            return QArray(np.zeros_like(self.num, dtype=np.int64) if self.num.dtype != object else self.num * 0, 1, 0)
        g = gcd(p, self.den)  # cancel what the denominator allows: keeps numbers small
        p, den = p // g, self.den // g * q
        bound = self.bound * abs(p)
        num = self.num if _fits(bound) else _obj(self.num)
        return _q(num * p if p != 1 else num, den, bound)

    def __mul__(self, other: QArray) -> QArray:
        if type(other) is not QArray:
            return NotImplemented
        bound = self.bound * other.bound
        a, b = self.num, other.num
        if not _fits(bound):
            a, b = _obj(a), _obj(b)
        return _q(a * b, self.den * other.den, bound)

    # ------------------------------------------------------------ order
    def _common(self, other: QArray):
        den = lcm(self.den, other.den)
        return self.to_den(den), other.to_den(den), den

    def minimum(self, other: QArray) -> QArray:
        if type(other) is not QArray:
            return other.minimum(self)
        a, b, den = self._common(other)
        an, bn = (a.num, b.num) if a.num.dtype == b.num.dtype else (_obj(a.num), _obj(b.num))
        return QArray(np.minimum(an, bn), den, max(a.bound, b.bound))

    def maximum(self, other: QArray) -> QArray:
        if type(other) is not QArray:
            return other.maximum(self)
        a, b, den = self._common(other)
        an, bn = (a.num, b.num) if a.num.dtype == b.num.dtype else (_obj(a.num), _obj(b.num))
        return QArray(np.maximum(an, bn), den, max(a.bound, b.bound))

    def less(self, other: QArray) -> np.ndarray:
        if type(other) is not QArray:
            return other.greater(self)
        a, b, _ = self._common(other)
        return a.num < b.num

    def where(self, mask, other: QArray) -> QArray:
        """`self` where mask, else `other`."""
        if type(other) is not QArray:
            return other.rwhere(mask, self)
        if not isinstance(mask, (np.ndarray, bool, np.bool_)):
            return mask.tracer.step("where", self, other, mask)
        a, b, den = self._common(other)
        an, bn = (a.num, b.num) if a.num.dtype == b.num.dtype else (_obj(a.num), _obj(b.num))
        return QArray(np.where(mask, an, bn), den, max(a.bound, b.bound))

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

    def broadcast(self, shape) -> QArray:
        return QArray(np.broadcast_to(self.num, shape), self.den, self.bound)


def _q(num, den: int, bound: int) -> QArray:
    """A QArray from an operation's result: `num` is already int64 (bound checked before the
    operation) or Python ints; no checks repeated."""
    q = object.__new__(QArray)
    q.num, q.den, q.bound = num, den, bound
    return q


def total(items) -> QArray:
    """Sum of QArray values over their common denominator (one lcm, one scaling of each)."""
    items = [q for q in items if q.bound]
    if not items:
        return QArray.zero()
    out = items[0]
    for q in items[1:]:
        out = out + q
    return out


def round_units(value: QArray, step: Fraction, mode: str) -> np.ndarray:
    """`value` rounded to a multiple of `step`, returned as the integer count of steps (int64 or
    object), by the rule of `runtime.round_to`: half_up rounds halves away from zero, half_even to
    the even count, down toward zero, up away from zero."""
    return round_ratio(value.num, value.den, value.bound, step, mode)


def round_ratio(num, den, bound: int, step, mode: str) -> np.ndarray:
    """``num / den`` rounded to a multiple of `step` (as `round_units`), as the integer count of
    steps; `den` a positive int or an integer array broadcasting against `num` (a denominator per
    bill), `bound` >= max |num|. int64 when every intermediate fits, else Python ints."""
    step = Fraction(step)
    # value/step = num * step.den / (den * step.num) = a / b
    top = (int(np.abs(den).max()) if den.size else 1) if isinstance(den, np.ndarray) else den
    b = den
    top *= step.numerator
    wide = not _fits(2 * top) or not _fits(2 * bound * step.denominator + top) or num.dtype == object or \
        (isinstance(b, np.ndarray) and b.dtype == object)
    if wide:
        a = _obj(np.asarray(num)) * step.denominator
        b = _obj(b) * step.numerator if isinstance(b, np.ndarray) else b * step.numerator
    else:
        a = num * step.denominator if step.denominator != 1 else num
        b = b * step.numerator if step.numerator != 1 else b
    if mode == "half_up":  # halves away from zero: |n| = floor((2|a| + b) / 2b), the sign of a
        magnitude = (abs(a) * 2 + b) // (b * 2)
        return np.where(a < 0, -magnitude, magnitude)
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


def round_int(a: int, b: int, mode: str) -> int:
    """The integer count of steps `runtime.round_to` gives for the quotient ``a / b`` (b > 0) of
    Python ints: `round_ratio` for one number, without numpy."""
    floor = a // b
    rest = a - floor * b  # 0 <= rest < b
    if rest == 0:
        return floor
    if mode == "half_up":
        return floor + 1 if 2 * rest > b or (2 * rest == b and a > 0) else floor
    if mode == "half_even":
        return floor + 1 if 2 * rest > b or (2 * rest == b and floor % 2 == 1) else floor
    if mode == "down":
        return floor if a >= 0 else floor + 1
    if mode == "up":
        return floor + 1 if a >= 0 else floor
    if mode == "floor":
        return floor
    if mode == "ceiling":
        return floor + 1
    raise ValueError(f"unknown rounding mode {mode!r}")


# ------------------------------------------------------------------ time grids
DAY = 86400
EPOCH = dt.date(1970, 1, 1)


@dataclass(frozen=True)
class TimeGrid:
    """A regular interval grid: interval ``i`` covers ``[start + i*seconds, start + (i+1)*seconds)``
    (UTC epoch seconds); `timezone` is the IANA zone the tariff's clock runs in. Hashable: it is
    the key under which its classification is cached."""

    start: int
    seconds: int
    count: int
    timezone: str = "America/Los_Angeles"

    def __post_init__(self):
        for name in ("start", "seconds", "count"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
                raise TypeError(f"TimeGrid.{name} must be an int, got {value!r}")
        if self.seconds <= 0 or self.count < 0 or self.seconds % 60:
            raise ValueError("TimeGrid.seconds must be a positive whole number of minutes; count >= 0")

    @property
    def end(self) -> int:
        return self.start + self.seconds * self.count

    def starts(self) -> np.ndarray:
        return self.start + self.seconds * np.arange(self.count, dtype=np.int64)


def zone_transitions(timezone: str, t0: int, t1: int) -> tuple[np.ndarray, np.ndarray]:
    """UTC instants in (t0, t1] where the offset changes, and the offsets: ``offsets[0]`` before the
    first instant, ``offsets[i+1]`` from instant ``i`` on (`runtime/zones.py`, as int64 arrays)."""
    instants, offsets = zones.zone_changes(timezone, t0, t1)
    return np.array(instants, dtype=np.int64), np.array(offsets, dtype=np.int64)


def local_seconds(instants: np.ndarray, timezone: str) -> np.ndarray:
    """Local wall-clock seconds since 1970-01-01 00:00 (local) of UTC epoch `instants` (int64)."""
    if instants.size == 0:
        return instants.copy()
    trans, offsets = zone_transitions(timezone, int(instants.min()), int(instants.max()))
    if trans.size == 0:
        return instants + offsets[0]
    return instants + offsets[np.searchsorted(trans, instants, side="right")]


def local_midnight_utc(day: dt.date, timezone: str) -> int:
    """UTC epoch seconds of local 00:00 on `day`."""
    return int(dt.datetime.combine(day, dt.time(0), tzinfo=ZoneInfo(timezone)).timestamp())


def daynum(day: dt.date) -> int:
    return (day - EPOCH).days


def date_of(n: int) -> dt.date:
    return EPOCH + dt.timedelta(days=int(n))


def day_attributes(first: int, last: int, holidays: tuple, holidays_in) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Day numbers first..last, their weekday (Monday = 0) and holiday flag (`holidays_in(holidays,
    year)` gives a year's observed dates: the runtime's calendar function, so both paths agree)."""
    days = np.arange(first, last + 1, dtype=np.int64)
    weekday = _WEEKDAYS[(first + 3) % 7:(first + 3) % 7 + days.size] if days.size <= 7 * 1500 else \
        ((days + 3) % 7).astype(np.int8)  # 1970-01-01 was a Thursday
    marked = [n - first for year in range(date_of(first).year, date_of(last).year + 1)
              for n in _holiday_days(tuple(holidays), year, holidays_in) if first <= n <= last]
    holiday = np.zeros(days.size, dtype=bool)
    if marked:  # a few dates a year: set them by index
        holiday[marked] = True
    return days, weekday, holiday


_WEEKDAYS = np.tile(np.arange(7, dtype=np.int8), 1501)  # Monday = 0, ... repeated: weekdays are a slice
_WEEKDAYS.flags.writeable = False


@lru_cache(maxsize=256)
def _holiday_days(holidays: tuple, year: int, holidays_in) -> tuple[int, ...]:
    """The day numbers of `holidays_in(holidays, year)` (a calendar's facts, found once)."""
    return tuple(daynum(d) for d in holidays_in(holidays, year))


class ClockGoesBack(ValueError):
    """The zone's clock goes back across local midnight inside the grid (America/St_Johns did until
    2011: at 00:01 daylight time back to 23:01 the day before), so the grid's local days are not
    consecutive runs of intervals, which `DayClock` needs. Names the zone, the UTC instant and the
    local times on either side. (A ValueError: callers that fall back to the scalar path on a
    ValueError keep doing so.)"""

    def __init__(self, timezone: str, instant: int, before: int, after: int):
        self.timezone, self.instant = timezone, int(instant)
        self.date = date_of(before // DAY)

        def show(local: int) -> str:
            return (dt.datetime(1970, 1, 1) + dt.timedelta(seconds=int(local))).strftime("%Y-%m-%d %H:%M")

        super().__init__(f"the clock of {timezone} goes back across midnight on {self.date.isoformat()} "
                         f"(at {dt.datetime.fromtimestamp(self.instant, dt.timezone.utc):%Y-%m-%d %H:%M} UTC, "
                         f"from {show(before)} back to {show(after)} local time)")


@dataclass
class DayClock:
    """A grid cut into local days, without a per-interval conversion: day ``d`` (day number
    ``days[d]``) holds intervals ``[first[d], first[d+1])``; on a *regular* day (no offset change
    inside it) interval ``first[d] + j`` starts at local minute ``m0[d] + j * step``; an irregular
    day (a DST change) keeps its minutes in ``minutes[d]``. Per day: weekday, holiday, day class
    (weekday + 7 if a holiday)."""

    days: np.ndarray     # int64 (D,)
    first: np.ndarray    # int64 (D + 1,)
    m0: np.ndarray       # int64 (D,)
    regular: np.ndarray  # bool (D,)
    minutes: dict        # day index -> int64 local minutes of its intervals (irregular days)
    step: int            # minutes per interval
    weekday: np.ndarray  # int8 (D,)
    holiday: np.ndarray  # bool (D,)
    cls: np.ndarray      # int64 (D,)
    end_local: int = 0   # local wall-clock seconds of the grid's end instant
    odd: list | None = None  # the days with intervals that are not whole regular days (None: not listed)


_NEVER = np.iinfo(np.int64).max


def day_clock(grid: TimeGrid, holidays: tuple, holidays_in) -> DayClock:
    """Cut `grid` into local days (see DayClock). Local time is UTC plus the zone's offset, found
    from its transitions; between two transitions the offset is constant, so interval ``i`` is at
    local ``start + offset + i * seconds`` and, when the interval divides a day, the days of that
    stretch start every ``86400 / seconds`` intervals: each stretch's days are one arithmetic
    progression (its first day, possibly part of a day, worked out alone). A day holding a
    transition is irregular and keeps its intervals' local minutes. The local day never goes
    backwards (checked at each transition, else ClockGoesBack). A grid whose interval does not
    divide a day, or a zone that skips a whole local day, is cut by `_day_clock_search`."""
    n, sec, start = grid.count, grid.seconds, grid.start
    if n == 0 or DAY % sec:
        return _day_clock_search(grid, holidays, holidays_in)
    trans, offsets = zone_transitions(grid.timezone, start, max(grid.end, start + 1))
    tr, offs = trans.tolist(), offsets.tolist()

    def local_at(index: int) -> int:  # the local wall-clock seconds of one interval
        u = start + index * sec
        return u + offs[bisect_right(tr, u)]

    for t in tr:  # the local day must not go back at a transition
        i = (t - start + sec - 1) // sec
        if 0 < i < n and local_at(i) // DAY < local_at(i - 1) // DAY:
            raise ClockGoesBack(grid.timezone, t, local_at(i - 1), local_at(i))
    per = DAY // sec
    d0 = local_at(0) // DAY
    bounds = [0] + [min(max(-((start - t) // sec), 0), n) for t in tr] + [n]  # each stretch's first interval
    # per stretch of one offset: its first day alone (it may begin in the stretch before), then a
    # progression of days `per` intervals apart, all starting at the same minute
    lead, lead_first, lead_m0 = [], [], []  # (day index, first interval, minute) of each stretch's first day
    prog = []  # (first day index, days, first interval of the first, minute) of each progression
    irregular = []
    last = d0 - 1  # the last local day seen
    for k, o in enumerate(offs):
        ia, ib = bounds[k], bounds[k + 1]
        if ia >= ib:
            continue
        base = start + o  # interval i is at local base + i * sec
        d, db = (base + ia * sec) // DAY, (base + (ib - 1) * sec) // DAY
        if d == last:
            irregular.append(d - d0)  # the day holds a transition: its first interval is already known
            d += 1
        elif d != last + 1:
            return _day_clock_search(grid, holidays, holidays_in)  # a local day skipped (or gone back)
        if d <= db:
            c = -((base - d * DAY) // sec)  # ceil: the first interval at or after local midnight of d
            i = max(ia, c)
            lead.append(d - d0)
            lead_first.append(i)
            lead_m0.append((base + i * sec) % DAY // 60)
            if d < db:
                prog.append((d + 1 - d0, db - d, c + per, (base + (c + per) * sec) % DAY // 60))
        last = max(last, db)
    D = last - d0 + 1
    first = np.empty(D + 1, dtype=np.int64)
    m0 = np.empty(D, dtype=np.int64)
    for a, k, i, m in prog:  # a handful of stretches
        first[a:a + k] = np.arange(i, i + k * per, per, dtype=np.int64)
        m0[a:a + k] = m
    first[lead] = lead_first
    m0[lead] = lead_m0
    first[D] = n
    regular = np.ones(D, dtype=bool)
    minutes = {}
    for d in irregular:
        regular[d] = False
        u = start + sec * np.arange(int(first[d]), int(first[d + 1]), dtype=np.int64)
        minutes[d] = (u + offsets[np.searchsorted(trans, u, side="right")]) % DAY // 60
    # the days that are not whole regular days (a transition, a part day, intervals not from minute
    # 0): the irregular days, the stretches' first days and the days before them, the last day,
    # and every day of a progression whose days do not start at minute 0
    odd = set(irregular)
    for a, k, _, m in prog:
        if m != 0:
            odd.update(range(a, a + k))
    for d in {x for d in lead for x in (d - 1, d)} | {D - 1}:
        if 0 <= d < D and d not in odd and (int(m0[d]) != 0 or int(first[d + 1]) - int(first[d]) != per):
            odd.add(d)
    days, weekday, holiday = day_attributes(d0, last, holidays, holidays_in)
    cls = np.add(weekday, 7 * holiday, dtype=np.int64)
    return DayClock(days, first, m0, regular, minutes, sec // 60, weekday, holiday, cls, local_at(n), sorted(odd))


def _day_clock_search(grid: TimeGrid, holidays: tuple, holidays_in) -> DayClock:
    """`day_clock` for any grid: the first interval of every day found by one binary search over
    interval indices for all days at once."""
    n, sec = grid.count, grid.seconds
    trans, offsets = zone_transitions(grid.timezone, grid.start, max(grid.end, grid.start + 1))

    def utc(index):
        return grid.start + np.asarray(index, dtype=np.int64) * sec

    def local(index):
        t = utc(index)
        return t + (offsets[np.searchsorted(trans, t, side="right")] if trans.size else offsets[0])

    if n == 0:
        empty = np.zeros(0, dtype=np.int64)
        return DayClock(empty, np.zeros(1, np.int64), empty, np.zeros(0, bool), {}, sec // 60,
                        np.zeros(0, np.int8), np.zeros(0, bool), empty)
    tr, offs = trans.tolist(), offsets.tolist()

    def local_at(index: int) -> int:  # `local` of one interval, in Python ints
        u = grid.start + index * sec
        return u + offs[bisect_right(tr, u)]

    for t in tr:  # the local day must not go back at a transition
        i = (t - grid.start + sec - 1) // sec
        if 0 < i < n and local_at(i) // DAY < local_at(i - 1) // DAY:
            raise ClockGoesBack(grid.timezone, t, local_at(i - 1), local_at(i))
    d0, d1 = local_at(0) // DAY, local_at(n - 1) // DAY
    targets = np.arange(d0, d1 + 2, dtype=np.int64)
    # the UTC instant of each local midnight: midnight - offset, for the offset in force then (the
    # earliest if the zone repeats midnight)
    at = np.full(targets.size, _NEVER, dtype=np.int64)
    for o in np.unique(offsets).tolist():
        u = targets * DAY - o
        valid = (offsets[np.searchsorted(trans, u, side="right")] if trans.size else offsets[0]) == o
        at = np.where(valid & (u < at), u, at)
    first = np.clip(-((grid.start - at) // sec), 0, n)  # ceil((at - start) / sec)
    gap = at == _NEVER  # midnight skipped by a transition: search those days
    if gap.any():
        lo = np.zeros(int(gap.sum()), dtype=np.int64)
        hi = np.full(lo.size, n, dtype=np.int64)
        want = targets[gap]
        while (lo < hi).any():  # the first interval whose local day is >= the target day
            mid = (lo + hi) // 2
            ok = (local(np.minimum(mid, n - 1)) // DAY >= want) & (mid < n)
            hi = np.where(ok, mid, hi)
            lo = np.where(ok | (lo >= hi), lo, mid + 1)
        first[gap] = lo
    first[0] = 0
    first[-1] = n
    days, weekday, holiday = day_attributes(d0, d1, holidays, holidays_in)
    m0 = (local(np.minimum(first[:-1], n - 1)) % DAY) // 60
    last = np.maximum(first[1:] - 1, first[:-1])
    regular = np.searchsorted(trans, utc(first[:-1]), side="right") == \
        np.searchsorted(trans, utc(last), side="right")
    minutes = {}
    for d in np.flatnonzero(~regular).tolist():
        minutes[d] = (local(np.arange(first[d], first[d + 1], dtype=np.int64)) % DAY) // 60
    cls = weekday.astype(np.int64) + 7 * holiday
    return DayClock(days, first, m0, regular, minutes, sec // 60, weekday, holiday, cls, local_at(n))


def run_starts(values: np.ndarray) -> np.ndarray:
    """Indices where a run of equal values starts (0 included)."""
    out = np.empty(values.size, dtype=bool)
    out[:1] = True
    np.not_equal(values[1:], values[:-1], out=out[1:])
    return np.flatnonzero(out)


def day_runs(clock: DayClock, base: np.ndarray, table: np.ndarray, r: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """Runs of equal table values over the grid (in units of `r` intervals: demand blocks, each
    classified at its first interval), built per day from the day's pattern, never per interval.
    `base` (D,): the flat offset of each day's row in `table` (kind x day class x 1440), or -1 for a
    day outside every bill (one run, value -1). Returns (start of each run, its value), in time
    order; the runs tile the grid."""
    starts, (values,) = day_runs_of(clock, base, (table,), r)
    return starts, values


def day_runs_of(clock: DayClock, base: np.ndarray, tables: tuple, r: int = 1) -> tuple[np.ndarray, list]:
    """`day_runs` of several tables of the same shape at once (the TOU periods of energy and the
    demand windows): one run wherever any table's value changes, so each table's value is constant
    on every run. Returns (start of each run, [each table's value on each run])."""
    starts, values = [], [[] for _ in tables]
    first = clock.first // r
    count = np.diff(first)
    step = clock.step * r
    irregular = np.zeros(base.size, dtype=bool)
    irregular[list(clock.minutes)] = True
    outside = (base < 0) & (count > 0)
    if outside.any():
        starts.append(first[:-1][outside])
        for t, out in zip(tables, values):
            out.append(np.full(int(outside.sum()), -1, dtype=t.dtype))
    regular = np.flatnonzero((base >= 0) & ~irregular & (count > 0))
    if regular.size:
        # a day's runs depend only on its table row, first minute and length: work out each distinct
        # pattern once (a year of days has a few dozen), then place its runs at every day using it
        keys = (base[regular] + clock.m0[regular]) * 4096 + count[regular]
        unique, inverse = np.unique(keys, return_inverse=True)
        inverse = inverse.reshape(-1)
        offset, length = np.divmod(unique, 4096)
        width = int(length.max())
        grid_ = offset[:, None] + step * np.minimum(np.arange(width)[None, :], length[:, None] - 1)
        codes = [t[grid_] for t in tables]  # (patterns, width); a shorter pattern repeats its last value
        change = np.zeros(grid_.shape, dtype=bool)
        change[:, 0] = True
        for c in codes:
            change[:, 1:] |= c[:, 1:] != c[:, :-1]
        change &= np.arange(width)[None, :] < length[:, None]
        p, j = np.nonzero(change)  # row-major: pattern by pattern, cuts in order
        sizes = np.bincount(p, minlength=unique.size)
        begin = np.cumsum(sizes) - sizes
        per_day = sizes[inverse]  # runs of each regular day
        owner = np.repeat(np.arange(regular.size), per_day)
        within = np.arange(owner.size) - np.repeat(np.cumsum(per_day) - per_day, per_day)
        pick = begin[inverse][owner] + within
        starts.append(first[regular][owner] + j[pick])
        for c, out in zip(codes, values):
            out.append(c[p, j][pick])
    for d in np.flatnonzero((base >= 0) & irregular & (count > 0)).tolist():
        at = base[d] + clock.minutes[d][::r]
        codes = [t[at] for t in tables]
        cut = np.zeros(at.size, dtype=bool)
        cut[0] = True
        for c in codes:
            cut[1:] |= c[1:] != c[:-1]
        cut = np.flatnonzero(cut)
        starts.append(first[d] + cut)
        for c, out in zip(codes, values):
            out.append(c[cut])
    if not starts:
        return np.zeros(0, np.int64), [np.zeros(0, t.dtype) for t in tables]
    starts = np.concatenate(starts)
    order = np.argsort(starts, kind="stable")
    return starts[order], [np.concatenate(out)[order] for out in values]


def change_slots(tables: tuple, step: int) -> np.ndarray | None:
    """The slots of a day (of `step` minutes each) at which the value of some row of some table
    (each (..., 1440) by minute of the day, flattened) differs from the slot before, 0 included:
    every table is constant between two of them on every row. None when `step` does not divide a day.
    Depends on the tables only: kept with them (`evaluate.PeriodTables.slots`)."""
    if 1440 % step:
        return None
    per = 1440 // step
    change = np.zeros(per, dtype=bool)
    change[0] = True
    for t in tables:
        at = t.reshape(-1, 1440)[:, ::step]
        change[1:] |= (at[:, 1:] != at[:, :-1]).any(axis=0)
    return np.flatnonzero(change)


#: Days a grid may have that are not whole regular days (DST changes, a grid not starting or ending
#: at local midnight) before `day_runs_by_slots` leaves the grid to `day_runs_of`.
FEW_ODD_DAYS = 16


def day_runs_by_slots(clock: DayClock, base: np.ndarray, tables: tuple, slots: np.ndarray):
    """`day_runs_of(clock, base, tables)` (blocks of one interval) in a few whole-array operations:
    every whole regular day (local midnight to local midnight, no offset change, the grid's
    intervals from minute 0) is cut at the same `slots` (`change_slots` of the tables: every table
    is constant between two of them on every row), so its runs are one broadcast addition; the few
    other days (a DST change, a part day at either end of the grid) are cut interval by interval as
    in `day_runs_of`. The runs may be finer than `day_runs_of`'s (a cut where only another row
    changes); each table is constant on each. Returns (run starts, [each table's value on each run],
    the local day of each run) in time order, tiling the grid; None when more than FEW_ODD_DAYS
    days are not whole regular days (the caller uses `day_runs_of`)."""
    step = clock.step
    per = 1440 // step
    if clock.odd is None:
        count = np.diff(clock.first)
        whole = (count == per) & (clock.m0 == 0) & clock.regular
        odd = np.flatnonzero(~whole & (count > 0)).tolist()
    else:  # (`day_clock` lists them; its days all have intervals)
        odd = clock.odd
        whole = np.ones(clock.m0.size, dtype=bool)
        whole[odd] = False
    if len(odd) > FEW_ODD_DAYS:
        return None
    days = np.flatnonzero(whole)
    starts = (clock.first[days][:, None] + slots[None, :]).reshape(-1)
    row = base[days]  # each day's flat row offset in the tables; < 0: a day in no bill
    outside = np.repeat(row < 0, slots.size) if (row < 0).any() else None
    at = (np.maximum(row, 0)[:, None] + slots[None, :] * step).reshape(-1)
    values = []
    for t in tables:
        v = t[at]
        if outside is not None:
            v[outside] = -1
        values.append(v)
    run_day = np.repeat(days, slots.size)
    if odd:  # every interval of the odd days at once: its day's row plus its minute; a run wherever
        # a table's value or the day changes
        lengths = [int(clock.first[d + 1]) - int(clock.first[d]) for d in odd]
        minutes = np.concatenate([clock.minutes[d] if d in clock.minutes else
                                  clock.m0[d] + step * np.arange(n, dtype=np.int64) for d, n in zip(odd, lengths)])
        index = np.concatenate([np.arange(int(clock.first[d]), int(clock.first[d + 1]), dtype=np.int64) for d in odd])
        day = np.repeat(np.array(odd, dtype=np.int64), lengths)
        row = base[day]
        at = np.maximum(row, 0) + minutes
        codes = [np.where(row >= 0, t[at], -1) for t in tables]
        cut = np.ones(at.size, dtype=bool)
        np.not_equal(day[1:], day[:-1], out=cut[1:])
        for c in codes:
            cut[1:] |= c[1:] != c[:-1]
        cut = np.flatnonzero(cut)
        starts = np.concatenate((starts, index[cut]))
        order = np.argsort(starts, kind="stable")
        starts = starts[order]
        values = [np.concatenate((v, c[cut]))[order] for v, c in zip(values, codes)]
        run_day = np.concatenate((run_day, day[cut]))[order]
    return starts, values, run_day


def month_day_codes(first: int, count: int) -> np.ndarray:
    """month * 100 + day of month of the `count` consecutive day numbers from `first` (int16): a
    slice of a table of the years 1900-2199 (made once), else filled a calendar month at a time."""
    global _MD_TABLE
    if _MD_FIRST <= first and first + count <= _MD_FIRST + _MD_DAYS:
        if _MD_TABLE is None:
            _MD_TABLE = _month_day_fill(_MD_FIRST, _MD_DAYS)
        return _MD_TABLE[first - _MD_FIRST:first - _MD_FIRST + count]
    return _month_day_fill(first, count)


_MD_FIRST = (dt.date(1900, 1, 1) - EPOCH).days
_MD_DAYS = (dt.date(2200, 1, 1) - dt.date(1900, 1, 1)).days
_MD_TABLE = None


def _month_day_fill(first: int, count: int) -> np.ndarray:
    out = np.empty(count, dtype=np.int16)
    day = date_of(first)
    i = 0
    while i < count:
        nxt = dt.date(day.year + (day.month == 12), day.month % 12 + 1, 1)
        k = min((nxt - day).days, count - i)
        out[i:i + k] = _DAY_OF_MONTH[day.day:day.day + k] + day.month * 100
        i += k
        day = nxt
    return out


_DAY_OF_MONTH = np.arange(32, dtype=np.int64)


def month_day(days: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(month 1..12, day of month 1..31) of day numbers."""
    d = days.astype("datetime64[D]")
    m = d.astype("datetime64[M]")
    return (m.astype(np.int64) % 12 + 1), (d - m.astype("datetime64[D]")).astype(np.int64) + 1


# ------------------------------------------------------------------ period tables
def _clause_masks(clause) -> tuple[np.ndarray, np.ndarray] | None:
    """(day classes (14,), minutes (1440,)) where `clause` holds, as `calendar.clause_matches`:
    its table is their outer product; None when it never holds."""
    if clause.kind == "always":
        return np.ones(14, dtype=bool), np.ones(1440, dtype=bool)
    if clause.kind != "days":
        return None
    rows = np.zeros(14, dtype=bool)
    if clause.holidays_only:
        rows[7:] = True
    else:
        for wd in clause.weekdays:
            rows[wd] = True
            if not clause.except_holidays:
                rows[wd + 7] = True
    minutes = np.zeros(1440, dtype=bool)
    for a, b in clause.hours:
        minutes[max(a, 0):min(b, 1440)] = True
    return rows, minutes


def set_matches(period_set, names: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """For (day class = weekday + 7*holiday, minute of the day), (14, 1440): the periods
    `calendar.periods_at` returns for the set as bits of their index in `names` (int64), and the
    first of them (int16, -1: none). A partition gives the first period that matches, else its
    `otherwise` period; a set of windows every window that matches, else its `otherwise` one."""
    bits = np.zeros((14, 1440), dtype=np.int64)
    first = np.full((14, 1440), -1, dtype=np.int16)
    taken = np.zeros((14, 1440), dtype=bool)
    fallback = None
    for period in period_set.periods:
        if any(c.kind == "otherwise" for c in period.clauses):
            fallback = period.name
            continue
        hit = np.zeros((14, 1440), dtype=bool)
        for clause in period.clauses:
            masks = _clause_masks(clause)
            if masks is not None:
                hit |= masks[0][:, None] & masks[1][None, :]
        if period_set.partition:
            hit &= ~taken
        index = names.index(period.name)
        first[hit & ~taken] = index
        bits[hit] |= 1 << index
        taken |= hit
    if fallback is not None:
        index = names.index(fallback)
        first[~taken] = index
        bits[~taken] |= 1 << index
    return bits, first
