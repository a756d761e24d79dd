"""The transformer on its own: `.tariff` snippet → surface AST (dsl/transform.py), input and
expected nodes side by side. Nodes compare without their spans (attrs eq=False), so each expected
node is written with span=None; positions are tested once, at the end."""

from __future__ import annotations

import textwrap

import pytest

from tariffc.dsl import ast
from tariffc.dsl.diagnostics import DiagnosticError
from tariffc.dsl.transform import parse_text


def L(text: str) -> ast.Lit:  # noqa: N802 - a literal, as written
    return ast.Lit(text=text, span=None)


def T(value: str) -> ast.Text:  # noqa: N802 - a quoted string, unescaped
    return ast.Text(value=value, span=None)


def parse(text: str) -> tuple:
    return parse_text(textwrap.dedent(text).lstrip("\n"), "snippet.tariff").items


def version_statements(body: str) -> tuple:
    (schedule, version) = parse('schedule X-1 "X"\n  utility electric\n\nversion 2025-07-01\n' + body)
    return version.statements


def test_schedule_header_statements():
    (schedule,) = parse('''
        schedule E-1 "Residential"
          utility electric
          class residential
          calendar cpau
          applicability "Single-family homes."
          limit demand 0 to 1000 kW "A.1"
          input green_option choice renewable_100 block_1000 "C.2"
          input low_income flag
          note "a schedule note"
        ''')
    assert schedule == ast.Schedule(id=L("E-1"), title=T("Residential"), span=None, statements=(
        ast.Header(kind="utility", value=L("electric"), span=None),
        ast.Header(kind="class", value=L("residential"), span=None),
        ast.Header(kind="calendar", value=L("cpau"), span=None),
        ast.Header(kind="applicability", value=T("Single-family homes."), span=None),
        ast.Limit(quantity=L("demand"), low=L("0"), high=L("1000"), unit="kW", doc=T("A.1"), span=None),
        ast.Input(name=L("green_option"), type="choice", unit=None, choices=(L("renewable_100"), L("block_1000")),
                  doc=T("C.2"), span=None),
        ast.Input(name=L("low_income"), type="flag", unit=None, choices=(), doc=None, span=None),
        ast.Note(text=T("a schedule note"), span=None)))


def test_version_and_its_charges():
    (_, version) = parse('''
        schedule X-1 "X"
          utility electric

        version 2025-07-01 supersedes 2024-07-01
          source "003.txt" "Sheet E-1-1" line 1597
          ends 2026-07-01 "FY2026 only"
          charge energy "Per kWh" per kWh
            columns commodity distribution = total
            tier1 "Tier 1" 0.10270 - = 0.19461
          charge customer 5.15 per month credit when low_income
        ''')
    assert (version.effective, version.supersedes) == (L("2025-07-01"), L("2024-07-01"))
    source, ends, energy, customer = version.statements
    assert source == ast.Source(document=T("003.txt"), sheet=T("Sheet E-1-1"), line=L("1597"), span=None)
    assert ends == ast.Ends(date=L("2026-07-01"), reason=T("FY2026 only"), span=None)
    assert energy == ast.Charge(
        name=L("energy"), label=T("Per kWh"), unit="kWh", on=None, credit=False, condition=None,
        columns=(L("commodity"), L("distribution")), total_column=L("total"), span=None,
        rows=(ast.Row(keys=(L("tier1"),), label=T("Tier 1"), cells=(L("0.10270"), L("-")), total=L("0.19461"),
                      span=None),))
    assert customer == ast.Charge(name=L("customer"), label=None, unit="month", on=None, credit=True,
                                  condition=ast.Condition(kind="flag", name=L("low_income"), span=None),
                                  value=L("5.15"), span=None)


def test_banded_charge_and_pass_through():
    banded, passthrough = version_statements('''  charge service per month by meter_capacity
    small "Up to 220 scfh" [0, 220] 29.06
    large (220, inf) 94.94
  passthrough commodity "Gas commodity" per therm 0 to 5
''')
    assert banded.band_input == L("meter_capacity")
    assert banded.bands == (
        ast.Band(key=L("small"), label=T("Up to 220 scfh"), open_low=False, low=L("0"), high=L("220"),
                 open_high=False, value=L("29.06"), span=None),
        ast.Band(key=L("large"), label=None, open_low=True, low=L("220"), high=L("inf"), open_high=True,
                 value=L("94.94"), span=None))
    assert passthrough == ast.PassThrough(name=L("commodity"), label=T("Gas commodity"), unit="therm",
                                          low=L("0"), high=L("5"), span=None)


def test_rule_statements():
    seasons, tiers, periods, windows, demand, discount, exempt, minimum = version_statements('''  seasons "D.1"
    summer "Summer" jun 1 to sep 30
  tiers kwh "D.2"
    tier1 up_to 11 kWh per day in summer, 330 kWh per 30 days
    tier2 rest
    round allowance 1 half_up "whole kWh"
  periods energy summer
    peak mon-fri 16:00-21:00 except holidays
    off otherwise
  windows demand when primary
    peak every day 12:00-14:00, 16:00-18:00; holidays
  demand 15 minutes "D.4"
  discount rate_assist 25% of energy, customer for each 5% solar below 50% when low_income "D.5"
  exempt customer when not metered
  minimum customer when service is small
''')
    assert seasons == ast.Seasons(doc=T("D.1"), span=None, seasons=(ast.Season(
        name=L("summer"), label=T("Summer"), start_month=L("jun"), start_day=L("1"), end_month=L("sep"),
        end_day=L("30"), span=None),))
    assert tiers == ast.Tiers(quantity=L("kwh"), doc=T("D.2"), span=None, tiers=(
        ast.Tier(name=L("tier1"), span=None, allowances=(
            ast.Allowance(amount=L("11"), unit="kWh", per_days=None, season=L("summer"), span=None),
            ast.Allowance(amount=L("330"), unit="kWh", per_days=L("30"), season=None, span=None))),
        ast.Tier(name=L("tier2"), allowances=(), span=None)),
        rounding=ast.TierRound(step=L("1"), mode=L("half_up"), doc=T("whole kWh"), span=None))
    assert periods == ast.Periods(partition=True, charge=L("energy"), season=L("summer"), doc=None, condition=None,
                                  span=None, lines=(
        ast.PeriodLine(name=L("peak"), span=None, clauses=(ast.Clause(kind="days", days=L("mon-fri"),
                                                                     hours=(L("16:00-21:00"),),
                                                                     except_holidays=True, span=None),)),
        ast.PeriodLine(name=L("off"), clauses=(ast.Clause(kind="otherwise", span=None),), span=None)))
    assert (windows.partition, windows.condition) == (False, ast.Condition(kind="flag", name=L("primary"), span=None))
    assert windows.lines[0].clauses == (
        ast.Clause(kind="days", days=L("every day"), hours=(L("12:00-14:00"), L("16:00-18:00")), span=None),
        ast.Clause(kind="days", days=L("holidays"), span=None))
    assert demand == ast.Demand(minutes=L("15"), doc=T("D.4"), span=None)
    assert discount == ast.Adjustment(
        kind="discount", name=L("rate_assist"), percent=L("25%"), charges=(L("energy"), L("customer")),
        condition=ast.Condition(kind="flag", name=L("low_income"), span=None), doc=T("D.5"),
        scaled=(L("5%"), L("solar"), L("50%")), span=None)
    assert exempt == ast.Exempt(charge=L("customer"), condition=ast.Condition(kind="not", name=L("metered"),
                                                                               span=None), doc=None, span=None)
    assert minimum == ast.Minimum(charge=L("customer"), amount=None, unit=None, doc=None, span=None,
                                  condition=ast.Condition(kind="is", name=L("service"), value=L("small"), span=None))


def test_calendar_holidays_and_billing():
    (calendar,) = parse('''
        calendar cpau "CPAU"
          timezone "America/Los_Angeles"
          holiday new_year "New Year" jan 1 observed nearest_weekday
          holiday thanksgiving fourth thu of nov
          holiday day_after "Day after" day after thanksgiving
          holiday eve "Eve" dec 25 - 1 day
          billing "Rule 11"
            period end_exclusive max 62 days
            monthly_charges prorated 30
            rounding total half_up 0.01
            prorate versions by days "why"
        ''')
    assert (calendar.name, calendar.title, calendar.timezone) == (L("cpau"), T("CPAU"), T("America/Los_Angeles"))
    assert calendar.holidays == (
        ast.Holiday(name=L("new_year"), label=T("New Year"), date=ast.FixedDate(month=L("jan"), day=L("1")),
                    observed=L("nearest_weekday"), span=None),
        ast.Holiday(name=L("thanksgiving"), label=None, observed=None, span=None,
                    date=ast.NthWeekday(ordinal=L("fourth"), weekday=L("thu"), month=L("nov"))),
        ast.Holiday(name=L("day_after"), label=T("Day after"), observed=None, span=None,
                    date=ast.RelativeDate(relation=L("after"), holiday=L("thanksgiving"))),
        ast.Holiday(name=L("eve"), label=T("Eve"), observed=None, span=None,
                    date=ast.FixedDate(month=L("dec"), day=L("25")),
                    offset=ast.HolidayOffset(sign=L("-"), days=L("1"), span=None)))
    assert calendar.billing == ast.Billing(doc=T("Rule 11"), span=None, statements=(
        ast.BillingPeriod(convention=L("end_exclusive"), max_days=L("62"), span=None),
        ast.MonthlyCharges(mode=L("prorated"), divisor=L("30"), span=None),
        ast.Rounding(what=L("total"), mode=L("half_up"), step=L("0.01"), span=None),
        ast.Prorate(what=L("versions"), doc=T("why"), how=L("days"), span=None)))


def test_published_table():
    (table,) = parse('''
        published "Table 14" "Rates"
          source "003.txt" "Table 14" line 1238
          columns 2024-07-01 2025-07-01 change pct_change
          E-1 energy tier1 total 0.19461 0.20570 0.01109 5.7%
          discrepancy E-1 energy tier1 total "why"
        ''')
    assert table == ast.Published(
        title=T("Table 14"), caption=T("Rates"), notes=(), span=None,
        source=ast.Source(document=T("003.txt"), sheet=T("Table 14"), line=L("1238"), span=None),
        columns=(L("2024-07-01"), L("2025-07-01"), L("change"), L("pct_change")),
        rows=(ast.PublishedRow(schedule=L("E-1"), path=(L("energy"), L("tier1"), L("total")),
                               values=(L("0.19461"), L("0.20570"), L("0.01109"), L("5.7%")), span=None),),
        discrepancies=(ast.PublishedDiscrepancy(schedule=L("E-1"), path=(L("energy"), L("tier1"), L("total")),
                                                reason=T("why"), span=None),))


def test_spans_point_at_the_source():
    (schedule, version) = parse('schedule X-1 "X"\n  utility electric\n\nversion 2025-07-01\n'
                                '  charge customer 5.15 per month\n')
    charge = version.statements[0]
    assert (charge.span.line, charge.span.column) == (5, 3)
    assert (charge.value.span.line, charge.value.span.column) == (5, 19)
    assert (version.effective.span.line, version.effective.span.column) == (4, 9)


def test_a_syntax_error_is_a_diagnostic_not_an_exception_of_lark():
    with pytest.raises(DiagnosticError) as caught:
        parse('schedule X-1 "X"\n  utility electric\n  tiers kwh\n    tier1 up_to kWh per day\n')
    (diagnostic,) = caught.value.diagnostics
    assert diagnostic.code.startswith("T1") and diagnostic.span.line == 4
