"""CSV interval files: layouts, local time and DST, bad input. All files are synthetic."""

from __future__ import annotations

import re

from datetime import datetime, timedelta, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from tariffc.compiler.meterdata import (
    Direction, KWH, THERM, CsvLayout, MeterDataError, quality_report, read_csv_intervals, read_meter_data)
from tariffc.compiler.meterdata.csvfile import read_csv_text

UTC = timezone.utc
LA = ZoneInfo("America/Los_Angeles")


def utc(*parts) -> datetime:
    return datetime(*parts, tzinfo=UTC)


# -- layouts ----------------------------------------------------------------------------------------

def test_start_kwh_form(write):
    path = write("usage.csv", "start,kwh\n2024-01-01 00:00,0.25\n2024-01-01 00:15,0.5\n2024-01-01 00:30,1.25\n")
    series = read_meter_data(path)
    assert [r.start for r in series.readings] == [utc(2024, 1, 1, 8), utc(2024, 1, 1, 8, 15), utc(2024, 1, 1, 8, 30)]
    assert {r.duration for r in series.readings} == {900}  # from the spacing of the starts
    assert series.total() == Decimal("2.00") and series.units == {KWH} and series.service == "electricity"
    assert series.source == str(path) and series.warnings == ()


def test_named_layout_and_explicit_interval():
    series = read_csv_text("start,kwh\n2024-06-01T13:00:00,3\n", layout="start_kwh", interval=timedelta(hours=1))
    assert series.readings[0].start == utc(2024, 6, 1, 20) and series.readings[0].duration == 3600


def test_separate_date_and_time_columns():
    series = read_csv_text("Date,Time,kWh\n1/15/2024,1:00 PM,2\n1/15/2024,2:00 PM,3\n")
    assert [r.start for r in series.readings] == [utc(2024, 1, 15, 21), utc(2024, 1, 15, 22)]
    assert series.readings[0].duration == 3600


def test_end_time_column_with_inclusive_minute_and_preamble():
    text = ("Name,WILLIAM PENN\nAccount Number,1776xxxxxx\nService,Service 1\n\n"
            "TYPE,DATE,START TIME,END TIME,USAGE (kWh),NOTES\n"
            "Electric usage,2023-07-04,00:00,00:59,0.29,\nElectric usage,2023-07-04,01:00,01:59,0.34,\n")
    series = read_csv_text(text)
    assert {r.duration for r in series.readings} == {3600}
    assert series.readings[0].start == utc(2023, 7, 4, 7) and series.total() == Decimal("0.63")
    assert any("skipped 4 line(s) above the header on line 5" in w for w in series.warnings)
    assert any("end times name the interval's last minute (e.g. line 6)" in w for w in series.warnings)


def test_opower_layout_with_units_column_in_therms():
    text = ("TYPE,DATE,START TIME,END TIME,USAGE,UNITS,COST,NOTES\n"
            "Natural gas usage,2024-01-01,00:00,23:59,3.12,therms,$5.00,\n")
    series = read_csv_text(text, layout="opower")
    assert series.units == {THERM} and series.service == "gas" and series.readings[0].duration == 86400


def test_end_column_as_timestamp():
    series = read_csv_text("start,end,value\n2024-01-01 23:45,2024-01-02 00:00,1\n")
    assert series.readings[0].duration == 900


def test_cpau_layout_daily_with_import_and_export():
    text = "date,export_kwh,import_kwh,net_kwh\n2024-03-09,0.1,28.06,27.96\n2024-03-10,1.43,22.25,20.82\n"
    for layout in (None, "cpau"):
        series = read_csv_text(text, layout=layout)
        assert series.total(Direction.DELIVERED) == Decimal("50.31")
        assert series.total(Direction.RECEIVED) == Decimal("1.53")
        durations = {r.start.astimezone(LA).date().isoformat(): r.duration for r in series.of(Direction.DELIVERED)}
        assert durations == {"2024-03-09": 86400, "2024-03-10": 82800}  # a 23-hour local day


def test_cpau_layout_hourly():
    text = "date,export_kwh,import_kwh,net_kwh\n2025-12-17 00:00:00,0.0,0.58,0.58\n2025-12-17 01:00:00,0.0,0.64,0.64\n"
    series = read_csv_text(text, layout="cpau")
    assert [r.duration for r in series.of(Direction.DELIVERED)] == [3600, 3600]


def test_caller_defined_layout():
    layout = CsvLayout(name="meter", start="Read Start", delivered="Energy In", received="Energy Out")
    series = read_csv_text("Read Start,Energy In,Energy Out\n2024-05-01 12:00,1,2\n2024-05-01 13:00,1,2\n",
                           layout=layout)
    assert series.total(Direction.RECEIVED) == Decimal(4)


def test_explicit_offsets_need_no_dst_rule():
    series = read_csv_text("timestamp,kwh\n2024-11-03T01:30:00-07:00,1\n2024-11-03T01:30:00-08:00,2\n")
    assert [r.start for r in series.readings] == [utc(2024, 11, 3, 8, 30), utc(2024, 11, 3, 9, 30)]


# -- DST -----------------------------------------------------------------------------------------

def test_fall_back_repeated_hour_taken_in_file_order():
    text = "start,kwh\n2024-11-03 00:00,1\n2024-11-03 01:00,2\n2024-11-03 01:00,3\n2024-11-03 02:00,4\n"
    series = read_csv_text(text)
    assert [(r.start, r.value) for r in series.readings] == [
        (utc(2024, 11, 3, 7), 1), (utc(2024, 11, 3, 8), 2), (utc(2024, 11, 3, 9), 3), (utc(2024, 11, 3, 10), 4)]
    assert {r.duration for r in series.readings} == {3600}
    assert series.warnings == ("2024-11-03 01:00 occurs twice as clocks fall back: line 3 taken as PDT "
                               "(first occurrence), line 4 as PST (second)",)
    assert quality_report(series).duplicates == ()


def test_fall_back_fifteen_minute_day_has_100_intervals():
    rows = []
    moment = datetime(2024, 11, 3, tzinfo=LA).astimezone(UTC)
    while moment < datetime(2024, 11, 4, tzinfo=LA).astimezone(UTC):
        rows.append(f"{moment.astimezone(LA):%Y-%m-%d %H:%M},0.1")
        moment += timedelta(minutes=15)
    series = read_csv_text("start,kwh\n" + "\n".join(rows))
    assert len(series) == 100 and series.total() == Decimal("10.0")
    assert quality_report(series).gaps == () and len(series.warnings) == 4


def test_repeated_hour_appearing_once_is_reported():
    series = read_csv_text("start,kwh\n2024-11-03 00:00,1\n2024-11-03 01:00,2\n2024-11-03 02:00,4\n")
    assert series.readings[1].start == utc(2024, 11, 3, 8)
    assert "appears once; taken as PDT (first occurrence)" in series.warnings[0]


def test_file_starting_inside_the_first_pass_reads_on_into_the_second():
    text = "start,kwh\n2024-11-03 01:30,1\n2024-11-03 01:45,2\n2024-11-03 01:00,3\n2024-11-03 01:15,4\n" \
           "2024-11-03 01:30,5\n2024-11-03 01:45,6\n2024-11-03 02:00,7\n"
    series = read_csv_text(text)
    assert [r.start for r in series.readings] == [utc(2024, 11, 3, 8, 30) + timedelta(minutes=15 * i) for i in range(7)]
    assert any("(line 4) occurs twice as clocks fall back but appears once, after a later PDT time; taken as PST"
               in w for w in series.warnings)


def test_file_starting_in_the_second_pass_is_reported():
    series = read_csv_text("start,kwh\n2024-11-03 01:00,1\n2024-11-03 01:30,2\n2024-11-03 02:00,3\n",
                           interval=timedelta(minutes=30))
    assert series.readings[0].start == utc(2024, 11, 3, 8)  # read as PDT: the file cannot say otherwise
    assert sum("appears once; taken as PDT" in w for w in series.warnings) == 2
    assert len(quality_report(series).gaps) == 1  # ... and the hour it skips shows as a gap


def test_newest_first_file_reads_the_repeated_hour_backwards():
    text = "start,kwh\n2024-11-03 02:00,4\n2024-11-03 01:00,3\n2024-11-03 01:00,2\n2024-11-03 00:00,1\n"
    series = read_csv_text(text)
    assert [(r.start, r.value) for r in series.readings] == [
        (utc(2024, 11, 3, 7), 1), (utc(2024, 11, 3, 8), 2), (utc(2024, 11, 3, 9), 3), (utc(2024, 11, 3, 10), 4)]


def test_repeated_hour_three_times_is_an_error():
    text = "start,kwh\n2024-11-03 01:00,1\n2024-11-03 01:00,2\n2024-11-03 01:00,3\n"
    with pytest.raises(MeterDataError, match=r"<text>:4: local time 2024-11-03 01:00 appears a third time"):
        read_csv_text(text, interval=timedelta(hours=1))


def test_spring_forward_missing_hour_is_an_error_naming_line_and_value():
    text = "start,kwh\n2024-03-10 01:00,1\n2024-03-10 02:30,2\n2024-03-10 03:00,3\n"
    with pytest.raises(MeterDataError) as caught:
        read_csv_text(text, name="march.csv")
    assert caught.value.line == 3
    assert str(caught.value).startswith("march.csv:3: local time 2024-03-10 02:30 does not exist in America/Los_Angeles")


def test_spring_forward_day_without_the_missing_hour_reads():
    rows = [f"2024-03-10 {hour:02d}:00,1" for hour in range(24) if hour != 2]
    series = read_csv_text("start,kwh\n" + "\n".join(rows))
    assert len(series) == 23 and quality_report(series).gaps == ()


@settings(max_examples=40, deadline=None)
@given(offset_minutes=st.integers(min_value=-36 * 60, max_value=36 * 60), count=st.integers(min_value=2, max_value=40),
       fall=st.booleans())
def test_local_wall_times_in_file_order_round_trip(offset_minutes, count, fall):
    """Writing a contiguous run of 15-minute UTC intervals as local wall times, in order, and
    reading it back gives the same instants, whichever DST change the run crosses.

    Excluded: a run that STARTS inside the repeated hour's second pass (01:00-01:59 PST); with
    no earlier row nothing in the file tells it from the first pass (it is read as PDT and
    reported, see test_file_starting_in_the_second_pass_is_reported)."""
    change = utc(2024, 11, 3, 9) if fall else utc(2024, 3, 10, 10)
    first = change + timedelta(minutes=offset_minutes - offset_minutes % 15)
    assume(not (fall and change <= first < change + timedelta(hours=1)))
    starts = [first + timedelta(minutes=15 * i) for i in range(count)]
    text = "start,kwh\n" + "\n".join(f"{s.astimezone(LA):%Y-%m-%d %H:%M},{i}" for i, s in enumerate(starts))
    series = read_csv_text(text)
    assert [r.start for r in series.readings] == starts
    assert [r.value for r in series.readings] == list(range(count))


# -- bad input --------------------------------------------------------------------------------------

def test_bad_header():
    with pytest.raises(MeterDataError, match=r"<text>:1: bad header: expected a start column .* line 1 is 'when,amount'"):
        read_csv_text("when,amount\n2024-01-01,1\n")


def test_named_layout_missing_columns():
    with pytest.raises(MeterDataError, match=r"bad header: layout 'cpau' needs columns date, import_kwh, export_kwh"):
        read_csv_text("start,kwh\n2024-01-01 00:00,1\n", layout="cpau")


def test_unknown_layout_name():
    with pytest.raises(MeterDataError, match=r"unknown CSV layout 'pgne'; known: cpau, opower, sdge, start_kwh"):
        read_csv_text("start,kwh\n", layout="pgne")


def test_bad_number_names_line_and_value():
    with pytest.raises(MeterDataError) as caught:
        read_csv_text("start,kwh\n2024-01-01 00:00,1\n2024-01-01 00:15,1.2.3\n", name="u.csv")
    assert str(caught.value) == "u.csv:3: column 'kwh': '1.2.3' is not a number"


def test_bad_date_names_line_and_value():
    with pytest.raises(MeterDataError, match=r"<text>:2: column 'start': '2024-13-45 00:00' is not a date or a date and time"):
        read_csv_text("start,kwh\n2024-13-45 00:00,1\n")


def test_bad_unit_and_short_row():
    with pytest.raises(MeterDataError, match=r":2: column 'UNITS': unit 'CCF' is a gas volume"):
        read_csv_text("DATE,START TIME,END TIME,USAGE,UNITS\n2024-01-01,00:00,00:59,1,CCF\n")
    with pytest.raises(MeterDataError, match=r":3: expected at least 2 columns \(up to 'kwh'\), found 1"):
        read_csv_text("start,kwh\n2024-01-01 00:00,1\n2024-01-01 01:00\n")


def test_end_before_start_and_single_row_without_interval():
    with pytest.raises(MeterDataError, match=r":2: end 2024-01-01 00:00 is not after the start"):
        read_csv_text("start,end,kwh\n2024-01-01 01:00,2024-01-01 00:00,1\n")
    with pytest.raises(MeterDataError, match="cannot tell the interval length from a single start time"):
        read_csv_text("start,kwh\n2024-01-01 00:00,1\n")


def test_blank_value_is_a_reported_gap_and_thousands_separators():
    series = read_csv_text('start,kwh\n2024-01-01 00:00,"1,234.5"\n2024-01-01 01:00,\n2024-01-01 02:00,1\n')
    assert series.total() == Decimal("1235.5")
    assert "line 3: no usage value" in series.warnings[0]
    assert len(quality_report(series).gaps) == 1


@pytest.mark.parametrize("cell", ["0,250", "0,25", "-0,5", "12,5"])
def test_decimal_comma_is_refused_not_read_as_thousands(cell):
    """Breaker, issue 14: quoted "0,250" was read as 250 (a thousands group), billing 1,000 times the
    energy. A comma that cannot be a thousands separator is refused with a hint."""
    with pytest.raises(MeterDataError, match=r":2: column 'kwh': .* is not a number: a decimal comma\?"):
        read_csv_text(f'start,kwh\n2024-01-01 00:00,"{cell}"\n2024-01-01 01:00,1.5\n')


def test_one_thousands_group_needs_a_decimal_point_somewhere_in_the_file():
    """ "1,250" is 1250 or 1.25: refused when no number in the file shows that the point is the decimal
    mark; read as 1250 when one does; "1,234,567" is never a decimal comma."""
    with pytest.raises(MeterDataError, match=r":3: column 'kwh': '1,250' is ambiguous: 1250 .* or 1.250 with a "
                                             "decimal comma"):
        read_csv_text('start,kwh\n2024-01-01 00:00,2\n2024-01-01 01:00,"1,250"\n2024-01-01 02:00,"2,500"\n')
    series = read_csv_text('start,kwh\n2024-01-01 00:00,"1,250"\n2024-01-01 01:00,0.5\n')
    assert series.total() == Decimal("1250.5")
    series = read_csv_text('start,kwh\n2024-01-01 00:00,"1,234,567"\n2024-01-01 01:00,1\n')
    assert series.total() == Decimal("1234568")


def test_empty_and_header_only_and_not_utf8(write):
    with pytest.raises(MeterDataError, match="empty file"):
        read_csv_text("")
    with pytest.raises(MeterDataError, match=r":1: no data rows below the header"):
        read_csv_text("start,kwh\n")
    with pytest.raises(MeterDataError, match="not UTF-8 text"):
        read_csv_intervals(write("latin.csv", b"start,kwh\n2024-01-01 00:00,\xff\n"))


def test_xml_options_refused_by_dispatch(samples):
    with pytest.raises(MeterDataError, match="apply to CSV files"):
        read_meter_data(samples / "test_usage_data_01.xml", layout="cpau")


@pytest.mark.parametrize("mark", [";", "\t"])
def test_other_column_separators_are_named(mark):
    """Breaker, issue 14: a semicolon file was refused with "expected a start column and a usage column"
    although both were there; the refusal now names the separator."""
    with pytest.raises(MeterDataError, match=f"its columns seem separated by {re.escape(repr(mark))}.*comma-separated"):
        read_csv_text(f"start{mark}kwh\n2025-07-01 00:00{mark}0.25\n")


@pytest.mark.parametrize("row, column", [
    ('2024-01-01 00:00,"1_250"', "kwh"),  # Decimal() reads 1_250 as 1250
    ("2024-01-01 00:00,\u0661\u0662", "kwh"),  # Arabic-Indic 12
    ("\u0662\u0660\u0662\u0664-01-01 00:00,1", "start"),  # strptime reads these digits too
])
def test_numbers_only_in_plain_ascii_digits(row, column):
    """Breaker2, issue 14: forms Python's int()/Decimal()/strptime() happen to read but no meter
    writes were read as numbers and dates; they are refused naming the column."""
    with pytest.raises(MeterDataError, match=f":2: column '{column}': "):
        read_csv_text(f"start,kwh\n{row}\n2024-01-01 01:00,1\n")
