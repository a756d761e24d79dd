"""References and estimates (E-16 C.2 and D.a) → IR, the estimate's units proven.

    charge energy "C.2 Energy Charge" per kWh as E-2 energy gaps "reason"   # version statement
    estimate kwh "D. …"                                                      # rule
      total_watts W "1. Total Wattage."
      times annual_hours h per year "2. …"
      divided_by 1000 Wh per kWh "3. …"
      divided_by 12 month per year "4. …"

An estimate's unit is tracked as exponents of base units (Wh is W·h; kWh, h, year, month are their
own): the first step and each `times` add their operand's exponents, each `divided_by` subtracts
them; the result must be the unit of the quantity estimated (kWh per month), else T247 shows the unit
it comes to. A reference is linked to the referenced schedule's versions once every schedule is
lowered (lower/links.py).
"""

from __future__ import annotations

from fractions import Fraction

from tariffc.compiler import ir
from tariffc.compiler.lower import values
from tariffc.compiler.lower.context import Lowering
from tariffc.dsl import ast

BASE = {"W": {"W": 1}, "Wh": {"W": 1, "h": 1}, "kWh": {"kWh": 1}, "h": {"h": 1}, "year": {"year": 1},
        "month": {"month": 1}}
TARGET = {"kwh": ({"kWh": 1, "month": -1}, "kWh per month")}
QUANTITY_OF_UNIT = {"kWh": "kwh"}


def reference(lx: Lowering, node: ast.Reference) -> ir.Reference:
    """`charge NAME per kWh as SCHEDULE CHARGE`: T245 for a unit other than kWh (its targets: links.py)."""
    label = node.label.value if node.label else node.name.text.replace("_", " ")
    quantity = QUANTITY_OF_UNIT.get(node.unit)
    if quantity is None:
        lx.err("T245", f"charge '{node.name.text}' refers to {node.schedule.text} {node.charge.text} per "
                       f"{node.unit}; a reference is priced per kWh", node.span,
               hint="a reference bills kWh at another schedule's energy rates (`per kWh as E-2 energy`)")
        quantity = "kwh"
    return ir.Reference(name=node.name.text, label=label, unit=node.unit, quantity=quantity,
                        schedule=node.schedule.text, charge=node.charge.text, gaps=values.doc(node.gaps),
                        section=f"C. Unbundled rates › {label}", span=node.span)


def estimate(lx: Lowering, stmt: ast.Estimate, merge) -> None:
    """`estimate QUANTITY`: replaces the estimate (the last one wins); T247 when its units do not come
    to the quantity's unit a month, or it divides by a number that is not positive."""
    steps = []
    for step in stmt.steps:
        value = None
        if step.kind == "divided_by":
            value = Fraction(step.operand.text)
            if value <= 0:
                lx.err("T247", f"an estimate cannot divide by {step.operand.text}", step.operand.span,
                       hint="divide by the sheet's positive constant (1000 Wh per kWh, 12 month per year)")
                value = Fraction(1)
        steps.append(ir.EstimateStep(kind=step.kind, operand=step.operand.text, value=value, unit=_unit(step),
                                     doc=values.doc(step.doc), span=step.span))
    quantity = stmt.quantity.text
    result = {k: v for k, v in exponents(steps).items() if v}
    wanted, words = TARGET.get(quantity, (None, None))
    if wanted is None:
        lx.err("T247", f"cannot estimate '{quantity}'", stmt.quantity.span, hint="`estimate kwh` (E-16 D.a)")
    elif result != wanted:
        lx.err("T247", f"the estimate of {quantity} comes to {unit_text(result)}, not {words}", stmt.span,
               "the first line and each `times` multiply by their unit, each `divided_by` divides by it",
               hint="a monthly kWh from watts and hours a year: times h per year, divided_by 1000 Wh per kWh, "
                    "divided_by 12 month per year")
    merge.fields["estimate"] = ir.Estimate(quantity=quantity, steps=tuple(steps), doc=values.doc(stmt.doc),
                                           span=stmt.span)


def bound(lx: Lowering, stmt: ast.Bound, merge) -> None:
    """`bound INPUT up_to N UNIT`: replaces the inherited bound of the same input."""
    item = ir.Bound(input=stmt.input.text, high=values.number(stmt.high),
                    unit=(stmt.unit[0].text, stmt.unit[1].text if stmt.unit[1] else None), doc=values.doc(stmt.doc),
                    span=stmt.span)
    merge.fields["bounds"] = tuple(b for b in merge.fields["bounds"] if b.input != item.input) + (item,)


def _unit(step: ast.EstimateStep) -> tuple[str, str | None]:
    return step.unit[0].text, step.unit[1].text if step.unit[1] else None


def exponents(steps) -> dict[str, int]:
    """The unit the steps come to, as exponents of the base units."""
    out: dict[str, int] = {}
    for step in steps:
        sign = -1 if step.kind == "divided_by" else 1
        top, bottom = step.unit
        for name, power in ((top, sign), (bottom, -sign)):
            for base, exponent in BASE[name].items() if name is not None else ():
                out[base] = out.get(base, 0) + exponent * power
    return out


def unit_text(units: dict) -> str:
    """`kWh per month`, `W h per year`: the positive exponents, then `per` the negative ones."""
    def names(sign):
        return " ".join(f"{b}^{abs(e)}" if abs(e) != 1 else b for b, e in sorted(units.items()) if e * sign > 0)
    top, bottom = names(1) or "1", names(-1)
    return f"{top} per {bottom}" if bottom else top
