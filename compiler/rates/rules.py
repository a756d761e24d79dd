"""The rules of a schedule version as records: what `tariffc rates` prints beside the rate cells.

A rate cell says what a unit costs; the rules (the sheet's A. applicability and D. special notes)
say which units a bill has: tier allowances, seasons and their proration, time-of-use periods and
demand windows with the holidays they skip, the demand interval, discounts and surcharges and the
charges they apply to, exemptions, the minimum bill, pass-through ranges, applicability limits and
the billing conventions. Each record carries its values as exact decimal strings and the `.tariff`
line it comes from; `rule_changes` compares two versions record by record (what `tariffc diff` adds
to the rate table).

The records are read from the IR only; nothing here decides a bill.
"""

from __future__ import annotations

from fractions import Fraction

import attrs

from tariffc.compiler import ir
from tariffc.compiler.rates.cells import text_of

ROUNDING = {"half_up": "half up", "half_even": "half even", "down": "down", "up": "up"}


@attrs.frozen
class RuleRecord:
    """One rule of one version.

    `rule` is its kind (see RULE_KINDS), `key` what it is about (its identity when two versions are
    compared), `values` its values as written (exact decimals and words, never floats), `applies_to`
    the charges it acts on, `condition` the bill input that switches it on, `words` the sheet's
    sentence quoted in the `.tariff` file and `source` the `file:line` it is written at.
    """

    schedule: str
    version: str
    rule: str
    key: tuple[str, ...]
    values: tuple[tuple[str, str | None], ...]
    applies_to: tuple[str, ...] = ()
    condition: str | None = None
    words: str | None = None
    source: str = ""

    @property
    def identity(self) -> tuple[str, tuple[str, ...]]:
        return (self.rule, self.key)

    def value_text(self) -> str:
        parts = [f"{name} {value}" for name, value in self.values if value is not None]
        if self.applies_to:
            parts.append("of " + ", ".join(self.applies_to))
        if self.condition:
            parts.append(f"when {self.condition}")
        return "  ".join(parts)

    def as_dict(self) -> dict:
        return {"schedule": self.schedule, "version": self.version, "rule": self.rule, "key": list(self.key),
                "values": dict(self.values), "applies_to": list(self.applies_to), "condition": self.condition,
                "words": self.words, "source": self.source}


RULE_KINDS = ("limit", "season", "proration", "tier_allowance", "tier_example", "tier_rounding", "tou_period",
              "demand_window", "demand_interval", "demand_credit", "discount", "surcharge", "exemption", "minimum",
              "passthrough", "holiday", "billing", "yearly_fees", "fee_index", "refused_fee",
              "reference", "estimate", "input_bound")


def rule_records(schedule: ir.Schedule, version: ir.Version) -> list[RuleRecord]:
    """Every rule in force for `version` of `schedule`, in the sheet's order (A. then D.)."""
    rules = version.rules
    out: list[RuleRecord] = []

    def add(rule: str, key, values, span, **more) -> None:
        line = f"{span.path}:{span.line}" if span is not None else schedule.path
        out.append(RuleRecord(schedule=schedule.id, version=version.label, rule=rule, key=tuple(key),
                              values=tuple(values), source=line, **more))

    for limit in schedule.limits:
        add("limit", [limit.quantity], [("at_least", _opt(limit.low)), ("up_to", _opt(limit.high)),
                                         ("unit", limit.unit)] + _history_values(limit), limit.span,
            condition=limit.condition.describe() if limit.condition else None, words=limit.doc)
    for season in rules.seasons:
        add("season", [season.name], [("from", _md(season.start)), ("to", _md(season.end)),
                                      ("label", season.label)], season.span, words=rules.seasons_doc)
    spans = dict(rules.prorate_spans)
    billing_span = rules.billing.span or (schedule.calendar.span if schedule.calendar else None)
    for what, doc in rules.prorate:
        add("proration", [what], [("by", "timestamp" if what == "intervals" else "days")],
            spans.get(what, billing_span), words=doc)
    for tier_rule in rules.tiers:
        _tier_records(tier_rule, add)
    for period_set in rules.periods:
        kind = "tou_period" if period_set.partition else "demand_window"
        for period in period_set.periods:
            add(kind, [period_set.charge, period_set.season or "all", period.name],
                [("hours", "; ".join(clause_text(c) for c in period.clauses))], period.span,
                condition=period_set.condition.describe() if period_set.condition else None,
                words=period_set.doc)
    if rules.demand_minutes is not None:
        add("demand_interval", ["demand"], [("minutes", str(rules.demand_minutes))] + (
            [("or_minutes", str(rules.demand_option)), ("chosen_by", rules.demand_input)]
            if rules.demand_option is not None else []),
            rules.demand_span, words=rules.demand_doc)
    for adj in rules.adjustments:
        values = [("percent", adj.percent.text)]
        if adj.step is not None:
            values += [("for_each_percent", text_of(adj.step)), ("of", adj.step_input),
                       ("below_percent", text_of(adj.threshold))]
        add(adj.kind, [adj.name], values, adj.span, applies_to=adj.charges,
            condition=adj.condition.describe(), words=adj.doc)
    for ex in rules.exemptions:
        add("exemption", [ex.charge, ex.condition.describe()], [], ex.span, applies_to=(ex.charge,),
            condition=ex.condition.describe(), words=ex.doc)
    for credit in rules.credits:
        add("demand_credit", list(credit.charges) + [credit.window or "all"],
            [("reduced_by", credit.input), ("unit", "kW"), ("not_below", "0"), ("refused", credit.refused)],
            credit.span, applies_to=credit.charges,
            condition=credit.condition.describe() if credit.condition else None, words=credit.doc)
    for m in rules.minimums:  # each is billed when its condition holds (E-2-G 2020-07-01 C.1, C.2)
        values = [("charge", m.charge)] if m.charge else [("amount", m.amount.text if m.amount else None),
                                                          ("per", m.unit)]
        add("minimum", ["bill"] + ([m.key] if m.condition else []), values, m.span,
            condition=m.condition.describe() if m.condition else None, words=m.doc)
    for p in version.passthroughs:
        add("passthrough", [p.name], [("minimum", p.minimum.text if p.minimum else None),
                                      ("maximum", p.maximum.text if p.maximum else None),
                                      ("unit", f"$/{p.unit}"), ("label", p.label)], p.span,
            words=None if p.minimum else "Pass-through (no range printed)")
    _fee_records(version, add)
    if schedule.calendar is not None and rules.periods:  # the holidays the TOU periods name
        for h in schedule.calendar.holidays:
            add("holiday", [h.name], [("date", holiday_text(h)), ("observed", h.observed), ("label", h.label)],
                h.span)
    b = rules.billing
    add("billing", ["conventions"],
        [("max_days", str(b.max_days)), ("monthly_charges", b.monthly_charges),
         ("proration_divisor", str(b.proration_divisor) if b.monthly_charges == "prorated" else None),
         ("rounding", f"{ROUNDING.get(b.rounding_mode, b.rounding_mode)} to {text_of(b.rounding_step)}")],
        billing_span, words=b.doc)
    return out


def _fee_records(version: ir.Version, add) -> None:
    """lang: how a per-year fee meets a monthly bill, the fees an index adjusts, the refused fees."""
    rules = version.rules
    if rules.yearly_fees is not None and any(f.term == "year" for f in version.fees):
        add("yearly_fees", ["fees"], [("billed", "monthly"), ("divisor", str(rules.yearly_fees.divisor))],
            rules.yearly_fees.span, applies_to=tuple(f.name for f in version.fees if f.term == "year"),
            words=rules.yearly_fees.doc)
    for index in rules.indexes:
        add("fee_index", [index.input], [("input", index.input), ("adjustment", f"fees x ({index.input} - 1)")],
            index.span, applies_to=index.fees, words=index.doc)
    for ref in version.references:
        add("reference", [ref.name], [("schedule", ref.schedule), ("charge", ref.charge), ("unit", f"$/{ref.unit}"),
                                      ("versions", ", ".join(t.version for t in ref.targets) or None),
                                      ("gaps", ref.gaps)], ref.span, words=ref.label)
    for bound in rules.bounds:
        add("input_bound", [bound.input], [("up_to", bound.high.text), ("unit", bound.unit_text)], bound.span,
            words=bound.doc)
    est = rules.estimate
    if est is not None:
        steps = []
        for step in est.steps:
            unit = step.unit[0] + (f" per {step.unit[1]}" if step.unit[1] else "")
            steps.append({"input": f"{step.operand} {unit}", "times": f"x {step.operand} {unit}",
                          "divided_by": f"/ {step.operand} {unit}"}[step.kind])
        add("estimate", [est.quantity], [("steps", " ".join(steps)), ("inputs", ", ".join(est.inputs())),
                                          ("divisor", text_of(est.divisor())), ("per", "month")], est.span,
            words=est.doc)
    for fee in version.fees:
        if fee.kind == "refused":
            add("refused_fee", [fee.name], [("label", fee.label), ("reason", fee.reason),
                                            ("input", fee.refused_input)], fee.span, words=fee.reason)


def _tier_records(tier_rule: ir.TierRule, add) -> None:
    for tier in tier_rule.tiers:
        if not tier.allowances:
            add("tier_allowance", [tier_rule.quantity, tier.name, "all"], [("allowance", "rest")], tier.span,
                words=tier_rule.doc)
        for a in tier.allowances:
            per = "day" if a.per_days == 1 else f"{a.per_days} days"
            add("tier_allowance", [tier_rule.quantity, tier.name, a.season or "all"],
                [("amount", text_of(a.amount)), ("unit", a.unit), ("per", per),
                 ("for_30_days", text_of(_rounded(a.amount * 30 / a.per_days, tier_rule))),
                 ("prorated_by", "meter reading days")],
                a.span, words=tier_rule.doc)
    for ex in tier_rule.examples:
        per = "day" if ex.per_days == 1 else f"{ex.per_days} days"
        add("tier_example", [tier_rule.quantity, ex.tier, ex.season or "all"],
            [("amount", ex.amount.text), ("unit", ex.unit), ("per", per),
             ("for_30_days", text_of(_rounded(ex.amount.value * 30 / ex.per_days, tier_rule)))],
            ex.span, words=ex.doc)
    if tier_rule.round_step is not None:
        add("tier_rounding", [tier_rule.quantity],
            [("step", text_of(tier_rule.round_step)), ("mode", tier_rule.round_mode)], tier_rule.span,
            words=tier_rule.doc)


def _rounded(value: Fraction, rule: ir.TierRule) -> Fraction:
    """The allowance of a 30-day bill as the sheet's example states it (rounded as the rule says)."""
    from decimal import ROUND_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, ROUND_UP, Decimal

    if rule.round_step is None:
        return value
    modes = {"half_up": ROUND_HALF_UP, "half_even": ROUND_HALF_EVEN, "down": ROUND_DOWN, "up": ROUND_UP}
    steps = Fraction(value / rule.round_step)
    whole = (Decimal(steps.numerator) / Decimal(steps.denominator)).quantize(
        Decimal(1), rounding=modes.get(rule.round_mode or "half_up", ROUND_HALF_UP))
    return Fraction(whole) * rule.round_step


def clause_text(clause: ir.Clause) -> str:
    """A TOU clause as it is written in the `.tariff` file: `mon-fri 16:00-21:00 except holidays`."""
    if clause.kind in ("otherwise", "always"):
        return clause.kind
    if clause.holidays_only:
        days = "holidays"
    elif clause.weekdays == frozenset(range(7)):
        days = "every day"
    else:
        days = ", ".join(_day_runs(sorted(clause.weekdays)))
    text = days
    if clause.hours != ((0, 1440),):
        text += " " + ", ".join(f"{_hhmm(a)}-{_hhmm(b)}" for a, b in clause.hours)
    return text + (" except holidays" if clause.except_holidays else "")


def holiday_text(h: ir.Holiday) -> str:
    """The holiday's date rule as written: `dec 25`, `third mon of jan`, `day after thanksgiving`."""
    if h.relative_to is not None:
        relation = {1: "day after", -1: "day before"}.get(h.offset_days)
        return f"{relation} {h.relative_to}" if relation else f"{h.offset_days:+d} days from {h.relative_to}"
    month = ir.MONTHS[h.month - 1]
    if h.day is not None:
        base = f"{month} {h.day}"
    else:
        ordinal = {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth", -1: "last"}[h.ordinal]
        base = f"{ordinal} {ir.WEEKDAYS[h.weekday]} of {month}"
    return base + (f" {h.offset_days:+d} days" if h.offset_days else "")


def _day_runs(days: list[int]) -> list[str]:
    runs, start = [], None
    for i, d in enumerate(days):
        if start is None:
            start = d
        if i + 1 == len(days) or days[i + 1] != d + 1:
            runs.append(ir.WEEKDAYS[start] if start == d else f"{ir.WEEKDAYS[start]}-{ir.WEEKDAYS[d]}")
            start = None
    return runs


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _md(md: tuple[int, int]) -> str:
    return f"{ir.MONTHS[md[0] - 1]} {md[1]}"


def _history_values(limit: ir.Limit) -> list[tuple[str, str | None]]:
    """How the bound is judged: per bill, or over the months (compiler/applicability.py)."""
    if limit.history == "sustained":
        return [("consecutive_months", str(limit.months)), ("in_recent_months", str(limit.window))]
    if limit.history == "per_year":
        return [("per", "year")]
    return []


def _opt(value: Fraction | None) -> str | None:
    return None if value is None else text_of(value)


@attrs.frozen
class RuleChange:
    """A rule that differs between two versions: `old` or `new` is None when it exists in one only."""

    identity: tuple[str, tuple[str, ...]]
    old: RuleRecord | None
    new: RuleRecord | None

    @property
    def record(self) -> RuleRecord:
        return self.new or self.old

    def as_dict(self, schedule_id: str, from_version: str, to_version: str) -> dict:
        return {"schedule": schedule_id, "from_version": from_version, "to_version": to_version,
                "rule": self.identity[0], "key": list(self.identity[1]),
                "current": _comparable(self.old), "proposed": _comparable(self.new),
                "source": self.record.source}


def _comparable(record: RuleRecord | None) -> dict | None:
    if record is None:
        return None
    out = {name: value for name, value in record.values if value is not None}
    if record.applies_to:
        out["applies_to"] = ", ".join(record.applies_to)
    if record.condition:
        out["condition"] = record.condition
    return out


def rule_changes(schedule: ir.Schedule, old: ir.Version, new: ir.Version) -> list[RuleChange]:
    """The rules that changed from `old` to `new` (values, what they apply to or their condition);
    rules only in one version are changes too. The sheet's words are not compared (a reworded
    sentence with the same values is not a rule change)."""
    before = {r.identity: r for r in rule_records(schedule, old)}
    after = {r.identity: r for r in rule_records(schedule, new)}
    out = []
    for identity in list(after) + [i for i in before if i not in after]:
        a, b = before.get(identity), after.get(identity)
        if _meaning(a) != _meaning(b):
            out.append(RuleChange(identity=identity, old=a, new=b))
    return out


def _meaning(record: RuleRecord | None) -> dict | None:
    """What a rule decides, for comparison: an allowance (or its worked example) is its amount per day
    (2.0 therms per day and 60 therms per 30 days are one rule, as the G-1 sheets word it), everything
    else its values."""
    out = _comparable(record)
    if out is not None and record.rule in ("tier_allowance", "tier_example") and "amount" in out:
        days = 1 if out["per"] == "day" else int(out["per"].split()[0])
        per_day = Fraction(out["amount"]) / days  # the rounded 30-day example follows from it
        out = {k: v for k, v in out.items() if k not in ("amount", "per", "for_30_days")}
        out["per_day"] = str(per_day)
    return out
