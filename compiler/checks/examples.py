"""A tier rule's worked examples agree with the rule (T230).

G-1 D.3 (FY 2026) states the allowance as "23 therms per 30 day billing period during the Summer
period ... rounded to the nearest whole therm", then gives "As an example, ... 0.767 therms per day
during the Summer period (0.767 therms per day x 30 days = 23 therms)". The bill follows the rule;
the example is carried (`example tier1 0.767 therms per day in summer`) so `tariffc rates` shows it,
and this check proves it gives the same rounded allowance as the rule for every bill of 1 to the
billing period's maximum days, one season or two (the season's days at the example's rate, the
other season's at the rule's). Where the two part, the first bill length that shows it is named.
"""

from __future__ import annotations

from fractions import Fraction

from tariffc.compiler import ir
from tariffc.compiler.lower.values import ROUNDING_MODES
from tariffc.compiler.runtime import round_to
from tariffc.compiler.runtime.numbers import text_of
from tariffc.dsl.diagnostics import error


def examples_agree(schedule: ir.Schedule):
    for version in schedule.versions:
        for rule in version.rules.tiers:
            if rule.round_step is not None and rule.round_mode not in ROUNDING_MODES:
                continue  # T309 names the mode; nothing can be rounded with it (fuzz seed 22: ValueError)
            for example in rule.examples:
                yield from _example(version, rule, example)


def _example(version: ir.Version, rule: ir.TierRule, example: ir.TierExample):
    tier = next((t for t in rule.tiers if t.name == example.tier), None)
    stated = next((a for a in tier.allowances if a.season == example.season), None) if tier else None
    where = f"{example.tier}" + (f" in {example.season}" if example.season else "")
    if stated is None:
        yield error("T230", f"the example names {where}, for which the {rule.quantity} tier rule states no allowance",
                    example.span, f"version {version.label}",
                    hint="an example restates one allowance of the rule: name its tier and season")
        return
    if example.unit.rstrip("s") != stated.unit.rstrip("s"):
        yield error("T230", f"the example is in {example.unit}, the rule's allowance in {stated.unit}", example.span)
        return
    given = example.amount.value / example.per_days
    ruled = stated.amount / stated.per_days
    others = [a.amount / a.per_days for a in tier.allowances if a is not stated]
    max_days = version.rules.billing.max_days

    def rounded(x: Fraction) -> Fraction:
        return round_to(x, rule.round_step, rule.round_mode) if rule.round_step is not None else x

    for days in range(1, max_days + 1):
        for other in [None] + others:
            for other_days in ([0] if other is None else range(1, max_days - days + 1)):
                rest = other * other_days if other is not None else Fraction(0)
                a, b = rounded(given * days + rest), rounded(ruled * days + rest)
                if a != b:
                    mixed = f" and {other_days} days of another season" if other_days else ""
                    yield error("T230", f"the example ({example.amount.text} {example.unit} per "
                                        f"{_per(example.per_days)}) does not give the rule's allowance",
                                example.span,
                                f"a bill of {days} days in {example.season or 'the period'}{mixed}: the example gives "
                                f"{text_of(a)}, the rule ({text_of(stated.amount)} {stated.unit} per "
                                f"{_per(stated.per_days)}) gives {text_of(b)}",
                                f"version {version.label}, {where}",
                                hint="check both values against the sheet; the rule governs the bill")
                    return


def _per(days: int) -> str:
    return "day" if days == 1 else f"{days} days"
