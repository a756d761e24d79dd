"""Calendars → ir.Calendar: holidays (fixed, nth weekday, relative to another), the time zone, and the
billing conventions (billing period, monthly charges, rounding, proration) schedules inherit.

Source: CPAU's holiday list and the Utilities Rules and Regulations (Rule 11, billing) as written in
schedules/calendars/*.tariff.
"""

from __future__ import annotations

from collections.abc import Callable

import attrs

from tariffc.compiler import ir
from tariffc.compiler.lower import values
from tariffc.compiler.lower.context import Lowering
from tariffc.dsl import ast

# What can be prorated, and the one way each is: `prorate seasons|versions by days`,
# `prorate intervals by timestamp`.
PRORATE = {"seasons": "days", "versions": "days", "intervals": "timestamp"}


def calendar(lx: Lowering, cal: ast.Calendar, path: str) -> ir.Calendar:
    """One `calendar NAME` block → ir.Calendar (holidays resolved, billing conventions over the defaults
    of ir.Billing). Raises nothing: T309/T311/T304/T315/T316 are recorded."""
    holidays = [holiday(lx, h) for h in cal.holidays]
    billing_statements = cal.billing.statements if cal.billing else ()
    prorates = [p for p in billing_statements if isinstance(p, ast.Prorate)]
    return ir.Calendar(
        name=cal.name.text, title=cal.title.value if cal.title else cal.name.text,
        timezone=values.timezone(lx, cal.timezone),
        holidays=tuple(relative_holidays(lx, cal, holidays)), billing=billing(lx, cal.billing, ir.Billing()),
        notes=tuple(n.text.value for n in cal.notes), path=path,
        prorate=tuple((p.what.text, values.doc(p.doc)) for p in prorates),
        prorate_spans=tuple((p.what.text, p.span) for p in prorates),
        span=cal.span)


def holiday(lx: Lowering, h: ast.Holiday) -> ir.Holiday:
    """One holiday line. A relative one (`day after thanksgiving`) gets month 0 here and its base
    holiday's month in relative_holidays; its offset counts the `after`/`before` day."""
    label = h.label.value if h.label else h.name.text.replace("_", " ")
    observed = h.observed.text if h.observed else "none"
    if observed not in ("none", "nearest_weekday"):
        lx.err("T309", f"unknown observance rule '{observed}'", h.observed.span,
               hint="use `observed nearest_weekday` or leave it out")
        observed = "none"
    offset = 0
    if h.offset is not None:
        offset = int(h.offset.days.text) * (-1 if h.offset.sign.text == "-" else 1)
    if isinstance(h.date, ast.FixedDate):
        month, day = values.month_day(lx, h.date.month, h.date.day)
        return ir.Holiday(name=h.name.text, label=label, month=month, day=day,
                          observed=observed, offset_days=offset, span=h.span)
    if isinstance(h.date, ast.RelativeDate):
        offset += 1 if h.date.relation.text == "after" else -1
        return ir.Holiday(name=h.name.text, label=label, month=0, relative_to=h.date.holiday.text,
                          observed=observed, offset_days=offset, span=h.span)
    return ir.Holiday(
        name=h.name.text, label=label, month=ir.MONTHS.index(h.date.month.text) + 1,
        ordinal=values.ORDINALS[h.date.ordinal.text], weekday=ir.WEEKDAYS.index(h.date.weekday.text),
        observed=observed, offset_days=offset, span=h.span)


def relative_holidays(lx: Lowering, cal: ast.Calendar, holidays: list[ir.Holiday]) -> list[ir.Holiday]:
    """Resolve `day after NAME`: NAME must be another holiday of the calendar, and following the
    references must end at a dated holiday (no cycle); T311 otherwise, and the holiday is dropped.
    The month is the base holiday's (for the docs)."""
    by_name = {h.name: h for h in holidays}
    refs = {h.name.text: h.date.holiday for h in cal.holidays if isinstance(h.date, ast.RelativeDate)}
    out = []
    for item in holidays:
        if item.relative_to is None:
            out.append(item)
            continue
        seen, name = [item.name], item.relative_to
        while name in refs and name not in seen:
            seen.append(name)
            name = refs[name].text
        ref = refs[item.name]
        if item.relative_to not in by_name:
            lx.err("T311", f"holiday '{item.name}' is relative to '{item.relative_to}', which this "
                   "calendar does not define", ref.span,
                   hint=f"holidays defined: {', '.join(sorted(n for n in by_name if n != item.name))}")
        elif name in seen:
            lx.err("T311", f"holiday '{item.name}' is relative to itself ({' -> '.join(seen + [name])})",
                   ref.span, hint="relate it to a holiday with a date (`day after thanksgiving`)")
        else:
            out.append(attrs.evolve(item, month=by_name[name].month))
    return out


def check_prorate(lx: Lowering, stmt: ast.Prorate) -> None:
    """`prorate seasons|versions by days`: totals, demand and monthly quantities of a bill that
    spans a season or version change are shared by days; `prorate intervals by timestamp`:
    interval-priced charges (time-of-use energy) take each interval in the season and version
    of its timestamp. One proration rule, declared (docs/language.md); T309 for anything else."""
    what, how = stmt.what.text, stmt.how.text if stmt.how else "days"
    if what not in PRORATE:
        lx.err("T309", f"cannot prorate '{what}'", stmt.what.span,
               hint="`prorate seasons by days`, `prorate versions by days` or `prorate intervals by timestamp`")
    elif how != PRORATE[what]:
        lx.err("T309", f"'{what}' are prorated by {PRORATE[what]}, not by {how}", stmt.how.span,
               hint=f"`prorate {what} by {PRORATE[what]}`")


# ------------------------------------------------------------------ billing conventions
# One handler per statement of a `billing` block: each returns the ir.Billing fields it sets. A later
# statement of the same kind wins (the block is read in order).

def billing_period(lx: Lowering, stmt: ast.BillingPeriod) -> dict:
    """`period end_exclusive max N days`: the longest billing period a bill may span (T316 if < 1)."""
    if stmt.convention.text != "end_exclusive":
        lx.err("T309", f"unknown billing-period convention '{stmt.convention.text}'",
               stmt.convention.span, hint="the supported convention is `end_exclusive`")
    return {"max_days": values.positive_integer(lx, stmt.max_days, "a billing period maximum")}


def monthly_charges(lx: Lowering, stmt: ast.MonthlyCharges) -> dict:
    """`monthly_charges per_bill` or `monthly_charges prorated N` (per-month charges × days / N)."""
    if stmt.mode.text not in ("per_bill", "prorated"):
        lx.err("T309", f"unknown monthly-charge rule '{stmt.mode.text}'", stmt.mode.span,
               hint="use `monthly_charges per_bill` or `monthly_charges prorated 30`")
    changes = {"monthly_charges": stmt.mode.text}
    if stmt.divisor:
        changes["proration_divisor"] = values.positive_integer(lx, stmt.divisor, "a proration divisor")
    return changes


def bill_rounding(lx: Lowering, stmt: ast.Rounding) -> dict:
    """`rounding MODE to STEP`: how a bill's amounts are rounded (runtime/numbers.py applies it)."""
    return {"rounding_mode": values.rounding_mode(lx, stmt.mode),
            "rounding_step": values.rounding_step(lx, stmt.step)}


def billing_prorate(lx: Lowering, stmt: ast.Prorate) -> dict:
    """`prorate …` inside `billing`: checked here; it is a convention of the rules (ir.Rules.prorate),
    carried by the calendar (calendar()), not a field of ir.Billing."""
    check_prorate(lx, stmt)
    return {}


BILLING: dict[type, Callable[[Lowering, object], dict]] = {
    ast.BillingPeriod: billing_period,
    ast.MonthlyCharges: monthly_charges,
    ast.Rounding: bill_rounding,
    ast.Prorate: billing_prorate,
}


def billing(lx: Lowering, node: ast.Billing | None, base: ir.Billing) -> ir.Billing:
    """A `billing` block over `base` (the defaults, or the calendar's for a schedule or version):
    each statement replaces the fields it sets; the rest are `base`'s."""
    if node is None:
        return base
    changes = {"doc": node.doc.value if node.doc else base.doc, "span": node.span}
    for stmt in node.statements:
        changes.update(BILLING[type(stmt)](lx, stmt))
    return attrs.evolve(base, **changes)
