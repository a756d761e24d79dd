"""A declared discrepancy excuses only the difference it was written for (issue: breaker on 0aa9dda).

Each test copies the real `schedules/` tree, changes one rate by a string replacement of the real
file's text, and checks that `tariffc check` now reports an error at the changed row, although a
declaration sits on that row (sum) or on the published cell's row (published tables: the error is at
the schedule's value, naming the table's row).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tariffc.compiler.project import load
from tests.support.trees import mutated

ROOT = Path(__file__).resolve().parents[3]


def errors(tree: Path):
    return list(load([tree]).errors)


# The row (not the declaration's reason, which quotes the same numbers) of E-4-TOU 2019 summer peak.
E4TOU_ROW = 'summer peak "Peak"          0.09642    0.01864       0.00447          = 0.11954'


@pytest.mark.parametrize("changed, computed, also", [("0.90642", "0.92953", ()), ("-0.09642", "-0.07331", ("T254",))])
def test_a_sum_declaration_does_not_hide_another_component(tmp_path, changed, computed, also):
    # 0.90642 + 0.01864 + 0.00447 = 0.92953; -0.09642 + 0.01864 + 0.00447 = -0.07331;
    # the declaration states 0.11953 (and the printed 0.11954), not these. A negative component is
    # also T254 (checks/ranges.py) at the same row.
    tree, line = mutated(tmp_path, "electric/E-4-TOU.tariff", E4TOU_ROW, E4TOU_ROW.replace("0.09642", changed))
    found = errors(tree)
    assert sorted((d.code, Path(d.span.path).name, d.span.line) for d in found) == sorted(
        (code, "E-4-TOU.tariff", line) for code in ("T201", *also))
    found = [d for d in found if d.code == "T201"]
    text = "\n".join(found[0].notes)
    assert f"= {computed}; the total says 0.11954" in text and "line 119" in text


def test_a_sum_declaration_does_not_hide_a_changed_total(tmp_path):
    tree, line = mutated(tmp_path, "electric/E-4-TOU.tariff", E4TOU_ROW, E4TOU_ROW.replace("= 0.11954", "= 0.11955"))
    found = errors(tree)
    assert [(d.code, d.span.line) for d in found] == [("T201", line)]  # 0.11955 is not stated


def test_a_published_declaration_does_not_hide_the_other_column(tmp_path):
    # gas.tariff:49 declares Table 12's proposed 1.2274 against the sheet's 1.2093 for G-1 tier1;
    # the current column (2024-11-01: 0.8229) must still be compared, so must Table 1-8's (line 67).
    old = '    tier1 "Tier 1 Rates"                                  0.8229  # line 4162'
    tree, line = mutated(tmp_path, "gas/G-1.tariff", old, old.replace("0.8229 ", "0.9229 "))
    found = errors(tree)
    # one T402 per table row, each at the changed value (G-1.tariff), naming its table's row
    assert [(d.code, Path(d.span.path).name, d.span.line) for d in found] == [("T402", "G-1.tariff", line)] * 2
    rows = sorted(n.rpartition("/")[2] for d in found for n in d.notes if n.startswith("the table's row:"))
    assert rows == ["gas.tariff:44", "gas.tariff:67"]
    for d in found:
        assert "prints 0.8229 for 2024-11-01; the schedule (2024-11-01) says 0.9229" in "\n".join(d.notes)


def test_a_published_declaration_does_not_hide_another_value_in_its_column(tmp_path):
    # The declared cell itself: the sheet's proposed 1.2093 changed to 1.3093 is not what the
    # declaration states (1.2274 against 1.2093).
    old = 'tier1 "Tier 1 Rates"  1.2093  # line 4162'
    tree, line = mutated(tmp_path, "gas/G-1.tariff", old, old.replace("1.2093", "1.3093"))
    found = errors(tree)
    assert {(d.code, Path(d.span.path).name, d.span.line) for d in found} == {("T402", "G-1.tariff", line)}
    assert any(n.endswith("gas.tariff:44") for d in found for n in d.notes)  # Table 12's row, declared


def test_the_real_tree_is_clean():
    assert errors(ROOT / "schedules") == []


def test_declared_reference_gaps_do_not_hide_other_missing_days(tmp_path):
    # E-16.tariff:67 declares the E-2 gaps 7-1-2016 to 6-30-2019 and 7-1-2021 to 6-30-2024. Moving
    # E-2's FY 2025 version to 2024-08-01 leaves July 2024 without an E-2 rate too: that gap ends on
    # 2024-07-31, a day the declaration does not state.
    old = "version 2024-07-01 supersedes 2023-07-01"
    tree, _ = mutated(tmp_path, "electric/E-2.tariff", old, old.replace("2024-07-01", "2024-08-01"))
    found = [d for d in errors(tree) if d.code == "T244"]
    assert [(Path(d.span.path).name, d.span.line) for d in found] == [("E-16.tariff", 67)]
    assert "2024-07-31" in "\n".join(found[0].notes)
