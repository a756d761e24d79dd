"""The one rule for where readings fail to meet (compiler/meterdata/collisions.py): gaps, duplicates,
overlaps, DST seams, with the time covered so far; the pure-Python walk and the numpy arrays agree."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from fractions import Fraction

import pytest
from hypothesis import given, settings, strategies as st

from tariffc.compiler.meterdata.collisions import DST_SHIFT, LONG_READ, Kind, clash_mask, find_seams, reading_seams
from tariffc.compiler.meterdata.model import IntervalReading

H = 3600
DAY = 24 * H


def kinds(starts, seconds):
    return [(f.index, f.kind, f.seconds) for f in find_seams(starts, seconds)]


def test_readings_that_meet_report_nothing():
    assert kinds([0, 900, 1800, 2700], [900] * 4) == []


def test_a_gap_an_overlap_and_a_duplicate_each_with_its_seam():
    # 0-900, 900-1800, [gap 600] 2400-3300, [overlap 300] 3000-3900, [duplicate] 3000-3900
    assert kinds([0, 900, 2400, 3000, 3000], [900] * 5) == [
        (2, Kind.GAP, 600), (3, Kind.OVERLAP, -300), (4, Kind.DUPLICATE, -900)]


def test_the_time_covered_is_the_latest_end_so_far_not_the_previous_reading():
    # an hour read 0-3600, then two quarter hours inside it: both overlap the hour, not each other's end;
    # then 3600 meets the hour's end (not the previous reading's 2700)
    found = find_seams([0, 900, 1800, 3600], [H, 900, 900, 900])
    assert [(f.index, f.kind, f.covering, f.seconds) for f in found] == [
        (1, Kind.OVERLAP, 0, 900 - H), (2, Kind.OVERLAP, 0, 1800 - H)]


def test_daily_reads_an_hour_apart_are_dst_seams_not_gaps_or_overlaps():
    # 24 h reads of local dates stored as UTC days: 23 h apart in March (overlap 1 h), 25 h in November
    spring = kinds([0, DAY, 2 * DAY - H, 3 * DAY - H], [DAY] * 4)
    autumn = kinds([0, DAY + H], [DAY, DAY])
    assert spring == [(2, Kind.DST_SEAM, -DST_SHIFT)]
    assert autumn == [(1, Kind.DST_SEAM, DST_SHIFT)]


def test_the_dst_exemption_needs_two_long_reads_and_exactly_one_hour():
    assert kinds([0, DAY - H], [DAY, 900]) == [(1, Kind.OVERLAP, -H)]  # the later read is short
    assert kinds([0, LONG_READ - 1 + H], [LONG_READ - 1, DAY]) == [(1, Kind.GAP, H)]  # the earlier one is short
    assert kinds([0, DAY - H - 1], [DAY, DAY]) == [(1, Kind.OVERLAP, -H - 1)]
    assert kinds([0, DAY + 2 * H], [DAY, DAY]) == [(1, Kind.GAP, 2 * H)]
    assert kinds([0, 0], [DAY, DAY]) == [(1, Kind.DUPLICATE, -DAY)]  # a duplicate day is still a duplicate
    assert kinds([0, LONG_READ + H], [LONG_READ, LONG_READ]) == [(1, Kind.DST_SEAM, H)]  # 23 h reads count


def test_readings_with_a_fraction_of_a_second_are_judged_exactly():
    start = datetime(2025, 7, 1, tzinfo=timezone.utc)
    readings = [IntervalReading(start=start + timedelta(microseconds=us), duration=900, value=1, unit="kWh")
                for us in (0, 900_000_000, 1_800_100_000)]
    (found,) = reading_seams(readings)
    assert (found.index, found.kind, found.seconds) == (2, Kind.GAP, Fraction(1, 10))


def test_clashes_are_duplicates_and_overlaps():
    found = find_seams([0, 900, 2400, 3000, 3000], [900] * 5)
    assert [f.index for f in found if f.clash] == [3, 4]


np = pytest.importorskip("numpy")


@st.composite
def streams(draw):
    """Sorted streams of short and long reads: meeting, gaps, overlaps, duplicates, DST-like seams."""
    lengths = draw(st.lists(st.sampled_from([900, 3600, LONG_READ, DAY]), min_size=1, max_size=40))
    starts, at = [], 0
    for length in lengths:
        starts.append(at)
        at += length + draw(st.sampled_from([0, 0, 0, 900, -900, H, -H, -length]))
        at = max(at, starts[-1])
    return starts, lengths


@settings(max_examples=300, deadline=None)
@given(streams())
def test_the_numpy_arrays_follow_the_same_rule(stream):
    starts, lengths = stream
    walked = [f.index for f in find_seams(starts, lengths) if f.clash]
    assert np.flatnonzero(clash_mask(np.array(starts), np.array(lengths))).tolist() == walked


def test_the_numpy_arrays_take_one_interval_length_for_all():
    assert np.flatnonzero(clash_mask(np.array([0, 900, 1500, 3000]), 900)).tolist() == [2]
    assert clash_mask(np.array([5]), 900).tolist() == [False]
