"""A `bound INPUT up_to N UNIT` (E-14 D.3: burning hours "not exceeding 4,100 hours per year") bounds a
bill input that exists, in the unit the input is read in, by a positive amount the unit can hold.

- T249: the bounded name is not a bill input: a measured quantity (kwh, kw, therms, days …; their
  limits are `limit` lines of A. Applicability), or a name the schedule has nowhere else that is
  close to one of its inputs (a typo: the bound would bound nothing a bill gives).
- T250: the unit disagrees with how the input is read: an `input` declared as a flag, choice, count,
  plain number or another unit, an `estimate` step reading it in another unit, a fee billed on it.
- T251: the bound is not positive, or more than its unit can hold (hours per year above 8,784 =
  366 x 24, hours per month above 744): no bill could reach the sheet's words.
- An input bounded twice in one block is T306 at lowering (lower/rules.py), as every repeated rule.
"""

from __future__ import annotations

import difflib

from tariffc.compiler import ir
from tariffc.compiler.lower.values import MEASURED
from tariffc.compiler.runtime.inputs import HOURS_IN
from tariffc.dsl.diagnostics import error


def _readers(schedule: ir.Schedule) -> dict[str, tuple[str, str, int]]:
    """Every name a bill input is read as, besides bounds: {name: (how it is read, its unit, line)}."""
    out: dict[str, tuple[str, str, int]] = {}
    for i in schedule.inputs:
        kind = f"declared in {i.unit}" if i.type == "unit" else f"declared as a {i.type}"
        out.setdefault(i.name, (kind, i.unit if i.type == "unit" else i.type, i.span.line))
    for v in schedule.versions:
        estimate = v.rules.estimate
        for step in estimate.steps if estimate is not None else ():
            if step.kind != "divided_by":
                unit = step.unit[0] + (f" per {step.unit[1]}" if step.unit[1] else "")
                out.setdefault(step.operand, (f"read by `estimate {estimate.quantity}` in {unit}", unit,
                                              step.span.line))
        for fee in v.fees:
            for row in fee.rows:
                out.setdefault(row.input, (f"billed by fee '{fee.name}' ({fee.per})", fee.per, row.span.line))
    return out


def bounds_agree(schedule: ir.Schedule):
    readers = _readers(schedule)
    seen = set()
    for version in schedule.versions:
        for bound in version.rules.bounds:
            if bound.span in seen:  # a schedule-level bound is in every version's rules
                continue
            seen.add(bound.span)
            yield from _bound(bound, readers)


def _bound(bound: ir.Bound, readers):
    name, unit = bound.input, bound.unit_text
    if name in MEASURED:
        yield error("T249", f"`bound {name}` bounds a measured quantity, not a bill input", bound.span,
                    "a bound limits an input the customer's contract gives (E-14 D.3: burning hours a year)",
                    hint=f"an A. Applicability range of {name} is a `limit` line")
        return
    found = readers.get(name)
    if found is None:
        close = difflib.get_close_matches(name, list(readers), n=1, cutoff=0.8)
        if close:
            yield error("T249", f"`bound {name}` names an input the schedule reads nowhere", bound.span,
                        f"input '{close[0]}' is {readers[close[0]][0]} at line {readers[close[0]][2]}",
                        hint=f"did you mean `bound {close[0]}`?")
    elif found[1] != unit:
        yield error("T250", f"`bound {name}` is in {unit}, but input '{name}' is {found[0]}", bound.span,
                    f"input '{name}' is {found[0]} at line {found[2]}",
                    hint="bound it in the unit it is read in (an input that only a bound reads needs no `input` "
                         "line: the bound declares it, in the bound's unit)")
    high = bound.high.value
    most = HOURS_IN.get(bound.unit[1]) if bound.unit[0] == "h" else None
    if high <= 0:
        yield error("T251", f"`bound {name}` is {bound.high.text} {unit}: a bound must be more than 0",
                    bound.span, "every bill giving the input would be refused",
                    hint="write the sheet's figure (E-14 D.3: up_to 4100 h per year)")
    elif most is not None and high > most[0]:
        yield error("T251", f"`bound {name}` is {bound.high.text} {unit}, more than the unit can hold", bound.span,
                    most[1], hint="write the sheet's figure (E-14 D.3: up_to 4100 h per year)")
