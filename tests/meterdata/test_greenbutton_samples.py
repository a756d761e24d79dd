"""Every fact of shared/data/greenbutton/README.md, asserted against the reader.

Facts are checked in README order, file by file. Two README statements disagree with the files
and are asserted as the files are (see test_apuc_block_count and test_gas_billing_periods).
What the samples do not cover (flowDirection 19, DOCTYPE/entities) is tested with synthetic
feeds in test_greenbutton_synthetic.py and test_greenbutton_hostile.py.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from datetime import datetime, timezone
from decimal import Decimal

import pytest

from tariffc.compiler.meterdata import Direction, KWH, THERM, period_reads, quality_report, read_green_button
from tariffc.compiler.meterdata.espi_feed import read_feed

UTC = timezone.utc
COASTAL = "Coastal_Multi_Family_Jan_1_2011_to_Jan_1_2012_RetailCustomer_5.xml"
TEST_USAGE = "test_usage_data_01.xml"
APUC = "intervals_APUC000000_electric.xml"
GAS = "ngma_natural_gas_billing_billing_data_Service_1_1_2021-05-26_to_2024-04-25.xml"


def utc(*parts) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def raw_feed(path):
    with open(path, "rb") as stream:
        return read_feed(stream, str(path))


def raw_starts_in_file_order(path) -> list[int]:
    return [reading[0] for entry in raw_feed(path).entries if entry.kind == "IntervalBlock"
            for block in entry.resource for reading in block.readings]


# -- the table: bytes, sha256, license notices -----------------------------------------------------

@pytest.mark.parametrize("name, size, sha256", [
    (COASTAL, 1_813_029, "ecf8b0a78e6b796c1a211c6624aca16f3295a86b62192b1e50c6fe56afbdd029"),
    (TEST_USAGE, 30_748, "26e085e16fc39115c6e12bfd5d38cac24ebda895d9ed9b1ff23299e57c61a75d"),
    (APUC, 75_519, "2c00ec188e420ca9d8463da522526a5e64bcd9cd118faf21d7ac82aadd2827fb"),
    (GAS, 10_922, "8ba0be91e437b6cccc6f80e9885f9c20e35d3eb94e705b40adcd9de0ad968a13"),
])
def test_sample_bytes_and_hash(samples, name, size, sha256):
    data = (samples / name).read_bytes()
    assert len(data) == size
    assert hashlib.sha256(data).hexdigest() == sha256


def test_license_headers_kept(samples):
    coastal = (samples / COASTAL).read_text(encoding="utf-8")
    assert "Copyright (c) 2012,2013 EnergyOS.org" in coastal and "Apache License, Version 2.0" in coastal
    assert "Hypertek for NIST" in coastal
    usage = (samples / TEST_USAGE).read_text(encoding="utf-8")
    assert "(c) 2018-2021 Green Button Alliance" in usage and "Portions (c) 2013-2018 EnergyOS.org" in usage
    assert "Apache License, Version 2.0" in usage
    assert "1 MAIN ST, ANYTOWN ME" in (samples / GAS).read_text(encoding="utf-8")


# -- 1. Coastal Multi-Family: one Pacific-time year, hourly ------------------------------------

@pytest.fixture(scope="module")
def coastal(samples):
    return read_green_button(samples / COASTAL)


def test_coastal_namespace_style(samples, coastal):
    text = (samples / COASTAL).read_text(encoding="utf-8")
    assert '<feed xmlns="http://www.w3.org/2005/Atom"' in text
    assert '<UsagePoint xmlns="http://naesb.org/espi">' in text
    assert "<espi:" not in text  # ESPI by per-element default namespace, no prefix
    assert len(coastal.series()) == 8760


def test_coastal_usage_point_meter_reading_and_reading_type(coastal):
    (point,) = coastal.usage_points
    assert point.service_kind == 0 and point.series.service == "electricity"
    (meter,) = point.meter_readings
    reading_type = meter.reading_type
    assert reading_type.href.endswith("/resource/ReadingType/07")
    assert (reading_type.uom, reading_type.power_of_ten_multiplier, reading_type.flow_direction) == (72, 0, 1)
    assert (reading_type.interval_length, reading_type.commodity, reading_type.currency) == (3600, 1, 840)
    assert meter.unit == KWH and meter.direction is Direction.DELIVERED


def test_coastal_local_time_parameters(coastal):
    local = coastal.usage_points[0].local_time
    assert (local.tz_offset, local.dst_offset) == (-28800, 3600)
    assert (local.dst_start_rule, local.dst_end_rule) == (0x360E2000, 0xB40E2000)
    assert local.start_rule.describe() == "2nd Sunday of March at 02:00"
    assert local.end_rule.describe() == "1st Sunday of November at 02:00"
    # Pacific time: the rules and offsets agree with America/Los_Angeles, so nothing is warned.
    assert coastal.series().warnings == ()


def test_coastal_blocks(samples, coastal):
    (meter,) = coastal.usage_points[0].meter_readings
    counts = [block.reading_count for block in meter.blocks]
    assert counts == [744, 672, 743, 720, 744, 720, 744, 744, 720, 744, 721, 744]
    assert sum(counts) == 8760 and len(counts) == 12
    days_declared = [block.interval_duration / 86400 for block in meter.blocks]
    assert all(days == int(days) for days in days_declared)  # whole days even across DST
    assert days_declared[2] == 31 and counts[2] == 743  # March: 31 x 86,400 s declared, 743 readings
    assert days_declared[10] == 30 and counts[10] == 721  # November
    # One block per local calendar month: each declared start is a local midnight on the 1st.
    starts = [datetime.fromtimestamp(block.interval_start, UTC).astimezone(coastal.series().tz) for block in meter.blocks]
    assert [(s.month, s.day, s.hour) for s in starts] == [(m, 1, 0) for m in range(1, 13)]


def test_coastal_readings(samples, coastal):
    series = coastal.series()
    file_order = raw_starts_in_file_order(samples / COASTAL)
    assert file_order == sorted(file_order) and len(set(file_order)) == 8760  # ascending, no duplicates
    assert {r.duration for r in series.readings} == {3600}
    assert series.readings[0].start == utc(2011, 1, 1, 8)
    assert series.readings[0].local_start().replace(tzinfo=None) == datetime(2011, 1, 1)  # local midnight PST
    assert series.readings[-1].start == utc(2012, 1, 1, 7)
    assert series.total() == Decimal("4425.305")  # 4,425,305 Wh
    values = [r.value for r in series.readings]
    assert (min(values), max(values)) == (Decimal("0.170"), Decimal("0.944"))
    assert all(r.cost is None and r.quality == () for r in series.readings)
    report = quality_report(series)
    assert report.gaps == () and report.duplicates == () and report.overlaps == ()
    assert report.interval_lengths == ((3600, 8760),) and not report.mixed_interval_lengths


def test_coastal_usage_summary_is_skipped(samples):
    kinds = Counter(entry.kind for entry in raw_feed(samples / COASTAL).entries)
    assert kinds["ElectricPowerUsageSummary"] == 1


def test_coastal_dst_days_of_23_and_25_hours(coastal):
    series = coastal.series()
    hours_per_local_day = Counter(r.local_start().date() for r in series.readings)
    assert hours_per_local_day[datetime(2011, 3, 13).date()] == 23
    assert hours_per_local_day[datetime(2011, 11, 6).date()] == 25
    assert Counter(hours_per_local_day.values()) == {24: 363, 23: 1, 25: 1}
    starts = [r.start for r in series.readings]
    assert all((b - a).total_seconds() == 3600 for a, b in zip(starts, starts[1:]))  # UTC continuous
    transitions = quality_report(series).dst_transitions
    assert [(t.starts_dst, t.wall_time_before.date()) for t in transitions] == [
        (True, datetime(2011, 3, 13).date()), (False, datetime(2011, 11, 6).date())]


# -- 2. test_usage_data_01: one day of 15-minute data with cost and quality flags ------------------

@pytest.fixture(scope="module")
def usage(samples):
    return read_green_button(samples / TEST_USAGE)


def test_usage_namespace_style(samples):
    text = (samples / TEST_USAGE).read_text(encoding="utf-8")
    assert '<feed xmlns="http://www.w3.org/2005/Atom">' in text and "xmlns:espi" not in text


def test_usage_reading_type_ignores_argument_and_interharmonic(samples, usage):
    text = (samples / TEST_USAGE).read_text(encoding="utf-8")
    assert "<argument>" in text and "<interharmonic>" in text
    reading_type = usage.usage_points[0].meter_readings[0].reading_type
    assert (reading_type.uom, reading_type.power_of_ten_multiplier, reading_type.flow_direction) == (72, 0, 1)
    assert (reading_type.interval_length, reading_type.commodity, reading_type.currency) == (900, 1, 840)


def test_usage_local_time_is_eastern_and_warned(usage):
    local = usage.usage_points[0].local_time
    assert local.tz_offset == -18000
    assert (local.dst_start_rule, local.dst_end_rule) == (0x360E2000, 0xB40E2000)
    warnings = usage.series().warnings
    assert len(warnings) == 1  # the DST rules agree with Los Angeles in 2012; the offset does not
    assert "tzOffset -18000" in warnings[0] and "America/Los_Angeles" in warnings[0]


def test_usage_readings_cost_and_quality(samples, usage):
    series = usage.series()
    assert len(series) == 96
    file_order = raw_starts_in_file_order(samples / TEST_USAGE)
    assert file_order == sorted(file_order)
    assert {r.duration for r in series.readings} == {900}
    assert series.readings[0].start == utc(2012, 3, 1, 5) and series.readings[-1].start == utc(2012, 3, 2, 4, 45)
    assert series.total() == Decimal("93.846")  # 93,846 Wh
    assert series.total_cost() == Decimal("11.48274")  # 1,148,274 hundred-thousandths of a dollar
    assert [r.quality for r in series.readings if r.quality] == [(8,), (7,)]


def test_usage_summaries_never_bound_the_data(samples, usage):
    kinds = Counter(entry.kind for entry in raw_feed(samples / TEST_USAGE).entries)
    assert kinds["ElectricPowerUsageSummary"] == 1 and kinds["ElectricPowerQualitySummary"] == 1
    assert "<start>2330578000</start>" in (samples / TEST_USAGE).read_text(encoding="utf-8")  # year 2043
    assert usage.series().end == utc(2012, 3, 2, 5)


# -- 3. APUC: a real utility export with quirks ------------------------------------------------------

@pytest.fixture(scope="module")
def apuc(samples):
    return read_green_button(samples / APUC)


def test_apuc_application_information_and_missing_metadata(samples):
    feed = raw_feed(samples / APUC)
    assert "<thirdPartyName>UtilityAPI</thirdPartyName>" in (samples / APUC).read_text(encoding="utf-8")
    assert feed.entries[0].kind == "ApplicationInformation"
    assert all(entry.title is None for entry in feed.entries)  # no title anywhere
    assert "<id>" not in (samples / APUC).read_text(encoding="utf-8")  # no id anywhere
    hrefs = [link.href for entry in feed.entries for link in entry.links]
    assert hrefs and not any(href.startswith(("/", "http")) for href in hrefs)  # all relative
    assert "User/237422/UsagePoint/1402026/MeterReading/01" in hrefs


def test_apuc_meter_reading_content_has_published_and_updated(samples, apuc):
    text = (samples / APUC).read_text(encoding="utf-8")
    assert '<MeterReading xmlns="http://naesb.org/espi" />\n      <published>' in text
    assert apuc.usage_points[0].meter_readings[0].href == "User/237422/UsagePoint/1402026/MeterReading/01"


def test_apuc_reading_type_by_related_link(samples, apuc):
    feed = raw_feed(samples / APUC)
    types = {entry.self_href: entry.resource for entry in feed.entries if entry.kind == "ReadingType"}
    assert (types["ReadingType/01"].uom, types["ReadingType/01"].power_of_ten_multiplier) == (72, 0)
    assert (types["ReadingType/02"].uom, types["ReadingType/02"].power_of_ten_multiplier) == (169, 3)
    for reading_type in types.values():
        assert (reading_type.interval_length, reading_type.commodity, reading_type.currency) == (None, None, None)
    meter = apuc.usage_points[0].meter_readings[0]
    assert meter.reading_type.href == "ReadingType/01" and meter.unit == KWH
    assert apuc.series().units == {KWH}


def test_apuc_time_zone(apuc):
    (point,) = apuc.usage_points
    assert point.local_time is None
    warnings = " | ".join(apuc.series().warnings)
    assert "no LocalTimeParameters" in warnings
    assert "<timezone> (-0500)" in warnings


def test_apuc_block_count(apuc):
    # README: "300 readings (two IntervalBlocks)". The file holds ONE IntervalBlock element
    # (…/IntervalBlock/202303, lines 59-2460) with all 300 readings; asserted as the file is.
    (meter,) = apuc.usage_points[0].meter_readings
    assert [block.reading_count for block in meter.blocks] == [300]


def test_apuc_readings(samples, apuc):
    file_order = raw_starts_in_file_order(samples / APUC)
    assert file_order == sorted(file_order, reverse=True) and len(file_order) == 300  # descending
    series = apuc.series()
    assert {r.duration for r in series.readings} == {3600}
    assert quality_report(series).gaps == ()  # no gaps after sorting
    assert series.readings[0].start == utc(2023, 2, 22, 18) and series.readings[-1].start == utc(2023, 3, 7, 5)
    assert series.total() == Decimal("248.530")
    values = [r.value for r in series.readings]
    assert (min(values), max(values)) == (Decimal("0.220"), Decimal("7.700"))


# -- 4. Opower gas: billing-period reads ----------------------------------------------------------

@pytest.fixture(scope="module")
def gas(samples):
    return read_green_button(samples / GAS)


def test_gas_atom_metadata_forms(samples, gas):
    text = (samples / GAS).read_text(encoding="utf-8")
    assert '<title type="text">' in text and '<content type="xml">' in text
    assert "<updated>2024-06-21</updated>" in text  # a date, not a dateTime: read without complaint
    assert len(gas.series()) == 35


def test_gas_links_break_the_hierarchy(samples, gas):
    feed = raw_feed(samples / GAS)
    (point_entry,) = [e for e in feed.entries if e.kind == "UsagePoint"]
    (meter_entry,) = [e for e in feed.entries if e.kind == "MeterReading"]
    (block_entry,) = [e for e in feed.entries if e.kind == "IntervalBlock"]
    assert point_entry.self_href == "/v1/BillingAccount/1234567890/UsagePoint/NET_USAGE"
    assert meter_entry.self_href == "/v1/User/1234567890/UsagePoint/NET_USAGE/MeterReading/1"
    assert point_entry.related_hrefs == (meter_entry.self_href,)
    assert block_entry.self_href in meter_entry.related_hrefs
    assert [link.rel for link in block_entry.links] == ["self"]  # no up link
    (point,) = gas.usage_points
    assert point.href == point_entry.self_href and point.meter_readings[0].href == meter_entry.self_href


def test_gas_usage_point_and_reading_type(gas):
    (point,) = gas.usage_points
    assert point.service_kind == 1 and point.series.service == "gas"
    reading_type = point.meter_readings[0].reading_type
    assert (reading_type.uom, reading_type.power_of_ten_multiplier, reading_type.currency) == (169, -3, 840)
    assert (reading_type.flow_direction, reading_type.interval_length) == (None, None)
    assert point.meter_readings[0].unit == THERM


def test_gas_billing_periods(gas):
    series = gas.series()
    assert len(series) == 35
    days = [r.duration / 86400 for r in series.readings]
    # README says "durations 28-35 days"; the file's shortest bill is 27 days
    # (2021-09-29 to 2021-10-26). Asserted as the file is.
    assert round(min(days)) == 27 and max(days) == 35
    assert all(27 <= d <= 35 for d in days)


def test_gas_values_and_costs_exact(gas):
    series = gas.series()
    values = [r.value for r in series.readings]
    assert all(isinstance(v, Decimal) for v in values)
    assert (min(values), max(values)) == (Decimal("14"), Decimal("234"))  # 14,000..234,000 x 10^-3
    assert series.total() == Decimal("3484")
    assert series.total_cost() == Decimal("7207.11")  # 720,711,000 / 100,000
    first = series.readings[0]
    assert first.value == Decimal("37") and first.cost == Decimal("51.00")
    assert str(first.value) == "37.000"  # exponent shift, no float on the way


def test_gas_dst_seams_are_not_gaps(gas):
    series = gas.series()
    assert all(r.start.hour == 0 and r.start.minute == 0 for r in series.readings)  # UTC midnights
    report = quality_report(series)
    assert report.gaps == () and report.overlaps == ()
    assert len(report.dst_seams) == 6
    assert sorted(abs(s.seconds) for s in report.dst_seams) == [3600] * 6
    first_seam = report.dst_seams[0]
    assert (first_seam.previous_end, first_seam.next_start) == (utc(2021, 11, 25, 1), utc(2021, 11, 25))
    # As local dates the bills are contiguous.
    periods = period_reads(series)
    assert all(a.end_date == b.start_date for a, b in zip(periods, periods[1:]))
    assert (periods[0].start_date.isoformat(), periods[0].end_date.isoformat()) == ("2021-05-26", "2021-06-30")
    assert periods[-1].end_date.isoformat() == "2024-04-26"
