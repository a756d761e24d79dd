"""`tariffc rates` shows the rules beside the rate cells; `tariffc diff` shows rule changes.

The expected values are typed from the sheets (document and line named at each), not read back
from the schedules: if a `.tariff` file lost or changed one of them, these tests fail.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tariffc.compiler.cli import main

ROOT = Path(__file__).resolve().parents[2]
SCHEDULES = ROOT / "schedules"


def run(*args, schedules: Path = SCHEDULES):
    result = CliRunner().invoke(main, [*args, "--schedules", str(schedules)])
    return result.exit_code, result.output


def rules_on(schedule_id: str, day: str) -> list[dict]:
    code, out = run("rates", schedule_id, "--on", day, "--format", "json")
    assert code == 0, out
    return json.loads(out)["rules"]


def find(rules: list[dict], rule: str, *key: str) -> dict:
    match = [r for r in rules if r["rule"] == rule and tuple(r["key"][:len(key)]) == key]
    assert len(match) == 1, f"{rule} {key}: {[r['key'] for r in rules if r['rule'] == rule]}"
    return match[0]


# 002_da73166ccd9ea770.txt line 2347-2348 (Sheet E-1-1, FY 2020/2021): "a level of 11 kWh per day ...
# for a 30-day bill, the Tier 1 level would be 330 kWh"; 003_0151a6ffdf35ceb2.txt line 1618-1619
# (FY 2025/2026): "15 kWh per day ... would be 450 kWh".
@pytest.mark.parametrize("day,per_day,per_30", [("2019-07-01", "11", "330"), ("2020-07-01", "11", "330"),
                                                ("2024-07-01", "15", "450"), ("2025-07-01", "15", "450")])
def test_e1_tier1_allowance(day, per_day, per_30):
    tier1 = find(rules_on("E-1", day), "tier_allowance", "kwh", "tier1")
    assert tier1["values"]["amount"] == per_day and tier1["values"]["per"] == "day"
    assert tier1["values"]["unit"] == "kWh" and tier1["values"]["for_30_days"] == per_30
    assert tier1["source"].startswith("schedules/electric/E-1.tariff:") or "E-1.tariff:" in tier1["source"]


# Primary voltage discount. 002 (FY 2020): "2 1/2 percent" (E-4-TOU line 2463, E-7 line 2688, E-7-TOU
# 2780, E-7-G 2880), "2.5 percent" (E-4-G line 2540); 003 (FY 2025/2026): "2.5 percent" E-4 line 1769,
# E-4-G 1867, E-4-TOU 1980; "2.8 percent" E-7 line 2055, E-7-G 2164, E-7-TOU 2283.
@pytest.mark.parametrize("schedule_id,day,percent", [
    ("E-4", "2020-07-01", "2.5"), ("E-4", "2025-07-01", "2.5"),
    ("E-4-G", "2020-07-01", "2.5"), ("E-4-G", "2025-07-01", "2.5"),
    ("E-4-TOU", "2020-07-01", "2.5"), ("E-4-TOU", "2025-07-01", "2.5"),
    ("E-7", "2020-07-01", "2.5"), ("E-7", "2025-07-01", "2.8"),
    ("E-7-G", "2020-07-01", "2.5"), ("E-7-G", "2025-07-01", "2.8"),
    ("E-7-TOU", "2020-07-01", "2.5"), ("E-7-TOU", "2025-07-01", "2.8"),
])
def test_primary_voltage_discount(schedule_id, day, percent):
    discount = find(rules_on(schedule_id, day), "discount", "primary_voltage")
    assert discount["values"]["percent"] == percent
    assert discount["condition"] == "primary_voltage"
    assert {"demand", "energy"} <= set(discount["applies_to"])


# G-1 D.3, 003_0151a6ffdf35ceb2.txt lines 4210-4214: FY 2026 "23 therms per 30 day billing period during
# the Summer period, and 60 therms per 30 day billing period during the Winter period ... rounded to the
# nearest whole therm"; the struck FY 2025 words "0.667 therms per day during the Summer period and
# 2.0 therms per day during the Winter ... for a 30 day bill, the Tier 1 level would be 20 therms ...
# and 60 therms".
@pytest.mark.parametrize("day,season,amount,per,per_30", [
    ("2025-07-01", "summer", "23", "30 days", "23"), ("2025-07-01", "winter", "60", "30 days", "60"),
    ("2024-11-01", "summer", "0.667", "day", "20"), ("2024-11-01", "winter", "2.0", "day", "60"),
])
def test_g1_tier1_allowance_by_season(day, season, amount, per, per_30):
    rules = rules_on("G-1", day)
    tier1 = find(rules, "tier_allowance", "therms", "tier1", season)
    from decimal import Decimal
    assert Decimal(tier1["values"]["amount"]) == Decimal(amount)
    assert (tier1["values"]["per"], tier1["values"]["for_30_days"]) == (per, per_30)
    rounding = find(rules, "tier_rounding", "therms")
    assert rounding["values"] == {"step": "1", "mode": "half_up"}


def test_g1_pass_through_ranges():
    # 003 line 4158-4160: Commodity $0.10-$4.00, Carbon Offset $0.00-$0.10 (FY 2026; the cap-and-trade
    # and transportation ranges are struck, leaving "Pass-through").
    rules = rules_on("G-1", "2025-07-01")
    commodity = find(rules, "passthrough", "commodity")["values"]
    assert (commodity["minimum"], commodity["maximum"]) == ("0.10", "4.00")
    assert find(rules, "passthrough", "transportation")["values"]["maximum"] is None


def test_tou_windows_limits_demand_interval_and_holidays():
    # 003 Sheet E-4-TOU (FY 2026) D.2: summer peak 4:00 p.m. to 9:00 p.m. Monday through Friday
    # (except holidays); A: Demand between 500 and 1,000 kilowatts; D.3: any 15-minute interval.
    rules = rules_on("E-4-TOU", "2025-07-01")
    assert find(rules, "tou_period", "energy", "summer", "peak")["values"]["hours"] == \
        "mon-fri 16:00-21:00 except holidays"
    # A: "... sustained this level of usage for at least three consecutive months during the most
    # recent 12 month period" (003 line 1908)
    assert find(rules, "limit", "demand")["values"] == {"at_least": "500", "up_to": "1000", "unit": "kW",
                                                        "consecutive_months": "3", "in_recent_months": "12"}
    assert find(rules, "demand_interval", "demand")["values"] == {"minutes": "15"}
    christmas = find(rules, "holiday", "christmas")
    assert christmas["values"]["date"] == "dec 25" and christmas["source"].endswith(
        tuple(f"cpau.tariff:{n}" for n in range(1, 200)))
    for record in rules:
        path, _, line = record["source"].rpartition(":")
        assert path.endswith(".tariff") and line.isdigit(), record


def test_every_rule_record_points_at_the_line_that_states_it():
    """The source line of each rule holds its keyword (the line an analyst reads beside the sheet)."""
    code, out = run("rates", "--on", "2025-07-01", "--format", "json")
    assert code == 0, out
    keywords = {"limit": "limit", "season": None, "proration": "prorate", "tier_allowance": None,
                "tier_rounding": "tiers", "tier_example": "example", "tou_period": None, "demand_window": None,
                "demand_interval": "demand", "demand_credit": "credit", "discount": "discount", "surcharge": "surcharge",
                "exemption": "exempt", "minimum": "minimum", "passthrough": "passthrough",
                "holiday": "holiday", "billing": "billing",
                "yearly_fees": "yearly_fees", "fee_index": "index", "refused_fee": "fee",
                "reference": "charge", "estimate": "estimate", "input_bound": "bound"}
    for record in json.loads(out)["rules"]:
        path, _, line = record["source"].rpartition(":")
        text = (ROOT / path).read_text(encoding="utf-8").splitlines()[int(line) - 1].split()
        word = keywords[record["rule"]]
        if word is not None:
            assert text[0] == word, (record, text)
        else:
            assert text[0] == record["key"][-1 if record["rule"] != "tier_allowance" else 1], (record, text)


def test_rates_table_prints_the_rules():
    code, out = run("rates", "E-1", "--on", "2025-07-01")
    assert code == 0, out
    assert "tier_allowance  kwh tier1 all" in out and "amount 15  unit kWh  per day" in out


# ------------------------------------------------------------------ diff
CALENDAR = (SCHEDULES / "calendars" / "cpau.tariff").read_text(encoding="utf-8")

TWO_VERSIONS = """
schedule E-1 "Residential Electric Service"
  utility electric
  class residential
  calendar cpau
  applicability "Single-family homes."
  territory "Everywhere."
  seasons "D.2"
    summer "Summer" may 1 to oct 31
    winter "Winter" nov 1 to apr 30

version 2024-07-01 supersedes 2023-07-01
  source "003_0151a6ffdf35ceb2.txt" "Sheet No E-1-1" line 1597
  tiers kwh "D.2"
    tier1 up_to 11 kWh per day
    tier2 rest
  periods energy summer "D.2"
    peak mon-fri 16:00-21:00 except holidays
    off_peak otherwise
  periods energy winter "D.2"
    peak mon-fri 16:00-21:00 except holidays
    off_peak otherwise
  charge energy "Energy" per kWh
    columns total
    summer peak tier1 0.30
    summer peak tier2 0.40
    summer off_peak tier1 0.20
    summer off_peak tier2 0.25
    winter peak tier1 0.30
    winter peak tier2 0.40
    winter off_peak tier1 0.20
    winter off_peak tier2 0.25

version 2025-07-01 supersedes 2024-07-01
  source "003_0151a6ffdf35ceb2.txt" "Sheet No E-1-1" line 1597
  tiers kwh "D.2"
    tier1 up_to {allowance} kWh per day
    tier2 rest
  periods energy summer "D.2"
    peak {peak} except holidays
    off_peak otherwise
  periods energy winter "D.2"
    peak mon-fri 16:00-21:00 except holidays
    off_peak otherwise
  charge energy "Energy" per kWh
    columns total
    summer peak tier1 0.30
    summer peak tier2 0.40
    summer off_peak tier1 0.20
    summer off_peak tier2 0.25
    winter peak tier1 0.30
    winter peak tier2 0.40
    winter off_peak tier1 0.20
    winter off_peak tier2 0.25
"""


def two_version_project(tmp_path: Path, allowance: str, peak: str) -> Path:
    (tmp_path / "calendars").mkdir()
    (tmp_path / "calendars" / "cpau.tariff").write_text(CALENDAR, encoding="utf-8")
    (tmp_path / "E-1.tariff").write_text(TWO_VERSIONS.format(allowance=allowance, peak=peak), encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(tmp_path)])
    assert result.exit_code == 0, result.output
    return tmp_path


def rule_diff(directory: Path, schedule_id="E-1", old="2024-07-01", new="2025-07-01") -> list[dict]:
    code, out = run("diff", schedule_id, "--from", old, "--to", new, "--format", "json", schedules=directory)
    assert code == 0, out
    return [r for r in json.loads(out) if r["kind"] == "rule"]


def test_diff_reports_a_changed_allowance_and_tou_window(tmp_path):
    directory = two_version_project(tmp_path, allowance="15", peak="mon-fri 17:00-20:00")
    changes = {(r["rule"], tuple(r["key"])): r for r in rule_diff(directory)}
    assert set(changes) == {("tier_allowance", ("kwh", "tier1", "all")), ("tou_period", ("energy", "summer", "peak"))}
    allowance = changes[("tier_allowance", ("kwh", "tier1", "all"))]
    assert (allowance["current"]["amount"], allowance["proposed"]["amount"]) == ("11", "15")
    assert (allowance["current"]["for_30_days"], allowance["proposed"]["for_30_days"]) == ("330", "450")
    window = changes[("tou_period", ("energy", "summer", "peak"))]
    assert window["current"]["hours"] == "mon-fri 16:00-21:00 except holidays"
    assert window["proposed"]["hours"] == "mon-fri 17:00-20:00 except holidays"
    lines = (directory / "E-1.tariff").read_text(encoding="utf-8").splitlines()
    assert window["source"] == f"{directory / 'E-1.tariff'}:{lines.index('    peak mon-fri 17:00-20:00 except holidays') + 1}"


def test_diff_reports_no_rule_change_when_rules_are_the_same(tmp_path):
    directory = two_version_project(tmp_path, allowance="11", peak="mon-fri 16:00-21:00")
    assert rule_diff(directory) == []


def test_diff_table_has_a_rule_changes_section(tmp_path):
    directory = two_version_project(tmp_path, allowance="15", peak="mon-fri 16:00-21:00")
    code, out = run("diff", "E-1", "--from", "2024-07-01", "--to", "2025-07-01", schedules=directory)
    assert code == 0, out
    assert "Rule changes" in out
    assert "amount 11" in out and "->  amount 15" in out


def test_real_pair_e1_fy2020_to_fy2025():
    """E-1 2020-07-01 → 2025-07-01: allowance 11 → 15 kWh/day (002 line 2347, 003 line 1618), the
    minimum bill ($0.3344/day, 002 line 2344) replaced by a customer charge."""
    changes = {(r["rule"], tuple(r["key"])): r for r in rule_diff(SCHEDULES, "E-1", "2020-07-01", "2025-07-01")}
    allowance = changes[("tier_allowance", ("kwh", "tier1", "all"))]
    assert (allowance["current"]["amount"], allowance["proposed"]["amount"]) == ("11", "15")
    minimum = changes[("minimum", ("bill",))]
    assert minimum["current"] == {"amount": "0.3344", "per": "day"} and minimum["proposed"] is None


def test_real_pair_e4_tou_windows_fy2020_to_fy2025():
    """E-4-TOU summer peak moved from 12:00-18:00 (002 line 2563ff.) to 16:00-21:00 (003, FY 2026)."""
    changes = {(r["rule"], tuple(r["key"])): r for r in
               rule_diff(SCHEDULES, "E-4-TOU", "2020-07-01", "2025-07-01")}
    peak = changes[("tou_period", ("energy", "summer", "peak"))]
    assert peak["current"]["hours"] == "mon-fri 12:00-18:00 except holidays"
    assert peak["proposed"]["hours"] == "mon-fri 16:00-21:00 except holidays"


def _rule_values_in_ir(schedule, version) -> set[tuple[str, str]]:
    """(rule kind, value) for every number a rule of the IR holds, read straight from the IR nodes."""
    from tariffc.compiler.rates import text_of

    out = set()
    for limit in schedule.limits:
        out |= {("limit", text_of(v)) for v in (limit.low, limit.high) if v is not None}
        out |= {("limit", str(n)) for n in (limit.months, limit.window) if n is not None}
    for rule in version.rules.tiers:
        out |= {("tier_allowance", text_of(a.amount)) for t in rule.tiers for a in t.allowances}
        if rule.round_step is not None:
            out.add(("tier_rounding", text_of(rule.round_step)))
        out |= {("tier_example", e.amount.text) for e in rule.examples}
    out |= {(a.kind, a.percent.text) for a in version.rules.adjustments}
    if version.rules.demand_minutes is not None:
        out.add(("demand_interval", str(version.rules.demand_minutes)))
    out |= {("minimum", m.amount.text) for m in version.rules.minimums if m.amount is not None}
    out |= {("passthrough", n.text) for p in version.passthroughs for n in (p.minimum, p.maximum) if n is not None}
    return out


def test_every_rule_value_the_ir_holds_appears_in_rates_json():
    """Completeness over all 17 schedules and every version: each number a rule holds in the IR
    (allowance, rounding step, discount/surcharge percentage, demand interval, minimum bill,
    pass-through bound, applicability limit) is among the values of its kind in `rates`' rules."""
    from tariffc.compiler.project import load
    from tariffc.compiler.rates.rules import rule_records

    project = load([SCHEDULES])
    checked = 0
    for schedule in project.schedules:
        for version in schedule.versions:
            shown = {(r.rule, v) for r in rule_records(schedule, version) for _, v in r.values if v is not None}
            missing = _rule_values_in_ir(schedule, version) - shown
            assert not missing, f"{schedule.id} {version.label}: {sorted(missing)}"
            checked += len(_rule_values_in_ir(schedule, version))
    assert checked > 100  # the loop saw the rules (148 values today)


def test_real_pair_g1_allowance_compared_per_day():
    """G-1 2024-11-01 → 2025-07-01 (003 lines 4210-4214): summer 0.667 therms/day → 23 per 30 days is a
    change (0.7667/day); winter 2.0 therms/day → 60 per 30 days is the same rule, not listed."""
    changes = {(r["rule"], tuple(r["key"])): r for r in rule_diff(SCHEDULES, "G-1", "2024-11-01", "2025-07-01")}
    summer = changes[("tier_allowance", ("therms", "tier1", "summer"))]
    assert (summer["current"]["amount"], summer["proposed"]["amount"]) == ("0.667", "23")
    assert ("tier_allowance", ("therms", "tier1", "winter")) not in changes
    # the ranges struck on the FY 2026 sheet (line 4158-4160): cap and trade $0.00-$0.25, transportation $0.00-$0.30
    assert changes[("passthrough", ("cap_and_trade",))]["current"]["maximum"] == "0.25"
    assert "maximum" not in changes[("passthrough", ("transportation",))]["proposed"]
