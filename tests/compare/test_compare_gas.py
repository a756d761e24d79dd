"""`tariffc compare` on gas billing-period reads (one read per bill; SYNTHETIC CSV): each read is
its own period, the bill takes therms, pass-through prices come from --set and are range-checked by
the bill."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from tariffc.compiler.cli import main

REPO = Path(__file__).resolve().parents[2]
READS = "start,end,therms\n2025-01-06,2025-02-05,40\n2025-02-05,2025-03-07,35\n2025-03-07,2025-04-06,30\n"
PRICES = ["--set", "commodity=0.859", "--set", "cap_and_trade=0.05", "--set", "transportation=0.1",
          "--set", "carbon_offset=0.01"]


def run(*args):
    return CliRunner().invoke(main, ["compare", "--schedules-dir", str(REPO / "schedules"), *map(str, args)])


def test_billing_period_reads_are_the_periods(write):
    result = run("--intervals", write("gas.csv", READS), "--schedules", "G-1", *PRICES)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "billed 2025-01-06..2025-04-06" in out and "in 3 periods, 90 days" in out
    assert re.search(r"^\s+2025-02-05\.\.2025-03-07\s+30\s+35\s+\d+\.\d\d$", out, re.M)
    assert "max kW" not in out  # no demand from monthly gas reads
    assert "each read is billed as one period" in out


def test_pass_through_price_out_of_range_refuses_the_candidate(write):
    args = [a if not a.startswith("commodity=") else "commodity=9" for a in PRICES]
    result = run("--intervals", write("gas.csv", READS), "--schedules", "G-1", *args)
    assert result.exit_code == 1
    assert "G-1: cannot be billed: commodity = 9: the pass-through price must be within the sheet's range" in result.stdout


def test_reads_take_no_other_periods(write):
    result = run("--intervals", write("gas.csv", READS), "--schedules", "G-1", "--read-dates", "2025-01-01,2025-02-01",
                 *PRICES)
    assert result.exit_code == 2 and "billing-period reads (one per bill): they are the periods" in result.stderr
    narrowed = run("--intervals", write("gas.csv", READS), "--schedules", "G-1", "--start", "2025-02-01", *PRICES)
    assert narrowed.exit_code == 0 and "in 2 periods, 60 days" in narrowed.stdout


def test_kwh_data_for_a_gas_schedule(write):
    rows = "".join(f"2025-01-{1 + h // 24:02d} {h % 24:02d}:00,1\n" for h in range(24 * 31))
    result = run("--intervals", write("e.csv", "start,kwh\n" + rows), "--schedules", "G-1")
    assert result.exit_code == 1 and "the readings are in kWh (electricity); G-1 is a gas schedule billed in therm: bill these readings on an electric schedule" in result.stderr
