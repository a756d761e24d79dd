"""Fees in bills: E-16 E.1-E.5 (with F.'s CPI index) and E-14 D.6, by hand from the sheets.

Every expected amount below is arithmetic written here from the sheet's printed values
(003_0151a6ffdf35ceb2.txt lines 2427-2432 for E-16; 002_da73166ccd9ea770.txt lines 2956-2958 for
E-14 D.6), never a value read back from the code under test. The `yearly_fees monthly 12` rule of
E-16 bills a "/yr" fee as one twelfth a month; a bill of fewer or more days than a month takes its
share of the month as every monthly charge does (days / bill days under `monthly_charges per_bill`).
"""

from __future__ import annotations

import json
from decimal import Decimal
from fractions import Fraction as F
from pathlib import Path

import pytest
from click.testing import CliRunner

from tariffc.compiler.api import Tariffs, make_inputs
from tariffc.compiler.cli import main
from tariffc.compiler.interpret import interpret
from tariffc.compiler.runtime import BillInputError

ROOT = Path(__file__).resolve().parents[2]
TARIFFS = Tariffs.load(ROOT / "schedules")


def both(schedule_id, start, end, values):
    """The compiled bill, after checking the reference interpreter agrees line by line (E-16 with 0 kWh:
    its energy charge, E-2's, is tested in test_references.py)."""
    kwh = "0" if schedule_id == "E-16" else None
    compiled = TARIFFS.bill(schedule_id, start=start, end=end, kwh=kwh, values=values)
    reference = interpret(TARIFFS.schedule(schedule_id), make_inputs(start=start, end=end, kwh=kwh, values=values))

    def key(bill):
        return sorted((x.version, x.charge, x.component, x.key, x.quantity, x.unit, x.rate, x.amount)
                      for x in bill.lines)

    assert key(compiled) == key(reference)
    assert compiled.total_exact == reference.total_exact
    return compiled


def amounts(bill) -> dict:
    out: dict = {}
    for x in bill.lines:
        out[(x.charge, x.key)] = out.get((x.charge, x.key), F(0)) + x.amount
    return out


def test_e16_fees_of_a_full_month_2025():
    values = {"conduit_license.exclusive": "120", "conduit_license.non_exclusive": "40",
              "pole_license.ft_1": 2, "pole_license.ft_3": 1, "antenna_license": 1, "pole_processing": 3,
              "cpi_ratio": "1"}
    bill = both("E-16", "2025-07-01", "2025-07-31", values)
    expected = {
        ("customer", ("all",)): F("7.31"),                                  # C.1 line 2385
        ("conduit_license", ("exclusive",)): 120 * F("1.94") / 12,          # E.1 (A) $1.94/ft/yr
        ("conduit_license", ("non_exclusive",)): 40 * F("0.97") / 12,       # E.1 (B) $0.97/ft/yr
        ("pole_license", ("ft_1",)): 2 * F("47.60") / 12,                   # E.3 (A) $47.60/pole/yr
        ("pole_license", ("ft_3",)): 1 * F("142.80") / 12,                  # E.3 (C) $142.80/pole/yr
        ("antenna_license", ("all",)): F("329.44") / 12,                    # E.5 $329.44/pole/yr
        ("pole_processing", ("all",)): 3 * F("152.00"),                     # E.4 $152.00/pole, once
    }
    assert amounts(bill) == expected
    # 7.31 + 19.40 + (38.80 + 95.20 + 329.44) / 12 + 11.90 + 456.00 = 7.31 + 19.40 + 38.62 + 11.90 + 456.00
    assert bill.total_exact == F("533.23") and bill.total == Decimal("533.23")


def test_e16_cpi_index_adjusts_every_fee_line():
    values = {"conduit_license.exclusive": "100", "pole_license.ft_2": 3, "cpi_ratio": "1.032"}
    bill = both("E-16", "2025-07-01", "2025-07-31", values)
    fees = 100 * F("1.94") / 12 + 3 * F("95.20") / 12           # 16.1666.. + 23.80
    index = [x for x in bill.lines if x.charge == "cpi_ratio"]
    assert len(index) == 1 and index[0].quantity == fees and index[0].rate == F("0.032")
    assert index[0].amount == fees * F("0.032")
    assert bill.total_exact == F("7.31") + fees * F("1.032")     # the customer charge is not indexed


def test_e16_fee_without_the_index_ratio_is_refused_naming_it():
    with pytest.raises(BillInputError) as info:
        TARIFFS.bill("E-16", start="2025-07-01", end="2025-07-31", kwh="0", values={"antenna_license": 1})
    assert info.value.field == "cpi_ratio" and "CPI" in str(info.value) and "E-16.tariff:" in str(info.value)
    # no fee line: no ratio needed (the customer charge alone)
    assert TARIFFS.bill("E-16", start="2025-07-01", end="2025-07-31", kwh="0").total == Decimal("7.31")


@pytest.mark.parametrize("ratio", ["0", "0.0"])
def test_e16_index_ratio_of_zero_is_refused(ratio):
    # a ratio of 0 would cancel every indexed fee (E-16 F.: later CPI-U / base CPI-U, never 0)
    with pytest.raises(BillInputError) as info:
        TARIFFS.bill("E-16", start="2025-07-01", end="2025-07-31",
                     values={"antenna_license": 1, "cpi_ratio": ratio})
    assert info.value.field == "cpi_ratio" and "more than 0" in str(info.value)


def test_e16_actual_cost_is_a_named_refusal():
    with pytest.raises(BillInputError) as info:
        TARIFFS.bill("E-16", start="2025-07-01", end="2025-07-31", kwh="0", values={"conduit_processing": 1, "cpi_ratio": 1})
    text = str(info.value)
    assert info.value.field == "conduit_processing" and "Actual Cost" in text and "E-16.tariff:" in text
    with pytest.raises(BillInputError):
        interpret(TARIFFS.schedule("E-16"), make_inputs(start="2025-07-01", end="2025-07-31", kwh="0",
                                                        values={"conduit_processing": 1, "cpi_ratio": 1}))


def test_e16_row_of_another_version_is_refused_and_billed_in_its_own():
    values = {"pole_license.ft_4": 2, "cpi_ratio": "1"}
    with pytest.raises(BillInputError) as info:
        TARIFFS.bill("E-16", start="2025-07-01", end="2025-07-31", kwh="0", values=values)
    assert info.value.field == "pole_license.ft_4" and "2025-07-01" in str(info.value)
    bill = both("E-16", "2024-07-01", "2024-07-31", values)     # the 2016-07-01 version: struck row 37.98
    assert amounts(bill)[("pole_license", ("ft_4",))] == 2 * F("37.98") / 12


def test_e16_bill_across_the_2025_change_prorates_yearly_fees_and_bills_once_fees_once():
    # 2025-06-16 .. 2025-07-16: 15 days under 2016-07-01, 15 under 2025-07-01 (prorate versions by days)
    values = {"antenna_license": 2, "pole_processing": 1, "conduit_license.exclusive": "60", "cpi_ratio": "1"}
    bill = both("E-16", "2025-06-16", "2025-07-16", values)
    half = F(15, 30)
    got = {}
    for x in bill.lines:
        got[(x.version, x.charge)] = got.get((x.version, x.charge), F(0)) + x.amount
    assert got[("2016-07-01", "antenna_license")] == 2 * F("270.00") / 12 * half
    assert got[("2025-07-01", "antenna_license")] == 2 * F("329.44") / 12 * half
    assert got[("2016-07-01", "pole_processing")] == F("55.00")    # once, at the rate of the first day
    assert ("2025-07-01", "pole_processing") not in got
    assert got[("2016-07-01", "conduit_license")] + got[("2025-07-01", "conduit_license")] == 60 * F("1.94") / 12
    assert got[("2016-07-01", "customer")] == F("9.00") * half and got[("2025-07-01", "customer")] == F("7.31") * half


def test_e14_d6_cpau_contribution_2020():
    bill = both("E-14", "2020-07-01", "2020-07-31", {"lamps.hps_100w": 10, "cpau_contribution": "12000"})
    # C. Class C HPS 100 W 35.20/lamp/month (line 2932); D.6 1 1/4 % a month of $12,000 (lines 2956-2958)
    assert amounts(bill) == {("lamps", ("hps_100w",)): 10 * F("35.20"),
                             ("cpau_ownership", ("all",)): F(12000) * F(5, 4) / 100}
    assert bill.total == Decimal("502.00")


def test_e14_d6_is_not_on_the_2025_sheet():
    with pytest.raises(BillInputError) as info:
        TARIFFS.bill("E-14", start="2025-07-01", end="2025-07-31", values={"cpau_contribution": "1000"})
    assert info.value.field == "cpau_contribution" and "2025-07-01" in str(info.value)


def test_fee_inputs_are_typed_by_unit():
    with pytest.raises(BillInputError) as info:   # poles are counted
        TARIFFS.bill("E-16", start="2025-07-01", end="2025-07-31", kwh="0", values={"antenna_license": "1.5"})
    assert info.value.field == "antenna_license" and "whole number" in str(info.value)
    with pytest.raises(BillInputError):           # feet are not negative
        TARIFFS.bill("E-16", start="2025-07-01", end="2025-07-31", kwh="0", values={"conduit_license.exclusive": "-3"})


def test_vector_backend_refuses_fees_by_name():
    vector = pytest.importorskip("tariffc.compiler.vector")
    with pytest.raises(vector.VectorUnsupported, match="cpau_ownership"):
        vector.bill_totals(TARIFFS.schedule("E-14"), [("2020-07-01", "2020-07-31")],
                           values={"cpau_contribution": "1000"})


def test_cli_bill_with_fees_and_refusal():
    runner = CliRunner()
    ok = runner.invoke(main, ["bill", "E-16", "--start", "2025-07-01", "--end", "2025-07-31", "--kwh", "0",
                              "--set", "pole_license.ft_1=12", "--set", "cpi_ratio=1"])
    assert ok.exit_code == 0, ok.output
    assert "pole_license" in ok.output and "$54.91" in ok.output    # 7.31 + 12 x 47.60 / 12 = 54.91
    refused = runner.invoke(main, ["bill", "E-16", "--start", "2025-07-01", "--end", "2025-07-31", "--kwh", "0",
                                   "--set", "conduit_processing=1"])
    assert refused.exit_code == 1 and "Actual Cost" in refused.output and "Traceback" not in refused.output


def test_rates_json_carries_the_fees_and_their_rules():
    result = CliRunner().invoke(main, ["rates", "E-16", "--on", "2025-07-01", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    cells = {(c["charge"], tuple(c["row"])): c for c in data["rates"]}
    printed = {("conduit_license", ("exclusive",)): ("1.94", "$/ft/yr"),
               ("conduit_license", ("non_exclusive",)): ("0.97", "$/ft/yr"),
               ("pole_license", ("ft_1",)): ("47.60", "$/pole/yr"), ("pole_license", ("ft_2",)): ("95.20", "$/pole/yr"),
               ("pole_license", ("ft_3",)): ("142.80", "$/pole/yr"), ("pole_processing", ("all",)): ("152.00", "$/pole"),
               ("antenna_license", ("all",)): ("329.44", "$/pole/yr")}
    for key, (value, unit) in printed.items():
        assert (cells[key]["total"], cells[key]["unit"]) == (value, unit)
        assert cells[key]["source"].startswith("schedules/electric/E-16.tariff:")
    rules = {r["rule"]: r for r in data["rules"]}
    assert rules["yearly_fees"]["values"]["divisor"] == "12"
    assert rules["refused_fee"]["key"] == ["conduit_processing"] and "Actual Cost" in rules["refused_fee"]["words"]
    assert rules["fee_index"]["values"]["input"] == "cpi_ratio"
    assert "pole_processing" in rules["fee_index"]["applies_to"]


def test_diff_reports_fee_changes():
    result = CliRunner().invoke(main, ["diff", "E-16", "--from", "2016-07-01", "--to", "2025-07-01"])
    assert result.exit_code == 0, result.output
    line = next(x for x in result.output.splitlines() if "pole_processing" in x)
    assert "55.00" in line and "152.00" in line and "97.00" in line       # 152.00 - 55.00


def test_new_version_asks_for_each_fee_amount(tmp_path):
    """The yearly update copies E-16's fees with every amount `?`; check names each (T220)."""
    import shutil

    tree = tmp_path / "schedules"
    shutil.copytree(ROOT / "schedules", tree)
    runner = CliRunner()
    made = runner.invoke(main, ["new-version", "E-16", "--effective", "2026-07-01", "--schedules", str(tree)])
    assert made.exit_code == 0, made.output
    checked = runner.invoke(main, ["check", str(tree / "electric" / "E-16.tariff")])
    assert checked.exit_code == 1
    for cell in ("fee conduit_license row exclusive", "fee conduit_license row non_exclusive",
                 "fee pole_license row ft_1", "fee pole_license row ft_2", "fee pole_license row ft_3",
                 "fee pole_processing", "fee antenna_license"):
        assert f"{cell} is not yet entered (version 2026-07-01)" in checked.output, cell
    assert "conduit_processing is not yet entered" not in checked.output   # a refused fee has no amount


def test_e14_burning_hours_bound_4100_a_year():
    """E-14 D.3 (003 lines 2363-2364): rates for lamps "not exceeding 4,100 hours per year"."""
    at_bound = both("E-14", "2025-07-01", "2025-07-31", {"lamps.led_70w_eq": 4, "burning_hours": "4100"})
    assert at_bound.total_exact == 4 * F("13.27")                     # line 2341: LED 70 W-equivalent 13.27
    with pytest.raises(BillInputError) as info:
        TARIFFS.bill("E-14", start="2025-07-01", end="2025-07-31", values={"lamps.led_70w_eq": 4,
                                                                           "burning_hours": "4100.5"})
    assert info.value.field == "burning_hours" and "4,100 hours per year" in str(info.value)
    with pytest.raises(BillInputError):
        interpret(TARIFFS.schedule("E-14"), make_inputs(start="2025-07-01", end="2025-07-31",
                                                        values={"burning_hours": "5000"}))
