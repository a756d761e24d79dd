"""Versions → ir.Version: end dates (compiler/lower/versions.py with_end_dates), order (T307),
statements of a version (VERSION_STATEMENTS), schedule headers (schedules.py)."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

from tariffc.compiler import ir

D = dt.date


def schedule(body: str) -> str:
    return 'schedule X-1 "Test"\n  utility electric\n  class residential\n\n' + body


def charge(amount: str = "1.00") -> str:
    return f"  charge customer {amount} per month\n"


def test_each_version_ends_where_the_next_begins_or_the_sheet_it_supersedes_or_its_own_ends(lower, codes):
    lowered = lower(schedule(
        "version 2019-07-01\n" + charge() +
        "version 2020-07-01\n" + charge() + '  ends 2021-07-01 "FY2021 only"\n' +
        "version 2024-07-01 supersedes 2023-07-01\n" + charge() +
        "version 2025-07-01 supersedes 2024-07-01\n" + charge()))
    assert codes(lowered) == []
    versions = lowered.schedules[0].versions
    assert [(v.effective, v.ends) for v in versions] == [
        (D(2019, 7, 1), D(2020, 7, 1)),   # the next version's effective date
        (D(2020, 7, 1), D(2021, 7, 1)),   # its own `ends` (earlier than the next version's 2023 sheet)
        (D(2024, 7, 1), D(2025, 7, 1)),
        (D(2025, 7, 1), None)]            # the latest has no end
    assert versions[1].ends_declared == (D(2021, 7, 1), "FY2021 only")


def test_a_version_superseding_a_sheet_not_in_the_documents_ends_the_previous_one_there(lower, codes):
    lowered = lower(schedule("version 2019-07-01\n" + charge() +
                             "version 2024-07-01 supersedes 2023-07-01\n" + charge()))
    assert [(v.effective, v.ends) for v in lowered.schedules[0].versions] == [
        (D(2019, 7, 1), D(2023, 7, 1)), (D(2024, 7, 1), None)]


def test_version_order_and_dates_refused(lower, codes):
    lowered = lower(schedule(
        "version 2025-07-01\n" + charge() +
        "version 2024-07-01\n" + charge() +           # written after a later one
        "version 2024-07-01\n" + charge() +           # twice on one date
        "version 2026-07-01 supersedes 2026-07-01\n" + charge() +   # supersedes itself
        "version 2026-13-01\n" + charge() +           # not a calendar date
        "version 2027-07-01\n" + charge() + '  ends 2027-07-01 "no"\n'))
    assert codes(lowered) == ["T307", "T307", "T307", "T304", "T307"]
    # the version with no calendar date is dropped; the others are kept
    assert len(lowered.schedules[0].versions) == 5


def test_version_statements_land_in_their_fields(lower, codes):
    lowered = lower(schedule('''version 2025-07-01
  source "doc.txt" "Sheet E-1-1" line 12
  applicability "Who this version applies to."
  charge energy per kWh
    columns commodity distribution = total
    tier1 "Tier 1" 0.1 0.2 = 0.3
  passthrough gas_price "Commodity" per therm 0 to 5
  discrepancy printed energy tier1 "the sheet prints 0.31"
  charge energy 1 per kWh
'''))
    assert codes(lowered) == ["T306"]  # charge `energy` twice
    (version,) = lowered.schedules[0].versions
    assert version.source == ir.Source(document="doc.txt", sheet="Sheet E-1-1", line=12, span=None)
    assert version.applicability == "Who this version applies to."
    assert [c.name for c in version.charges] == ["energy", "energy"]
    row = version.charges[0].rows[0]
    assert (row.keys, row.label, [(c, n.value) for c, n in row.components], row.total.value) == (
        ("tier1",), "Tier 1", [("commodity", Fraction(1, 10)), ("distribution", Fraction(1, 5))], Fraction(3, 10))
    assert version.passthroughs[0].maximum.value == 5
    assert version.declared == (ir.Declared(kind="printed", path=("energy", "tier1"),
                                            reason="the sheet prints 0.31", span=None),)


def test_schedule_header_limits_and_inputs(lower, codes):
    lowered = lower('''schedule X-1 "Test"
  utility gas
  class commercial
  applicability "Applies to X."
  limit kw 0 to 500 kW "D.1"
  input service choice small large "the service size"
  calendar nowhere

version 2025-07-01
  charge customer 1 per month
''')
    assert codes(lowered) == ["T301"]
    s = lowered.schedules[0]
    assert (s.utility, s.customer_class, s.applicability, s.calendar) == ("gas", "commercial", "Applies to X.", None)
    assert s.limits == (ir.Limit(quantity="kw", low=Fraction(0), high=Fraction(500), unit="kW", doc="D.1",
                                 span=None),)
    assert s.inputs == (ir.Input(name="service", type="choice", unit=None, choices=("small", "large"),
                                 doc="the service size", span=None),)
    diagnostic = lowered.diagnostics[0]
    assert "no calendar was loaded" in diagnostic.notes[0]
