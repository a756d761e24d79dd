"""A version bills every minimum bill whose condition holds (ir.Rules.minimums), in all three bill
cores: E-2-G 2020-07-01 prints one minimum per green option, C.1 renewable_100 0.8536 $/day (seeds
002_a.txt line 2391) and C.2 block_1000 0.8359 $/day (line 2399). Expected totals are the sheet's
rate x the billing period's days, written here."""
from __future__ import annotations

import datetime as dt
import importlib
from decimal import Decimal
from fractions import Fraction

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
