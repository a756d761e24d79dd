"""A version bills every minimum bill whose condition holds (ir.Rules.minimums), in all three bill
cores: E-2-G 2020-07-01 prints one minimum per green option, C.1 renewable_100 0.8536 $/day (seeds
002_a.txt line 2391) and C.2 block_1000 0.8359 $/day (line 2399). Expected totals are the sheet's
rate x the billing period's days, written here."""
from __future__ import annotations

import datetime as dt
import importlib
from decimal import Decimal
from fractions import Fraction

import attrs
import pytest

from tariffc.compiler.api import make_inputs
from tariffc.compiler.interpret import interpret

from ..support.schedules import TARIFFS

START, END = "2020-07-01", "2020-07-31"
DAYS = (dt.date(2020, 7, 31) - dt.date(2020, 7, 1)).days  # 30: the end date is the next read, not billed


def _compiled(inputs):
    return TARIFFS.module("E-2-G").bill(inputs)


def _interpreted(inputs):
    return interpret(TARIFFS.schedule("E-2-G"), inputs)


def _vectorised(inputs):
    vector = importlib.import_module("tariffc.compiler.vector")
    return vector.differential_backend(TARIFFS.schedule("E-2-G"), inputs)


CORES = {"compiled": _compiled, "interpreted": _interpreted, "vectorised": _vectorised}


@pytest.mark.parametrize("core", CORES)
@pytest.mark.parametrize(("option", "per_day"), [("renewable_100", "0.8536"), ("block_1000", "0.8359")])
def test_each_green_option_bills_its_own_minimum(core, option, per_day):
    # 1 kWh bills cents of energy, far under either floor: the bill is the option's minimum
    bill = CORES[core](make_inputs(start=START, end=END, kwh="1", values={"green_option": option}))
    floor = Fraction(Decimal(per_day)) * DAYS
    assert Fraction(bill.total_exact) == floor
    assert Decimal(bill.total) == Decimal("25.61" if option == "renewable_100" else "25.08")  # 25.608, 25.077
    minimums = [line for line in bill.lines if line.charge == "minimum"]
    assert len(minimums) == 1
    charges = sum((Fraction(line.amount) for line in bill.lines if line.charge != "minimum"), Fraction(0))
    assert 0 < charges < 1 and Fraction(minimums[0].amount) == floor - charges


def test_minimums_keep_both_rules_in_order():
    version = next(v for v in TARIFFS.schedule("E-2-G").versions if v.effective == dt.date(2020, 7, 1))
    assert [(m.amount.text, m.condition.value) for m in version.rules.minimums] == [
        ("0.8536", "renewable_100"), ("0.8359", "block_1000")]


# ------------------------------------------------------------------ every minimum shown, with its condition
# The sheet's two minimum bills of E-2-G 2020-07-01 (seeds 002_da73166ccd9ea770.txt): C.1 line 2391
# "Minimum Bill ($/day) 0.8536359" (0.8536 inserted, 0.8359 struck), C.2 lines 2398-2399 "0.8359";
# the 2019-07-01 sheet prints one, 0.8359 for both options.
C1, C2, FY2020 = "0.8536", "0.8359", "0.8359"
C1_KEY, C2_KEY = "green_option_is_renewable_100", "green_option_is_block_1000"


def _e2g(day: str):
    schedule = TARIFFS.schedule("E-2-G")
    return schedule, schedule.version_on(dt.date.fromisoformat(day))


def _rates_json(day: str) -> dict:
    import json

    from click.testing import CliRunner

    from tariffc.compiler.cli import main
    from ..support.schedules import SCHEDULES

    result = CliRunner().invoke(main, ["rates", "E-2-G", "--on", day, "--format", "json", "--schedules",
                                       str(SCHEDULES)])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_rates_json_lists_each_minimum_with_its_condition():
    out = _rates_json("2020-07-15")
    cells = [(c["row"], c["total"], c["unit"], c["row_label"]) for c in out["rates"] if c["charge"] == "minimum"]
    assert cells == [([C1_KEY], C1, "$/day", "when green_option is renewable_100"),
                     ([C2_KEY], C2, "$/day", "when green_option is block_1000")]
    rules = [(r["key"], r["condition"], dict(r["values"])["amount"]) for r in out["rules"] if r["rule"] == "minimum"]
    assert rules == [(["bill", C1_KEY], "green_option is renewable_100", C1),
                     (["bill", C2_KEY], "green_option is block_1000", C2)]
    # one minimum of every bill keeps its row `all` and rule key `bill`
    (cell,) = [c for c in _rates_json("2019-07-15")["rates"] if c["charge"] == "minimum"]
    assert (cell["row"], cell["total"], cell["row_label"]) == (["all"], FY2020, None)


def test_rates_table_prints_each_minimum():
    from click.testing import CliRunner

    from tariffc.compiler.cli import main
    from ..support.schedules import SCHEDULES

    result = CliRunner().invoke(main, ["rates", "E-2-G", "--on", "2020-07-15", "--schedules", str(SCHEDULES)])
    assert result.exit_code == 0, result.output
    lines = [line.split() for line in result.output.splitlines() if line.strip().startswith("minimum")]
    assert [line[:3] for line in lines if line[1] != "bill"] == [["minimum", C1_KEY, C1], ["minimum", C2_KEY, C2]]
    assert [line[:3] for line in lines if line[1] == "bill"] == [["minimum", "bill", C1_KEY],
                                                                 ["minimum", "bill", C2_KEY]]


def test_diff_compares_each_option_minimum_with_the_one_it_replaced():
    from tariffc.compiler.rates import changes

    schedule, new = _e2g("2020-07-15")
    _, old = _e2g("2019-07-15")
    got = [(c.cell.keys, str(c.current), str(c.proposed), str(c.change)) for c in changes(schedule, old, new)
           if c.cell.charge == "minimum"]
    assert got == [((C1_KEY,), FY2020, C1, "0.0177"), ((C2_KEY,), FY2020, C2, "0.0000")]  # 0.8536 - 0.8359


def test_site_page_shows_each_minimum_with_its_condition():
    from tariffc.compiler.docsgen.tables import key_rates, minimum_table

    schedule, version = _e2g("2020-07-15")
    html = minimum_table(schedule, version, "../src/E-2-G.tariff")
    rows = html.split("<tr>")[2:]
    assert len(rows) == 2
    for row, key, value, when in ((rows[0], C1_KEY, C1, "when green_option is renewable_100"),
                                  (rows[1], C2_KEY, C2, "when green_option is block_1000")):
        assert f'data-rate="E-2-G|2020-07-01|minimum|{key}|total">{value}<' in row
        assert f"<td>{when}</td>" in row and "<td>$/day</td>" in row
    home = key_rates(schedule, version)
    assert f">{C1}</span>" in home and f">{C2}</span>" in home and "renewable_100" in home
    _, old = _e2g("2019-07-15")
    assert "<td>every bill</td>" in minimum_table(schedule, old, "x") and \
        f'data-rate="E-2-G|2019-07-01|minimum|all|total">{FY2020}<' in minimum_table(schedule, old, "x")


def test_site_rules_section_has_a_sentence_per_minimum():
    from tariffc.compiler.docsgen.words import minimum_sentence

    schedule, version = _e2g("2020-07-15")
    sentences = [minimum_sentence(m, version, schedule) for m in version.rules.minimums]
    assert [s.split(" per day")[0] for s in sentences] == [f"- The minimum bill is ${C1}", f"- The minimum bill is ${C2}"]
    assert "`renewable_100`" in sentences[0] and "`block_1000`" in sentences[1]


@pytest.mark.parametrize(("day", "option", "per_day"), [
    ("2020-07-01", None, C1),  # the export's default option is the first choice, renewable_100
    ("2020-07-01", "renewable_100", C1), ("2020-07-01", "block_1000", C2),
    ("2019-07-01", "renewable_100", FY2020), ("2019-07-01", "block_1000", FY2020)])
def test_urdb_exports_the_minimum_of_the_exported_option(day, option, per_day):
    from tariffc.compiler.export.urdb import export

    schedule, version = _e2g(day)
    result = export(schedule, version, {"green_option": option} if option else None)
    assert (result.rate["mincharge"], result.rate["minchargeunits"]) == (float(per_day), "$/day")
    assert [loss.rule for loss in result.losses if loss.kind == "minimum_per_day"] == \
        [f"minimum bill {per_day} $/day"]


def test_urdb_takes_the_largest_of_minimums_that_both_hold_and_refuses_mixed_units():
    from tariffc.compiler.export.urdb import Unrepresentable, export

    schedule, version = _e2g("2019-07-15")
    (m,) = version.rules.minimums

    def with_minimums(*minimums):
        return attrs.evolve(version, rules=attrs.evolve(version.rules, minimums=minimums))

    larger = attrs.evolve(m, amount=attrs.evolve(m.amount, value=Fraction(9, 10), text="0.90"))
    result = export(schedule, with_minimums(m, larger))
    assert result.rate["mincharge"] == 0.9  # the bill is raised to 0.8359 and then to 0.90 a day
    monthly = attrs.evolve(m, unit="month", amount=attrs.evolve(m.amount, value=Fraction(30), text="30"))
    with pytest.raises(Unrepresentable, match="per day and per month both apply"):
        export(schedule, with_minimums(m, monthly))
