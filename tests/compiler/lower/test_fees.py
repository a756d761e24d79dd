"""`fee`, `yearly_fees` and `index` → IR (compiler/lower/fees.py): kinds, inputs, units, merge rules."""

from __future__ import annotations

from fractions import Fraction

HEAD = """
schedule X-16 "Test"
  utility electric
  class unmetered
  yearly_fees monthly 12 "schedule words"
  index a, b by cpi_ratio "schedule index"
"""


def test_fee_kinds_and_their_inputs(lower, codes):
    lowered = lower(HEAD + """
version 2025-07-01
  fee a "E.1" per ft per year
    x "(A)" 1.94
    y 0.97
  fee b "E.4" 152.00 per pole once
  fee c "E.5" 329.44 per pole per year on antenna_poles
  fee d "E.2" refused "Actual Cost"
  fee e "D.6" 1.25% per month of contribution
""")
    assert codes(lowered) == []
    (schedule,) = lowered.schedules
    (version,) = schedule.versions
    a, b, c, d, e = version.fees
    assert [(r.key, r.rate.value, r.input) for r in a.rows] == [("x", Fraction("1.94"), "a.x"),
                                                                ("y", Fraction("0.97"), "a.y")]
    assert (a.unit, a.term, a.per) == ("ft", "year", "$/ft/yr")
    assert (b.rows[0].input, b.term, b.per) == ("b", "once", "$/pole")
    assert (c.rows[0].input, c.per) == ("antenna_poles", "$/pole/yr")
    assert (d.kind, d.rows, d.reason, d.refused_input) == ("refused", (), "Actual Cost", "d")
    assert (e.kind, e.unit, e.rows[0].rate.value, e.rows[0].input) == ("percent", "$", Fraction(5, 4), "contribution")
    specs = {s.name: (s.type, s.unit) for s in schedule.fee_inputs()}
    assert specs == {"a.x": ("unit", "ft"), "a.y": ("unit", "ft"), "b": ("count", None),
                     "antenna_poles": ("count", None), "d": ("count", None), "contribution": ("unit", "$"),
                     "cpi_ratio": ("number", None)}


def test_yearly_fees_last_wins_and_index_replaces_by_fee(lower, codes):
    lowered = lower(HEAD + """
version 2025-07-01
  yearly_fees monthly 4 "version words"
  index b by other_ratio "version index"
  fee a 1.00 per ft per year
  fee b 2.00 per pole once
""")
    assert codes(lowered) == []
    rules = lowered.schedules[0].versions[0].rules
    assert (rules.yearly_fees.divisor, rules.yearly_fees.doc) == (4, "version words")
    # the version's index names b: the inherited index keeps a (still by cpi_ratio), b moves to other_ratio
    assert [(i.fees, i.input) for i in rules.indexes] == [(("a",), "cpi_ratio"), (("b",), "other_ratio")]


def test_a_fee_indexed_twice_in_one_block_is_t306(lower, codes):
    lowered = lower(HEAD + """
version 2025-07-01
  index a by cpi_ratio "first"
  index a by other_ratio "second"
  fee a 1.00 per ft per year
""")
    assert codes(lowered) == ["T306"]
    assert "first indexed at line" in lowered.diagnostics[0].notes[0]


def test_fee_row_twice_and_name_twice_are_t306(lower, codes):
    lowered = lower(HEAD + """
version 2025-07-01
  charge a "C.1" 7.31 per month
  fee a 1.00 per ft per year
  fee b per pole per year
    x 1.00
    x 2.00
""")
    assert codes(lowered) == ["T306", "T306"]


def test_yearly_fee_divisor_must_be_positive(lower, codes):
    lowered = lower(HEAD.replace("monthly 12", "monthly 0") + "\nversion 2025-07-01\n  fee a 1.00 per ft per year\n")
    assert codes(lowered) == ["T316"]
