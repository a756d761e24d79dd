"""The transformer's constructor table (dsl/transform.py RULES) rule by rule: each statement with its
optional parts (`[x]` in dsl/grammar.lark) written and left out, `.tariff` snippet and expected node
side by side. An absent part is None, or the field's default where the AST has one (a clause's hours
`()`, a charge's `credit` False); a part written fills its own field, never the next one's."""

from __future__ import annotations

import textwrap

import pytest

from tariffc.dsl import ast
from tariffc.dsl.parse import _parser
from tariffc.dsl.transform import RULES, ToAst, parse_text


def L(text: str) -> ast.Lit:  # noqa: N802 - a literal, as written
    return ast.Lit(text=text, span=None)


def T(value: str) -> ast.Text:  # noqa: N802 - a quoted string, unescaped
    return ast.Text(value=value, span=None)


def C(name: str) -> ast.Condition:  # noqa: N802 - `when NAME`
    return ast.Condition(kind="flag", name=L(name), span=None)


HEAD = 'schedule X-1 "X"\n  utility electric\n'


def in_schedule(text: str):
    (schedule,) = parse_text(HEAD + textwrap.indent(textwrap.dedent(text).strip("\n"), "  ") + "\n", "s.tariff").items
    return schedule.statements[1]


def in_version(text: str):
    body = textwrap.indent(textwrap.dedent(text).strip("\n"), "  ")
    (_, version) = parse_text(HEAD + "\nversion 2025-07-01\n" + body + "\n", "s.tariff").items
    return version.statements[0]


def in_calendar(text: str):
    body = textwrap.indent(textwrap.dedent(text).strip("\n"), "  ")
    (calendar,) = parse_text("calendar c\n" + body + "\n", "c.tariff").items
    return calendar


SCHEDULE_CASES = {
    "limit, every part": (
        "limit therms 0 to 250000 therms for 3 consecutive months in 12 when large \"A.1\"",
        ast.Limit(quantity=L("therms"), low=L("0"), high=L("250000"), unit="therms", doc=T("A.1"), span=None,
                  history=ast.LimitHistory(kind="sustained", months=L("3"), window=L("12"), span=None),
                  condition=C("large"))),
    "limit at_least, no part": (
        "limit demand at_least 500 kW",
        ast.Limit(quantity=L("demand"), low=L("500"), high=None, unit="kW", doc=None, span=None)),
    "limit up_to per year": (
        "limit therms up_to 250000 therm per year",
        ast.Limit(quantity=L("therms"), low=None, high=L("250000"), unit="therm", doc=None, span=None,
                  history=ast.LimitHistory(kind="per_year", span=None))),
    "input of a unit, documented": (
        'input area kWh "words"',
        ast.Input(name=L("area"), type="unit", unit="kWh", choices=(), doc=T("words"), span=None)),
    "input count, no doc": (
        "input lamps count",
        ast.Input(name=L("lamps"), type="count", unit=None, choices=(), doc=None, span=None)),
    "input number": (
        "input ratio number",
        ast.Input(name=L("ratio"), type="number", unit=None, choices=(), doc=None, span=None)),
    "territory": (
        'territory "Palo Alto"',
        ast.Header(kind="territory", value=T("Palo Alto"), span=None)),
    "credit, every part": (
        'credit demand, peak in window by standby_kw refused "why" when big "D.7"',
        ast.DemandCredit(charges=(L("demand"), L("peak")), window=L("window"), input=L("standby_kw"),
                         refused=T("why"), condition=C("big"), doc=T("D.7"), span=None)),
    "credit, no part": (
        "credit demand by standby_kw",
        ast.DemandCredit(charges=(L("demand"),), window=None, input=L("standby_kw"), refused=None, condition=None,
                         doc=None, span=None)),
    "seasons and a season, no doc or label": (
        "seasons\n  summer jun 1 to sep 30",
        ast.Seasons(doc=None, span=None, seasons=(ast.Season(
            name=L("summer"), label=None, start_month=L("jun"), start_day=L("1"), end_month=L("sep"),
            end_day=L("30"), span=None),))),
    "prorate, no doc": (
        "prorate versions by timestamp",
        ast.Prorate(what=L("versions"), how=L("timestamp"), doc=None, span=None)),
    "tiers with an example, no doc, no rounding": (
        'tiers kwh\n  tier1 up_to 11 kWh per day\n  tier2 rest\n  example tier1 0.767 therms per 30 days in winter "x"',
        ast.Tiers(quantity=L("kwh"), doc=None, rounding=None, span=None, tiers=(
            ast.Tier(name=L("tier1"), span=None, allowances=(
                ast.Allowance(amount=L("11"), unit="kWh", per_days=None, season=None, span=None),)),
            ast.Tier(name=L("tier2"), allowances=(), span=None)),
            examples=(ast.TierExample(tier=L("tier1"), doc=T("x"), span=None, allowance=ast.Allowance(
                amount=L("0.767"), unit="therms", per_days=L("30"), season=L("winter"), span=None)),))),
    "tier rounding, no doc": (
        "tiers kwh\n  tier1 rest\n  round allowance 1 half_up",
        ast.Tiers(quantity=L("kwh"), doc=None, span=None, tiers=(ast.Tier(name=L("tier1"), allowances=(), span=None),),
                  rounding=ast.TierRound(step=L("1"), mode=L("half_up"), doc=None, span=None))),
    "periods, no season, doc or condition; a clause with no hours": (
        "periods energy\n  weekend sat-sun\n  rest always",
        ast.Periods(partition=True, charge=L("energy"), season=None, doc=None, condition=None, span=None, lines=(
            ast.PeriodLine(name=L("weekend"), span=None, clauses=(
                ast.Clause(kind="days", days=L("sat-sun"), hours=(), except_holidays=False, span=None),)),
            ast.PeriodLine(name=L("rest"), clauses=(ast.Clause(kind="always", span=None),), span=None)))),
    "windows, every part": (
        'windows demand summer "D.3" when primary\n  peak holidays except holidays',
        ast.Periods(partition=False, charge=L("demand"), season=L("summer"), doc=T("D.3"), condition=C("primary"),
                    span=None, lines=(ast.PeriodLine(name=L("peak"), span=None, clauses=(
                        ast.Clause(kind="days", days=L("holidays"), except_holidays=True, span=None),)),))),
    "demand, the alternative interval": (
        'demand 15 minutes or 5 minutes by short_interval "D.4"',
        ast.Demand(minutes=L("15"), option=L("5"), option_input=L("short_interval"), doc=T("D.4"), span=None)),
    "demand, no part": (
        "demand 30 minutes",
        ast.Demand(minutes=L("30"), option=None, option_input=None, doc=None, span=None)),
    "estimate: its doc left out, each step's written": (
        'estimate kwh\n  lamp_watts W "a"\n  times hours h per year\n  divided_by 1000 Wh per kWh "c"',
        ast.Estimate(quantity=L("kwh"), doc=None, span=None, steps=(
            ast.EstimateStep(kind="input", operand=L("lamp_watts"), unit=(L("W"), None), doc=T("a"), span=None),
            ast.EstimateStep(kind="times", operand=L("hours"), unit=(L("h"), L("year")), doc=None, span=None),
            ast.EstimateStep(kind="divided_by", operand=L("1000"), unit=(L("Wh"), L("kWh")), doc=T("c"),
                             span=None)))),
    "bound, no doc": (
        "bound hours up_to 4100 h per year",
        ast.Bound(input=L("hours"), high=L("4100"), unit=(L("h"), L("year")), doc=None, span=None)),
    "bound, documented": (
        'bound hours up_to 4100 h "D.3"',
        ast.Bound(input=L("hours"), high=L("4100"), unit=(L("h"), None), doc=T("D.3"), span=None)),
}

VERSION_CASES = {
    "source, no sheet or line": (
        'source "a.txt"',
        ast.Source(document=T("a.txt"), sheet=None, line=None, span=None)),
    "fixed charge, every option": (
        'charge lamp "Per lamp" 5.15 per month on lamps credit when low_income',
        ast.Charge(name=L("lamp"), label=T("Per lamp"), value=L("5.15"), unit="month", on=L("lamps"), credit=True,
                   condition=C("low_income"), span=None)),
    "fixed charge, no option": (
        "charge customer ? per day",
        ast.Charge(name=L("customer"), label=None, value=L("?"), unit="day", on=None, credit=False, condition=None,
                   span=None)),
    "fixed charge, only the condition": (
        "charge customer 1 per lamp per month when x",
        ast.Charge(name=L("customer"), label=None, value=L("1"), unit="lamp per month", on=None, credit=False,
                   condition=C("x"), span=None)),
    "table charge with no total column, row label or total; keys of two names": (
        "charge energy per kWh\n  columns a b\n  summer peak 0.1 -",
        ast.Charge(name=L("energy"), label=None, unit="kWh", on=None, credit=False, condition=None,
                   columns=(L("a"), L("b")), total_column=None, span=None, rows=(
                       ast.Row(keys=(L("summer"), L("peak")), label=None, cells=(L("0.1"), L("-")), total=None,
                               span=None),))),
    "banded charge, on an input, no labels": (
        "charge service per month by capacity on meters\n  small [0, 220) 29.06\n  large (220, inf] ?",
        ast.Charge(name=L("service"), label=None, unit="month", on=L("meters"), credit=False, condition=None,
                   band_input=L("capacity"), span=None, bands=(
                       ast.Band(key=L("small"), label=None, open_low=False, low=L("0"), high=L("220"), open_high=True,
                                value=L("29.06"), span=None),
                       ast.Band(key=L("large"), label=None, open_low=True, low=L("220"), high=L("inf"),
                                open_high=False, value=L("?"), span=None)))),
    "pass-through, no label or range": (
        "passthrough commodity per therm",
        ast.PassThrough(name=L("commodity"), label=None, unit="therm", low=None, high=None, span=None)),
    "discount, no scale or doc": (
        "discount rate_assist 25% of energy when low_income",
        ast.Adjustment(kind="discount", name=L("rate_assist"), percent=L("25%"), charges=(L("energy"),),
                       condition=C("low_income"), doc=None, scaled=None, span=None)),
    "surcharge of two charges, documented": (
        'surcharge s 5% of energy, customer when x "D.9"',
        ast.Adjustment(kind="surcharge", name=L("s"), percent=L("5%"), charges=(L("energy"), L("customer")),
                       condition=C("x"), doc=T("D.9"), span=None)),
    "exempt, documented": (
        'exempt customer when metered "why"',
        ast.Exempt(charge=L("customer"), condition=C("metered"), doc=T("why"), span=None)),
    "minimum charge, no condition or doc": (
        "minimum customer",
        ast.Minimum(charge=L("customer"), amount=None, unit=None, condition=None, doc=None, span=None)),
    "minimum amount, every part": (
        'minimum 0.3283 per day when x "C"',
        ast.Minimum(charge=None, amount=L("0.3283"), unit="day", condition=C("x"), doc=T("C"), span=None)),
    "fixed fee, every part": (
        'fee pole_fee "Pole" 10.50 per pole per year on poles',
        ast.Fee(kind="fixed", name=L("pole_fee"), label=T("Pole"), amount=L("10.50"), unit=L("pole"),
                term="per year", on=L("poles"), span=None)),
    "fixed fee, no label or input": (
        "fee attach 47.60 per ft once",
        ast.Fee(kind="fixed", name=L("attach"), label=None, amount=L("47.60"), unit=L("ft"), term="once", on=None,
                span=None)),
    "table fee, a row labelled and one not": (
        'fee space per ft per month\n  ft_1 "(A)" 47.60\n  ft_2 ?',
        ast.Fee(kind="table", name=L("space"), label=None, unit=L("ft"), term="per month", span=None, rows=(
            ast.FeeRow(key=L("ft_1"), label=T("(A)"), amount=L("47.60"), span=None),
            ast.FeeRow(key=L("ft_2"), label=None, amount=L("?"), span=None)))),
    "percent fee, labelled": (
        'fee late "Late" 1.5% per month of balance',
        ast.Fee(kind="percent", name=L("late"), label=T("Late"), amount=L("1.5%"), term="per month",
                on=L("balance"), span=None)),
    "refused fee, labelled": (
        'fee cost "Actual Cost" refused "no amount"',
        ast.Fee(kind="refused", name=L("cost"), label=T("Actual Cost"), reason=T("no amount"), span=None)),
    "refused fee, no label": (
        'fee cost refused "no amount"',
        ast.Fee(kind="refused", name=L("cost"), label=None, reason=T("no amount"), span=None)),
    "index, no doc": (
        "index a, b by cpi",
        ast.Index(fees=(L("a"), L("b")), input=L("cpi"), doc=None, span=None)),
    "yearly fees, no doc": (
        "yearly_fees monthly 12",
        ast.YearlyFees(divisor=L("12"), doc=None, span=None)),
    "reference, every part": (
        'charge energy "Energy" per kWh as E-2 energy gaps "none printed"',
        ast.Reference(name=L("energy"), label=T("Energy"), unit="kWh", schedule=L("E-2"), charge=L("energy"),
                      gaps=T("none printed"), span=None)),
    "reference, no label or gaps": (
        "charge energy per kWh as E-2 energy",
        ast.Reference(name=L("energy"), label=None, unit="kWh", schedule=L("E-2"), charge=L("energy"), gaps=None,
                      span=None)),
    "discrepancy of a kind": (
        'discrepancy rounding energy tier1 "why"',
        ast.Declared(kind="rounding", path=(L("energy"), L("tier1")), reason=T("why"), span=None)),
    "unresolved": (
        'unresolved energy tier1 "why"',
        ast.Declared(kind="unresolved", path=(L("energy"), L("tier1")), reason=T("why"), span=None)),
}


@pytest.mark.parametrize("text, expected", SCHEDULE_CASES.values(), ids=SCHEDULE_CASES.keys())
def test_schedule_statement(text, expected):
    assert in_schedule(text) == expected


@pytest.mark.parametrize("text, expected", VERSION_CASES.values(), ids=VERSION_CASES.keys())
def test_version_statement(text, expected):
    assert in_version(text) == expected


def test_version_without_supersedes():
    (_, version) = parse_text(HEAD + "\nversion 2025-07-01\n  ends 2026-07-01 \"x\"\n", "s.tariff").items
    assert (version.effective, version.supersedes) == (L("2025-07-01"), None)


def test_calendar_with_no_title_timezone_or_billing():
    assert in_calendar("holiday x jan 1") == ast.Calendar(
        name=L("c"), title=None, timezone=None, billing=None, notes=(), span=None,
        holidays=(ast.Holiday(name=L("x"), label=None, date=ast.FixedDate(month=L("jan"), day=L("1")), offset=None,
                              observed=None, span=None),))


def test_holiday_with_every_part_and_billing_with_none():
    calendar = in_calendar('holiday eve "Eve" dec 25 + 2 days observed nearest_weekday\n'
                           'billing\n  period end_exclusive max 62 days\n  monthly_charges prorated\n'
                           'note "n"')
    assert calendar.holidays == (ast.Holiday(
        name=L("eve"), label=T("Eve"), date=ast.FixedDate(month=L("dec"), day=L("25")), observed=L("nearest_weekday"),
        offset=ast.HolidayOffset(sign=L("+"), days=L("2"), span=None), span=None),)
    assert calendar.billing == ast.Billing(doc=None, span=None, statements=(
        ast.BillingPeriod(convention=L("end_exclusive"), max_days=L("62"), span=None),
        ast.MonthlyCharges(mode=L("prorated"), divisor=None, span=None)))
    assert calendar.notes == (ast.Note(text=T("n"), span=None),)


def test_published_with_no_caption_or_source():
    (table,) = parse_text('published "T"\n  columns 2024-07-01 change\n  G-1 customer 1.00 2%\n', "p.tariff").items
    assert table == ast.Published(
        title=T("T"), caption=None, source=None, columns=(L("2024-07-01"), L("change")), discrepancies=(), notes=(),
        span=None, rows=(ast.PublishedRow(schedule=L("G-1"), path=(L("customer"),), values=(L("1.00"), L("2%")),
                                          span=None),))


def test_a_part_keeps_its_own_span():
    """Optional parts left out do not shift positions: the doc string of `exempt` keeps its column."""
    statement = in_version('exempt customer when metered "why"')  # indented 2: `metered` at 24, `"why"` at 32
    assert (statement.doc.span.line, statement.doc.span.column) == (5, 32)
    assert (statement.condition.span.column, statement.condition.name.span.column) == (24, 24)


def _rules_reaching_the_transformer() -> set[str]:
    """Names of the grammar's rules and aliases that make a tree node: not `_rule`s, not one-child
    `?rule`s (lark hands their child up)."""
    reach = set()
    for rule in _parser().rules:
        name = rule.alias or rule.origin.name
        if name.startswith("_"):
            continue
        kept = sum((not sym.filter_out) or rule.options.keep_all_tokens if sym.is_term
                   else (2 if sym.name.startswith("_") else 1) for sym in rule.expansion)
        kept += sum(rule.options.empty_indices or ())
        if not (rule.options.expand1 and kept == 1 and not rule.alias):
            reach.add(name)
    return reach


def test_every_rule_has_a_constructor_and_every_constructor_a_rule():
    assert set(RULES) == _rules_reaching_the_transformer()


def test_no_rule_is_shadowed_by_a_method_of_the_transformer():
    # lark calls a method named after the rule before the table; none may exist
    assert [name for name in RULES if hasattr(ToAst, name)] == []
