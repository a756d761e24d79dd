"""`tariffc compare` end to end, with the real schedules and the bill API.

Data:
- Residential: the Coastal Multi-Family Green Button sample (hourly, 2011), every <start> shifted
  by 730 whole weeks (441,504,000 s): 2011-01-01 (Saturday) -> 2024-12-28 (Saturday). Weekdays stay
  weekdays, and the DST changes land on the 2025 ones (2011-03-13 -> 2025-03-09, 2011-11-06 ->
  2025-11-02), so local hours stay right. The data then cover 2024-12-28..2025-12-28, billed with
  the versions in effect: 2024-07-01 until 2025-07-01, then 2025-07-01.
- Commercial: one year of 15-minute load generated here from a seeded numpy profile (weekday
  07:00-19:00 600-900 kW, other hours 250-350 kW); SYNTHETIC, not a real customer.
"""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from tariffc.compiler.cli import main

REPO = Path(__file__).resolve().parents[2]
SCHEDULES = REPO / "schedules"
COASTAL = "Coastal_Multi_Family_Jan_1_2011_to_Jan_1_2012_RetailCustomer_5.xml"
SHIFT_SECONDS = 730 * 7 * 86400
LA = __import__("zoneinfo").ZoneInfo("America/Los_Angeles")
ESPI = "http://naesb.org/espi"


def run(*args):
    result = CliRunner().invoke(main, ["compare", "--schedules-dir", str(SCHEDULES), *map(str, args)])
    return result


@pytest.fixture(scope="module")
def coastal_2025(tmp_path_factory) -> Path:
    source = REPO.parent / "shared" / "data" / "greenbutton" / COASTAL
    if not source.is_file():
        pytest.skip("shared Green Button samples not found")
    shifted = re.sub(rb"<start>(\d+)</start>", lambda m: b"<start>%d</start>" % (int(m.group(1)) + SHIFT_SECONDS),
                     source.read_bytes())
    path = tmp_path_factory.mktemp("coastal") / "coastal_2025.xml"
    path.write_bytes(shifted)
    return path


def load_profile_kw(seed: int, start: date, days: int, scale: float = 1.0) -> tuple[int, list[int]]:
    """15-minute average kW as integer Wh per interval, from local midnight of `start` (UTC-continuous)."""
    first = datetime.combine(start, datetime.min.time(), tzinfo=LA).astimezone(timezone.utc)
    last = datetime.combine(start + timedelta(days=days), datetime.min.time(), tzinfo=LA).astimezone(timezone.utc)
    count = int((last - first).total_seconds()) // 900
    rng = np.random.default_rng(seed)
    noise = rng.random(count)
    wh = []
    for i in range(count):
        local = (first + timedelta(seconds=900 * i)).astimezone(LA)
        busy = local.weekday() < 5 and 7 <= local.hour < 19
        kw = (600 + 300 * noise[i]) if busy else (250 + 100 * noise[i])
        wh.append(int(round(kw * scale * 250)))  # kW x 0.25 h x 1000 Wh/kWh
    return int(first.timestamp()), wh


def write_feed(path: Path, first: int, values: list[int], seconds: int = 900) -> Path:
    meter = "/espi/RetailCustomer/1/UsagePoint/1/MeterReading/1"
    parts = ['<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">',
             '<entry><link rel="self" href="/espi/RetailCustomer/1/UsagePoint/1"/>'
             '<link rel="related" href="/espi/RetailCustomer/1/UsagePoint/1/MeterReading"/>'
             f'<content><UsagePoint xmlns="{ESPI}"><ServiceCategory><kind>0</kind></ServiceCategory></UsagePoint>'
             '</content></entry>',
             f'<entry><link rel="self" href="{meter}"/><link rel="up" href="/espi/RetailCustomer/1/UsagePoint/1/MeterReading"/>'
             f'<link rel="related" href="{meter}/IntervalBlock"/><link rel="related" href="/espi/ReadingType/1"/>'
             f'<content><MeterReading xmlns="{ESPI}"/></content></entry>',
             f'<entry><link rel="self" href="/espi/ReadingType/1"/><content><ReadingType xmlns="{ESPI}">'
             f'<flowDirection>1</flowDirection><intervalLength>{seconds}</intervalLength>'
             '<powerOfTenMultiplier>0</powerOfTenMultiplier><uom>72</uom></ReadingType></content></entry>',
             f'<entry><link rel="self" href="{meter}/IntervalBlock/1"/><link rel="up" href="{meter}/IntervalBlock"/>'
             f'<content><IntervalBlock xmlns="{ESPI}"><interval><duration>{seconds * len(values)}</duration>'
             f'<start>{first}</start></interval>']
    parts += [f"<IntervalReading><timePeriod><duration>{seconds}</duration><start>{first + seconds * i}</start>"
              f"</timePeriod><value>{v}</value></IntervalReading>" for i, v in enumerate(values)]
    parts.append("</IntervalBlock></content></entry></feed>\n")
    path.write_text("".join(parts), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def commercial_2025(tmp_path_factory) -> Path:
    first, values = load_profile_kw(seed=2025, start=date(2025, 1, 1), days=365)
    return write_feed(tmp_path_factory.mktemp("load") / "commercial_2025.xml", first, values)


# -- residential -----------------------------------------------------------------------------------

def test_residential_options_ranked_on_a_year_of_hourly_data(coastal_2025):
    # The whole year of data: calendar months cut to [2024-12-28, 2025-12-28) (13 bills, 365 days).
    result = run("--intervals", coastal_2025, "--schedules", "E-1,E-2,E-2-G,E-4", "--start", "2024-12-28",
                 "--end", "2025-12-28", "--set", "green_option=renewable_100")
    assert result.exit_code == 0, result.output
    out = result.output
    ranking = re.findall(r"^\s+(\d)\s+(\S+)\s+(\w+)\s+([\d,]+\.\d\d)", out, re.M)
    assert [r[1] for r in ranking] == ["E-1", "E-2", "E-2-G"]
    totals = [Decimal(r[3].replace(",", "")) for r in ranking]
    assert totals == sorted(totals)
    assert "13 periods, 365 days" in out and "delivered 4,425.305 kWh" in out  # the whole sample, every hour
    assert "E-4: needs the maximum 15-minute demand; the data are 60-minute intervals" in out
    assert "which one the account may take is a fact about the customer" in out
    assert re.search(r"^\s+2024-12-28\.\.2025-01-01\s+4\s", out, re.M)


def test_read_dates_across_a_rate_change_are_prorated_by_days(coastal_2025, tmp_path):
    reads = tmp_path / "reads.txt"  # meter read on the 28th: the June-July bill crosses 2025-07-01
    reads.write_text("\n".join(f"2025-{m:02d}-28" for m in range(1, 13)))
    result = run("--intervals", coastal_2025, "--schedules", "E-1", "--read-dates", reads)
    assert result.exit_code == 0, result.output  # the calendar declares `prorate versions by days`
    reads.write_text("\n".join(["2025-05-28", "2025-06-28", "2025-07-01", "2025-07-28"]))
    result = run("--intervals", coastal_2025, "--schedules", "E-1", "--read-dates", reads)
    assert result.exit_code == 0, result.output
    assert "2025-06-28..2025-07-01" in result.output


def test_residential_calendar_months_json_and_versions(coastal_2025):
    result = run("--intervals", coastal_2025, "--schedules", "E-1,E-2", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert [p["label"] for p in data["periods"]] == [f"2025-{m:02d}" for m in range(1, 12)]
    assert data["notes"][:2] == ["left out 2024-12-28..2025-01-01 (4 days): not a whole calendar month",
                                 "left out 2025-12-01..2025-12-28 (27 days): not a whole calendar month"]
    e1 = next(o for o in data["options"] if o["option"] == "E-1")
    assert e1["bills"][0]["base"]["versions"] == ["2024-07-01"]
    assert e1["bills"][6]["base"]["versions"] == ["2025-07-01"]  # July 2025
    assert Decimal(e1["total"]) == sum(Decimal(b["total"]) for b in e1["bills"])
    first = e1["bills"][0]["base"]
    assert Decimal(first["total"]) == Decimal(first["total_exact"]).quantize(Decimal("0.01"))


# -- commercial ------------------------------------------------------------------------------------

def test_commercial_e4_against_e4_tou_on_a_year_of_15_minute_data(commercial_2025, tmp_path):
    chart = tmp_path / "bills.svg"
    result = run("--intervals", commercial_2025, "--schedules", "E-4,E-4-TOU,E-7", "--plot", chart)
    assert result.exit_code == 0, result.output
    out = result.output
    ranking = re.findall(r"^\s+(\d)\s+(E-4\S*)\s+non_residential\s+([\d,]+\.\d\d)", out, re.M)
    assert sorted(r[1] for r in ranking) == ["E-4", "E-4-TOU"]
    assert re.search(r"E-7: maximum demand 8\d\d(\.\d+)? kW is below its 1000 kW minimum", out)
    assert "12 periods, 365 days" in out
    assert chart.read_text().startswith("<?xml") and "<svg" in chart.read_text()


def test_commercial_csv_and_png(commercial_2025, tmp_path):
    chart = tmp_path / "bills.png"
    result = run("--intervals", commercial_2025, "--schedules", "E-4,E-4-TOU", "--format", "csv", "--plot", chart,
                 "--start", "2025-06-01", "--end", "2025-08-01")  # two months, across the 2025-07-01 change
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    totals = [r for r in rows if r["period"] == "total"]
    assert len(totals) == 2 and len(rows) == 6
    assert [r["period"] for r in rows[:2]] == ["2025-06", "2025-07"] and rows[0]["max_kw_minutes"] == "15"
    assert Decimal(totals[0]["difference"]) == 0 and Decimal(totals[1]["difference"]) > 0
    assert chart.read_bytes().startswith(b"\x89PNG")


def test_small_load_refused_by_e4_tou_range(tmp_path):
    first, values = load_profile_kw(seed=7, start=date(2025, 1, 1), days=31, scale=0.35)
    path = write_feed(tmp_path / "small.xml", first, values)
    result = run("--intervals", path, "--schedules", "E-4,E-4-TOU")
    assert result.exit_code == 0, result.output
    assert re.search(r"E-4-TOU: maximum demand 31\d(\.\d+)? kW is outside its 500-1000 kW range", result.output)


def test_gap_period_reported_not_billed(tmp_path):
    first, values = load_profile_kw(seed=3, start=date(2025, 1, 1), days=59)
    # drop readings 3000-3003: one hour from 2025-02-01 06:00 (3000 x 15 min after local midnight)
    pairs = [(first + 900 * i, v) for i, v in enumerate(values) if not 3000 <= i < 3004]
    path = tmp_path / "gap.xml"
    _write_sparse(path, pairs)
    result = run("--intervals", path, "--schedules", "E-4")
    assert result.exit_code == 0, result.output
    assert "Not billed: missing data" in result.output
    assert "2025-02: 2025-02-01 06:00 to 2025-02-01 07:00 PST (1 h missing)" in result.output
    assert re.search(r"^\s+2025-01\s+31", result.output, re.M)


def _write_sparse(path: Path, pairs):
    first = pairs[0][0]
    write_feed(path, first, [0])  # template
    text = path.read_text()
    head, _, _ = text.partition("<IntervalReading>")
    body = "".join(f"<IntervalReading><timePeriod><duration>900</duration><start>{s}</start></timePeriod>"
                   f"<value>{v}</value></IntervalReading>" for s, v in pairs)
    path.write_text(head + body + "</IntervalBlock></content></entry></feed>\n")


def test_totals_path_equals_the_engine_on_intervals(tmp_path):
    """For E-4 compare gives the bill kWh and the 15-minute maximum demand it takes from the intervals
    (faster); the bill engine given the intervals themselves must agree to the exact total."""
    from tariffc.compiler.api import Tariffs
    from tariffc.compiler.compare.periods import calendar_months, split
    from tariffc.compiler.compare import compare, parse_candidates
    from tariffc.compiler.meterdata import read_meter_data

    first, values = load_profile_kw(seed=11, start=date(2025, 6, 1), days=61)
    series = read_meter_data(write_feed(tmp_path / "two.xml", first, values))
    slices = split(series, calendar_months(date(2025, 6, 1), date(2025, 8, 1)))
    tariffs = Tariffs.load(SCHEDULES)
    result = compare(slices, source="two.xml", units=series.units, candidates=parse_candidates("E-4"),
                     schedules={"E-4": tariffs.schedule("E-4")}, biller=tariffs)
    for bill, piece in zip(result.results[0].bills, slices):
        direct = tariffs.bill("E-4", start=piece.period.start, end=piece.period.end, intervals=piece.delivered)
        assert bill.total_exact == direct.total_exact and bill.total == direct.total
