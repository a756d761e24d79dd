"""Literals → exact values (compiler/lower/values.py), and charges → ir.Charge (charges.py)."""

from __future__ import annotations

from fractions import Fraction

from tariffc.compiler import ir
from tariffc.compiler.lower import values
from tariffc.compiler.lower.context import Lowering
from tariffc.dsl import ast
from tariffc.dsl.diagnostics import Span

AT = Span("x.tariff", 1, 1, 1, 2)


def lit(text: str) -> ast.Lit:
    return ast.Lit(text=text, span=AT)


def test_numbers_are_exact_and_keep_their_text():
    assert values.number(lit("0.19461")) == ir.Number(value=Fraction(19461, 100000), text="0.19461", span=None)
    assert values.number(lit("12.5%")) == ir.Number(value=Fraction(25, 2), text="12.5", span=None)
    not_entered = values.number(lit("?"))
    assert (not_entered.value, not_entered.entered) == (0, False)


def test_values_refused_with_a_stand_in():
    lx = Lowering()
    assert values.date(lx, lit("2025-02-29")) is None
    assert values.month_day(lx, lit("feb"), lit("29")) == (2, 29)  # a day of a leap year
    assert values.month_day(lx, lit("apr"), lit("31")) == (4, 1)
    assert values.rounding_step(lx, lit("0.0000001")) == Fraction(1, 100)
    assert values.rounding_step(lx, lit("10000000")) == Fraction(10**6)
    assert values.demand_minutes(lx, lit("7")) == 15
    assert values.positive_integer(lx, lit("0"), "a proration divisor") == 1
    assert values.timezone(lx, ast.Text(value="Mars/Olympus", span=AT)) == "America/Los_Angeles"
    assert values.rounding_mode(lx, lit("sideways")) == "sideways"
    assert [d.code for d in lx.diagnostics] == ["T304", "T304", "T316", "T316", "T316", "T316", "T315", "T309"]
    assert values.demand_minutes(lx, lit("5")) == 5 and values.rounding_step(lx, lit("1")) == 1
    assert len(lx.diagnostics) == 8


def test_minutes():
    assert [values.minutes(t) for t in ("00:00", "16:30", "24:00", "24:01", "12:60", "noon")] == [
        0, 990, 1440, None, None, None]


def test_charges_single_value_bands_and_table_refusals(lower, codes):
    lowered = lower('''schedule X-1 "X"
  utility electric
  input size kW

version 2025-07-01
  charge customer "Customer Charge" 5.15 per month
  charge service per month by size
    small [0, 20) 10
    large [20, inf) 30
  charge energy per kWh when size
    columns commodity distribution = total
    tier1 0.1 0.2 = 0.3
    tier1 0.1 0.2 = 0.3
    tier2 0.1 = 0.1
''')
    assert codes(lowered) == ["T306", "T306"]
    customer, service, energy = lowered.schedules[0].versions[0].charges
    assert (customer.quantity, customer.columns, customer.rows[0].keys, customer.rows[0].components[0][1].value,
            customer.section) == ("bill", ("customer",), ("all",), Fraction(515, 100),
                                  "C. Unbundled rates › Customer Charge")
    assert [(b.key, b.low, b.low_closed, b.high, b.high_closed, b.value.value) for b in service.bands] == [
        ("small", 0, True, 20, False, 10), ("large", 20, True, None, False, 30)]
    assert service.band_input == "size"
    assert (energy.quantity, energy.has_total, energy.condition) == ("kwh", True, ir.Condition(kind="flag",
                                                                                               input="size"))
