"""Issue 13, kinds 3, 5, 7, 9, 10 (command line), 11 and 12: meter-data faults found in the field.

Every bill value is worked by hand from the sheets in schedules/ (2025-07-01 unless said):
  E-1      tier 1 0.20570 $/kWh up to 15 kWh a day, tier 2 0.22944 $/kWh, customer charge 5.15 $/bill
  E-EEC-1  export credit 0.1243 $/kWh
  G-1      summer tier 1 up to 23 therms per 30 days (rounded to a whole therm), 1.2093 $/therm,
           tier 2 1.8792 $/therm, service charge 19.52 $/bill; pass-through prices from --set
The calendar rounds a bill's total once, half-up to the cent; its lines are exact.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from tariffc.compiler.cli import main
from tariffc.compiler.meterdata import MeterDataError, quality_report
from tariffc.compiler.meterdata.csvfile import read_csv_text

REPO = Path(__file__).resolve().parents[2]
SCHEDULES = str(REPO / "schedules")
GAS_PRICES = ["--set", "commodity=0.859", "--set", "cap_and_trade=0.05", "--set", "transportation=0.1",
              "--set", "carbon_offset=0.01"]  # 0.859 + 0.05 + 0.1 + 0.01 = 1.019 $/therm


def bill(*args):
    return CliRunner().invoke(main, ["bill", *map(str, args), "--schedules", SCHEDULES])


def compare(*args):
    return CliRunner().invoke(main, ["compare", "--schedules-dir", SCHEDULES, *map(str, args)])


def rows(start: dt.datetime, end: dt.datetime, step: dt.timedelta, value) -> list[str]:
    out, t = [], start
    while t < end:
        out.append(f"{t:%Y-%m-%d %H:%M},{value(t) if callable(value) else value}")
        t += step
    return out


def write(tmp_path, name: str, header: str, lines: list[str]) -> str:
    path = tmp_path / name
    path.write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
    return str(path)


# -- kind 3: readings that straddle a billing-period boundary ---------------------------------------

def offset_day(tmp_path) -> str:
    """15-minute readings starting at :05/:20/:35/:50 covering all of 2025-07-15 (and a little more)."""
    return write(tmp_path, "offset.csv", "start,kwh", rows(dt.datetime(2025, 7, 14, 23, 50),
                                                           dt.datetime(2025, 7, 16, 0, 5), dt.timedelta(minutes=15), 1))


def test_straddling_readings_inspect_and_compare_agree(tmp_path):
    path = offset_day(tmp_path)
    report = quality_report(read_csv_text(Path(path).read_text(), name=path))
    assert report.gaps == ()  # nothing is missing ...
    # ... but two readings cross local midnight: 2025-07-14 23:50-00:05 and 2025-07-15 23:50-00:05
    assert [r.line for r in report.midnight_straddles] == [2, 98]
    inspected = CliRunner().invoke(main, ["inspect", path])
    assert "readings across local midnight" in inspected.output and "(line 98)" in inspected.output
    result = compare("--intervals", path, "--schedules", "E-1", "--start", "2025-07-15", "--end", "2025-07-16")
    assert result.exit_code == 1
    assert "2 reading(s) straddle the period's start or end (local midnight)" in result.stderr
    assert f"{path}:2 (2025-07-14 23:50 PDT) to 2025-07-15 00:05 PDT" in result.stderr
    assert not re.search(r"\d\.\d{6,}", result.stderr)  # never a long decimal of hours


def test_straddling_reading_in_bill(tmp_path):
    path = offset_day(tmp_path)
    result = bill("E-1", "--start", "2025-07-15", "--end", "2025-07-16", "--intervals", path)
    assert result.exit_code == 1
    assert "straddle the billing period's start or end" in result.output


def test_gap_shown_exactly(tmp_path):
    lines = rows(dt.datetime(2025, 7, 1), dt.datetime(2025, 8, 1), dt.timedelta(minutes=15), 1)
    del lines[100]  # 2025-07-02 01:00 PDT missing: 15 minutes
    path = write(tmp_path, "gap.csv", "start,kwh", lines)
    result = compare("--intervals", path, "--schedules", "E-1")
    assert "2025-07-02 01:00 to 2025-07-02 01:15 PDT (15 min missing)" in result.stderr


# -- kind 5: a bill with export credit is rounded once ----------------------------------------------

def test_export_credit_rounds_once(tmp_path):
    # 2025-07-15: 0.5 kWh delivered each hour (12 kWh); 1 kWh received each hour 09:00-17:00 (8 kWh)
    lines = [f"2025-07-15 {h:02d}:00,{1 if 9 <= h < 17 else 0},0.5,0" for h in range(24)]
    path = write(tmp_path, "solar.csv", "date,export_kwh,import_kwh,net_kwh", lines)
    result = compare("--intervals", path, "--schedules", "E-1,E-1+E-EEC-1", "--start", "2025-07-15",
                     "--end", "2025-07-16", "--format", "json")
    assert result.exit_code == 0, result.output
    options = {o["option"]: o for o in json.loads(result.stdout)["options"]}
    # base: 12 x 0.20570 + 5.15 = 2.4684 + 5.15 = 7.6184; credit: 8 x 0.1243 = 0.9944
    # one bill: 7.6184 - 0.9944 = 6.624 -> $6.62 (not 7.62 - 0.99 = 6.63)
    assert options["E-1+E-EEC-1"]["total"] == "6.62"
    assert options["E-1"]["total"] == "7.62"


# -- kind 7: 8,760-hour profiles in standard time ---------------------------------------------------

def standard_year(tmp_path) -> str:
    """8,760 hourly rows of 2025 in local standard time (a 02:00 on 2025-03-09, no repeated hour), 1 kWh each."""
    return write(tmp_path, "profile.csv", "start,kwh", rows(dt.datetime(2025, 1, 1), dt.datetime(2026, 1, 1),
                                                            dt.timedelta(hours=1), 1))


def test_standard_time_profile_refused_by_default_naming_the_option(tmp_path):
    path = standard_year(tmp_path)
    # 2025-03-09 is day 31 + 28 + 9 = 68 of the year: its 02:00 is row 67 x 24 + 2 = 1610, line 1612
    with pytest.raises(MeterDataError, match=r"profile.csv:1612: local time 2025-03-09 02:00 does not exist.*"
                                             r"--clock standard"):
        read_csv_text(Path(path).read_text(), name=path)
    result = CliRunner().invoke(main, ["inspect", path])
    assert result.exit_code == 1 and "--clock standard" in result.stderr


def test_standard_time_profile_with_clock_standard(tmp_path):
    path = standard_year(tmp_path)
    series = read_csv_text(Path(path).read_text(), name=path, clock="standard")
    assert len(series) == 8760 and quality_report(series).gaps == ()
    # 2025-03-09 02:00 standard (UTC-8) is 10:00 UTC; 2025-07-15 00:00 standard is 08:00 UTC = 01:00 PDT
    starts = {r.line: r.start for r in series.readings}
    assert starts[1612] == dt.datetime(2025, 3, 9, 10, tzinfo=dt.timezone.utc)
    # A July day billed from the year file: local 2025-07-15 00:00-24:00 PDT holds 24 whole hours of
    # the profile (standard 23:00 the day before to 23:00), 1 kWh each: 24 kWh.
    # E-1: 15 x 0.20570 + 9 x 0.22944 + 5.15 = 3.0855 + 2.06496 + 5.15 = 10.30046 -> $10.30
    result = bill("E-1", "--start", "2025-07-15", "--end", "2025-07-16", "--intervals", path, "--clock", "standard")
    assert result.exit_code == 0, result.output
    assert "$10.30" in result.stdout
    # kind 10: the other 8,736 readings of the year are left out, and the command says so
    assert "billed the 24 readings in [2025-07-15, 2025-07-16); 8,736 readings outside the period" in result.stderr


def test_utc_clock():
    series = read_csv_text("start,kwh\n2025-07-15 07:00,1\n2025-07-15 08:00,1\n", clock="utc")
    assert series.readings[0].start == dt.datetime(2025, 7, 15, 7, tzinfo=dt.timezone.utc)


# -- kind 9: gas interval data and reads up to the billing rule's maximum ---------------------------

def test_gas_read_of_32_days_billed_from_a_csv(tmp_path):
    path = write(tmp_path, "gas.csv", "start,end,therms", ["2025-07-01,2025-08-02,40"])
    result = bill("G-1", "--start", "2025-07-01", "--end", "2025-08-02", "--intervals", path, *GAS_PRICES)
    assert result.exit_code == 0, result.output
    # 32 summer days: tier 1 = 23 x 32 / 30 = 24.53 -> 25 therms; tier 2 = 15 therms
    # 25 x 1.2093 + 15 x 1.8792 + 40 x 1.019 + 19.52 = 30.2325 + 28.188 + 40.76 + 19.52 = 118.7005 -> $118.70
    assert "$118.70" in result.stdout


def test_gas_hourly_intervals_billed_in_therms(tmp_path):
    lines = rows(dt.datetime(2025, 7, 1), dt.datetime(2025, 7, 31), dt.timedelta(hours=1), "0.025")
    path = write(tmp_path, "gas_hourly.csv", "start,therms", lines)
    result = bill("G-1", "--start", "2025-07-01", "--end", "2025-07-31", "--intervals", path, *GAS_PRICES)
    assert result.exit_code == 0, result.output
    # 720 h x 0.025 = 18 therms, all tier 1 (23 therms for 30 days): 18 x 1.2093 + 18 x 1.019 + 19.52
    # = 21.7674 + 18.342 + 19.52 = 59.6294 -> $59.63
    assert "$59.63" in result.stdout


def test_gas_reads_refused_beyond_the_billing_rule(tmp_path):
    with pytest.raises(MeterDataError, match=r"longer than 62 days, the longest billing period the billing rule"):
        read_csv_text("start,end,therms\n2025-01-01,2025-03-05,40\n")  # 63 days
    read_csv_text("start,end,therms\n2025-10-15,2025-12-16,40\n")  # 62 days across the November clock change


def test_kwh_file_for_a_gas_bill(tmp_path):
    path = write(tmp_path, "e.csv", "start,kwh", rows(dt.datetime(2025, 7, 1), dt.datetime(2025, 7, 2),
                                                      dt.timedelta(hours=1), 1))
    result = bill("G-1", "--start", "2025-07-01", "--end", "2025-07-02", "--intervals", path, *GAS_PRICES)
    assert result.exit_code == 1 and "the readings are in kWh (electricity); G-1 is a gas schedule billed in therm: bill these readings on an electric schedule" in result.output


# -- kind 11: compare bills what it can; narrowing; --at --------------------------------------------

READS = "start,end,therms\n2024-10-01,2024-10-31,20\n2025-07-01,2025-07-31,20\n"


def test_period_before_the_known_rates_is_listed_others_billed(tmp_path):
    path = write(tmp_path, "reads.csv", *READS.strip().split("\n", 1)[:1], READS.strip().split("\n")[1:])
    result = compare("--intervals", path, "--schedules", "G-1", *GAS_PRICES)
    assert result.exit_code == 0, result.output
    out = result.stdout
    # 2025-07: 30 days, 20 therms, all tier 1: 20 x 1.2093 + 20 x 1.019 + 19.52 = 24.186 + 20.38 + 19.52
    # = 64.086 -> $64.09
    assert re.search(r"^\s+total\s+30\s+20\s+64\.09$", out, re.M), out
    assert "2024-10-01..2024-10-31: cannot be billed for every option: G-1: start = 2024-10-01: schedule G-1 has no " \
           "version in effect on 2024-10-01" in out


def test_at_bills_past_usage_at_a_versions_rates(tmp_path):
    path = write(tmp_path, "reads.csv", "start,end,therms", ["2023-06-27,2023-07-27,20"])
    plain = compare("--intervals", path, "--schedules", "G-1", *GAS_PRICES)
    assert plain.exit_code == 1 and "--at DATE bills the periods" in plain.stdout
    result = compare("--intervals", path, "--schedules", "G-1", *GAS_PRICES, "--at", "2025-07-01")
    assert result.exit_code == 0, result.output
    # the 2025-07-01 rates on 30 summer days of 2023: 20 x 1.2093 + 20 x 1.019 + 19.52 = 64.086 -> $64.09
    assert re.search(r"^\s+total\s+30\s+20\s+64\.09$", result.stdout, re.M), result.stdout
    assert "every period is billed at the rates in effect on 2025-07-01 (G-1 2025-07-01)" in result.stdout
    bad = compare("--intervals", path, "--schedules", "G-1", *GAS_PRICES, "--at", "2001-01-01")
    assert bad.exit_code == 2 and "schedule G-1 has no version in effect on that date" in bad.output


def test_start_end_narrow_billing_period_reads(tmp_path):
    lines = ["2025-07-01,2025-07-31,20", "2025-07-31,2025-08-30,20", "2025-08-30,2025-09-29,20"]
    path = write(tmp_path, "reads.csv", "start,end,therms", lines)
    result = compare("--intervals", path, "--schedules", "G-1", *GAS_PRICES, "--start", "2025-07-15",
                     "--end", "2025-09-29")
    assert result.exit_code == 0, result.output
    assert "in 2 periods, 60 days" in result.stdout
    assert "2 of 3 reads lie inside; left out, partly outside the range: 2025-07-01..2025-07-31" in result.stdout


# -- kind 12: quantities in errors are decimals, with the file and line ------------------------------

def test_negative_reading_shown_as_decimal_with_line(tmp_path):
    lines = rows(dt.datetime(2025, 7, 1), dt.datetime(2025, 7, 2), dt.timedelta(minutes=15), 1)
    lines[5] = "2025-07-01 01:15,-1.5"
    path = write(tmp_path, "neg.csv", "start,kwh", lines)
    for result in (bill("E-1", "--start", "2025-07-01", "--end", "2025-07-02", "--intervals", path),
                   compare("--intervals", path, "--schedules", "E-1", "--start", "2025-07-01", "--end", "2025-07-02")):
        assert result.exit_code == 1
        assert f"{path}:7: 1 negative readings, the first -1.5 kWh at 2025-07-01 01:15 PDT" in result.output
        assert "-3/2" not in result.output


def test_negative_interval_through_the_api_is_a_decimal():
    from tariffc.compiler.api import Tariffs
    from tariffc.compiler.runtime import BillInputError

    tz = dt.timezone(dt.timedelta(hours=-7))
    start = dt.datetime(2025, 7, 1, tzinfo=tz)
    items = [(start + dt.timedelta(hours=i), 3600, "1" if i else "-1.5") for i in range(24)]
    with pytest.raises(BillInputError) as caught:
        Tariffs.load(SCHEDULES).bill("E-4-TOU", start="2025-07-01", end="2025-07-02", intervals=items)
    assert "-1.5 kWh is negative" in str(caught.value) and "-3/2" not in str(caught.value)


def test_cell_errors_name_line_and_column():
    with pytest.raises(MeterDataError, match=r"<text>:3: column 'kwh': '1,5' is not a number"):
        read_csv_text("start,kwh\n2025-07-01 00:00,1\n2025-07-01 01:00,\"1,5\"\n")
    assert Decimal("1.5") == read_csv_text("start,kwh\n2025-07-01 00:00,1.5\n", interval=dt.timedelta(hours=1)).total()


# -- a Green Button file with several UsagePoints, from the command line ---------------------------

def test_bill_chooses_a_usage_point_by_href(tmp_path, gb):
    """Breaker, issue 14: a file with two UsagePoints could not be billed from the command line (the
    refusal told the user to call Python). `--usage-point` chooses one by its href (or title).
    2 days of 15-minute readings from 2025-07-01 00:00 PDT: the main meter 250 Wh each (48 kWh), the
    second 500 Wh (96 kWh). E-1: 30 kWh in tier 1 (15 a day), the rest in tier 2, plus 5.15."""
    main_point, second = "/espi/UsagePoint/1", "/espi/UsagePoint/2"
    start = 1751353200  # 2025-07-01 07:00 UTC
    entries = [gb.usage_point(main_point), gb.usage_point(second), gb.reading_type("/rt/1", uom=72, flow=1)]
    for point, wh in ((main_point, 250), (second, 500)):
        meter = f"{point}/MeterReading/1"
        entries += [gb.meter_reading(meter, "/rt/1"),
                    gb.interval_block(meter, 1, [(start + 900 * i, 900, wh) for i in range(192)])]
    path = tmp_path / "two.xml"
    path.write_bytes(gb.feed(*entries))
    refused = bill("E-1", "--start", "2025-07-01", "--end", "2025-07-03", "--intervals", path)
    assert refused.exit_code == 1 and "--usage-point" in refused.output and second in refused.output
    for point, kwh in ((main_point, 48), (second, 96)):
        total = Decimal("30") * Decimal("0.20570") + (kwh - 30) * Decimal("0.22944") + Decimal("5.15")
        result = bill("E-1", "--start", "2025-07-01", "--end", "2025-07-03", "--intervals", path,
                      "--usage-point", point, "--format", "json")
        assert result.exit_code == 0, result.output
        assert Decimal(json.loads(result.stdout)["total"]) == total.quantize(Decimal("0.01"))


def test_bill_says_what_the_reader_warned(tmp_path, gb):
    """Breaker, issue 14: `inspect` showed the reader's warnings (here LocalTimeParameters of another
    zone) but `bill` billed the same file silently. A bill from a file says them on stderr."""
    point, meter = "/espi/UsagePoint/1", "/espi/UsagePoint/1/MeterReading/1"
    path = tmp_path / "eastern.xml"
    path.write_bytes(gb.feed(gb.usage_point(point, related=("/ltp/1",)), gb.local_time("/ltp/1", tz=-18000),
                             gb.reading_type("/rt/1", uom=72, flow=1), gb.meter_reading(meter, "/rt/1"),
                             gb.interval_block(meter, 1, [(1751353200 + 900 * i, 900, 250) for i in range(192)])))
    result = bill("E-1", "--start", "2025-07-01", "--end", "2025-07-03", "--intervals", path)
    assert result.exit_code == 0
    assert "warning: LocalTimeParameters tzOffset -18000 s (UTC-05:00) disagrees with America/Los_Angeles" in result.stderr
