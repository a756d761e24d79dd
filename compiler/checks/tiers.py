"""Tiers are ordered and contiguous: rising allowances, the last tier open-ended, units that agree."""

from __future__ import annotations

from fractions import Fraction

from tariffc.compiler import ir
from tariffc.dsl.diagnostics import error

UNIT_OF_QUANTITY = {"kwh": ("kWh",), "therms": ("therm", "therms")}


def _per_day(allowance: ir.Allowance) -> Fraction:
    return allowance.amount / allowance.per_days


def tiers_contiguous(schedule: ir.Schedule):
    seen = set()
    for version in schedule.versions:
        for rule in version.rules.tiers:
            if rule in seen:
                continue
            seen.add(rule)
            yield from _check_rule(rule, version)


def _check_rule(rule: ir.TierRule, version: ir.Version):
    names = [t.name for t in rule.tiers]
    if len(set(names)) != len(names):
        yield error("T205", f"tiers {rule.quantity}: a tier name is used twice ({', '.join(names)})", rule.span)
    if not rule.tiers or rule.tiers[-1].allowances:
        yield error("T205", f"tiers {rule.quantity}: the last tier must be `rest` (all usage above the others)",
                    rule.span, hint="end the tier list with `NAME rest`")
    for tier in rule.tiers[:-1]:
        if not tier.allowances:
            yield error("T205", f"tier {tier.name} is `rest` but is not the last tier", tier.span)
    units = UNIT_OF_QUANTITY.get(rule.quantity)
    if units is None:
        yield error("T206", f"tiers on '{rule.quantity}': tiers apply to kwh or therms", rule.span)
    seasons = {s.name for s in version.rules.seasons}
    previous: dict[str | None, Fraction] = {}
    for tier in rule.tiers:
        for allowance in tier.allowances:
            if units and allowance.unit not in units:
                yield error("T206", f"tier {tier.name}: allowance in {allowance.unit} for tiers on {rule.quantity}",
                            allowance.span, hint=f"write the allowance in {units[0]}")
            if allowance.amount <= 0 or allowance.per_days <= 0:
                yield error("T205", f"tier {tier.name}: the allowance must be positive", allowance.span)
            if allowance.season is not None and allowance.season not in seasons:
                yield error("T209", f"season '{allowance.season}' is not defined", allowance.span,
                            f"seasons: {', '.join(sorted(seasons)) or 'none'}")
            key = allowance.season
            if key in previous and _per_day(allowance) <= previous[key]:
                yield error("T205", f"tier {tier.name}: its upper bound is not above the previous tier's",
                            allowance.span, "tier bounds are cumulative and must rise")
            previous[key] = _per_day(allowance)
        bounded_seasons = {a.season for a in tier.allowances}
        if tier.allowances and None not in bounded_seasons and seasons - bounded_seasons:
            missing = ", ".join(sorted(seasons - bounded_seasons))
            yield error("T205", f"tier {tier.name} has no allowance for season {missing}", tier.span)
