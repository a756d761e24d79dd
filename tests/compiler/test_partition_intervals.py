"""The TOU partition check works on sorted half-open intervals per day type; it must report exactly
what the obvious minute-by-minute check reports (the reference below, the implementation it
replaced): same codes, same first gap or overlap, same wording."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tariffc.compiler import ir
from tariffc.compiler.checks import partition
from tariffc.dsl.diagnostics import Span

SPAN = Span.point("t.tariff", 1, 1)
DAY_TYPES = partition.DAY_TYPES


def reference_coverage(period_set):
    covered = {}
    for period in period_set.periods:
        cells = covered.setdefault(period.name, set())
        for clause in period.clauses:
            if clause.kind == "otherwise":
                continue
            for weekday, holiday in DAY_TYPES:
                if partition.clause_covers(clause, weekday, holiday):
                    hours = ((0, 1440),) if clause.kind == "always" else clause.hours
                    for start, end in hours:
                        cells.update((weekday, holiday, minute) for minute in range(start, end))
    taken = set().union(*covered.values()) if covered else set()
    everything = {(w, h, m) for w, h in DAY_TYPES for m in range(1440)}
    for period in period_set.periods:
        if any(c.kind == "otherwise" for c in period.clauses):
            covered[period.name] |= everything - taken
    return covered


def _describe(weekday, holiday, minutes):
    start, end = minutes[0], minutes[0]
    for m in minutes:
        if m != end:
            break
        end = m + 1
    day = ir.WEEKDAYS[weekday] + (" (holiday)" if holiday else "")
    return f"{day} {start // 60:02d}:{start % 60:02d}-{end // 60:02d}:{end % 60:02d}"


def reference_check(period_set, label="periods energy"):
    covered = reference_coverage(period_set)
    counts = {}
    for name, cells in covered.items():
        for cell in cells:
            counts.setdefault(cell, []).append(name)
    out = []
    gaps = sorted(c for w, h in DAY_TYPES for c in [(w, h, m) for m in range(1440)] if c not in counts)
    if gaps:
        w, h, _ = gaps[0]
        out.append(("T203", f"{label}: no period covers {_describe(w, h, [m for (a, b, m) in gaps if (a, b) == (w, h)])}"))
    overlaps = sorted(c for c, names in counts.items() if len(names) > 1)
    if overlaps:
        w, h, _ = overlaps[0]
        names = sorted(counts[overlaps[0]])
        minutes = [m for (a, b, m) in overlaps if (a, b) == (w, h)]
        out.append(("T204", f"{label}: {' and '.join(names)} both cover {_describe(w, h, minutes)}"))
    return out


minutes = st.integers(0, 24).map(lambda h: h * 60) | st.integers(0, 1440)
hours = st.tuples(minutes, minutes).filter(lambda p: p[0] < p[1])
clauses = st.one_of(
    st.just(ir.Clause(kind="otherwise", span=SPAN)),
    st.just(ir.Clause(kind="always", span=SPAN)),
    st.builds(lambda days, hs, hol, exc: ir.Clause(kind="days", weekdays=frozenset(days), holidays_only=hol,
                                                 hours=tuple(hs), except_holidays=exc, span=SPAN),
              st.sets(st.integers(0, 6), min_size=1), st.lists(hours, min_size=1, max_size=3),
              st.booleans(), st.booleans()),
)
periods = st.lists(st.builds(lambda name, cs: ir.Period(name=name, clauses=tuple(cs), span=SPAN),
                             st.sampled_from(["peak", "mid_peak", "off_peak", "super_off"]),
                             st.lists(clauses, min_size=1, max_size=3)), min_size=1, max_size=4)


def period_set(ps):
    return ir.PeriodSet(partition=True, charge="energy", season=None, periods=tuple(ps), condition=None, doc=None,
                        span=SPAN)



def implementation(pset):
    class Rules:
        periods = (pset,)

    class Version:
        rules = Rules

    class Schedule:
        versions = (Version,)

    return [(d.code, d.message) for d in partition.periods_partition_week(Schedule)]


@settings(max_examples=60, deadline=None)
@given(periods)
def test_intervals_report_what_minute_sets_report(ps):
    pset = period_set(ps)
    assert implementation(pset) == reference_check(pset)


@settings(max_examples=25, deadline=None)
@given(periods)
def test_coverage_cells_match_minute_sets(ps):
    pset = period_set(ps)
    assert partition.coverage(pset) == reference_coverage(pset)


def test_a_clean_week_reports_nothing():
    peak = ir.Period(name="peak", clauses=(ir.Clause(kind="days", weekdays=frozenset(range(5)),
                                                     hours=((960, 1260),), except_holidays=True, span=SPAN),),
                     span=SPAN)
    off = ir.Period(name="off_peak", clauses=(ir.Clause(kind="otherwise", span=SPAN),), span=SPAN)
    assert implementation(period_set([peak, off])) == []


def test_first_gap_and_overlap_are_named():
    a = ir.Period(name="peak", clauses=(ir.Clause(kind="days", weekdays=frozenset({0}), hours=((600, 720),),
                                                  span=SPAN),), span=SPAN)
    b = ir.Period(name="mid_peak", clauses=(ir.Clause(kind="days", weekdays=frozenset({0}), hours=((660, 780),),
                                                      span=SPAN),), span=SPAN)
    assert implementation(period_set([a, b])) == [
        ("T203", "periods energy: no period covers mon 00:00-10:00"),
        ("T204", "periods energy: mid_peak and peak both cover mon 11:00-12:00"),
    ]
