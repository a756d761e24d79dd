"""E-16 C.2 (energy "using Electric Rate Schedule E2") and D.a (kWh from the equipment inventory), by hand.

Expected amounts are arithmetic written here from the sheets: E-2's energy rows as printed in
003_0151a6ffdf35ceb2.txt lines 1632-1638 (FY 2025 struck / FY 2026 inserted) and
002_da73166ccd9ea770.txt lines 2357-2358 (FY 2020 struck); E-16's customer charge line 2385 and D.a
lines 2388-2403 (003). E-16 bills each day's kWh at the E-2 version and season in effect that day.
"""

from __future__ import annotations

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

E2_2025_SUMMER = F("0.15075") + F("0.10806") + F("0.00604")   # = 0.26485, line 1632
E2_2025_WINTER = F("0.09334") + F("0.07352") + F("0.00604")   # = 0.17290, line 1636
E2_2024_SUMMER = F("0.14926") + F("0.09735") + F("0.00549")   # = 0.25210
E2_2019_SUMMER = F("0.11855") + F("0.08551") + F("0.00447")   # = 0.20853, 002 line 2357


def both(start, end, kwh=None, **values):
    compiled = TARIFFS.bill("E-16", start=start, end=end, kwh=kwh, values=values)
    reference = interpret(TARIFFS.schedule("E-16"), make_inputs(start=start, end=end, kwh=kwh, values=values))

    def key(bill):
        return sorted((x.version, x.charge, x.component, x.key, x.quantity, x.unit, x.rate, x.amount)
                      for x in bill.lines)

    assert key(compiled) == key(reference)
    assert compiled.total_exact == reference.total_exact
    return compiled


def energy(bill) -> F:
    return sum((x.amount for x in bill.lines if x.charge == "energy"), F(0))


def test_the_sheets_own_sums():
    assert (E2_2025_SUMMER, E2_2025_WINTER, E2_2024_SUMMER, E2_2019_SUMMER) == (
        F("0.26485"), F("0.17290"), F("0.25210"), F("0.20853"))


def test_inventory_estimate_one_month_2025():
    # D.a: 250 W x 4,380 h a year = 1,095,000 Wh; / 1000 = 1,095 kWh a year; / 12 = 91.25 kWh a month
    bill = both("2025-07-01", "2025-07-31", total_watts="250", annual_hours="4380")
    kwh = F(250 * 4380, 1000 * 12)
    assert kwh == F("91.25")
    assert energy(bill) == kwh * E2_2025_SUMMER                     # 24.1675625
    assert bill.total_exact == F("7.31") + F("91.25") * F("0.26485") and bill.total == Decimal("31.48")
    lines = [x for x in bill.lines if x.charge == "energy"]
    assert [(x.component, x.rate) for x in lines] == [("commodity", F("0.15075")), ("distribution", F("0.10806")),
                                                      ("public_benefits", F("0.00604"))]
    assert all(x.quantity == F("91.25") and x.key == ("summer",) for x in lines)


def test_season_split_by_e2_seasons():
    # 2025-10-17 .. 2025-11-16: 15 days in E-2's Summer Period (to Oct 31), 15 in its Winter Period
    bill = both("2025-10-17", "2025-11-16", kwh="100")
    assert energy(bill) == 50 * E2_2025_SUMMER + 50 * E2_2025_WINTER   # 13.2425 + 8.645
    assert bill.total == Decimal("29.20")                                 # + 7.31 = 29.1975


def test_across_the_2025_change_each_day_by_the_e2_version_in_effect():
    # 2025-06-16 .. 2025-07-16: 15 days under E-16 2016 (E-2 2024), 15 under E-16 2025 (E-2 2025)
    bill = both("2025-06-16", "2025-07-16", kwh="300")
    assert energy(bill) == 150 * E2_2024_SUMMER + 150 * E2_2025_SUMMER   # 37.815 + 39.7275
    assert bill.total_exact == energy(bill) + F("9.00") / 2 + F("7.31") / 2
    assert bill.total == Decimal("85.70")                                 # 85.6975


def test_fy2020_days_use_the_e2_2019_version():
    bill = both("2019-09-01", "2019-10-01", kwh="200")
    assert energy(bill) == 200 * E2_2019_SUMMER and bill.total == Decimal("50.71")   # 41.706 + 9.00


def test_days_without_an_e2_version_are_refused_with_the_declared_reason():
    with pytest.raises(BillInputError) as info:
        TARIFFS.bill("E-16", start="2023-03-01", end="2023-03-31", kwh="100")
    assert "E-2" in str(info.value) and "2023-03-01" in str(info.value) and "not in the documents" in str(info.value)


def test_kwh_or_the_inventory_not_both_nor_neither():
    with pytest.raises(BillInputError) as info:
        TARIFFS.bill("E-16", start="2025-07-01", end="2025-07-31", kwh="10", total_watts="250", annual_hours="1")
    assert info.value.field == "kwh" and "not both" in str(info.value)
    with pytest.raises(BillInputError) as info:
        TARIFFS.bill("E-16", start="2025-07-01", end="2025-07-31", total_watts="250")
    assert info.value.field == "annual_hours"


def test_vector_backend_refuses_the_reference():
    vector = pytest.importorskip("tariffc.compiler.vector")
    with pytest.raises(vector.VectorUnsupported, match="E-2"):
        vector.bill_totals(TARIFFS.schedule("E-16"), [("2025-07-01", "2025-07-31")], kwh=[[100000]])


def test_cli_bill_with_the_inventory():
    result = CliRunner().invoke(main, ["bill", "E-16", "--start", "2025-07-01", "--end", "2025-07-31",
                                       "--set", "total_watts=250", "--set", "annual_hours=4380"])
    assert result.exit_code == 0, result.output
    assert "$31.48" in result.output and "energy" in result.output


def test_rates_json_shows_the_reference_and_the_estimate():
    import json

    result = CliRunner().invoke(main, ["rates", "E-16", "--on", "2025-07-01", "--format", "json"])
    assert result.exit_code == 0, result.output
    rules = {r["rule"]: r for r in json.loads(result.output)["rules"]}
    assert rules["reference"]["values"]["schedule"] == "E-2" and rules["reference"]["values"]["charge"] == "energy"
    assert rules["estimate"]["values"]["divisor"] == "12000"
    assert rules["estimate"]["values"]["inputs"] == "total_watts, annual_hours"


def test_check_of_e16_alone_links_e2_from_its_tree():
    result = CliRunner().invoke(main, ["check", "--notes", str(ROOT / "schedules" / "electric" / "E-16.tariff")])
    assert result.exit_code == 0, result.output
    assert "T246" in result.output and "2016-07-01 to 2019-06-30" in result.output
    assert "2021-07-01 to 2024-06-30" in result.output
