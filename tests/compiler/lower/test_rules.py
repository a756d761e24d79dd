"""Rule statements → ir.Rules, one test per merge rule of compiler/lower/rules.py RULES.

Each test writes the schedule-level (inherited) rules and a version's, and states the merged
rules the version must get."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

from tariffc.compiler import ir
from tariffc.compiler.lower.rules import RULES
from tariffc.dsl import ast

HEAD = """
schedule X-1 "Test"
  utility electric
  class residential
"""


def only_version(lowered) -> ir.Version:
    (schedule,) = lowered.schedules
    (version,) = schedule.versions
    return version


def test_every_rule_statement_kind_has_one_handler():
    assert set(RULES) == {ast.Seasons, ast.Prorate, ast.Tiers, ast.Periods, ast.Demand, ast.Adjustment,
                          ast.Exempt, ast.Minimum, ast.Billing, ast.Note, ast.YearlyFees, ast.Index,
                          ast.DemandCredit, ast.Estimate, ast.Bound}


def test_credit_on_the_same_charges_replaces_the_inherited_one(lower, codes):
    lowered = lower(HEAD + """
  input off_kw kW "why"
  input idle flag "why"
  credit demand by off_kw when not idle "schedule's"
  credit standby by off_kw "another charge's: kept"

version 2025-07-01
  charge demand "Demand" per kW
    columns total
    all 10
  charge standby "Standby" per kW
    columns total
    all 5
  credit demand in max by off_kw refused "the version's words cannot decide it" "version's"
""")
    rules = only_version(lowered).rules
    assert [(c.charges, c.window, c.refused, c.doc) for c in rules.credits] == [
        (("standby",), None, None, "another charge's: kept"),
        (("demand",), "max", "the version's words cannot decide it", "version's")]


def test_demand_option_comes_with_its_interval(lower, codes):
    lowered = lower(HEAD + """
  input demand_interval number "why"
  demand 15 minutes or 5 minutes by demand_interval "D.3"

version 2025-07-01
  charge customer "Customer" 5.00 per month
""")
    rules = only_version(lowered).rules
    assert (rules.demand_minutes, rules.demand_option, rules.demand_input) == (15, 5, "demand_interval")


def test_tiers_first_of_a_quantity_replaces_inherited_later_ones_add(lower, codes):
    lowered = lower(HEAD + """
  tiers kwh
    tier1 up_to 11 kWh per day
    tier2 rest
  tiers therms
    tier1 up_to 2 therms per day
    tier2 rest

version 2025-07-01
  tiers kwh
    t1 up_to 15 kWh per day in summer
    t2 rest
  tiers kwh
    t1 up_to 9 kWh per day in winter
    t2 rest
""")
    assert codes(lowered) == []
    rules = only_version(lowered).rules
    assert [(t.quantity, [a.amount for tier in t.tiers for a in tier.allowances]) for t in rules.tiers] == [
        ("therms", [Fraction(2)]), ("kwh", [Fraction(15)]), ("kwh", [Fraction(9)])]
    assert rules.tiers[1].tiers[0].allowances[0] == ir.Allowance(amount=Fraction(15), unit="kWh", per_days=1,
                                                                 season="summer", span=None)


def test_periods_replace_per_charge_and_kind(lower, codes):
    lowered = lower(HEAD + """
  periods energy
    peak mon-fri 16:00-21:00 except holidays
    off_peak otherwise
  windows demand
    peak mon-fri 12:00-18:00

version 2025-07-01
  periods energy summer
    on sat-mon 08:00-10:00, 12:00-24:00
    off otherwise
  periods energy winter
    all always
""")
    assert codes(lowered) == []
    periods = only_version(lowered).rules.periods
    assert [(p.charge, p.partition, p.season) for p in periods] == [
        ("demand", False, None), ("energy", True, "summer"), ("energy", True, "winter")]
    on = periods[1].periods[0].clauses[0]
    assert on == ir.Clause(kind="days", weekdays=frozenset({5, 6, 0}), hours=((480, 600), (720, 1440)), span=None)
    assert periods[0].periods[0].clauses[0].hours == ((720, 1080),)


def test_adjustment_replaced_by_name_others_kept(lower, codes):
    lowered = lower(HEAD + """
  input low_income flag
  input medical flag
  discount rate_assist 25% of energy when low_income
  discount medical 10% of energy when medical

version 2025-07-01
  discount rate_assist 20% of energy, customer when low_income
""")
    assert codes(lowered) == []
    adjustments = only_version(lowered).rules.adjustments
    assert [(a.name, a.percent.value, a.charges) for a in adjustments] == [
        ("medical", Fraction(10), ("energy",)), ("rate_assist", Fraction(20), ("energy", "customer"))]


def test_exemptions_and_notes_accumulate(lower, codes):
    lowered = lower(HEAD + """
  input a flag
  input b flag
  exempt energy when a
  note "schedule rule note"

version 2025-07-01
  exempt customer when not b
  note "version note"
  note "second version note"
""")
    assert codes(lowered) == []
    rules = only_version(lowered).rules
    assert [(e.charge, e.condition) for e in rules.exemptions] == [
        ("energy", ir.Condition(kind="flag", input="a")), ("customer", ir.Condition(kind="not", input="b"))]
    # a schedule-level note is the schedule's own, not a rule note; a version's note is a rule note
    assert lowered.schedules[0].notes == ("schedule rule note",)
    assert rules.notes == ("version note", "second version note")


def test_minimum_seasons_demand_replaced_whole(lower, codes):
    lowered = lower(HEAD + """
  seasons
    summer jun 1 to sep 30
    winter oct 1 to may 31
  demand 15 minutes
  minimum 0.30 per day

version 2025-07-01
  seasons "new seasons"
    summer may 1 to oct 31
    winter nov 1 to apr 30
  demand 30 minutes
  minimum customer
""")
    assert codes(lowered) == []
    rules = only_version(lowered).rules
    assert [(s.name, s.start, s.end) for s in rules.seasons] == [("summer", (5, 1), (10, 31)),
                                                                  ("winter", (11, 1), (4, 30))]
    assert rules.seasons_doc == "new seasons"
    assert rules.demand_minutes == 30
    assert rules.minimums == (ir.Minimum(charge="customer", amount=None, unit=None, doc=None, span=None),)


def test_prorate_replaces_only_its_subject(lower, codes):
    calendar = """
calendar c "C"
  billing
    prorate versions by days "calendar versions"
    prorate intervals by timestamp "calendar intervals"
"""
    lowered = lower(calendar, HEAD + """  calendar c

version 2025-07-01
  prorate versions by days "version's own"
""")
    assert codes(lowered) == []
    assert only_version(lowered).rules.prorate == (("intervals", "calendar intervals"),
                                                   ("versions", "version's own"))


def test_a_second_billing_block_is_refused_and_starts_again_from_the_inherited_conventions(lower, codes):
    calendar = """
calendar c "C"
  billing
    period end_exclusive max 40 days
    monthly_charges prorated 30
"""
    lowered = lower(calendar, HEAD + """  calendar c

version 2025-07-01
  billing
    rounding total half_even 0.01
  billing
    period end_exclusive max 35 days
""")
    # the first block's rounding would be silently lost: two `billing` blocks in one list is T306
    assert codes(lowered) == ["T306"]
    billing = only_version(lowered).rules.billing
    # the second block is over the calendar's conventions: the first block's rounding is gone
    assert (billing.max_days, billing.monthly_charges, billing.proration_divisor) == (35, "prorated", 30)
    assert billing.rounding_mode == ir.Billing().rounding_mode
    assert lowered.schedules[0].versions[0].effective == dt.date(2025, 7, 1)


def test_rule_values_refused_with_their_codes(lower, codes):
    lowered = lower(HEAD + """
  demand 7 minutes
  tiers kwh
    tier1 up_to 1 kWh per day
    tier2 rest
    round allowance 0 sideways
  periods energy
    peak mon-fri 21:00-16:00
    off otherwise
  prorate seasons by timestamp
""")
    assert codes(lowered) == ["T316", "T309", "T316", "T305", "T309"]
