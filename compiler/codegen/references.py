"""The lines of a charge priced by another schedule (E-16 C.2) and the kWh it bills (E-16 D.a).

    # charge energy per kWh as E-2 energy
    kwh = b.total('kwh', 'energy') * part.share    # or the estimate x part.months, one line per sentence
    for (t, season), days in rt.reference_days(part, TARGETS, why).items():
        q = kwh * rt.div(days, part.days)          # these days' share of the part's kWh
        if (t, season) == (0, 'summer'):           # E-2 version 2025-07-01, Summer Period
            lines.append(('energy', 'commodity', q, 'kWh', r.…, q * r.…, …))

Written after the schedule's own charges and before pass-throughs, adjustments and the minimum bill
(the energy charge is part of the net monthly bill). The reference interpreter computes the same lines
day by day (compiler/interpret/references.py).
"""

from __future__ import annotations

from tariffc.compiler import runtime as rt

from .names import safe_comment
from .values import decimal, render


def emit_references(em) -> None:
    for ref in em.version.references:
        _reference(em, ref)


def emit_kwh(em, name: str, here: int) -> None:
    """`kwh = …`: the bill's kWh, given (--kwh) or estimated from the inputs (`estimate kwh`)."""
    w, est = em.w, em.version.rules.estimate
    if est is None or est.quantity != "kwh":
        w.line(f"kwh = b.total('kwh', {name!r}) * part.share  # this part's share of the bill's kWh", here)
        return
    eloc = em.loc(est.span, f"D. Special notes › estimate {est.quantity}")
    inputs = est.inputs()
    given = " or ".join(f"b.value({i!r})" for i in inputs)
    w.line(f"# estimate kwh (line {est.span.line}): {safe_comment(est.doc or '')[:100]}", eloc)
    w.line("if b.given('kwh'):", eloc)
    w.indent()
    w.line(f"kwh = b.total('kwh', {name!r})", here)
    w.line(f"if {given}:", eloc)
    w.indent()
    both = f"give the bill's kWh or the inventory it is estimated from ({', '.join(inputs)}), not both"
    w.line(f"raise rt.BillInputError('kwh', rt.decimal_text(kwh), {both!r})", eloc)
    w.dedent()
    w.line("kwh = kwh * part.share  # this part's share of the bill's kWh", here)
    w.dedent()
    w.line("else:", eloc)
    w.indent()
    why = f"schedule {em.schedule.id} bills the kWh estimated from {', '.join(inputs)} (line {est.span.line})"
    for step in est.steps:
        sloc = em.loc(step.span, f"D. Special notes › estimate {est.quantity}")
        unit = step.unit[0] + (f" per {step.unit[1]}" if step.unit[1] else "")
        words = safe_comment(step.doc or "")[:90]
        if step.kind == "input":
            w.line(f"x = b.need({step.operand!r}, {why!r}, {(step.operand, 'kwh')!r})  # {unit}; line "
                   f"{step.span.line}: {words}", sloc)
        elif step.kind == "times":
            w.line(f"x = x * b.need({step.operand!r}, {why!r}, {(step.operand, 'kwh')!r})  # x {unit}; line "
                   f"{step.span.line}: {words}", sloc)
        else:
            w.line(f"x = rt.div(x, {str(decimal(step.value))!r})  # / {unit}; line {step.span.line}: {words}", sloc)
    w.line("kwh = x * part.months  # kWh a month x this part's months", eloc)
    w.dedent()


def _reference(em, ref) -> None:
    w = em.w
    here = em.loc(ref.span, ref.section)
    w.line("")
    w.line(f"# charge {safe_comment(ref.name)} per {safe_comment(ref.unit)} as {safe_comment(ref.schedule)} "
           f"{safe_comment(ref.charge)}  (line {ref.span.line})", here)
    emit_kwh(em, ref.name, here)
    targets = tuple((t.effective.isoformat(), t.ends.isoformat() if t.ends else None,
                     tuple(rt.Season(name=s.name, start=tuple(s.start), end=tuple(s.end)) for s in t.seasons))
                    for t in ref.targets)
    why = (f"charge '{ref.name}' of {em.schedule.id} is priced by {ref.schedule} {ref.charge}"
           + (f" ({ref.gaps})" if ref.gaps else ""))
    w.line(f"found = rt.reference_days(part, {render(targets, 0)}, {why!r})", here)
    w.line("for (t, season), days in found.items():", here)
    w.indent()
    w.line("q = kwh * rt.div(days, part.days)  # these days' share of this part's kWh", here)
    first = True
    for index, target in enumerate(ref.targets):
        seasons = [s.name for s in target.seasons] or [None]
        for season in seasons:
            row = next((r for r in target.rows if r.keys == (season,)), None) or \
                next((r for r in target.rows if r.keys == ("all",)), None)
            tloc = em.loc(target.span, f"{ref.section} › {target.schedule} {target.version}")
            w.line(f"{'if' if first else 'elif'} (t, season) == ({index}, {season!r}):  # {target.schedule} "
                   f"version {target.version}", tloc)
            first = False
            w.indent()
            if row is None:
                w.line(f"b.no_row({ref.name!r}, part.version, {(season,)!r})", tloc)
            else:  # the line's source is the reference (this schedule's rule); its note names the row priced
                _row(em, ref, target, row, here)
            w.dedent()
    w.dedent()


def _row(em, ref, target, row, here) -> None:
    """The lines of the row `row` of `target` that prices these days' kWh: the generated code's one
    row writer (scalar.py `row_lines`), billed as this schedule's charge, noted with the row."""
    w = em.w
    w.line("if q:", here)
    w.indent()
    note = f"{target.schedule} {ref.charge} version {target.version} ({row.span.path}:{row.span.line})"
    em.row_lines(row, name=ref.name, unit=ref.unit, prefix=f"{ref.name}_{target.version}", here=here, note=note)
    w.dedent()
