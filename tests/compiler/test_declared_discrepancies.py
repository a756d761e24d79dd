"""The complete list of disagreements the documents contain, as declared in the schedules.

Each entry was found by `tariffc check` and reviewed against the source documents (reasons are in
the declarations). A new disagreement, or one that vanishes after an edit, changes this list and
must be reviewed: that is the point of pinning it.
"""

from __future__ import annotations

from pathlib import Path

from tariffc.compiler.project import load

ROOT = Path(__file__).resolve().parents[2]

DECLARED_SUM = {
    ('E-4-G', '2025-07-01', 'sum', 'demand_block winter'),
    ('E-4-G', '2025-07-01', 'sum', 'energy winter'),
    ('E-4-TOU', '2019-07-01', 'sum', 'energy summer off_peak'),
    ('E-4-TOU', '2019-07-01', 'sum', 'energy summer peak'),
    ('E-4-TOU', '2019-07-01', 'sum', 'energy winter off_peak'),
    ('E-4-TOU', '2020-07-01', 'sum', 'energy summer mid_peak'),
    ('E-4-TOU', '2020-07-01', 'sum', 'energy summer peak'),
    ('E-7-TOU', '2019-07-01', 'sum', 'demand summer mid_peak'),
    ('E-7-TOU', '2019-07-01', 'sum', 'demand summer off_peak'),
    ('E-7-TOU', '2019-07-01', 'sum', 'demand winter off_peak'),
    ('E-7-TOU', '2019-07-01', 'sum', 'demand winter peak'),
    ('E-7-TOU', '2020-07-01', 'sum', 'demand summer mid_peak'),
    ('E-7-TOU', '2020-07-01', 'sum', 'demand summer off_peak'),
    ('E-7-TOU', '2020-07-01', 'sum', 'demand summer peak'),
    ('E-7-TOU', '2020-07-01', 'sum', 'demand winter off_peak'),
    ('E-7-TOU', '2020-07-01', 'sum', 'demand winter peak'),
}

DECLARED_PUBLISHED = {
    ('Table 1-8', 'published', 'G-1 distribution tier1 total'),
    ('Table 1-8', 'published', 'G-1 distribution tier2 total'),
    ('Table 1-8', 'published', 'G-3 distribution all total'),
    ('Table 1-8', 'published', 'G-3 service all total'),
    ('Table 11', 'published', 'G-3 service all total'),
    ('Table 12', 'published', 'G-1 distribution tier1 total'),
    ('Table 12', 'published', 'G-1 distribution tier2 total'),
    ('Table 12', 'published', 'G-3 distribution all total'),
    ('Table 13', 'published', 'E-16 customer total'),
    ('Table 13', 'published', 'E-16 pole_license ft_1 total'),  # "$29.511" (footnote 1) vs the sheet's 29.59
    ('Table 14', 'published', 'E-4 customer total'),
    ('Table 14', 'published', 'E-4 demand summer total'),
    ('Table 14', 'published', 'E-4 demand winter total'),
    ('Table 14', 'published', 'E-4 energy summer total'),
    ('Table 14', 'published', 'E-4 energy winter total'),
    ('Table 14', 'published', 'E-4-G customer total'),
    ('Table 14', 'published', 'E-4-G demand summer total'),
    ('Table 14', 'published', 'E-4-G demand winter total'),
    ('Table 14', 'published', 'E-4-G energy_block summer total'),
    ('Table 14', 'published', 'E-4-G energy_block winter total'),
    ('Table 14', 'published', 'E-7 customer total'),
    ('Table 14', 'published', 'E-7 demand summer total'),
    ('Table 14', 'published', 'E-7 demand winter total'),
    ('Table 14', 'published', 'E-7 energy summer total'),
    ('Table 14', 'published', 'E-7 energy winter total'),
    ('Table 14', 'published', 'E-7-G customer total'),
    ('Table 14', 'published', 'E-7-G demand summer total'),
    ('Table 14', 'published', 'E-7-G demand winter total'),
    ('Table 14', 'published', 'E-7-G energy_block summer total'),
    ('Table 14', 'published', 'E-7-G energy_block winter total'),
    ('Table 16', 'published', 'E-EEC-1 export all total'),
    ('Table 16', 'published', 'E-NSE-1 export all total'),
    ('Table 5', 'published', 'E-2-G energy_block summer total'),
    ('Table 5', 'published', 'E-2-G energy_block winter total'),
    ('Table 5', 'published', 'E-2-G minimum green_option_is_block_1000 total'),  # C.2's minimum
    ('Table 5', 'published', 'E-4 energy winter total change'),
    ('Table 5', 'published', 'E-4 energy winter total pct_change'),
    ('Table 5', 'published', 'E-4-G energy_block winter total change'),
    ('Table 5', 'published', 'E-4-G energy_block winter total pct_change'),
    ('Table 5', 'published', 'E-7 minimum all total'),
    ('Table 5', 'published', 'E-7-G minimum all total'),
}

UNRESOLVED = {
    ('E-14', '2019-07-01', 'lamps class_a_hps_100w total'),
    ('E-14', '2019-07-01', 'lamps class_a_hps_200w total'),
    ('E-14', '2019-07-01', 'lamps class_a_hps_250w total'),
    ('E-14', '2019-07-01', 'lamps class_a_hps_310w total'),
    ('E-14', '2019-07-01', 'lamps class_a_hps_400w total'),
    ('E-14', '2019-07-01', 'lamps hps_100w total'),
    ('E-14', '2019-07-01', 'lamps hps_150w total'),
    ('E-14', '2019-07-01', 'lamps hps_250w total'),
    ('E-14', '2019-07-01', 'lamps hps_70w total'),
    ('E-14', '2019-07-01', 'lamps led_100w_eq total'),
    ('E-14', '2019-07-01', 'lamps led_150w_eq total'),
    ('E-14', '2019-07-01', 'lamps led_250w total'),
    ('E-14', '2019-07-01', 'lamps led_70w_eq total'),
    ('E-14', '2019-07-01', 'lamps mv_400w total'),
    ('E-14', '2020-07-01', 'lamps class_a_hps_100w total'),
    ('E-14', '2020-07-01', 'lamps class_a_hps_200w total'),
    ('E-14', '2020-07-01', 'lamps class_a_hps_250w total'),
    ('E-14', '2020-07-01', 'lamps class_a_hps_310w total'),
    ('E-14', '2020-07-01', 'lamps class_a_hps_400w total'),
    ('E-14', '2020-07-01', 'lamps hps_100w total'),
    ('E-14', '2020-07-01', 'lamps hps_150w total'),
    ('E-14', '2020-07-01', 'lamps hps_250w total'),
    ('E-14', '2020-07-01', 'lamps hps_70w total'),
    ('E-14', '2020-07-01', 'lamps led_100w_eq total'),
    ('E-14', '2020-07-01', 'lamps led_150w_eq total'),
    ('E-14', '2020-07-01', 'lamps led_250w total'),
    ('E-14', '2020-07-01', 'lamps led_70w_eq total'),
    ('E-14', '2020-07-01', 'lamps mv_400w total'),
    ('E-EEC-1', '2019-07-01', 'export all total'),
    ('E-EEC-1', '2020-07-01', 'export all total'),
    ('E-NSE-1', '2019-07-01', 'export all total'),
    ('E-NSE-1', '2020-07-01', 'export all total'),
}


PROJECT = load([ROOT / "schedules"])


def test_printed_totals_that_are_not_the_sum_of_their_parts():
    found = {(s.id, v.label, d.kind, " ".join(d.path))
             for s in PROJECT.schedules for v in s.versions for d in v.declared if d.kind != "unresolved"}
    assert found == DECLARED_SUM
    # each is really reported (as a note), none is stale
    codes = [d.code for d in PROJECT.diagnostics]
    assert codes.count("T213") == len(DECLARED_SUM) and "T212" not in codes


def test_staff_tables_that_disagree_with_the_schedules_or_themselves():
    found = {(t.title, "published", " ".join(d.path)) for t in PROJECT.published for d in t.discrepancies}
    assert found == DECLARED_PUBLISHED
    codes = [d.code for d in PROJECT.diagnostics]
    assert codes.count("T403") == len(DECLARED_PUBLISHED) and "T404" not in codes


def test_redline_values_that_could_not_be_decided():
    found = {(s.id, v.label, " ".join(d.path))
             for s in PROJECT.schedules for v in s.versions for d in v.declared if d.kind == "unresolved"}
    assert found == UNRESOLVED


def test_no_errors_in_the_tree():
    assert PROJECT.errors == ()
