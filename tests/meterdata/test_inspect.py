"""`tariffc inspect`: the data-quality report (the shared samples and synthetic files)."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from tariffc.compiler.cli import meter_input
from tariffc.compiler.cli import main

REPO = Path(__file__).resolve().parents[2]
COASTAL = "Coastal_Multi_Family_Jan_1_2011_to_Jan_1_2012_RetailCustomer_5.xml"


def inspect(*args):
    return CliRunner().invoke(main, ["inspect", *map(str, args), "--schedules-dir", str(REPO / "schedules")])


def test_coastal_year_text(samples):
    result = inspect(samples / COASTAL)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "intervals: 8,760 (delivered 8,760)" in out
    assert "period (America/Los_Angeles): 2011-01-01 00:00 PST to 2012-01-01 00:00 PST" in out
    assert "interval lengths: 1 h x 8,760" in out
    assert "gaps: none" in out and "duplicates: none" in out
    assert "DST starts 2011-03-13" in out and "DST ends 2011-11-06" in out
    assert "received energy: none" in out and "total delivered: 4425.305 kWh" in out
    assert ("demand: intervals of 60 min cannot show the maximum 15-minute demand that E-4, E-4-G, E-4-TOU, E-7, "
            "E-7-G, E-7-TOU bill on") in out
    assert result.stderr == ""  # no progress bar when stdout is not a terminal


def test_coastal_json(samples):
    result = inspect(samples / COASTAL, "--format", "json")
    data = json.loads(result.stdout)
    assert data["intervals"] == 8760 and data["totals"] == [{"direction": "delivered", "unit": "kWh",
                                                            "total": "4425.305"}]
    assert len(data["dst_transitions"]) == 2 and data["gaps"] == [] and "15-minute demand" in data["demand"]


def test_billing_period_reads(samples):
    result = inspect(samples / "ngma_natural_gas_billing_billing_data_Service_1_1_2021-05-26_to_2024-04-25.xml")
    assert result.exit_code == 0
    assert "service: gas; units: therm" in result.stdout
    assert "demand: reads of a day or longer, not intervals" in result.stdout


def test_fifteen_minute_data_fit_demand(write):
    rows = "".join(f"2025-01-01 {q // 4:02d}:{q % 4 * 15:02d},0.25\n" for q in range(96))
    result = inspect(write("day.csv", "start,kwh\n" + rows))
    assert result.exit_code == 0, result.output
    assert "demand: intervals of 15 min or shorter" in result.stdout
    assert "intervals: 96" in result.stdout


def test_gaps_duplicates_negative_and_received(write):
    rows = ["2025-01-01,0,1,1", "2025-01-02,0,1,1", "2025-01-04,2,-1,-3"]  # date,export,import,net (cpau layout)
    result = inspect(write("cpau.csv", "date,export_kwh,import_kwh,net_kwh\n" + "\n".join(rows) + "\n"),
                     "--csv-layout", "cpau")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "gaps: 2" in out and "delivered: 2025-01-03 00:00 PST to 2025-01-04 00:00 PST (1 d missing)" in out
    assert "negative values: 1" in out and "received energy: 2 kWh" in out


def test_csv_layout_on_xml_refused(samples):
    result = inspect(samples / COASTAL, "--csv-layout", "cpau")
    assert result.exit_code == 1 and "--csv-layout applies to CSV files; this is XML" in result.stderr


def test_progress_bar_only_on_a_terminal(samples, monkeypatch, capsys):
    monkeypatch.setattr(meter_input, "PROGRESS_DELAY", 0)
    monkeypatch.setattr(meter_input, "_interactive", lambda: True)
    series = meter_input.read_with_progress(samples / COASTAL)
    assert len(series) == 8760
    assert COASTAL[:20] in capsys.readouterr().err  # tqdm drew its bar (named after the file) on stderr
    monkeypatch.setattr(meter_input, "_interactive", lambda: False)
    meter_input.read_with_progress(samples / COASTAL)
    assert capsys.readouterr().err == ""
