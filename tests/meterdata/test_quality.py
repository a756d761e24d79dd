"""The data-quality report on small synthetic series."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest

from tariffc.compiler.meterdata import Direction, IntervalReading, IntervalSeries, KWH, quality_report
from tariffc.compiler.meterdata.model import sort_readings

UTC = timezone.utc
T0 = datetime(2024, 3, 9, 8, tzinfo=UTC)  # 2024-03-09 00:00 PST, the day before DST starts


def reading(minutes: int, value="1", duration=900, direction=Direction.DELIVERED) -> IntervalReading:
    return IntervalReading(start=T0 + timedelta(minutes=minutes), duration=duration, value=Decimal(value), unit=KWH,
                           direction=direction)


def series(*readings: IntervalReading, warnings=()) -> IntervalSeries:
    return IntervalSeries(readings=sort_readings(readings), source="synthetic", warnings=warnings, service="electricity")


def test_clean_series():
    report = quality_report(series(*(reading(15 * i) for i in range(8))))
    assert report.intervals == 8 and report.interval_lengths == ((900, 8),) and not report.mixed_interval_lengths
    assert (report.gaps, report.duplicates, report.overlaps, report.negative_values) == ((), (), (), ())
    assert report.period_start.isoformat() == "2024-03-09T00:00:00-08:00"
    assert report.period_end.isoformat() == "2024-03-09T02:00:00-08:00"
    assert report.totals == ((Direction.DELIVERED, KWH, Decimal(8)),) and report.received_energy == ()


def test_gap_duplicate_overlap_negative_and_mixed_lengths():
    report = quality_report(series(
        reading(0), reading(15), reading(15, "2"),  # duplicate start
        reading(60),  # gap 30..60
        reading(70, "-0.5"),  # overlaps the 60 reading by 5 minutes; negative
        reading(120, duration=3600),  # mixed lengths
    ))
    assert [(g.previous_end, g.next_start, g.seconds) for g in report.gaps] == [
        (T0 + timedelta(minutes=30), T0 + timedelta(minutes=60), 1800), (T0 + timedelta(minutes=85), T0 + timedelta(minutes=120), 2100)]
    assert [c.first_start for c in report.duplicates] == [T0 + timedelta(minutes=15)] and report.duplicates[0].duplicate
    assert [(c.second_start, c.overlap_seconds) for c in report.overlaps] == [(T0 + timedelta(minutes=70), 300)]
    assert [r.value for r in report.negative_values] == [Decimal("-0.5")]
    assert report.mixed_interval_lengths and report.interval_lengths == ((900, 5), (3600, 1))
    text = report.render()
    assert "gaps: 2" in text and "duplicates: 1" in text and "overlaps: 1" in text and "(MIXED)" in text
    assert "negative values: 1" in text


def test_dst_transition_and_received_energy():
    day = [reading(60 * h, duration=3600) for h in range(48)]
    exported = [reading(60 * h, "0.25", duration=3600, direction=Direction.RECEIVED) for h in range(48)]
    report = quality_report(series(*day, *exported))
    (change,) = report.dst_transitions
    assert change.starts_dst and change.describe().startswith("DST starts 2024-03-10: clocks go from 02:00 to 03:00")
    assert report.received_energy == ((KWH, Decimal("12.00")),)
    assert report.intervals_by_direction == ((Direction.DELIVERED, 48), (Direction.RECEIVED, 48))
    assert report.duplicates == ()


def test_as_dict_is_json_and_complete():
    report = quality_report(series(reading(0), reading(30, "-1"), warnings=("a warning",)))
    data = json.loads(json.dumps(report.as_dict()))
    assert data["intervals"] == 2 and data["gaps"][0]["seconds"] == 900
    assert data["negative_values"] == [{"start": "2024-03-09T08:30:00+00:00", "direction": "delivered", "value": "-1"}]
    assert data["totals"] == [{"direction": "delivered", "unit": "kWh", "total": "0"}]
    assert data["warnings"] == ["a warning"] and data["mixed_interval_lengths"] is False


def test_daily_reads_with_dst_day_are_not_mixed():
    days = [IntervalReading(start=T0, duration=86400, value=Decimal(1), unit=KWH),
            IntervalReading(start=T0 + timedelta(days=1), duration=82800, value=Decimal(1), unit=KWH)]
    assert not quality_report(series(*days)).mixed_interval_lengths


def test_empty_series_has_no_report():
    with pytest.raises(ValueError, match="no readings"):
        quality_report(IntervalSeries(readings=(), source="empty"))
