"""Rule statements (the sheet's D. Special notes) → ir.Rules, merged over the rules they refine.

Rules are written at schedule level (every version's) and inside a version (that version's); a
version's rules are merged over the schedule's, and the schedule's over its calendar's conventions.
`RULES` maps each statement kind to one handler; each handler's docstring states its merge rule.
To add a rule statement: write its handler (`def handler(lx, stmt, merge)`) and add it to `RULES`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import attrs

from tariffc.compiler import ir
from tariffc.compiler.lower import fees, history, references, values
from tariffc.compiler.lower.calendars import billing, check_prorate
from tariffc.compiler.lower.context import Lowering
from tariffc.dsl.diagnostics import warning
from tariffc.dsl import ast


class Merge:
    """ir.Rules being built over `base`: the fields so far, and which keys this statement list has
    already replaced (a key replaced once is then added to, so two statements of one list both count)."""

    def __init__(self, base: ir.Rules) -> None:
        self.base = base
        self.fields = attrs.asdict(base, recurse=False)
        self.notes = list(base.notes)
        self.replaced: set[tuple] = set()
        self.index_lines: dict[str, int] = {}  # fee → line of its `index` statement in this list

    def replace_then_add(self, field: str, key: tuple, matches: Callable[[object], bool], item) -> None:
        """The first item under `key` in this list drops `base`'s items that `matches`; later ones add."""
        if key not in self.replaced:
            self.fields[field] = tuple(x for x in self.fields[field] if not matches(x))
            self.replaced.add(key)
        self.fields[field] = self.fields[field] + (item,)

    def result(self) -> ir.Rules:
        return ir.Rules(**{**self.fields, "notes": tuple(self.notes)})


def seasons(lx: Lowering, stmt: ast.Seasons, merge: Merge) -> None:
    """`seasons`: replaces the season list and its words whole (the last `seasons` block wins)."""
    merge.fields["seasons"] = tuple(
        ir.Season(name=s.name.text, label=s.label.value if s.label else s.name.text,
                  start=values.month_day(lx, s.start_month, s.start_day),
                  end=values.month_day(lx, s.end_month, s.end_day), span=s.span)
        for s in stmt.seasons)
    merge.fields["seasons_doc"] = values.doc(stmt.doc)


def prorate(lx: Lowering, stmt: ast.Prorate, merge: Merge) -> None:
    """`prorate WHAT by HOW`: replaces the proration of WHAT (seasons, versions, intervals) only,
    and is appended after the others; see calendars.check_prorate for the rule itself."""
    check_prorate(lx, stmt)
    what = stmt.what.text
    merge.fields["prorate"] = tuple(p for p in merge.fields["prorate"] if p[0] != what) + \
        ((what, values.doc(stmt.doc)),)
    merge.fields["prorate_spans"] = tuple(p for p in merge.fields["prorate_spans"] if p[0] != what) + \
        ((what, stmt.span),)


def tiers(lx: Lowering, stmt: ast.Tiers, merge: Merge) -> None:
    """`tiers QUANTITY`: the first tier rule of a quantity in this list replaces the inherited rules of
    that quantity; further ones of the same quantity in the list are added (one per season)."""
    rule = tier_rule(lx, stmt)
    merge.replace_then_add("tiers", ("tiers", rule.quantity), lambda t: t.quantity == rule.quantity, rule)


def tier_rule(lx: Lowering, stmt: ast.Tiers) -> ir.TierRule:
    """Tier allowances (amount per N days, by season) and the allowance rounding of one `tiers` block."""
    tier_list = tuple(
        ir.Tier(name=t.name.text, span=t.span, allowances=tuple(
            ir.Allowance(amount=values.number(a.amount).value, unit=a.unit,
                         per_days=int(a.per_days.text) if a.per_days else 1,
                         season=a.season.text if a.season else None, span=a.span)
            for a in t.allowances))
        for t in stmt.tiers)
    rounding = stmt.rounding
    mode = values.rounding_mode(lx, rounding.mode) if rounding else None
    return ir.TierRule(
        quantity=stmt.quantity.text, tiers=tier_list,
        round_step=values.rounding_step(lx, rounding.step) if rounding else None, round_mode=mode,
        doc=values.doc(stmt.doc), examples=history.tier_examples(lx, stmt), span=stmt.span)


def periods(lx: Lowering, stmt: ast.Periods, merge: Merge) -> None:
    """`periods CHARGE` / `windows CHARGE` (optionally `in SEASON`): the first set for a (charge,
    partition-or-windows) pair in this list replaces the inherited sets of that pair; later ones (other
    seasons) are added."""
    key = (stmt.charge.text, stmt.partition)
    item = ir.PeriodSet(
        partition=stmt.partition, charge=stmt.charge.text,
        season=stmt.season.text if stmt.season else None,
        periods=tuple(ir.Period(name=line.name.text, clauses=tuple(clause(lx, c) for c in line.clauses),
                                span=line.span) for line in stmt.lines),
        condition=values.condition(stmt.condition), doc=values.doc(stmt.doc), span=stmt.span)
    merge.replace_then_add("periods", ("periods", *key), lambda p: (p.charge, p.partition) == key, item)


def clause(lx: Lowering, c: ast.Clause) -> ir.Clause:
    """`mon-fri 16:00-21:00 except holidays`, `holidays`, `otherwise`, `always` → ir.Clause with its
    weekdays (a range may wrap: `sat-mon`) and half-open minute ranges; T305 for an hour range that is
    not within one day."""
    if c.kind != "days":
        return ir.Clause(kind=c.kind, span=c.span)
    days_text = c.days.text
    weekdays: frozenset[int] = frozenset()
    holidays_only = False
    if days_text == "every day":
        weekdays = frozenset(range(7))
    elif days_text == "holidays":
        holidays_only = True
    else:
        first, _, last = days_text.partition("-")
        a = ir.WEEKDAYS.index(first)
        b = ir.WEEKDAYS.index(last) if last else a
        weekdays = frozenset(range(a, b + 1)) if a <= b else frozenset(list(range(a, 7)) + list(range(0, b + 1)))
    hours = []
    for lit in c.hours or ():
        start, end = lit.text.split("-")
        s, e = values.minutes(start), values.minutes(end)
        if s is None or e is None or e <= s:
            lx.err("T305", f"'{lit.text}' is not an hour range within one day", lit.span,
                   hint="write HH:MM-HH:MM with the end after the start (24:00 for midnight); "
                        "split a range over midnight in two")
            continue
        hours.append((s, e))
    return ir.Clause(kind="days", weekdays=weekdays, holidays_only=holidays_only,
                     hours=tuple(hours) if c.hours else ((0, 1440),),
                     except_holidays=c.except_holidays, span=c.span)


def demand(lx: Lowering, stmt: ast.Demand, merge: Merge) -> None:
    """`demand N minutes`: replaces the demand interval (the last one wins)."""
    merge.fields["demand_minutes"] = values.demand_minutes(lx, stmt.minutes)
    merge.fields["demand_doc"] = values.doc(stmt.doc)
    merge.fields["demand_span"] = stmt.span
    history.demand_option(lx, stmt, merge)  # `or M minutes by INPUT` (lower/history.py)


def adjustment(lx: Lowering, stmt: ast.Adjustment, merge: Merge) -> None:
    """`discount NAME` / `surcharge NAME`: replaces the inherited adjustment of the same name, appended
    after the others (names are the key, so a version can restate one discount and keep the rest)."""
    step = step_input = threshold = None
    if stmt.scaled:
        step = values.number(stmt.scaled[0]).value
        step_input = stmt.scaled[1].text
        threshold = values.number(stmt.scaled[2]).value
    name = stmt.name.text
    merge.fields["adjustments"] = tuple(a for a in merge.fields["adjustments"] if a.name != name) + (
        ir.Adjustment(kind=stmt.kind, name=name, percent=values.number(stmt.percent),
                      charges=tuple(c.text for c in stmt.charges), condition=values.condition(stmt.condition),
                      doc=values.doc(stmt.doc), step=step, step_input=step_input,
                      threshold=threshold, span=stmt.span),)


def exempt(lx: Lowering, stmt: ast.Exempt, merge: Merge) -> None:
    """`exempt CHARGE if …`: added to the inherited exemptions (exemptions accumulate)."""
    merge.fields["exemptions"] = merge.fields["exemptions"] + (ir.Exemption(
        charge=stmt.charge.text, condition=values.condition(stmt.condition),
        doc=values.doc(stmt.doc), span=stmt.span),)


def minimum(lx: Lowering, stmt: ast.Minimum, merge: Merge) -> None:
    """`minimum …`: the first in a statement list replaces the inherited minimum bill rules; later ones in
    the same list are added (one per condition: E-2-G 2020-07-01 C.1 and C.2), and the bill bills each
    whose condition holds."""
    merge.replace_then_add("minimums", ("minimum",), lambda m: True, ir.Minimum(
        charge=stmt.charge.text if stmt.charge else None,
        amount=values.number(stmt.amount) if stmt.amount else None,
        unit=stmt.unit, doc=values.doc(stmt.doc),
        condition=values.condition(stmt.condition), span=stmt.span))


def billing_block(lx: Lowering, stmt: ast.Billing, merge: Merge) -> None:
    """`billing`: its statements over the *inherited* billing conventions (a second block in the same
    list starts again from those, it does not add to the first)."""
    merge.fields["billing"] = billing(lx, stmt, merge.base.billing)


def note(lx: Lowering, stmt: ast.Note, merge: Merge) -> None:
    """`note "…"`: added after the inherited notes (notes accumulate)."""
    merge.notes.append(stmt.text.value)


RULES: dict[type, Callable[[Lowering, object, Merge], None]] = {
    ast.Seasons: seasons,
    ast.Prorate: prorate,
    ast.Tiers: tiers,
    ast.Periods: periods,
    ast.Demand: demand,
    ast.Adjustment: adjustment,
    ast.Exempt: exempt,
    ast.Minimum: minimum,
    ast.Billing: billing_block,
    ast.Note: note,
    # lang (issue 15): fees (lower/fees.py)
    ast.YearlyFees: fees.yearly_fees,
    ast.Index: fees.index,
    # lang2 (issue 15): the standby sections' Maximum Demand credit (lower/history.py)
    ast.DemandCredit: history.credit,
    ast.Estimate: references.estimate,  # lang: E-16 D.a (lower/references.py)
    ast.Bound: references.bound,  # lang: E-14 D.3 burning hours
}


# Rules that replace what they refine: one of each key per statement list. A second one in the same
# list would silently replace the first (the last one wins), so it is T306, naming both lines.
ONCE: dict[type, Callable[[object], tuple[str, str]]] = {
    ast.Seasons: lambda s: ("seasons", "`seasons`"),
    ast.Prorate: lambda s: (f"prorate {s.what.text}", f"`prorate {s.what.text}`"),
    ast.Demand: lambda s: ("demand", "`demand`"),
    ast.Adjustment: lambda s: (f"adjustment {s.name.text}", f"{s.kind} '{s.name.text}'"),
    # two minimums under different `when` conditions are two rules (E-2-G 2020 C.1/C.2), not a repeat
    ast.Minimum: lambda s: (f"minimum {values.condition(s.condition)!r}", "`minimum`"),
    ast.Billing: lambda s: ("billing", "`billing`"),
    ast.YearlyFees: lambda s: ("yearly_fees", "`yearly_fees`"),
    ast.Estimate: lambda s: (f"estimate {s.quantity.text}", f"`estimate {s.quantity.text}`"),
    ast.Bound: lambda s: (f"bound {s.input.text}", f"`bound {s.input.text}`"),
    ast.DemandCredit: lambda s: ("credit " + ", ".join(c.text for c in s.charges),
                                 "`credit " + ", ".join(c.text for c in s.charges) + "`"),
}


def rules(lx: Lowering, statements: Iterable, base: ir.Rules) -> ir.Rules:
    """Merge rule statements, in order, over `base` (the calendar's conventions for a schedule; the
    schedule's rules for a version): each statement's handler in RULES says how it merges. A rule
    that replaces (ONCE) written twice in the list is T306 at the second, naming the first's line."""
    merge = Merge(base)
    first: dict[str, int] = {}
    minimums: list = []  # this list's `minimum` statements so far
    for stmt in statements:
        once = ONCE.get(type(stmt))
        if once is not None:
            key, words = once(stmt)
            if key in first:
                lx.err("T306", f"{words} is written twice in this block; the second would silently replace the "
                               "first", stmt.span, f"first written at line {first[key]}",
                       hint="keep one (a version restates a schedule-level rule in its own block)")
            elif isinstance(stmt, ast.Minimum):
                both = next((m for m in minimums if not _exclusive(m.condition, stmt.condition)), None)
                if both is not None:
                    _minimums_overlap(lx, stmt, both.span.line)
            first.setdefault(key, stmt.span.line)
        if isinstance(stmt, ast.Minimum):
            minimums.append(stmt)
        RULES[type(stmt)](lx, stmt, merge)
    return merge.result()


def _exclusive(a, b) -> bool:
    """Two `when` conditions that cannot both hold: one choice input at two values (E-2-G 2020-07-01's
    `green_option is renewable_100` / `is block_1000`), or a flag and its `not`."""
    if a is None or b is None:
        return False
    a, b = values.condition(a), values.condition(b)
    if a.input != b.input:
        return False
    if a.kind == b.kind == "is":
        return a.value != b.value
    return {a.kind, b.kind} == {"flag", "not"}


def _minimums_overlap(lx: Lowering, stmt, line: int) -> None:
    """T253: two `minimum`s in one block whose conditions can both hold. The bill bills each minimum
    whose condition holds, in order, so such a bill is raised to the larger floor: said, never silent."""
    lx.diagnostics.append(warning("T253", "this `minimum` and the one at line "
                    f"{line} can both apply to one bill: each is billed in turn, so the larger floor wins",
            stmt.span, f"the minimum at line {line} applies under a condition this one's does not exclude",
            hint="give each minimum a condition on a different value of one choice input (E-2-G 2020-07-01: "
                 "C.1 `when green_option is renewable_100`, C.2 `when green_option is block_1000`)"))
