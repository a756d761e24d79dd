"""The breaker's mutations of the real schedules (issue: amounts and bounds that cannot be right):
each copy of schedules/ with one line changed by a string replacement must give its T254-T257 error
at the changed line; the unchanged tree has none of them."""

from __future__ import annotations

import json
import shutil

import pytest
from click.testing import CliRunner

from tariffc.compiler.cli import main
from tests.support.schedules import SCHEDULES

RANGE_CODES = {"T254", "T255", "T256", "T257"}

# (file, text on the real line, text it is changed to, code expected at that line)
MUTATIONS = [
    ("electric/E-4-TOU.tariff", '"Customer Charge ($/month)" 113.73 per month',
     '"Customer Charge ($/month)" -113.73 per month', "T254"),
    ("electric/E-4-TOU.tariff", "minimum 17.2742 per day", "minimum -17.2742 per day", "T254"),
    ("electric/E-4-TOU.tariff", "limit demand 500 to 1000 kW", "limit demand -500 to 1000 kW", "T254"),
    ("electric/E-4-TOU.tariff", "discount primary_voltage 2.5%", "discount primary_voltage -2.5%", "T255"),
    ("electric/E-4-TOU.tariff", "discount primary_voltage 2.5%", "discount primary_voltage 250%", "T255"),
    ("electric/E-4-TOU.tariff", "limit demand 500 to 1000 kW", "limit demand 1000 to 500 kW", "T256"),
    ("electric/E-4-TOU.tariff", "limit demand 500 to 1000 kW", "limit demand 500 to 1000 kWh", "T257"),
    ("electric/E-1.tariff", '"Per kilowatt-hour (kWh)" per kWh', '"Per kilowatt-hour (kWh)" per therm', "T257"),
    ("electric/E-2.tariff", '"Customer Charge ($/month)" 5.60 per month', '"Customer Charge ($/month)" 5.60 per kW',
     "T257"),
    ("gas/G-2.tariff", "limit usage up_to 250000 therms", "limit usage up_to 250000 kWh", "T257"),
]


def check(tree) -> list[dict]:
    result = CliRunner().invoke(main, ["check", "--format", "json", str(tree)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return json.loads(result.output)["diagnostics"]


def test_the_real_tree_has_no_range_error():
    assert [d for d in check(SCHEDULES) if d["code"] in RANGE_CODES] == []


@pytest.mark.parametrize(("path", "old", "new", "code"), MUTATIONS, ids=[f"{m[3]}-{m[2]}" for m in MUTATIONS])
def test_a_mutated_real_line_is_refused_at_that_line(tmp_path, path, old, new, code):
    tree = tmp_path / "schedules"
    shutil.copytree(SCHEDULES, tree, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    target = tree / path
    text = target.read_text(encoding="utf-8")
    assert old in text, f"{path} no longer has {old!r}"
    first = text.index(old)
    line = text.count("\n", 0, first) + 1
    target.write_text(text[:first] + new + text[first + len(old):], encoding="utf-8")
    found = [(d["code"], d["line"]) for d in check(tree) if d["path"].endswith(path)]
    assert (code, line) in found, found
