"""Versions (one Council-adopted sheet each) → ir.Version: effective and end dates, header lines,
charges, pass-throughs, declarations, and the version's rules merged over the schedule's.

A version applies from its effective date until the next version (or the sheet the next one
supersedes, or its own `ends DATE`); `with_end_dates` is that rule, written once. Reading the
version in effect on a date is `ir.Schedule.version_on` (runtime/proration.in_effect).
"""

from __future__ import annotations

from collections.abc import Callable

import attrs

from tariffc.compiler import ir
from tariffc.compiler.lower import charges, fees, references, values
from tariffc.compiler.lower.context import Lowering
from tariffc.compiler.lower.rules import rules
from tariffc.dsl import ast


@attrs.define
class Parts:
    """What a version's statements have given so far (rule statements are kept for lower.rules)."""

    effective: object
    charges: list = attrs.Factory(list)
    passthroughs: list = attrs.Factory(list)
    fees: list = attrs.Factory(list)
    references: list = attrs.Factory(list)
    declared: list = attrs.Factory(list)
    rule_statements: list = attrs.Factory(list)
    header: dict = attrs.Factory(dict)
    source: ir.Source | None = None
    ends_declared: tuple | None = None


def ends(lx: Lowering, stmt: ast.Ends, parts: Parts) -> None:
    """`ends DATE "reason"`: the first day the version no longer applies (T307 unless after it starts)."""
    day = values.date(lx, stmt.date)
    if day is not None and day <= parts.effective:
        lx.err("T307", f"version {parts.effective} ends on {day}, which is not after it takes effect",
               stmt.date.span, hint="`ends` names the first day the version no longer applies")
    elif day is not None:
        parts.ends_declared = (day, stmt.reason.value)


def header(lx: Lowering, stmt: ast.Header, parts: Parts) -> None:
    """`applicability "…"` / `territory "…"` of this version (the last one of a kind wins)."""
    parts.header[stmt.kind] = stmt.value.value


def source(lx: Lowering, stmt: ast.Source, parts: Parts) -> None:
    """`source …`: the document the version transcribes (the last one wins)."""
    parts.source = values.source(stmt)


def charge(lx: Lowering, stmt: ast.Charge, parts: Parts) -> None:
    """`charge NAME`: added in order; a second charge of one name is T306 (and still lowered)."""
    item = charges.charge(lx, stmt)
    first = _first(item.name, parts)
    if first is not None:
        lx.err("T306", f"charge '{item.name}' is declared twice in this version", stmt.name.span,
               f"first written at line {first}", hint="keep one; a second table of one charge would bill it twice")
    parts.charges.append(item)


def passthrough(lx: Lowering, stmt: ast.PassThrough, parts: Parts) -> None:
    """`passthrough NAME`: added in order."""
    parts.passthroughs.append(charges.passthrough(stmt))


def declared(lx: Lowering, stmt: ast.Declared, parts: Parts) -> None:
    """`discrepancy …` / `unresolved …`: added in order (checks.references resolves their paths)."""
    parts.declared.append(charges.declared(stmt))


def fee(lx: Lowering, stmt: ast.Fee, parts: Parts) -> None:
    """`fee NAME` (E-16 E., E-14 D.6): added in order; a name already used by a charge or fee is T306."""
    item = fees.fee(lx, stmt)
    first = _first(item.name, parts)
    if first is not None:
        lx.err("T306", f"'{item.name}' is declared twice in this version", stmt.name.span,
               f"first written at line {first}", hint="a fee's name is the bill input it is billed on: keep one")
    parts.fees.append(item)


def reference(lx: Lowering, stmt: ast.Reference, parts: Parts) -> None:
    """`charge NAME per kWh as SCHEDULE CHARGE` (E-16 C.2): added in order (linked in lower/links.py);
    a name already used by a charge is T306."""
    item = references.reference(lx, stmt)
    first = _first(item.name, parts)
    if first is not None:
        lx.err("T306", f"charge '{item.name}' is declared twice in this version", stmt.name.span,
               f"first written at line {first}", hint="keep one")
    parts.references.append(item)


def _first(name: str, parts: Parts) -> int | None:
    """The line of the charge, fee or referring charge of this version already named `name`."""
    for item in (*parts.charges, *parts.fees, *parts.references):
        if item.name == name:
            return item.span.line
    return None


# Every other statement of a version is a rule (lower/rules.py RULES).
VERSION_STATEMENTS: dict[type, Callable[[Lowering, object, Parts], None]] = {
    ast.Ends: ends,
    ast.Header: header,
    ast.Source: source,
    ast.Charge: charge,
    ast.PassThrough: passthrough,
    ast.Declared: declared,
    ast.Fee: fee,
    ast.Reference: reference,
}


def version(lx: Lowering, v: ast.Version, base_rules: ir.Rules) -> ir.Version | None:
    """One `version DATE` → ir.Version with `ends=None` (with_end_dates sets it once all versions are
    known); None if its effective date is not a calendar date (T304 recorded)."""
    effective = values.date(lx, v.effective)
    if effective is None:
        return None
    supersedes = values.date(lx, v.supersedes) if v.supersedes else None
    parts = Parts(effective=effective)
    for stmt in v.statements:
        handler = VERSION_STATEMENTS.get(type(stmt))
        if handler is None:
            parts.rule_statements.append(stmt)
        else:
            handler(lx, stmt, parts)
    return ir.Version(effective=effective, supersedes=supersedes, ends=None, source=parts.source,
                      charges=tuple(parts.charges), passthroughs=tuple(parts.passthroughs),
                      rules=rules(lx, parts.rule_statements, base_rules), declared=tuple(parts.declared),
                      ends_declared=parts.ends_declared,
                      applicability=parts.header.get("applicability"), territory=parts.header.get("territory"),
                      fees=tuple(parts.fees), references=tuple(parts.references), span=v.span)


def version_order(lx: Lowering, versions: list[ast.Version]) -> None:
    """Versions are written oldest first, one per effective date, each after what it supersedes (T307)."""
    seen: dict[str, ast.Version] = {}
    previous = None
    for v in versions:
        date = v.effective.text
        if date in seen:
            lx.err("T307", f"two versions are effective on {date}", v.effective.span,
                   f"the first is at line {seen[date].span.line}",
                   hint="merge them, or correct the effective date")
        elif previous is not None and date < previous.effective.text:
            lx.err("T307", f"version {date} is written after version {previous.effective.text}",
                   v.effective.span, hint="write versions oldest first")
        if v.supersedes is not None and v.supersedes.text >= date:
            lx.err("T307", f"version {date} supersedes {v.supersedes.text}, which is not earlier",
                   v.supersedes.span, hint="a version supersedes an earlier sheet")
        seen.setdefault(date, v)
        previous = v


def with_end_dates(versions: list[ir.Version]) -> list[ir.Version]:
    """A version applies until the next one; if that one says it supersedes a later sheet than
    this one (a version the documents do not contain), this one ends on that sheet's date; an
    `ends DATE` declaration ends it earlier (what the documents show it covered)."""
    ordered = sorted(versions, key=lambda v: v.effective)
    out = []
    for index, item in enumerate(ordered):
        end = None
        if index + 1 < len(ordered):
            nxt = ordered[index + 1]
            end = nxt.effective
            if nxt.supersedes and item.effective < nxt.supersedes < nxt.effective:
                end = nxt.supersedes
        if item.ends_declared is not None and (end is None or item.ends_declared[0] < end):
            end = item.ends_declared[0]
        out.append(attrs.evolve(item, ends=end))
    return out
