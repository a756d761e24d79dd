"""A. Applicability judged over a usage history (compiler/applicability.py), the `limit ... for N
consecutive months in W` / `per year` / `when` forms, and the tier rule's worked `example`s.

Expected verdicts are worked by hand from the sheets' words:
- E-4-TOU A. (003 line 1908): "Demand between 500 and 1,000 kilowatts per month and who have sustained
  this level of usage for at least three consecutive months during the most recent 12 month period";
- E-7 A. (003 lines 2013-2014): "at least 1,000KW per month per site, who have sustained this Demand
  level at least 3 consecutive months during the last twelve months";
- G-2 A.1 (003 line 4228): "Commercial Customers who use less than 250,000 therms per year at one
  site"; G-3 A.1 (003 line 4283): "at least 250,000 therms per year".
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from tariffc.compiler.applicability import MET, NOT_JUDGED, NOT_MET, describe, judge, single_bill
from tariffc.compiler.compare.periods import calendar_months, split
from tariffc.compiler.cli import main
from tariffc.compiler.compare import compare, parse_candidates
from tariffc.compiler.meterdata import KWH, IntervalReading, IntervalSeries
from tariffc.compiler.meterdata.localtime import LOCAL_TZ
from tariffc.compiler.project import load

REPO = Path(__file__).resolve().parents[2]
SCHEDULES = REPO / "schedules"


@pytest.fixture(scope="module")
def schedules():
    return {s.id: s for s in load([SCHEDULES], check=False).schedules}


def limit_of(schedules, schedule_id):
    (limit,) = [x for x in schedules[schedule_id].limits if x.history is not None]
    return limit


def kw(*values):
    return [None if v is None else Decimal(v) for v in values]


# -- sustained: 3 consecutive months inside 500-1000 kW among the most recent 12 -------------------

def test_e4_tou_three_consecutive_months_met(schedules):
    limit = limit_of(schedules, "E-4-TOU")
    assert describe(limit) == "demand 500-1000 kW for 3 consecutive months in 12"
    # months 4, 5, 6 are 520, 999.9, 500 kW: all three inside [500, 1000)
    history = kw(450, 480, 1000, 520, "999.9", 500, 430, 400, 400, 400, 400, 400)
    verdict = judge(limit, history)
    assert verdict.status == MET
    assert "3 consecutive months (month 4 to month 6)" in verdict.reason


def test_e4_tou_bounds_are_half_open(schedules):
    limit = limit_of(schedules, "E-4-TOU")
    # 1000 kW is not "between 500 and 1,000" as compare reads it (E-4 "below 1,000"): the run breaks
    assert judge(limit, kw(*[400] * 9, 600, 1000, 600)).status == NOT_MET
    assert judge(limit, kw(*[400] * 9, 600, "999.999", 600)).status == MET


def test_e4_tou_only_the_most_recent_12_months_count(schedules):
    limit = limit_of(schedules, "E-4-TOU")
    # months 1-3 inside, then 12 months outside: the run lies 13-15 months back
    verdict = judge(limit, kw(600, 600, 600, *[300] * 12))
    assert verdict.status == NOT_MET
    assert verdict.reason == ("no 3 consecutive months inside 500-1000 kW among the most recent 12 "
                              "(0 inside, at most 0 in a row)")


def test_sustained_unknown_months_make_it_not_judged(schedules):
    limit = limit_of(schedules, "E-4-TOU")
    # six months known, all outside: the six unknown months before them could hold a run of 3
    verdict = judge(limit, kw(300, 300, 300, 300, 300, 300))
    assert verdict.status == NOT_JUDGED
    assert verdict.reason.startswith("6 of the most recent 12 months not known")
    # a gap (None) between two inside months: 600, ?, 600 could be a run of 3
    gap = kw(300, 300, 300, 300, 300, 300, 300, 300, 300, 600, None, 600)
    assert judge(limit, gap).status == NOT_JUDGED
    # ... but a gap next to months outside cannot complete a run of 3
    assert judge(limit, kw(*[300] * 9, 600, None, 300)).status == NOT_MET


def test_e7_at_least_1000_sustained(schedules):
    limit = limit_of(schedules, "E-7")
    assert describe(limit) == "demand at least 1000 kW for 3 consecutive months in 12"
    assert judge(limit, kw(*[900] * 9, 1000, 1200, 1000)).status == MET
    assert judge(limit, kw(*[900] * 9, 1000, 999, 1000)).status == NOT_MET


# -- per year, commercial customers only ----------------------------------------------------------

def test_g2_per_year_commercial(schedules):
    limit = limit_of(schedules, "G-2")
    assert describe(limit) == "usage below 250000 therms per year when commercial"
    # 12 x 20,833 = 249,996 therms: less than 250,000
    assert judge(limit, kw(*[20833] * 12), {"commercial": True}).status == MET
    # 11 x 20,833 + 20,837 = 250,000: not less than 250,000
    verdict = judge(limit, kw(*[20833] * 11, 20837), {"commercial": True})
    assert verdict.status == NOT_MET
    assert verdict.reason == "250000 therms in the most recent 12 months, not below 250000 therms"
    # six months known: 6 x 30,000 = 180,000 so far; the year could still stay below 250,000
    assert judge(limit, kw(*[30000] * 6), {"commercial": True}).status == NOT_JUDGED
    # nine months known: 9 x 30,000 = 270,000 already; no unknown month can bring it below
    assert judge(limit, kw(*[30000] * 9), {"commercial": True}).status == NOT_MET
    # A.2 master-metered residential customers have no bound; unknown class: not judged
    assert judge(limit, kw(*[30000] * 12), {"commercial": False}).status == MET
    assert judge(limit, kw(*[30000] * 12), {}).status == NOT_JUDGED


def test_g3_per_year_at_least(schedules):
    limit = limit_of(schedules, "G-3")
    # 5 x 50,000 = 250,000 in five months: at least 250,000 whatever the other seven were
    verdict = judge(limit, kw(*[50000] * 5), {"commercial": True})
    assert verdict.status == MET and verdict.reason.startswith("already 250000 therms in 5 of")
    assert judge(limit, kw(*[1000] * 12), {"commercial": True}).status == NOT_MET


def test_single_bill_says_not_judged(schedules):
    (verdict,) = single_bill(schedules["E-4-TOU"], kw=Decimal(700))
    assert verdict.status == NOT_JUDGED
    assert verdict.reason.startswith("a single bill holds one month of usage; 11 of the most recent 12 months")
    (g3,) = single_bill(schedules["G-3"], usage=Decimal(300000), inputs={"commercial": True})
    assert g3.status == MET  # one month of 300,000 therms is already at least 250,000 a year
    assert single_bill(schedules["E-4"], kw=Decimal(700)) == []  # E-4's bound is per bill


def test_bill_command_says_not_judged():
    args = ["bill", "E-7", "--start", "2025-07-01", "--end", "2025-08-01", "--kwh", "300000", "--kw", "1200",
            "--schedules", str(SCHEDULES)]
    text = CliRunner().invoke(main, args)
    assert text.exit_code == 0, text.output
    assert "demand at least 1000 kW for 3 consecutive months in 12: not judged: a single bill holds one month" \
        in text.output
    data = json.loads(CliRunner().invoke(main, args + ["--format", "json"]).output)
    (verdict,) = data["applicability"]
    assert verdict["status"] == "not judged" and verdict["source"].endswith("E-7.tariff:23")
    plain = CliRunner().invoke(main, ["bill", "E-1", "--start", "2025-07-01", "--end", "2025-07-31", "--kwh", "600",
                                      "--schedules", str(SCHEDULES)])
    assert "Applicability" not in plain.output  # E-1 has no bound judged over history


# -- the language ---------------------------------------------------------------------------------

HEADER = """calendar c
  timezone "America/Los_Angeles"
schedule E-9 "Test"
  utility electric
  class non_residential
  calendar c
  input commercial flag "why"
  {limit}
version 2025-07-01
  source "003_0151a6ffdf35ceb2.txt" "x" line 1
  charge customer "Customer Charge" 5.00 per month
"""


def check(tmp_path, limit: str):
    path = tmp_path / "E-9.tariff"
    path.write_text(HEADER.format(limit=limit), encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(path)])
    return result.exit_code, result.output


def test_limit_forms_check_clean(tmp_path):
    assert check(tmp_path, 'limit demand 500 to 1000 kW for 3 consecutive months in 12 "A"')[0] == 0
    assert check(tmp_path, 'limit usage up_to 250000 kWh per year when commercial "A.1"')[0] == 0


@pytest.mark.parametrize("limit,message", [
    ('limit demand 500 to 1000 kW for 13 consecutive months in 12', "'for 13 consecutive months in 12' cannot be judged"),
    ('limit demand 500 to 1000 kW for 0 consecutive months in 12', "'for 0 consecutive months in 12' cannot be judged"),
    ('limit demand at_least 500 kW per year', "'per year' adds up usage"),
    ('limit usage up_to 5 kWh per year when retail', "input 'retail' is not declared"),
])
def test_limit_forms_refused(tmp_path, limit, message):
    code, out = check(tmp_path, limit)
    assert code == 1 and message in out, out


# -- G-1's worked examples (003 lines 4212-4214) ---------------------------------------------------

def rules_on(schedule_id, day):
    result = CliRunner().invoke(main, ["rates", schedule_id, "--on", day, "--format", "json",
                                       "--schedules", str(SCHEDULES)])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)["rules"]


def test_g1_examples_in_rates_json():
    lines = (SCHEDULES / "gas" / "G-1.tariff").read_text(encoding="utf-8").splitlines()
    examples = {tuple(r["key"]): r for r in rules_on("G-1", "2025-08-01") if r["rule"] == "tier_example"}
    summer = examples[("therms", "tier1", "summer")]
    # "0.767 therms per day x 30 days = 23 therms" (line 4212): 0.767 x 30 = 23.01, rounded 23
    assert summer["values"] == {"amount": "0.767", "unit": "therms", "per": "day", "for_30_days": "23"}
    winter = examples[("therms", "tier1", "winter")]
    assert winter["values"] == {"amount": "2.0", "unit": "therms", "per": "day", "for_30_days": "60"}
    path, line = summer["source"].rsplit(":", 1)
    assert path.endswith("G-1.tariff") and "example tier1 0.767 therms per day in summer" in lines[int(line) - 1]
    # FY 2025 (struck text, lines 4213-4214): "for a 30 day bill, the Tier 1 level would be 20 therms"
    old = {tuple(r["key"]): r for r in rules_on("G-1", "2025-01-15") if r["rule"] == "tier_example"}
    assert old[("therms", "tier1", "summer")]["values"]["amount"] == "20"


def test_diff_reports_the_changed_example_and_limits_unchanged():
    result = CliRunner().invoke(main, ["diff", "G-1", "--from", "2024-11-01", "--to", "2025-07-01", "--format", "json",
                                       "--schedules", str(SCHEDULES)])
    assert result.exit_code == 0, result.output
    changes = {(r["rule"], tuple(r["key"])): r for r in json.loads(result.output) if r["kind"] == "rule"}
    example = changes[("tier_example", ("therms", "tier1", "summer"))]
    assert example["current"]["amount"] == "20" and example["proposed"]["amount"] == "0.767"
    # winter: "60 therms" for a 30-day bill (FY 2025) and "2.0 therms per day" (FY 2026) are one value
    assert ("tier_example", ("therms", "tier1", "winter")) not in changes


# -- compare judges the bound on a year of 15-minute data ------------------------------------------

class FlatBiller:
    def bill(self, schedule_id, *, start, end, **quantities):
        class Bill:
            total = total_exact = Decimal("100.00")
            lines = ()
        return Bill()


def year_at(monthly_kw):
    """15-minute readings for 2025, each calendar month flat at its kW (kWh per 15 minutes = kW / 4)."""
    items = []
    for month, value in enumerate(monthly_kw, start=1):
        start = datetime(2025, month, 1, tzinfo=LOCAL_TZ).astimezone(timezone.utc)
        end = (datetime(2025 + month // 12, month % 12 + 1, 1, tzinfo=LOCAL_TZ)).astimezone(timezone.utc)
        for i in range(int((end - start).total_seconds()) // 900):
            items.append(IntervalReading(start=start + timedelta(seconds=900 * i), duration=900,
                                         value=Decimal(value) / 4, unit=KWH))
    series = IntervalSeries(readings=tuple(items), source="test")
    return series, split(series, calendar_months(date(2025, 1, 1), date(2026, 1, 1)))


def run_compare(schedules, monthly_kw, names="E-4-TOU"):
    series, slices = year_at(monthly_kw)
    return compare(slices, source="test", units=series.units, candidates=parse_candidates(names),
                   schedules=schedules, biller=FlatBiller())


def test_compare_refuses_e4_tou_without_three_consecutive_months(schedules):
    # two months inside (May, June at 600 kW), the rest at 400 kW: the largest month is inside the
    # 500-1000 kW range, but no three consecutive months are
    result = run_compare(schedules, [400, 400, 400, 400, 600, 600, 400, 400, 400, 400, 400, 400])
    assert result.results == ()
    assert result.refused[0].reason == (
        "E-4-TOU: A. Applicability, demand 500-1000 kW for 3 consecutive months in 12: no 3 consecutive "
        "months inside 500-1000 kW among the most recent 12 (2 inside, at most 2 in a row)")


def test_compare_bills_e4_tou_with_three_consecutive_months(schedules):
    result = run_compare(schedules, [400, 400, 400, 400, 600, 600, 600, 400, 400, 400, 400, 400])
    assert [r.candidate.label for r in result.results] == ["E-4-TOU"]
    assert any(note.startswith("E-4-TOU: A. Applicability, demand 500-1000 kW for 3 consecutive months in 12: met: "
                               "inside 500-1000 kW in 3 consecutive months (2025-05 to 2025-07)")
               for note in result.notes), result.notes
