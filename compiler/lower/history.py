"""A. Applicability bounds judged over history (`limit`), a tier rule's worked examples (`example`), the
standby sections' Maximum Demand credit (`credit`) and the City's alternative demand interval (lang2,
issue 15).

    limit demand 500 to 1000 kW for 3 consecutive months in 12 "A: ... sustained this level of usage
        for at least three consecutive months during the most recent 12 month period"
    limit usage up_to 250000 therms per year when commercial "A.1: ... less than 250,000 therms per year"
    tiers therms ...
      example tier1 0.767 therms per day in summer "0.767 therms per day x 30 days = 23 therms"
    credit demand in max by offline_generation_kw when not generator_idle "D.7.d(1): ..."
    demand 15 minutes or 5 minutes by demand_interval "D.3: ... the City may use a 5-minute interval"

How a bound is judged over a customer's months is `compiler/applicability.py`; the credit's
arithmetic is `compiler/runtime/credits.py`, the interval's choice `compiler/runtime/demand_interval.py`.
"""

from __future__ import annotations

from tariffc.compiler import ir
from tariffc.compiler.lower import values
from tariffc.compiler.lower.context import Lowering
from tariffc.dsl import ast

# The sheets judge "the most recent 12 month period" / "the last twelve months"; a window longer than
# three years is no rate sheet's and most likely a typo.
MAX_WINDOW_MONTHS = 36
USAGE_UNITS = ("kWh", "therm", "therms")


def limit(lx: Lowering, stmt: ast.Limit) -> ir.Limit:
    """`limit QUANTITY RANGE UNIT [for M consecutive months in W | per year] [when COND]`; a history
    that cannot be judged is T320 (the bound is then kept as a per-bill one)."""
    history = stmt.history
    kind = months = window = None
    if history is not None:
        kind = history.kind
        if kind == "sustained":
            months, window = int(history.months.text), int(history.window.text)
            if not 1 <= months <= window <= MAX_WINDOW_MONTHS:
                lx.err("T320", f"'for {months} consecutive months in {window}' cannot be judged",
                       history.span, f"write 1 <= MONTHS <= WINDOW <= {MAX_WINDOW_MONTHS}",
                       hint="the sheets say 'for at least three consecutive months during the most recent "
                            "12 month period': for 3 consecutive months in 12")
                kind = months = window = None
        elif stmt.quantity.text != "usage" or stmt.unit not in USAGE_UNITS:
            lx.err("T320", f"'per year' adds up usage: '{stmt.quantity.text}' in {stmt.unit} cannot be added "
                   "over a year", history.span, "a yearly bound is on usage in kWh or therms",
                   hint="limit usage up_to 250000 therms per year")
            kind = None
    return ir.Limit(
        quantity=stmt.quantity.text,
        low=values.number(stmt.low).value if stmt.low else None,
        high=values.number(stmt.high).value if stmt.high else None,
        unit=stmt.unit, doc=values.doc(stmt.doc),
        history=kind, months=months, window=window, condition=values.condition(stmt.condition),
        span=stmt.span)


def tier_examples(lx: Lowering, stmt: ast.Tiers) -> tuple[ir.TierExample, ...]:
    """The `example` lines of a `tiers` block (checked against the rule in checks/examples.py)."""
    out = []
    for example in stmt.examples:
        a = example.allowance
        out.append(ir.TierExample(
            tier=example.tier.text, amount=values.number(a.amount), unit=a.unit,
            per_days=values.positive_integer(lx, a.per_days, "an example's day count") if a.per_days else 1,
            season=a.season.text if a.season else None, doc=values.doc(example.doc), span=example.span))
    return tuple(out)


def credit(lx: Lowering, stmt: ast.DemandCredit, merge) -> None:
    """`credit CHARGE[, CHARGE] [in WINDOW] by INPUT [refused "why"] [when COND]`: replaces an inherited
    credit on the same charges (a version restating the schedule's), appended after the others."""
    item = ir.DemandCredit(
        charges=tuple(c.text for c in stmt.charges), window=stmt.window.text if stmt.window else None,
        input=stmt.input.text, refused=stmt.refused.value if stmt.refused else None,
        condition=values.condition(stmt.condition), doc=values.doc(stmt.doc), span=stmt.span)
    merge.fields["credits"] = tuple(c for c in merge.fields["credits"] if c.charges != item.charges) + (item,)


def demand_option(lx: Lowering, stmt: ast.Demand, merge) -> None:
    """`demand N minutes or M minutes by INPUT`: the City's alternative interval, with the interval."""
    option = values.demand_minutes(lx, stmt.option, option=True) if stmt.option else None
    if option is not None and option == merge.fields["demand_minutes"]:
        lx.err("T316", f"the alternative demand interval is the interval itself ({option} minutes)", stmt.option.span,
               "`or M minutes by INPUT` names the City's other interval (E-4 D.3: 15, or 5 where the load fluctuates)",
               hint="write the other interval, or leave `or … by …` out")
        option = None
    merge.fields["demand_option"] = option
    merge.fields["demand_input"] = stmt.option_input.text if stmt.option_input and option is not None else None
