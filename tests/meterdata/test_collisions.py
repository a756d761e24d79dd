"""The one rule for where readings fail to meet (compiler/meterdata/collisions.py): gaps, duplicates,
overlaps, DST seams, with the time covered so far; the pure-Python walk and the numpy arrays agree."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from fractions import Fraction
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings, strategies as st

from tariffc.compiler.meterdata.collisions import LONG_READ, Kind, clash_mask, find_seams, reading_seams
from tariffc.compiler.meterdata.model import IntervalReading

H = 3600
DAY = 24 * H
PACIFIC = ZoneInfo("America/Los_Angeles")


def midnight(day: str, tz=PACIFIC) -> int:
    """Unix seconds of local midnight starting `day` (YYYY-MM-DD) in `tz`."""
    return int(datetime.combine(date.fromisoformat(day), time(0), tzinfo=tz).timestamp())


# Pacific time changes on 2025-03-09 (02:00 PST -> 03:00 PDT) and 2025-11-02 (02:00 PDT -> 01:00 PST)
MAR8, NOV1, JUL1 = midnight("2025-03-08"), midnight("2025-11-01"), midnight("2025-07-01")


def kinds(starts, seconds, tz=PACIFIC):
    return [(f.index, f.kind, f.seconds) for f in find_seams(starts, seconds, tz)]


def test_readings_that_meet_report_nothing():
    assert kinds([0, 900, 1800, 2700], [900] * 4) == []


def test_a_gap_an_overlap_and_a_duplicate_each_with_its_seam():
    # 0-900, 900-1800, [gap 600] 2400-3300, [overlap 300] 3000-3900, [duplicate] 3000-3900
    assert kinds([0, 900, 2400, 3000, 3000], [900] * 5) == [
        (2, Kind.GAP, 600), (3, Kind.OVERLAP, -300), (4, Kind.DUPLICATE, -900)]


def test_the_time_covered_is_the_latest_end_so_far_not_the_previous_reading():
    # an hour read 0-3600, then two quarter hours inside it: both overlap the hour, not each other's end;
    # then 3600 meets the hour's end (not the previous reading's 2700)
    found = find_seams([0, 900, 1800, 3600], [H, 900, 900, 900], PACIFIC)
    assert [(f.index, f.kind, f.covering, f.seconds) for f in found] == [
        (1, Kind.OVERLAP, 0, 900 - H), (2, Kind.OVERLAP, 0, 1800 - H)]


def test_daily_reads_an_hour_apart_are_dst_seams_not_gaps_or_overlaps():
    # 24 h reads of local dates stored as UTC days, from local midnight: the 23 h day of March 9 read
    # as 24 h runs an hour into March 10 (overlap 1 h); the 25 h day of November 2 is read an hour
    # short (gap 1 h)
    days = ["2025-03-08", "2025-03-09", "2025-03-10", "2025-03-11"]
    assert kinds([midnight(d) for d in days], [DAY] * 4) == [(2, Kind.DST_SEAM, -H)]
    days = ["2025-11-01", "2025-11-02", "2025-11-03"]
    assert kinds([midnight(d) for d in days], [DAY] * 3) == [(2, Kind.DST_SEAM, H)]


def test_an_hour_between_daily_reads_on_an_ordinary_date_is_an_overlap_or_a_gap():
    # the same seams in July (no change of the zone's offset): the same energy read twice, or an hour unread
    assert kinds([JUL1, JUL1 + DAY - H], [DAY, DAY]) == [(1, Kind.OVERLAP, -H)]
    assert kinds([JUL1, JUL1 + DAY + H], [DAY, DAY]) == [(1, Kind.GAP, H)]
    # two hours at the November change (it moves clocks by one) are an overlap or a gap
    assert kinds([NOV1 + DAY, NOV1 + 2 * DAY - 2 * H], [DAY, DAY]) == [(1, Kind.OVERLAP, -2 * H)]
    # billing periods stored from UTC midnight with their local length (NGMA gas, tests/meterdata/
    # test_greenbutton_samples.py): the period holding the November change ends an hour after the next starts
    utc_midnight = int(datetime(2021, 10, 26, tzinfo=timezone.utc).timestamp())
    assert kinds([utc_midnight, utc_midnight + 30 * DAY], [30 * DAY + H, 29 * DAY]) == [(1, Kind.DST_SEAM, -H)]
    assert kinds([utc_midnight - 90 * DAY, utc_midnight - 60 * DAY], [30 * DAY + H, 29 * DAY]) == \
        [(1, Kind.OVERLAP, -H)]  # the same hour in July-August 2021
    # in a zone without daylight saving time no seam is excused
    utc = ZoneInfo("UTC")
    assert kinds([midnight(d, utc) for d in ("2025-11-01", "2025-11-02")], [DAY, DAY + H], utc) == []
    assert kinds([NOV1 + DAY, NOV1 + 2 * DAY + H], [DAY, DAY], utc) == [(1, Kind.GAP, H)]


def test_the_dst_exemption_needs_two_long_reads_and_exactly_the_change():
    nov2 = NOV1 + DAY  # local midnight (PDT) starting the 25 h day
    assert kinds([nov2, nov2 + DAY + H], [DAY, 900]) == [(1, Kind.GAP, H)]  # the later read is short
    assert kinds([nov2, nov2 + LONG_READ - 1 + H], [LONG_READ - 1, DAY]) == [(1, Kind.GAP, H)]  # the earlier one
    assert kinds([nov2, nov2 + DAY + H + 1], [DAY, DAY]) == [(1, Kind.GAP, H + 1)]
    assert kinds([nov2, nov2 + DAY + 2 * H], [DAY, DAY]) == [(1, Kind.GAP, 2 * H)]
    assert kinds([nov2, nov2], [DAY, DAY]) == [(1, Kind.DUPLICATE, -DAY)]  # a duplicate day is still a duplicate
    assert kinds([nov2, nov2 + LONG_READ + H], [LONG_READ, LONG_READ]) == [(1, Kind.DST_SEAM, H)]  # 23 h reads


def test_readings_with_a_fraction_of_a_second_are_judged_exactly():
    start = datetime(2025, 7, 1, tzinfo=timezone.utc)
    readings = [IntervalReading(start=start + timedelta(microseconds=us), duration=900, value=1, unit="kWh")
                for us in (0, 900_000_000, 1_800_100_000)]
    (found,) = reading_seams(readings, PACIFIC)
    assert (found.index, found.kind, found.seconds) == (2, Kind.GAP, Fraction(1, 10))


def test_clashes_are_duplicates_and_overlaps():
    found = find_seams([0, 900, 2400, 3000, 3000], [900] * 5, PACIFIC)
    assert [f.index for f in found if f.clash] == [3, 4]


np = pytest.importorskip("numpy")


@st.composite
def streams(draw):
    """Sorted streams of short and long reads from a local midnight before a Pacific time change or
    on ordinary dates: meeting, gaps, overlaps, duplicates, DST seams."""
    lengths = draw(st.lists(st.sampled_from([900, 3600, LONG_READ, DAY]), min_size=1, max_size=40))
    starts, at = [], draw(st.sampled_from([MAR8 - 3 * DAY, NOV1 - 3 * DAY, JUL1]))
    for length in lengths:
        starts.append(at)
        at += length + draw(st.sampled_from([0, 0, 0, 900, -900, H, -H, -length]))
        at = max(at, starts[-1])
    return starts, lengths


@settings(max_examples=300, deadline=None)
@given(streams())
def test_the_numpy_arrays_follow_the_same_rule(stream):
    starts, lengths = stream
    walked = [f.index for f in find_seams(starts, lengths, PACIFIC) if f.clash]
    assert np.flatnonzero(clash_mask(np.array(starts), np.array(lengths), PACIFIC)).tolist() == walked


def test_the_numpy_arrays_take_one_interval_length_for_all():
    assert np.flatnonzero(clash_mask(np.array([0, 900, 1500, 3000]), 900, PACIFIC)).tolist() == [2]
    assert clash_mask(np.array([5]), 900, PACIFIC).tolist() == [False]


def test_the_numpy_arrays_excuse_an_hour_only_at_a_change():
    days = [midnight(d) for d in ("2025-03-08", "2025-03-09", "2025-03-10")]
    assert clash_mask(np.array(days), DAY, PACIFIC).tolist() == [False, False, False]  # the March seam
    assert clash_mask(np.array([JUL1, JUL1 + DAY - H]), DAY, PACIFIC).tolist() == [False, True]  # July
