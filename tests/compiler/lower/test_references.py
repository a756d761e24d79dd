"""`charge … as SCHEDULE CHARGE` and `estimate` → IR (lower/references.py), linking (lower/links.py)."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

from tariffc.compiler.lower.links import uncovered

E2 = """
schedule E-2 "Small"
  utility electric
  class non_residential
  seasons
    summer may 1 to oct 31
    winter nov 1 to apr 30
version 2024-07-01
  charge energy "Energy" per kWh
    columns  commodity  distribution = total
    summer   0.10       0.05         = 0.15
    winter   0.08       0.04         = 0.12
version 2025-07-01
  charge energy "Energy" per kWh
    columns  total
    all      0.20
"""

E16 = """
schedule E-16 "Unmetered"
  utility electric
  class unmetered
  estimate kwh "D."
    total_watts W "1."
    times annual_hours h per year "2."
    divided_by 1000 Wh per kWh "3."
    divided_by 12 month per year "4."
version 2024-07-01
  charge energy "C.2" per kWh as E-2 energy
"""


def test_reference_is_linked_to_every_overlapping_version(lower, codes):
    lowered = lower(E2, E16)
    assert codes(lowered) == []
    e16 = next(s for s in lowered.schedules if s.id == "E-16")
    (ref,) = e16.versions[0].references
    assert (ref.schedule, ref.charge, ref.quantity, ref.gaps) == ("E-2", "energy", "kwh", None)
    assert [(t.version, t.ends, [r.keys for r in t.rows]) for t in ref.targets] == [
        ("2024-07-01", dt.date(2025, 7, 1), [("summer",), ("winter",)]), ("2025-07-01", None, [("all",)])]
    assert ref.target_on(dt.date(2025, 6, 30)).version == "2024-07-01"
    assert ref.target_on(dt.date(2025, 7, 1)).version == "2025-07-01"
    assert e16.measured_inputs() >= {"kwh"}


def test_estimate_steps_and_divisor(lower, codes):
    lowered = lower(E2, E16)
    est = next(s for s in lowered.schedules if s.id == "E-16").versions[0].rules.estimate
    assert [(s.kind, s.operand, s.unit) for s in est.steps] == [
        ("input", "total_watts", ("W", None)), ("times", "annual_hours", ("h", "year")),
        ("divided_by", "1000", ("Wh", "kWh")), ("divided_by", "12", ("month", "year"))]
    assert est.divisor() == Fraction(12000) and est.inputs() == ("total_watts", "annual_hours")


def test_estimate_units_that_do_not_come_to_kwh_a_month_are_t247(lower, codes):
    lowered = lower(E2, E16.replace('    divided_by 12 month per year "4."\n', ""))
    assert codes(lowered) == ["T247"]
    assert "kWh per year" in lowered.diagnostics[0].message


def test_reference_to_a_missing_schedule_or_unit_or_gap(lower, codes):
    assert codes(lower(E16)) == ["T243"]
    assert codes(lower(E2, E16.replace("version 2024-07-01", "version 2023-07-01"))) == ["T244"]
    assert codes(lower(E2, E16.replace("per kWh as E-2 energy", "per month as E-2 energy"))) == ["T245"]


def test_uncovered_days():
    d = dt.date
    assert uncovered(d(2016, 7, 1), d(2025, 7, 1), [(d(2019, 7, 1), d(2021, 7, 1)), (d(2024, 7, 1), d(2025, 7, 1))]) == [
        (d(2016, 7, 1), d(2019, 7, 1)), (d(2021, 7, 1), d(2024, 7, 1))]
    assert uncovered(d(2025, 7, 1), d(2026, 7, 1), [(d(2024, 7, 1), d.max)]) == []
