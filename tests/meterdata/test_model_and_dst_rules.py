"""The data model's invariants, ESPI DST rule decoding, and local-time helpers."""

from __future__ import annotations

import importlib.util
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tariffc.compiler.meterdata import IntervalReading, IntervalSeries, KWH, THERM
from tariffc.compiler.meterdata.espi_dst import DstRule, LocalTimeParameters, check_against_zone
from tariffc.compiler.meterdata.localtime import LOCAL_TZ, LocalKind, classify_local, transitions_between

UTC = timezone.utc
T0 = datetime(2024, 1, 1, 8, tzinfo=UTC)


def test_package_is_not_top_level():
    assert importlib.util.find_spec("meterdata") is None and importlib.util.find_spec("compiler") is None


def test_reading_needs_utc_and_positive_duration():
    with pytest.raises(ValueError, match="UTC-aware"):
        IntervalReading(start=datetime(2024, 1, 1), duration=900, value=Decimal(1), unit=KWH)
    with pytest.raises(ValueError, match="UTC-aware"):
        IntervalReading(start=datetime(2024, 1, 1, tzinfo=LOCAL_TZ), duration=900, value=Decimal(1), unit=KWH)
    with pytest.raises(ValueError, match="positive"):
        IntervalReading(start=T0, duration=0, value=Decimal(1), unit=KWH)


def test_series_is_frozen_sorted_and_totals_one_unit():
    a = IntervalReading(start=T0, duration=900, value=Decimal("1.5"), unit=KWH)
    b = IntervalReading(start=T0 + timedelta(minutes=15), duration=900, value=Decimal(2), unit=THERM)
    with pytest.raises(ValueError, match="sorted"):
        IntervalSeries(readings=(b, a), source="x")
    series = IntervalSeries(readings=[a, b], source="x")
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        series.source = "y"  # type: ignore[misc]
    with pytest.raises(ValueError, match="several units"):
        series.total()
    assert series.total(unit=KWH) == Decimal("1.5")
    assert series.between(T0, T0 + timedelta(minutes=1)).readings == (a,)
    assert series.end == T0 + timedelta(minutes=30)


def test_decode_espi_dst_rules():
    start, end = DstRule.decode(0x360E2000), DstRule.decode(0xB40E2000)
    assert (start.month, start.operator, start.day_of_week, start.hour, start.second) == (3, 3, 7, 2, 0)
    assert (end.month, end.operator, end.day_of_week, end.hour) == (11, 2, 7, 2)
    assert [start.day_in(y) for y in (2011, 2024)] == [date(2011, 3, 13), date(2024, 3, 10)]
    assert [end.day_in(y) for y in (2011, 2024)] == [date(2011, 11, 6), date(2024, 11, 3)]


@pytest.mark.parametrize("raw, year, expected", [
    ((4 << 28) | (0 << 25) | (15 << 20) | (1 << 12), 2024, date(2024, 4, 15)),  # day of month
    ((4 << 28) | (1 << 25) | (15 << 20) | (7 << 17), 2024, date(2024, 4, 21)),  # Sunday on or after the 15th
    ((3 << 28) | (7 << 25) | (7 << 17), 2024, date(2024, 3, 31)),  # last Sunday
    ((3 << 28) | (6 << 25) | (1 << 17), 2024, None),  # a 5th Monday of March 2024 does not exist
])
def test_rule_operators(raw, year, expected):
    assert DstRule.decode(raw).day_in(year) == expected


def test_schema_example_third_friday_of_march_at_1_45():
    rule = DstRule.decode((3 << 28) | (4 << 25) | (5 << 17) | (1 << 12) | 2700)
    assert rule.describe() == "3rd Friday of March at 01:45"
    assert rule.wall_time_in(2024) == datetime(2024, 3, 15, 1, 45)


@given(year=st.integers(min_value=2008, max_value=2036))
def test_us_rules_match_los_angeles_every_year_since_2007(year):
    params = LocalTimeParameters(href=None, tz_offset=-28800, dst_offset=3600, dst_start_rule=0x360E2000,
                                 dst_end_rule=0xB40E2000)
    assert check_against_zone(params, range(year, year + 1)) == ()


def test_rules_before_2007_disagree_with_los_angeles():
    params = LocalTimeParameters(href=None, tz_offset=-28800, dst_offset=3600, dst_start_rule=0x360E2000,
                                 dst_end_rule=0xB40E2000)
    (start_warning, end_warning) = check_against_zone(params, range(2005, 2007))
    assert "gives 2005-03-13 02:00 in 2005, but America/Los_Angeles changes at 2005-04-03 02:00" in start_warning
    assert start_warning.endswith("(and in 1 other year(s))") and "dstEndRule" in end_warning


def test_invalid_rule_is_a_warning():
    params = LocalTimeParameters(href=None, tz_offset=-28800, dst_offset=3600, dst_start_rule=0x00000000,
                                 dst_end_rule=0xB40E2000)
    (warning,) = check_against_zone(params, range(2024, 2025))
    assert "dstStartRule 00000000 is not a valid ESPI DST rule: month 0 is not 1-12" in warning


def test_local_time_classification_and_transitions():
    assert classify_local(datetime(2024, 3, 10, 2, 30)) is LocalKind.NONEXISTENT
    assert classify_local(datetime(2024, 11, 3, 1, 30)) is LocalKind.AMBIGUOUS
    assert classify_local(datetime(2024, 7, 1, 12)) is LocalKind.NORMAL
    changes = transitions_between(datetime(2024, 1, 1, tzinfo=UTC), datetime(2025, 1, 1, tzinfo=UTC))
    assert [t.at for t in changes] == [datetime(2024, 3, 10, 10, tzinfo=UTC), datetime(2024, 11, 3, 9, tzinfo=UTC)]


@settings(max_examples=40, deadline=None)
@given(start=st.datetimes(min_value=datetime(1880, 1, 1), max_value=datetime(2100, 1, 1)),
       hours=st.integers(min_value=0, max_value=3 * 366 * 24),
       zone=st.sampled_from(["America/Los_Angeles", "Europe/London", "Australia/Sydney", "Pacific/Apia"]))
def test_transitions_between_finds_every_change_an_hourly_walk_sees(start, hours, zone):
    """The year-cached scan against the obvious walk: the offset at every whole hour of the span and at
    its end, each change bracketed by two neighbouring samples. These zones change offset on whole UTC
    hours, so no change falls on the span's ends (a whole hour and a minute apart) or twice in an hour."""
    from zoneinfo import ZoneInfo

    tz = ZoneInfo(zone)
    begin = start.replace(tzinfo=UTC, minute=0, second=0, microsecond=0)
    end = begin + timedelta(hours=hours, minutes=1)
    samples = [begin + timedelta(hours=h) for h in range(hours + 1)] + [end]
    offsets = [s.astimezone(tz).utcoffset() for s in samples]
    brackets = [(samples[i], samples[i + 1]) for i in range(len(samples) - 1) if offsets[i] != offsets[i + 1]]
    found = transitions_between(begin, end, tz)
    assert len(found) == len(brackets)
    for change, (low, high) in zip(found, brackets):
        assert low < change.at <= high
        assert change.at.astimezone(tz).utcoffset() != (change.at - timedelta(seconds=1)).astimezone(tz).utcoffset()
