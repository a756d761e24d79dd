"""`tariffc impact` reproduces the staff bill tables: every row of tests/bills/*.toml whose status is
"reproduced" must come out of `impact_table` too, in the column of its version, with the same bill
dates. A row's partner (the same usage under the other version in the same file) gives the other
column; when the partner is reproduced as well, that column is asserted too.

Expected values are the tables' `expected` (derived by hand from the sheets, see tests/bills/README.md),
never the code under test."""

from __future__ import annotations

import datetime as dt
import json
import re
import tomllib
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from click.testing import CliRunner

from tariffc.compiler.impact.levels import ImpactError, Level, SampleBill, Scenario, first_start, impact_table
from tariffc.compiler.runtime import round_to

ROOT = Path(__file__).resolve().parents[2]
TABLES = sorted((ROOT / "tests" / "bills").glob("*.toml"))
QUANTITIES = ("kwh", "kw", "therms", "exported_kwh")
VERSION = re.compile(r"\(version (\d{4}-\d{2}-\d{2})\)")


def _bills(row):
    return row["bill"] if "bill" in row else [dict(row, weight="1")]


def _signature(row):
    """What stays the same between a row and its partner under the other version: schedule, usage,
    the label without its version words, and the bills' months."""
    bills = _bills(row)
    label = VERSION.sub("", row["label"]).split(", current")[0].split(", proposed")[0].split(", rates")[0]
    return (label, tuple((b["schedule"], tuple((q, b.get(q)) for q in QUANTITIES), b["weight"]) for b in bills))


def _level(row) -> Level:
    return Level(label=row["label"], bills=tuple(
        SampleBill(month=dt.date.fromisoformat(b["start"]).month,
                   days=(dt.date.fromisoformat(b["end"]) - dt.date.fromisoformat(b["start"])).days,
                   weight=Fraction(b["weight"]), quantities={q: b[q] for q in QUANTITIES if q in b},
                   values=dict(b.get("set", {})))
        for b in _bills(row)))


def _reproduced():
    for path in TABLES:
        rows = tomllib.loads(path.read_text(encoding="utf-8")).get("row", [])
        for index, row in enumerate(rows):
            if row["status"] != "reproduced":
                continue
            partners = [r for r in rows if r is not row and _signature(r) == _signature(row)
                        and VERSION.search(r["label"]) and VERSION.search(r["label"])[1] != VERSION.search(row["label"])[1]]
            yield pytest.param(row, partners[0] if partners else None, id=f"{path.stem}:{index + 1}")


def _value(row_value: Fraction, precision: str) -> Decimal:
    rounded = round_to(row_value, Fraction(precision), "half_up")
    return (Decimal(rounded.numerator) / Decimal(rounded.denominator)).quantize(Decimal(precision))


def test_some_rows_are_reproduced():
    assert len(list(_reproduced())) >= 40


@pytest.mark.parametrize("row,partner", list(_reproduced()))
def test_reproduced_row_comes_out_of_impact(tariffs, row, partner):
    version = dt.date.fromisoformat(VERSION.search(row["label"])[1])
    other = dt.date.fromisoformat(VERSION.search(partner["label"])[1]) if partner else version
    schedule = _bills(row)[0]["schedule"]
    scenario = Scenario(schedule=schedule, current=version, proposed=other, levels=(_level(row),))
    (result,) = impact_table(tariffs, scenario)
    assert [b.start.isoformat() for b in result.current_bills] == [b["start"] for b in _bills(row)]
    assert result.current_version == version.isoformat()
    assert _value(result.current, row["precision"]) == Decimal(row["expected"])
    if partner is not None and partner["status"] == "reproduced":
        assert result.proposed_version == other.isoformat()
        assert _value(result.proposed, partner["precision"]) == Decimal(partner["expected"])


def _cli(*args):
    from tariffc.compiler.cli import main

    return CliRunner().invoke(main, ["impact", *args, "--schedules-dir", str(ROOT / "schedules")])


def test_cli_prints_seed002_table6_residential_rows():
    """Seed 002 Table 6 (line 353), E-1 rows: 300, 365, 453, 650, 1200 kWh, current and proposed."""
    result = _cli("E-1", "--from", "2019-07-01", "--to", "2020-07-01", "--kwh", "300,365,453,650,1200")
    assert result.exit_code == 0, result.output
    printed = {"300": ("41.27", "42.26"), "365": ("52.18", "53.35"), "453": ("69.22", "70.61"),
               "650": ("107.37", "109.24"), "1200": ("213.89", "217.09")}
    for kwh, (current, proposed) in printed.items():
        line = next(x for x in result.output.splitlines() if x.startswith(f"{kwh} kWh "))
        assert line.split()[2:4] == [current, proposed], line


def test_cli_json_change_and_percent_are_exact_arithmetic():
    """E-1 600 kWh, 30-day July bills: 2024-07-01 450 x 0.19461 + 150 x 0.21868 + 4.64 = 125.0165 -> 125.02;
    2025-07-01 450 x 0.20570 + 150 x 0.22944 + 5.15 = 132.131 -> 132.13; change 7.11 = 5.69% of 125.02."""
    result = _cli("E-1", "--from", "2024-07-01", "--to", "2025-07-01", "--kwh", "600", "--format", "json")
    assert result.exit_code == 0, result.output
    (row,) = json.loads(result.output)["rows"]
    assert (row["current"], row["proposed"], row["change"], row["change_pct"]) == ("125.02", "132.13", "7.11", "5.7")


def test_cli_seasonal_mean_reproduces_seed003_table18():
    """Seed 003 Table 18 (line 1358): E-4 160,000 kWh at 274 kW, mean of a July and a March bill = 30693.47."""
    result = _cli("E-4", "--from", "2024-07-01", "--to", "2025-07-01", "--kwh", "160000", "--kw", "274",
                  "--months", "7,3", "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[1].split(",")[3] == "30693.47"


def test_chart_is_written(tmp_path):
    pytest.importorskip("matplotlib")
    out = tmp_path / "impact.svg"
    result = _cli("E-1", "--from", "2024-07-01", "--to", "2025-07-01", "--kwh", "200,400", "--chart", str(out))
    assert result.exit_code == 0, result.output
    assert out.read_text().lstrip().startswith("<?xml") and "E-1" in out.read_text()


def test_scenario_file(tmp_path):
    """The gas Table 13 annual-median row: 7/12 of an April bill at 17 therms + 5/12 of a November bill
    at 51 therms under version 2024-11-01 = 70.27 (tests/bills seed003-gas-table13)."""
    spec = tmp_path / "gas.toml"
    spec.write_text('schedule = "G-1"\nfrom = "2024-11-01"\nto = "2025-07-01"\n'
                    '[[level]]\nlabel = "annual median"\n'
                    '[[level.bill]]\nweight = "7/12"\nmonth = 4\ntherms = "17"\n'
                    'set = { commodity = "0.859", cap_and_trade = "0", transportation = "0", carbon_offset = "0" }\n'
                    '[[level.bill]]\nweight = "5/12"\nmonth = 11\ntherms = "51"\n'
                    'set = { commodity = "0.9024", cap_and_trade = "0", transportation = "0", carbon_offset = "0" }\n')
    result = _cli("--scenario", str(spec), "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[1].split(",")[3] == "70.27"


@pytest.mark.parametrize("args,message", [
    (["E-1", "--from", "2024-07-01", "--to", "2025-07-01"], "give usage levels"),
    (["E-1", "--from", "2024-07-01", "--to", "2025-07-01", "--kwh", "200,,400"], "separated by commas"),
    (["E-1", "--from", "2024-07-01", "--to", "2025-07-01", "--kwh", "200", "--months", "13"], "not a month"),
    (["E-1", "--from", "2024-07-01", "--to", "2025-07-01", "--kwh", "abc"], "kwh"),
    (["E-1", "--from", "2022-07-01", "--to", "2025-07-01", "--kwh", "200"], "no version in effect on 2022-07-01"),
    (["E-9", "--from", "2024-07-01", "--to", "2025-07-01", "--kwh", "200"], "E-9"),
    (["E-1", "--from", "2025-06-15", "--to", "2025-07-01", "--kwh", "200", "--months", "6"], "stops"),
])
def test_bad_input_is_one_line(args, message):
    result = _cli(*args)
    assert result.exit_code in (1, 2)
    assert message in result.output and "Traceback" not in result.output


def test_first_start():
    assert first_start(dt.date(2024, 7, 1), 3) == dt.date(2025, 3, 1)
    assert first_start(dt.date(2024, 7, 1), 7) == dt.date(2024, 7, 1)
    assert first_start(dt.date(2024, 7, 2), 7) == dt.date(2025, 7, 1)
    assert first_start(dt.date(2024, 11, 1), None) == dt.date(2024, 11, 1)
    with pytest.raises(ImpactError):
        first_start(dt.date(2024, 7, 1), 0)
