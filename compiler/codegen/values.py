"""Constants and data records as Python source: `D('0.10373')` from the source text (never through
a float), runtime records as keyword calls, TOU periods as their sheet-like words."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from fractions import Fraction

from tariffc.compiler import ir, runtime as rt
from tariffc.compiler.runtime import decimal_text

WIDTH = 110


def decimal(value) -> Decimal:
    """An exact value as the decimal it was written as (an `ir.Number` keeps its text)."""
    if isinstance(value, ir.Number):
        return Decimal(value.text)
    if isinstance(value, Decimal):
        return value
    text = decimal_text(Fraction(value), places=30)
    if Fraction(Decimal(text)) != Fraction(value):
        raise ValueError(f"{value} is not a terminating decimal")
    return Decimal(text)


def render(value, indent: int = 0) -> str:
    """Python source for a runtime record, tuple or scalar; wrapped to WIDTH."""
    inline = _inline(value)
    if len(inline) + indent <= WIDTH or not (dataclasses.is_dataclass(value) or isinstance(value, tuple)) \
            or isinstance(value, rt.Period):
        return inline
    pad = " " * (indent + 4)
    if isinstance(value, tuple):
        items = [render(v, indent + 4) for v in value]
        return "(\n" + "".join(f"{pad}{item},\n" for item in items) + " " * indent + ")"
    fields = [(f.name, getattr(value, f.name)) for f in dataclasses.fields(value)]
    body = "".join(f"{pad}{name}={render(v, indent + 4)},\n" for name, v in fields
                   if not _is_default(value, name, v))
    return f"rt.{type(value).__name__}(\n{body}{' ' * indent})"


def _is_default(record, name, value) -> bool:
    f = next(x for x in dataclasses.fields(record) if x.name == name)
    return f.default is not dataclasses.MISSING and value == f.default


class Code(str):
    """A name the generated module defines (a version's function), written as itself, not quoted.
    Only the generator makes one, from a `py_ident` name."""


def _inline(value) -> str:
    if isinstance(value, Code):
        return str(value)
    if isinstance(value, Decimal):
        return f"D({str(value)!r})"
    if isinstance(value, bool) or value is None or isinstance(value, (int, str)):
        return repr(value)
    if isinstance(value, dt.date):
        return f"rt.date({value.year}, {value.month}, {value.day})"
    if isinstance(value, frozenset):
        return "frozenset({" + ", ".join(repr(v) for v in sorted(value)) + "})" if value else "frozenset()"
    if isinstance(value, tuple):
        items = [_inline(v) for v in value]
        return "(" + ", ".join(items) + ("," if len(items) == 1 else "") + ")"
    if isinstance(value, rt.Period):
        return "rt.period(" + ", ".join(repr(x) for x in (value.name, *map(rt.clause_text, value.clauses))) + ")"
    if dataclasses.is_dataclass(value):
        fields = [f"{f.name}={_inline(getattr(value, f.name))}" for f in dataclasses.fields(value)
                  if not _is_default(value, f.name, getattr(value, f.name))]
        return f"rt.{type(value).__name__}(" + ", ".join(fields) + ")"
    raise TypeError(f"cannot write {type(value).__name__} into generated code")


def clause(c: ir.Clause) -> rt.Clause:
    record = rt.Clause(kind=c.kind, weekdays=frozenset(c.weekdays), holidays_only=c.holidays_only,
                       hours=tuple(tuple(h) for h in c.hours), except_holidays=c.except_holidays)
    if rt.parse_clause(rt.clause_text(record)) != record:  # the words must say exactly the same
        raise ValueError(f"clause {record} does not survive its text form {rt.clause_text(record)!r}")
    return record


def cond(c: ir.Condition | None):
    return None if c is None else rt.Cond(kind=c.kind, input=c.input, value=c.value)


def period_set(p: ir.PeriodSet) -> rt.PeriodSet:
    return rt.PeriodSet(partition=p.partition, charge=p.charge, season=p.season,
                        periods=tuple(rt.Period(name=x.name, clauses=tuple(clause(c) for c in x.clauses))
                                      for x in p.periods),
                        when=cond(p.condition))


def calendar(c: ir.Calendar | None) -> rt.Calendar:
    return rt.Calendar(timezone=c.timezone if c else "America/Los_Angeles", holidays=tuple(
        rt.Holiday(month=h.month, day=h.day, ordinal=h.ordinal, weekday=h.weekday, observed=h.observed, name=h.name,
                   relative_to=h.relative_to, offset_days=h.offset_days)
        for h in (c.holidays if c else ())))


def billing(b: ir.Billing) -> rt.BillingRule:
    return rt.BillingRule(max_days=b.max_days, monthly_charges=b.monthly_charges, divisor=b.proration_divisor,
                          rounding_mode=b.rounding_mode, rounding_step=decimal(b.rounding_step))
