"""VectorBills: the results of one vectorised call, and the scalar path's `Bill` for any element."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from math import lcm

import numpy as np

from tariffc.compiler.vector import _scalar
from tariffc.compiler.vector._scalar import Bill, Line, decimal_text
from tariffc.compiler.runtime.vector import QArray, total as q_total

RULES = "D. Special notes"


class VectorBills:
    """Bills of C customers x B billing periods (one schedule, one call).

    - ``shape``: (C, B); ``periods``: the B (start, end) dates.
    - ``den`` (int) and ``exact_num`` (int64, or object after the overflow fallback), shape (C, B):
      the exact total before rounding is ``exact_num / den`` dollars.
    - ``total_units`` (int64 (C, B)): the rounded total in units of ``step`` (``Decimal('0.01')``:
      cents), rounded once by the schedule's billing rule.
    - ``by_charge``: line charge name → numerator over ``den`` (C, B); they add up to ``exact_num``.
    - ``total(c, b)`` → Decimal, ``total_exact(c, b)`` → Fraction, ``charge(name, c, b)`` → Fraction,
      ``bill(c, b)`` → the `Bill` (every line) the scalar bill function returns for the same input.
    """

    def __init__(self, evaluation):
        ev = evaluation
        self._ev = ev
        self.schedule = ev.sid
        self.periods = [(b.start, b.end) for b in ev.s.bills]
        self.shape = ev.source.shape
        self.step = ev.memo.get("step") or ev.memo.setdefault("step", _scalar.decimal_step(ev.step))
        self.mode = ev.mode
        units = ev.units
        self.total_units = units if getattr(units, "shape", None) == self.shape else np.broadcast_to(units, self.shape)
        self._den = None

    @property
    def fallback(self) -> bool:
        """Whether some amount left int64 for Python ints (the overflow guard; still exact)."""
        ev = self._ev
        return ev.total.fallback or any(q.fallback for q in ev.amounts.values())

    # the exact amounts over one denominator, made when first asked for
    @property
    def den(self) -> int:
        if self._den is None:
            ev = self._ev
            self._den = int(lcm(ev.total.den, *(q.den for q in ev.amounts.values() if q.bound)))
        return self._den

    @property
    def exact_num(self) -> np.ndarray:
        if not hasattr(self, "_exact"):
            total = self._ev.total
            self._exact = np.broadcast_to(total.to_den(self.den).num if total.bound else np.zeros((), np.int64),
                                          self.shape)
        return self._exact

    @property
    def by_charge(self) -> dict[str, np.ndarray]:
        if not hasattr(self, "_by_charge"):
            self._by_charge = {name: np.broadcast_to(q.to_den(self.den).num if q.bound else np.zeros((), np.int64),
                                                     self.shape) for name, q in self._ev.amounts.items()}
        return self._by_charge

    def total(self, c: int, b: int) -> Decimal:
        return (Decimal(int(self.total_units[c, b])) * self.step).quantize(self.step)

    def total_exact(self, c: int, b: int) -> Fraction:
        fraction = getattr(self._ev, "fraction", None)  # a plan keeps a denominator per bill
        if fraction is not None:
            return fraction(c, b)
        return Fraction(int(self.exact_num[c, b]), self.den)

    def charge(self, name: str, c: int, b: int) -> Fraction:
        return Fraction(int(self.by_charge[name][c, b]), self.den)

    def totals_decimal(self) -> np.ndarray:
        out = np.empty(self.shape, dtype=object)
        for c in range(self.shape[0]):
            for b in range(self.shape[1]):
                out[c, b] = self.total(c, b)
        return out

    # ------------------------------------------------------------ the scalar path's Bill
    def bill(self, c: int, b: int) -> Bill:
        ev = self._ev
        s = ev.s
        shape = s.bills[b]
        path = s.schedule.path
        at = (c, b)
        lines: list[Line] = []
        for v, _ in shape.parts:
            version = s.versions[v]
            label = version.label
            mine: list[Line] = []
            for record in ev.records[v]:
                kind = record[0]
                if kind == "charge":
                    _, charge, cq, rows, order = record
                    for key in sorted(rows, key=order.__getitem__):
                        q = cq.q[key].at(at)
                        if q:
                            mine.extend(_row_lines(path, label, charge, rows[key], q))
                elif kind == "band":
                    _, charge, band, months = record
                    q = months.at(at)
                    rate = band.value.value
                    amount = q * rate
                    mine.append(Line(charge.name, charge.name, q, "month", rate, -amount if charge.credit else amount,
                                     _src(path, band.span), f"{charge.section} › {band.key}", label, (band.key,)))
                elif kind == "pass":
                    _, p, q, price = record
                    qv = q.at(at)
                    mine.append(Line(p.name, p.name, qv, p.unit, price, qv * price, _src(path, p.span),
                                     f"C. Unbundled rates › {p.label}", label, ("all",),
                                     "pass-through price given as input"))
                elif kind == "adj":
                    _, adj, base, rate = record
                    bv = base.at(at)
                    if bv:
                        mine.append(Line(adj.name, adj.kind, bv, "$", rate, bv * rate, _src(path, adj.span),
                                         f"{RULES} › {adj.kind} {adj.name}", label, tuple(adj.charges),
                                         f"{_scalar.decimal_of(adj.percent)}% of {', '.join(adj.charges)}"))
                elif kind == "min":
                    _, rule, floor, subtotal = record
                    fv, sv = floor.at(at), subtotal.at(at)
                    if sv < fv:
                        if rule.charge is not None:
                            what = f"the {rule.charge} charge"
                        elif rule.unit == "day":
                            days = sum(seg.days for pv, segs in shape.parts if pv == v for seg in segs)
                            what = f"{_scalar.decimal_of(rule.amount)} per day x {days} days"
                        else:
                            what = f"{_scalar.decimal_of(rule.amount)} per month"
                        short = fv - sv
                        mine.append(Line("minimum", "minimum", Fraction(1), "bill", short, short,
                                         _src(path, rule.span), f"{RULES} › minimum", label, ("all",),
                                         f"minimum bill {decimal_text(fv)} ({what}); charges {decimal_text(sv)}"))
            lines.extend(mine)
        step = self.step
        return Bill(schedule=self.schedule, versions=tuple(s.versions[v].label for v, _ in shape.parts),
                    start=shape.start, end=shape.end, lines=tuple(lines), total_exact=self.total_exact(c, b),
                    total=self.total(c, b), rounding=f"total {self.mode} {step}")


def _src(path: str, span) -> str:
    return f"{span.path or path}:{span.line}"


def _row_lines(path, label, charge, row, q: Fraction) -> list[Line]:
    """As the scalar `row_lines`: one line per printed component, and the declared discrepancy."""
    sign = -1 if charge.credit else 1
    source = _src(path, row.span)
    out = []
    parts = Fraction(0)
    for component, value in row.components:
        if value is None:
            continue
        rate = value.value
        parts += rate
        out.append(Line(charge.name, component, q, charge.unit, rate, sign * q * rate, source, row.section, label,
                        tuple(row.keys)))
    if row.total is not None and row.total.value != parts:
        diff = row.total.value - parts
        out.append(Line(charge.name, "discrepancy", q, charge.unit, diff, sign * q * diff, source, row.section, label,
                        tuple(row.keys), f"printed total {_scalar.decimal_of(row.total)} differs from the sum of its "
                                         f"components {decimal_text(parts)}; the printed total is billed"))
    return out


__all__ = ["VectorBills", "QArray", "q_total"]
