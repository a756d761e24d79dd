"""What a declaration's reason states (compiler/checks/stated.py), and that a value the reason merely
mentions does not excuse a wrong rate (breaker2 on 440c530: each of these checked clean and was billed,
E-4-TOU 2019 summer peak at 2,574 $/kWh because the reason says "line 2574").

The mutation tests copy the real schedules/ tree, change one printed total, and expect T201 at it.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

from tariffc.compiler.checks.stated import stated_values
from tariffc.compiler.project import load
from tests.support.trees import mutated


@pytest.mark.parametrize("reason, stated", [
    ('line 2574: 0.09642 + 0.01864 + 0.00447 = 0.11953; the sheet prints 0.11954 (struck side of "0.11747954")',
     {"0.11953", "0.11954"}),
    ("the E-7-G sheet (lines 2103-2104 and 2124-2125) prints 30.57 = 2.82 + 27.75", {"30.57"}),
    ("no pairing of the printed 1.54/1.47, 7.15/7.17 adds to 8.70 or 8.63", {"8.70", "8.63"}),
    ("Table 11 prints the proposed 1,731.67 (line 4286); 1,731.67 - 717.89 = 1,013.78 (141.2%)",
     {"1731.67", "1013.78", "141.2"}),
    ("the 2024-07-01 total; 7 and 9 transposed; FY2026 sheet; line 1826", set()),
    ("2 h x $43.85/h / 12 = $7.31", {"7.31"}),
])
def test_stated_values(reason, stated):
    assert stated_values(reason) == {Fraction(v) for v in stated}


E4TOU_2019 = 'summer peak "Peak"          0.09642    0.01864       0.00447          = 0.11954'
E4G_2025 = 'winter "Winter Period"  0.08028    0.02797       0.00604          0.0075  = 0.11768'


@pytest.mark.parametrize("rel, row, total, wrong", [
    ("electric/E-4-TOU.tariff", E4TOU_2019, "0.11954", "2574"),  # "line 2574"
    ("electric/E-4-TOU.tariff", E4TOU_2019, "0.11954", "0.01864"),  # a component of the reason's sum
    ("electric/E-4-TOU.tariff", E4TOU_2019, "0.11954", "0.11747954"),  # the quoted redline glyphs
    ("electric/E-4-G.tariff", E4G_2025, "0.11768", "2024"),  # "2024-07-01"
    ("electric/E-4-G.tariff", E4G_2025, "0.11768", "7"),
    ("electric/E-4-G.tariff", E4G_2025, "0.11768", "1826"),  # "line 1826"
    ("electric/E-4-G.tariff", E4G_2025, "0.11768", "0.0075"),  # a component
])
def test_a_number_the_reason_only_mentions_does_not_excuse_a_total(tmp_path, rel, row, total, wrong):
    tree, line = mutated(tmp_path, rel, row, row.replace(f"= {total}", f"= {wrong}"))
    assert [(d.code, Path(d.span.path).name, d.span.line) for d in load([tree]).errors] == [
        ("T201", Path(rel).name, line)]


def test_an_unknown_allowance_rounding_mode_is_t309_not_a_crash(tmp_path):
    """Fuzz seed 22 on aaab7ae: `round allowance 1 Alto` beside a worked example crashed `check`
    (the examples check rounded with the unknown mode: ValueError). The mode is T309 at its line; the
    example is not worked with it."""
    old = ('    round allowance 1 half_up "rounded to the nearest whole therm"\n'
           '    # line 4212, the inserted example')
    tree, line = mutated(tmp_path, "gas/G-1.tariff", old, old.replace("half_up", "Alto"))
    found = list(load([tree]).errors)
    assert [(d.code, Path(d.span.path).name, d.span.line) for d in found] == [("T309", "G-1.tariff", line)]
