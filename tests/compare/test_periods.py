"""Billing periods over interval data: calendar months, meter-read dates, gaps (synthetic series)."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from tariffc.compiler.compare.periods import (
    BillPeriod,
    PeriodError,
    calendar_months,
    covered_days,
    parse_read_dates,
    read_date_periods,
    split,
    whole_months,
)
from tariffc.compiler.meterdata import Direction, IntervalReading, IntervalSeries, KWH
from tariffc.compiler.meterdata.localtime import LOCAL_TZ

UTC = timezone.utc


def hourly(start_local: datetime, hours: int, *, skip=(), direction=Direction.DELIVERED, value="1") -> list:
    first = start_local.replace(tzinfo=LOCAL_TZ).astimezone(UTC)
    return [IntervalReading(start=first + timedelta(hours=h), duration=3600, value=Decimal(value), unit=KWH,
                            direction=direction) for h in range(hours) if h not in skip]


def series_of(readings) -> IntervalSeries:
    return IntervalSeries(readings=sorted(readings, key=lambda r: (r.start, r.direction.value)), source="test")


def test_calendar_months_cut_to_the_range():
    periods = calendar_months(date(2025, 1, 15), date(2025, 4, 1))
    assert periods == (BillPeriod(date(2025, 1, 15), date(2025, 2, 1)), BillPeriod(date(2025, 2, 1), date(2025, 3, 1)),
                       BillPeriod(date(2025, 3, 1), date(2025, 4, 1)))
    assert [p.days for p in periods] == [17, 28, 31]
    assert [p.label() for p in periods] == ["2025-01-15..2025-02-01", "2025-02", "2025-03"]
    assert calendar_months(date(2025, 12, 1), date(2026, 1, 1))[0].label() == "2025-12"  # year end


def test_calendar_months_refuses_empty_range():
    with pytest.raises(PeriodError, match="not after"):
        calendar_months(date(2025, 2, 1), date(2025, 2, 1))


def test_read_dates_list_and_file(tmp_path):
    assert parse_read_dates("2025-01-03, 2025-02-02,2025-03-04") == (date(2025, 1, 3), date(2025, 2, 2), date(2025, 3, 4))
    file = tmp_path / "reads.txt"
    file.write_text("# meter reads\n2025-01-03\n\n2025-02-02  # cycle 7\n")
    dates = parse_read_dates(str(file))
    assert read_date_periods(dates) == (BillPeriod(date(2025, 1, 3), date(2025, 2, 2)),)
    file.write_text("2025-01-03\n2025-02-30\n")
    with pytest.raises(PeriodError, match=r"reads.txt:2: meter-read date '2025-02-30' is not a day: February 2025 has 28 days"):
        parse_read_dates(str(file))


@pytest.mark.parametrize("dates, message", [
    ((date(2025, 1, 3),), "at least two dates"),
    ((date(2025, 2, 2), date(2025, 1, 3)), "must ascend"),
    ((date(2025, 2, 2), date(2025, 2, 2)), "must ascend"),
])
def test_read_dates_refused(dates, message):
    with pytest.raises(PeriodError, match=message):
        read_date_periods(dates)


def test_split_counts_local_days_across_dst():
    # March 2025 in Los Angeles has 743 hours (DST starts 2025-03-09).
    readings = hourly(datetime(2025, 3, 1), 743)
    (piece,) = split(series_of(readings), calendar_months(date(2025, 3, 1), date(2025, 4, 1)))
    assert piece.complete and len(piece.delivered) == 743 and piece.kwh == Decimal(743)


def test_split_reports_a_gap_and_the_missing_end():
    readings = hourly(datetime(2025, 1, 1), 24 * 31, skip={100, 101})
    first, second = split(series_of(readings), calendar_months(date(2025, 1, 1), date(2025, 3, 1)))
    assert not first.complete and first.missing_seconds == 7200
    assert "2025-01-05 04:00 to 2025-01-05 06:00 PST (2 h missing)" in first.gaps[0].describe()
    assert not second.complete and second.missing_seconds == 28 * 86400  # no February data at all


def test_split_keeps_received_energy_apart():
    readings = hourly(datetime(2025, 1, 1), 48) + hourly(datetime(2025, 1, 1), 48, direction=Direction.RECEIVED,
                                                         value="0.5")
    (piece,) = split(series_of(readings), (BillPeriod(date(2025, 1, 1), date(2025, 1, 3)),))
    assert piece.kwh == 48 and piece.received_kwh == 24 and piece.complete


def test_whole_months_leave_out_partial_edges():
    readings = hourly(datetime(2024, 12, 28), 24 * (4 + 31 + 28 + 3))
    series = series_of(readings)
    assert covered_days(series) == (date(2024, 12, 28), date(2025, 3, 4))
    periods, notes = whole_months(series)
    assert [p.label() for p in periods] == ["2025-01", "2025-02"]
    assert notes == ("left out 2024-12-28..2025-01-01 (4 days): not a whole calendar month",
                     "left out 2025-03-01..2025-03-04 (3 days): not a whole calendar month")


def test_whole_months_none():
    periods, notes = whole_months(series_of(hourly(datetime(2025, 1, 5), 48)))
    assert periods == () and "no whole calendar month" in notes[0]


def test_covered_days_start_mid_day_rounds_inward():
    series = series_of(hourly(datetime(2025, 1, 1, 5), 24 * 3))
    assert covered_days(series) == (date(2025, 1, 2), date(2025, 1, 4))


def test_split_reports_missing_received_energy_when_the_file_records_export():
    readings = hourly(datetime(2025, 1, 1), 48) + hourly(datetime(2025, 1, 1), 48, direction=Direction.RECEIVED,
                                                         skip={30})
    (piece,) = split(series_of(readings), (BillPeriod(date(2025, 1, 1), date(2025, 1, 3)),))
    assert not piece.complete
    assert piece.gaps[0].describe().startswith("received energy: 2025-01-02 06:00 to 2025-01-02 07:00 PST")
