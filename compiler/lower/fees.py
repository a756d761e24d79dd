"""Fees (E-16 E. miscellaneous rates, E-14 D.6) → ir.Fee; the yearly-fee rule and E-16 F.'s index.

    fee conduit_license "E.1 License Fee for Electric Conduit Usage" per ft per year
      exclusive "(A) Exclusive use" 1.94            # billed on the input conduit_license.exclusive (ft)
    fee pole_processing "E.4 ..." 152.00 per pole once      # on the input pole_processing (poles)
    fee conduit_processing "E.2 ..." refused "Actual Cost"  # a bill asking for it is refused
    fee cpau_ownership "D.6 ..." 1.25% per month of cpau_contribution   # $ input

`fee` is a version statement (versions.VERSION_STATEMENTS); `yearly_fees` and `index` are rules
(rules.RULES), merged as their handlers say.
"""

from __future__ import annotations

import attrs

from tariffc.compiler import ir
from tariffc.compiler.lower import values
from tariffc.compiler.lower.context import Lowering
from tariffc.dsl import ast

SECTION_FEES = "Fees"  # E-16 E. Miscellaneous rates, E-14 D.6
TERMS = {"per year": "year", "per month": "month", "once": "once"}


def fee(lx: Lowering, node: ast.Fee) -> ir.Fee:
    """One `fee` statement as an `ir.Fee` (inputs named, amounts exact); T306 for a row written twice."""
    name = node.name.text
    label = node.label.value if node.label else name.replace("_", " ")
    section = f"{SECTION_FEES} › {label}"
    rows: list[ir.FeeRow] = []
    if node.kind == "fixed":
        rows.append(ir.FeeRow(key="all", label=None, rate=values.number(node.amount),
                              input=node.on.text if node.on else name, span=node.amount.span))
    elif node.kind == "table":
        seen: dict[str, int] = {}
        for row in node.rows:
            key = row.key.text
            if key in seen:
                lx.err("T306", f"row '{key}' appears twice in fee '{name}'", row.span,
                       f"first written at line {seen[key]}")
                continue
            seen[key] = row.span.line
            rows.append(ir.FeeRow(key=key, label=row.label.value if row.label else None,
                                  rate=values.number(row.amount), input=f"{name}.{key}", span=row.span))
    elif node.kind == "percent":
        rows.append(ir.FeeRow(key="all", label=None, rate=values.number(node.amount), input=node.on.text,
                              span=node.amount.span))
    return ir.Fee(kind=node.kind, name=name, label=label,
                  unit="$" if node.kind == "percent" else (node.unit.text if node.unit else None),
                  term=TERMS.get(node.term) if node.term else None, rows=tuple(rows),
                  reason=node.reason.value if node.reason else None,
                  refused_input=name if node.kind == "refused" else None, section=section, span=node.span)


def yearly_fees(lx: Lowering, stmt: ast.YearlyFees, merge) -> None:
    """`yearly_fees monthly N`: replaces how a per-year fee meets a monthly bill (the last one wins)."""
    divisor = values.positive_integer(lx, stmt.divisor, "a yearly-fee divisor")
    merge.fields["yearly_fees"] = ir.YearlyFees(divisor=divisor, doc=values.doc(stmt.doc), span=stmt.span)


def index(lx: Lowering, stmt: ast.Index, merge) -> None:
    """`index FEE, … by INPUT`: the named fees are indexed by INPUT from here on. An inherited index
    loses only these fees (its other fees stay indexed as before); a fee indexed twice in one
    statement list is T306 (which ratio applies would depend on the order of the lines)."""
    fees = tuple(f.text for f in stmt.fees)
    for name, token in zip(fees, stmt.fees):
        first = merge.index_lines.get(name)
        if first is not None:
            lx.err("T306", f"fee '{name}' is indexed twice in this block", token.span,
                   f"first indexed at line {first}", hint="keep one `index` statement per fee")
    merge.index_lines.update({name: stmt.span.line for name in fees})
    kept = []
    for inherited in merge.fields["indexes"]:
        rest = tuple(f for f in inherited.fees if f not in fees)
        if rest == inherited.fees:
            kept.append(inherited)
        elif rest:
            kept.append(attrs.evolve(inherited, fees=rest))
    merge.fields["indexes"] = tuple(kept) + (ir.Index(fees=fees, input=stmt.input.text, doc=values.doc(stmt.doc),
                                                      span=stmt.span),)
