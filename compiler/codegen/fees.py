"""The fee lines of a version function: E-16 E. miscellaneous rates, E-14 D.6, E-16 F.'s index.

Written after the minimum bill (a fee is not part of the net monthly bill the minimum is about),
one block per `fee` in the sheet's order:

- per year: input x unit, `q = x × part.months / N` unit-years (`yearly_fees monthly N`), q × rate;
- per month: `q = x × part.months`, q × rate;
- once: billed in the bill's first part only (a one-time fee is not prorated), q = x;
- percent per month of an amount input: `q = $ × part.months`, q × percent / 100;
- refused: the input given and not 0 → BillInputError with the sheet's reason;
- an input of another version's fee row that this version does not have → refused, naming it;
- `index FEE… by INPUT`: one line `(ratio - 1) × the indexed fee lines of this part`, the ratio
  required (BillInputError naming the input and why) as soon as such a line exists.

The reference interpreter computes the same lines day by day (compiler/interpret/fees.py).
"""

from __future__ import annotations

import re

from tariffc.compiler import runtime as rt

from .names import safe_comment
from .values import decimal

UNIT_OF_TERM = {"year": "{}-year", "month": "{}-month", "once": "{}"}


def quantity_unit(fee) -> str:
    """The unit of a fee line's quantity: ft-year, pole-year, pole, $-month."""
    return UNIT_OF_TERM[fee.term].format(fee.unit)


def emit_fees(em) -> None:
    """Write the fee lines of `em.version` (a VersionEmitter) at the end of its function."""
    version, rules, w = em.version, em.version.rules, em.w
    for bound in rules.bounds:
        here = em.loc(bound.span, f"D. Special notes › bound {bound.input}")
        why = (f"the rates of schedule {em.schedule.id} apply up to {bound.high.text} {bound.unit_text} of {bound.input} "
               f"(line {bound.span.line}: {bound.doc or 'bound'})")
        w.line("")
        w.line(f"if b.value({bound.input!r}) > D({bound.high.text!r}):  # bound, line {bound.span.line}", here)
        w.indent()
        w.line(f"raise rt.BillInputError({bound.input!r}, rt.decimal_text(b.value({bound.input!r})), {why!r})", here)
        w.dedent()
    others = [name for v in em.schedule.versions if v is not version for f in v.fees for name in f.inputs()]
    mine = {name for f in version.fees for name in f.inputs()}
    missing = sorted(set(others) - mine)
    if not version.fees and not missing:
        return
    w.line("")
    w.line("fees = len(lines)  # the fees follow the net monthly bill (and its minimum)")
    for name in missing:
        here = em.loc(version.span, f"version {version.label}")
        why = f"version {version.label} of schedule {em.schedule.id} has no fee billed on it"
        w.line(f"if b.value({name!r}):  # a fee row of another version", here)
        w.indent()
        w.line(f"raise rt.BillInputError({name!r}, rt.decimal_text(b.value({name!r})), {why!r})", here)
        w.dedent()
    for fee in version.fees:
        _fee(em, fee, rules)
    for index in rules.indexes:
        _index(em, index)


def _fee(em, fee, rules) -> None:
    w = em.w
    here = em.loc(fee.span, fee.section)
    w.line("")
    w.line(f"# fee {safe_comment(fee.name)}: {safe_comment(fee.per)}  (line {fee.span.line})", here)
    if fee.kind == "refused":
        why = (f"fee '{fee.label}' cannot be billed: {fee.reason} (a declared refusal, the sheet gives no amount); "
               f"leave {fee.refused_input} out or 0")
        w.line(f"if b.value({fee.refused_input!r}):", here)
        w.indent()
        w.line(f"raise rt.BillInputError({fee.refused_input!r}, rt.decimal_text(b.value({fee.refused_input!r})), "
               f"{why!r})", here)
        w.dedent()
        return
    if fee.term == "once":
        w.line("if part.index == 0:  # a one-time fee: billed once, at the rate of the bill's first day", here)
        w.indent()
    unit = quantity_unit(fee)
    for row in fee.rows:
        rloc = em.loc(row.span, f"{fee.section} › {row.key}" if row.key != "all" else fee.section)
        w.line(f"x = b.value({row.input!r})", rloc)
        w.line("if x:", rloc)
        w.indent()
        if fee.term == "year":
            divisor = rules.yearly_fees.divisor
            w.line(f"q = rt.div(x * part.months, {divisor})  # one {divisor}th of the yearly fee a month "
                   f"(yearly_fees, line {rules.yearly_fees.span.line})", em.loc(rules.yearly_fees.span,
                                                                                  "yearly fees"))
        elif fee.term == "month":
            w.line("q = x * part.months", rloc)
        else:
            w.line("q = x", rloc)
        value = decimal(row.rate)
        if fee.kind == "percent":
            value = rt.div(value, 100)
        ref = em.rate(f"{fee.name}_{row.key}", value, row.span.line)
        note = f"{row.rate.text}% of the amount a month" if fee.kind == "percent" else ""
        w.line(f"lines.append(({fee.name!r}, 'fee', q, {unit!r}, {ref}, q * {ref}, {rloc}, V, {(row.key,)!r}, "
               f"{note!r}))  # line {row.span.line}", rloc)
        w.dedent()
    if fee.term == "once":
        w.dedent()


def cited(doc: str | None, default: str) -> str:
    """A rule's sheet words cited by their section, not repeated whole: the label before the first
    colon ("F. NOTES"), when the words start with one; else `default`."""
    head, colon, _ = (doc or "").partition(":")
    return head.strip() if colon and 0 < len(head.strip()) <= 40 else default


def defined(doc: str | None, name: str) -> str:
    """` = DEFINITION` when the rule's words define `name` in a parenthesis, `(NAME = …)` (E-16 F.:
    "(cpi_ratio = CPI-U of the later December / CPI-U of the base-year December.)"); else ''."""
    found = re.search(rf"\(\s*{re.escape(name)}\s*=\s*([^()]{{1,120}}?)\.?\s*\)", doc or "")
    return f" = {found.group(1).strip()}" if found else ""


def _index(em, index) -> None:
    w = em.w
    here = em.loc(index.span, f"D. Special notes › index {index.input}")
    w.line("")
    w.line(f"# index {safe_comment(', '.join(index.fees))} by {safe_comment(index.input)}  (line {index.span.line})",
           here)
    w.line(f"base = b.sum(fees, len(lines), {index.fees!r})", here)
    w.line("if base:", here)
    w.indent()
    why = (f"the fees {', '.join(index.fees)} are adjusted by the index ratio {index.input}"
           f"{defined(index.doc, index.input)} ({cited(index.doc, 'index')}), 1 in the base year")
    w.line(f"rate = b.need({index.input!r}, {why!r}) - 1", here)
    w.line("if rate:", here)
    w.indent()
    note = f"index {index.input} - 1 applied to {', '.join(index.fees)}"
    w.line(f"lines.append(({index.input!r}, 'index', base, '$', rate, base * rate, {here}, V, {index.fees!r}, "
           f"{note!r}))", here)
    w.dedent()
    w.dedent()
