"""Reference interpreter of charges priced by another schedule (E-16 C.2) and the kWh estimate
(E-16 D.a): day by day. Each day of the bill carries 1/days of its kWh, priced by the referenced
version in effect that day, in that version's season. The compiled functions
(codegen/references.py) group the days; the differential test holds the two equal.
"""

from __future__ import annotations

from fractions import Fraction

from tariffc.compiler import ir
from tariffc.compiler.runtime import BillInputError, Line
from tariffc.compiler.runtime import calendar as cal


def bill_kwh(v: ir.Version, inputs, values: dict, days: list, month) -> Fraction:
    """The bill's kWh: given, or estimated (watts x hours a year / 1000 / 12 a month x the bill's months)."""
    est = v.rules.estimate
    if est is None or est.quantity != "kwh":
        if inputs.kwh is None:
            raise BillInputError("kwh", "not given", "needed by a charge priced by another schedule")
        return Fraction(inputs.kwh)
    if inputs.kwh is not None:
        if any(values.get(name) for name in est.inputs()):
            raise BillInputError("kwh", inputs.kwh, "give the kWh or the inventory, not both")
        return Fraction(inputs.kwh)
    x = Fraction(1)
    for step in est.steps:
        if step.kind == "divided_by":
            x /= step.value
        else:
            if step.operand not in values:
                raise BillInputError(step.operand, "not given", "the estimate of the bill's kWh needs it")
            x *= Fraction(values[step.operand])
    return x * sum((month(d) for d in days), Fraction(0))


def reference_lines(v: ir.Version, my_days: list, n: int, kwh) -> list[Line]:
    out: list[Line] = []
    for ref in v.references:
        q: dict = {}
        for day in my_days:
            target = ref.target_on(day)
            if target is None:
                raise BillInputError("start", my_days[0].isoformat(), f"{ref.schedule} has no version on {day}")
            key = (target.version, cal.season_of(target.seasons, day))
            q[key] = q.get(key, Fraction(0)) + kwh() / n
        for (version, season), quantity in q.items():
            if not quantity:
                continue
            target = next(t for t in ref.targets if t.version == version)
            row = next((r for r in target.rows if r.keys == (season,)), None) or \
                next((r for r in target.rows if r.keys == ("all",)), None)
            if row is None:
                raise BillInputError("start", my_days[0].isoformat(), f"no row for {season}")
            parts = [(c, x.value) for c, x in row.components if x is not None]
            for component, rate in parts:
                out.append(Line(ref.name, component, quantity, ref.unit, rate, quantity * rate, "", "", v.label,
                                row.keys))
            if row.total is not None and row.total.value != sum(r for _, r in parts):
                diff = row.total.value - sum(r for _, r in parts)
                out.append(Line(ref.name, "discrepancy", quantity, ref.unit, diff, quantity * diff, "", "", v.label,
                                row.keys))
    return out
