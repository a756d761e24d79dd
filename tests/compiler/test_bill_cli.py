"""`tariffc bill` and `tariffc build`: the acceptance example, JSON, and every refusal (exit 1, one
line naming the field and the value, no traceback)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tariffc.compiler.cli import main

ROOT = Path(__file__).resolve().parents[2]
SCHEDULES = str(ROOT / "schedules")


def run(*args):
    result = CliRunner().invoke(main, ["bill", *args, "--schedules", SCHEDULES])
    return result


def csv_file(tmp_path, rows, name="m.csv", header="start,kwh"):
    path = tmp_path / name
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return str(path)


def month_rows(start=dt.datetime(2025, 7, 1), end=dt.datetime(2025, 7, 31)):
    rows, t = [], start
    while t < end:
        rows.append(f"{t:%Y-%m-%d %H:%M},{'1.25' if 16 <= t.hour < 21 else '0.5'}")
        t += dt.timedelta(minutes=15)
    return rows


def test_acceptance_e1_text():
    result = run("E-1", "--start", "2025-07-01", "--end", "2025-07-31", "--kwh", "600")
    assert result.exit_code == 0, result.output
    assert "$132.13" in result.output
    for component in ("commodity", "distribution", "public_benefits", "customer"):
        assert component in result.output
    assert "version 2025-07-01" in result.output
    assert "E-1.tariff:" in result.output


def test_acceptance_e1_json():
    result = run("E-1", "--start", "2025-07-01", "--end", "2025-07-31", "--kwh", "600", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["total"] == "132.13" and data["total_exact"] == "132.131"
    assert data["schedule"] == "E-1" and data["versions"] == ["2025-07-01"]
    assert {"charge", "component", "quantity", "unit", "rate", "amount", "source"} <= set(data["lines"][0])
    tier1 = [x for x in data["lines"] if x["key"] == ["tier1"]]
    assert sum(float(x["rate"]) for x in tier1) == pytest.approx(0.20570)  # display check only
    assert {x["quantity"] for x in tier1} == {"450"}


def test_tou_from_intervals(tmp_path):
    path = csv_file(tmp_path, month_rows())
    result = run("E-4-TOU", "--start", "2025-07-01", "--end", "2025-07-31", "--intervals", path)
    assert result.exit_code == 0, result.output
    assert "summer peak" in result.output and "summer max" in result.output


def test_build_writes_modules(tmp_path):
    result = CliRunner().invoke(main, ["build", "--out", str(tmp_path / "gen"), "--schedules", SCHEDULES])
    assert (tmp_path / "gen" / "tariff_e_1.py").exists(), result.output
    compile((tmp_path / "gen" / "tariff_e_1.py").read_text(), "x", "exec")


BAD = [
    (["E-1", "--start", "2025-07-01", "--end", "2025-07-31", "--kwh", "-5"], "kwh = -5", "negative"),
    (["E-1", "--start", "2025-07-31", "--end", "2025-07-31", "--kwh", "5"], "end = 2025-07-31", "after it starts"),
    (["E-1", "--start", "2025-07-31", "--end", "2025-07-01", "--kwh", "5"], "end = 2025-07-01", "after it starts"),
    (["E-1", "--start", "2025-07-01", "--end", "2025-10-01", "--kwh", "5"], "end = 2025-10-01", "at most 62 days"),
    (["E-4", "--start", "2025-07-01", "--end", "2025-07-31", "--kwh", "5"], "kw = not given", "--kw"),
    (["E-4-TOU", "--start", "2025-07-01", "--end", "2025-07-31", "--kwh", "5", "--kw", "3"], "intervals",
     "interval data"),
    (["G-1", "--start", "2025-07-01", "--end", "2025-07-31", "--therms", "5", "--set", "commodity=9",
      "--set", "cap_and_trade=0", "--set", "transportation=0", "--set", "carbon_offset=0"], "commodity = 9",
     "0.10 to 4.00"),
    (["E-1", "--start", "2025-07-01", "--end", "2025-07-31", "--kwh", "5", "--set", "green=1"], "green = 1",
     "no input"),
    (["E-4", "--start", "2025-07-01", "--end", "2025-07-31", "--kwh", "5", "--kw", "1", "--set",
      "primary_voltage=maybe"], "primary_voltage = maybe", "flag"),
    (["E-2-G", "--start", "2025-07-01", "--end", "2025-07-31", "--kwh", "5", "--set", "green_blocks=1.5"],
     "green_blocks = 1.5", "whole number"),
    (["E-1", "--start", "2025-07-01", "--end", "2025-07-31", "--kwh", "ten"], "kwh = ten", "number"),
    (["E-1", "--start", "2025-13-01", "--end", "2025-07-31", "--kwh", "1"], "start = 2025-13-01", "date"),
    (["E-l", "--start", "2025-07-01", "--end", "2025-07-31", "--kwh", "1"], "unknown schedule 'E-l'", "did you mean"),
    (["E-1", "--start", "2018-01-01", "--end", "2018-01-31", "--kwh", "1"], "start = 2018-01-01", "2019-07-01"),
    (["E-14", "--start", "2014-07-01", "--end", "2014-07-31", "--set", "lamps.led_70w_eq=1"],
     "start = 2014-07-01", "2019-07-01"),
    (["E-14", "--start", "2025-07-01", "--end", "2025-07-31", "--set", "lamps.LED_70W=10"], "lamps.LED_70W = 10",
     "did you mean lamps.led_70w"),
]


@pytest.mark.parametrize("args,field,words", BAD, ids=[" ".join(a[:1] + a[-2:]) for a, _, _ in BAD])
def test_bad_input(args, field, words):
    result = run(*args)
    assert result.exit_code == 1, result.output
    assert field in result.output and words in result.output
    assert "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1


@pytest.mark.parametrize("name,rows,field,words", [
    ("straddle", ["2025-06-30 23:50,1", "2025-07-01 00:05,1"], "intervals",
     "straddle the billing period's start or end"),
    ("duplicated", month_rows()[:5] + month_rows()[4:], "m.csv:7: 1 readings start before the previous one ends",
     "duplicates or overlaps"),
    ("gap", month_rows()[:5] + month_rows()[6:], "intervals = ", "m.csv: 2025-07-01 01:30 PDT: gap: no data from"),
    ("short", month_rows()[:-4], "intervals", "gap"),
    ("badnumber", month_rows()[:3] + ["2025-07-01 00:45,abc"] + month_rows()[4:], "intervals", "not a number"),
    ("nonexistent", ["2025-03-09 01:45,1", "2025-03-09 02:00,1"], "intervals", "does not exist"),
])
def test_bad_intervals(tmp_path, name, rows, field, words):
    result = run("E-4-TOU", "--start", "2025-07-01", "--end", "2025-07-31", "--intervals", csv_file(tmp_path, rows))
    assert result.exit_code == 1, result.output
    assert field in result.output and words in result.output, result.output
    assert "Traceback" not in result.output


def test_bad_csv_header(tmp_path):
    path = csv_file(tmp_path, month_rows(), header="when,energy")
    result = run("E-4-TOU", "--start", "2025-07-01", "--end", "2025-07-31", "--intervals", path)
    assert result.exit_code == 1 and "header" in result.output


def test_overlapping_intervals_api():
    from zoneinfo import ZoneInfo

    from tariffc.compiler.api import Tariffs
    from tariffc.compiler.runtime import BillInputError

    tz = ZoneInfo("America/Los_Angeles")
    start = dt.datetime(2025, 7, 1, tzinfo=tz)
    items = [(start + dt.timedelta(minutes=15 * i), 900, "1") for i in range(30 * 96)]
    items.insert(3, (start + dt.timedelta(minutes=40), 900, "1"))
    with pytest.raises(BillInputError, match="overlaps") as info:
        Tariffs.load(SCHEDULES).bill("E-4-TOU", start="2025-07-01", end="2025-07-31", intervals=items)
    assert info.value.field == "intervals"


def test_a_bill_across_a_rate_change_is_prorated_by_days(capsys):
    """The calendar's `prorate versions by days`: 2025-06-15..2025-07-15 has 16 days under version
    2024-07-01 and 14 under 2025-07-01; usage, the 450 kWh tier-1 allowance and the customer charge
    split 16/30 and 14/30. By hand, from the E-1 sheet values:
      240 x 0.19461 + 80 x 0.21868 + 4.64 x 16/30 = 46.7064 + 17.4944 + 2.474666...
      210 x 0.20570 + 70 x 0.22944 + 5.15 x 14/30 = 43.1970 + 16.0608 + 2.403333...
      total 128.3366 -> $128.34."""
    result = CliRunner().invoke(main, ["bill", "E-1", "--start", "2025-06-15", "--end", "2025-07-15",
                                       "--kwh", "600", "--format", "json", "--schedules", str(SCHEDULES)])
    assert result.exit_code == 0, result.output
    bill = json.loads(result.output)
    assert bill["versions"] == ["2024-07-01", "2025-07-01"]
    assert bill["total_exact"] == "128.3366" and bill["total"] == "128.34"
