"""The URDB export's form, checked against the sheets (values written here from the documents) and
against PySAM's URDB v8 converter's expectations; refusals and the loss report's content."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tariffc.compiler.export.loss import render_markdown, render_text
from tariffc.compiler.export.urdb import Unrepresentable, export, refusal
from tariffc.compiler.project import load

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def project():
    return load([ROOT / "schedules"])


def _export(project, schedule_id, effective, **options):
    schedule = project.schedule(schedule_id)
    version = next(v for v in schedule.versions if v.effective == dt.date.fromisoformat(effective))
    return export(schedule, version, options or None)


def test_e1_tiers_are_daily_allowances(project):
    # 003 lines 1605-1612: Tier 1 0.20570 up to 15 kWh per day, Tier 2 0.22944, Customer Charge 5.15/month
    rate = _export(project, "E-1", "2025-07-01").rate
    assert rate["energyratestructure"] == [[{"rate": 0.2057, "max": 15, "unit": "kWh daily"},
                                            {"rate": 0.22944, "unit": "kWh daily"}]]
    assert rate["energyweekdayschedule"] == [[0] * 24] * 12 == rate["energyweekendschedule"]
    assert (rate["fixedchargefirstmeter"], rate["fixedchargeunits"]) == (5.15, "$/month")
    assert "demandratestructure" not in rate and "flatdemandstructure" not in rate
    assert rate["sector"] == "Residential"
    # effective 7-1-2025 00:00 Pacific daylight time
    assert rate["startdate"] == int(dt.datetime(2025, 7, 1, 7, tzinfo=dt.timezone.utc).timestamp())
    assert "enddate" not in rate


def test_e1_2019_minimum_per_day_and_end(project):
    result = _export(project, "E-1", "2019-07-01")
    assert (result.rate["mincharge"], result.rate["minchargeunits"]) == (0.3283, "$/day")  # 002 line 2344
    assert result.rate["energyratestructure"][0][0]["max"] == 11  # 11 kWh per day
    # superseded by the 7-1-2020 sheet
    assert result.rate["enddate"] == int(dt.datetime(2020, 7, 1, 7, tzinfo=dt.timezone.utc).timestamp())
    assert "minimum_per_day" in {loss.kind for loss in result.losses}


def test_e4_seasons_by_month_and_flat_demand(project):
    # 003 lines 1737-1750: summer May-Oct 0.15842/kWh 49.17/kW, winter 0.11429/kWh 26.09/kW, 126.24/month
    rate = _export(project, "E-4", "2025-07-01").rate
    summer = [4, 5, 6, 7, 8, 9]
    energy = [p[0]["rate"] for p in rate["energyratestructure"]]
    months = [rate["energyweekdayschedule"][m][0] for m in range(12)]
    assert [energy[i] for i in months] == [0.15842 if m in summer else 0.11429 for m in range(12)]
    flat = [p[0]["rate"] for p in rate["flatdemandstructure"]]
    assert [flat[i] for i in rate["flatdemandmonths"]] == [49.17 if m in summer else 26.09 for m in range(12)]
    assert rate["fixedchargefirstmeter"] == 126.24 and rate["peakkwcapacitymax"] == 1000
    assert rate["demandwindow"] == 15


def test_e7tou_2025_peak_window_is_tou_demand_and_max_is_flat(project):
    # 003 lines 2210-2235: demand summer peak 27.72 + max 17.79, winter 15.88 + 15.88; energy summer
    # peak 0.19205 (4-9 pm weekdays), mid 0.16005 (2-4 pm, 9-11 pm), off 0.12282; customer 578.08
    rate = _export(project, "E-7-TOU", "2025-07-01").rate
    july = 6
    energy = [p[0]["rate"] for p in rate["energyratestructure"]]
    weekday = [energy[i] for i in rate["energyweekdayschedule"][july]]
    assert weekday == [0.12282] * 14 + [0.16005] * 2 + [0.19205] * 5 + [0.16005] * 2 + [0.12282]
    assert [energy[i] for i in rate["energyweekendschedule"][july]] == [0.12282] * 24
    demand = [p[0]["rate"] for p in rate["demandratestructure"]]
    assert [demand[i] for i in rate["demandweekdayschedule"][july]] == [0] * 16 + [27.72] * 5 + [0] * 3
    assert [demand[i] for i in rate["demandweekendschedule"][july]] == [0] * 24
    flat = [p[0]["rate"] for p in rate["flatdemandstructure"]]
    assert [flat[i] for i in rate["flatdemandmonths"]] == [17.79 if 4 <= m <= 9 else 15.88 for m in range(12)]
    assert rate["fixedchargefirstmeter"] == 578.08 and rate["peakkwcapacitymin"] == 1000


def test_holiday_loss_is_concrete(project):
    result = _export(project, "E-4-TOU", "2025-07-01")
    holidays = next(loss for loss in result.losses if loss.kind == "holidays")
    assert holidays.differs
    assert "10 declared holidays" in holidays.tariffc and "Christmas Day" in holidays.tariffc
    assert "as a weekday" in holidays.urdb
    moves = {(m["charge"], m["season"], tuple(m["hours"])): (m["weekday"], m["holiday"])
             for m in holidays.detail["moves"]}
    # summer energy peak 4-9 pm weekdays except holidays (003 E-4-TOU D.2)
    assert moves[("energy", "summer", (16, 17, 18, 19, 20))] == (["peak"], ["off_peak"])


@pytest.mark.parametrize("schedule_id,words", [("E-14", "per lamp"), ("E-16", "unmetered"),
                                               ("E-EEC-1", "exported energy"), ("G-1", "electric rates only")])
def test_refusals_give_the_reason(project, schedule_id, words):
    schedule = project.schedule(schedule_id)
    assert words in refusal(schedule)
    with pytest.raises(Unrepresentable, match=words):
        export(schedule, schedule.versions[-1])


def test_losses_name_power_factor_standby_green_options(project):
    e4 = {loss.kind: loss for loss in _export(project, "E-4", "2019-07-01").losses}
    kinds = [loss.rule for loss in _export(project, "E-4", "2019-07-01").losses]
    assert any("power_factor" in rule for rule in kinds)
    assert "reserved_kw" in e4["excluded_charge"].urdb
    green = _export(project, "E-2-G", "2025-07-01")
    assert green.options == {"green_option": "renewable_100"}
    # 003 E-2-G C.1: 100% renewable option summer total 0.27235 (includes the 0.0075 green adder)
    assert 0.27235 in [p[0]["rate"] for p in green.rate["energyratestructure"]]
    block = _export(project, "E-2-G", "2025-07-01", green_option="block_1000")
    assert any(loss.kind == "excluded_charge" and "green_blocks" in loss.rule for loss in block.losses)
    assert any(loss.kind == "option" for loss in block.losses)


def test_unknown_option_is_refused_with_the_choices(project):
    with pytest.raises(ValueError, match="green_option=renewable_100"):
        _export(project, "E-2-G", "2025-07-01", green_option="bogus")


def test_renderings_list_every_loss(project):
    result = _export(project, "E-7-TOU", "2025-07-01")
    text = render_text("E-7-TOU", "2025-07-01", result.losses)
    table = render_markdown("E-7-TOU", "2025-07-01", result.losses)
    for loss in result.losses:
        assert loss.rule in text
        assert loss.rule.replace("|", "\\|") in table
