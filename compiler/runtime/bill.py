"""A bill and its lines. Every line is exact; the bill's total is rounded once.

`Line` keeps the numbers it was computed with (a `Decimal` when exact as one, else a `Q`) and
shows them as `Fraction`s, so callers see one exact type whatever the path.
"""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from decimal import Decimal
from fractions import Fraction

from .numbers import decimal_text


def _f(x) -> Fraction:
    return x if isinstance(x, Fraction) else Fraction(x)


class Line:
    """One line of a bill: `quantity` (`unit`) × `rate` = `amount`, all exact (`Fraction`).

    `charge`/`component`/`key` name the sheet row and column; `source` is "file:line" of the row
    or rule, `section` its sheet section; `version` the effective date of the version billed."""

    __slots__ = ("charge", "component", "_quantity", "unit", "_rate", "_amount", "source", "section", "version",
                 "key", "note")

    def __init__(self, charge: str, component: str, quantity, unit: str, rate, amount, source: str = "",
                 section: str = "", version: str = "", key: tuple[str, ...] = (), note: str = ""):
        self.charge = charge
        self.component = component
        self._quantity = quantity
        self.unit = unit
        self._rate = rate
        self._amount = amount
        self.source = source
        self.section = section
        self.version = version
        self.key = key
        self.note = note

    quantity = property(lambda self: _f(self._quantity), doc="Quantity billed (Fraction).")
    rate = property(lambda self: _f(self._rate), doc="Rate per unit (Fraction; $ or a fraction for adjustments).")
    amount = property(lambda self: _f(self._amount), doc="quantity × rate (Fraction; negative for a credit).")

    def _tuple(self):
        return (self.charge, self.component, self.quantity, self.unit, self.rate, self.amount, self.source,
                self.section, self.version, self.key, self.note)

    def __eq__(self, other):
        return isinstance(other, Line) and self._tuple() == other._tuple()

    def __hash__(self):
        return hash(self._tuple())

    def __repr__(self):
        return (f"Line({self.charge!r}, {self.component!r}, quantity={decimal_text(self.quantity)}, "
                f"unit={self.unit!r}, rate={decimal_text(self.rate)}, amount={decimal_text(self.amount)}, "
                f"key={self.key!r}, version={self.version!r}, source={self.source!r})")

    def as_json(self) -> dict:
        return {"charge": self.charge, "component": self.component, "key": list(self.key),
                "quantity": decimal_text(self.quantity), "unit": self.unit, "rate": decimal_text(self.rate),
                "amount": decimal_text(self.amount), "version": self.version, "source": self.source,
                "section": self.section, **({"note": self.note} if self.note else {})}


class Bill:
    """A bill for [start, end): its lines, the exact total, and the total rounded once (`total`,
    a Decimal with the rounding step's places) as `rounding` says."""

    __slots__ = ("schedule", "versions", "start", "end", "_lines", "_total_exact", "total", "rounding", "_raw",
                 "_loc")

    def __init__(self, schedule: str, versions: tuple[str, ...], start: dt.date, end: dt.date,
                 lines: tuple[Line, ...] | None, total_exact, total: Decimal, rounding: str, raw=None, loc=None):
        self.schedule = schedule
        self.versions = versions
        self.start = start
        self.end = end
        self._lines = lines
        self._total_exact = total_exact
        self.total = total
        self.rounding = rounding
        self._raw = raw  # lines as generated code writes them, made into Line objects when first read
        self._loc = loc

    @property
    def lines(self) -> tuple[Line, ...]:
        """The bill's lines, in the order the sheet's rules wrote them."""
        if self._lines is None:
            loc = self._loc or {}
            self._lines = tuple(Line(c, comp, q, unit, rate, amount, *loc.get(where, ("", "")), version, key, note)
                                for c, comp, q, unit, rate, amount, where, version, key, note in self._raw)
        return self._lines

    total_exact = property(lambda self: _f(self._total_exact), doc="Sum of the lines, exact (Fraction).")

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

    def __repr__(self):
        return (f"Bill({self.schedule!r}, {self.start.isoformat()}..{self.end.isoformat()}, total={self.total}, "
                f"lines={len(self.lines)})")

    def as_json(self) -> dict:
        return {"schedule": self.schedule, "versions": list(self.versions), "start": self.start.isoformat(),
                "end": self.end.isoformat(), "days": self.days, "lines": [x.as_json() for x in self.lines],
                "total_exact": decimal_text(self.total_exact), "total": str(self.total),
                "rounding": self.rounding}
