"""Calendars → ir.Calendar (compiler/lower/calendars.py): holidays, relative holidays, billing."""

from __future__ import annotations

from fractions import Fraction

from tariffc.compiler import ir


def test_holidays_of_each_form(lower, codes):
    lowered = lower('''calendar c "C"
  timezone "America/New_York"
  holiday new_year "New Year" jan 1 observed nearest_weekday
  holiday thanksgiving "Thanksgiving" fourth thu of nov
  holiday day_after "Day after" day after thanksgiving
  holiday memorial last mon of may
''')
    assert codes(lowered) == []
    (cal,) = lowered.calendars
    assert cal.timezone == "America/New_York"
    assert cal.holidays == (
        ir.Holiday(name="new_year", label="New Year", month=1, day=1, observed="nearest_weekday", span=None),
        ir.Holiday(name="thanksgiving", label="Thanksgiving", month=11, ordinal=4, weekday=3, span=None),
        ir.Holiday(name="day_after", label="Day after", month=11, relative_to="thanksgiving", offset_days=1,
                   span=None),
        ir.Holiday(name="memorial", label="memorial", month=5, ordinal=-1, weekday=0, span=None))


def test_relative_holidays_refused_when_unknown_or_circular(lower, codes):
    lowered = lower('''calendar c "C"
  holiday a "A" day after b
  holiday b "B" day before a
  holiday d "D" day after nowhere
''')
    assert codes(lowered) == ["T311", "T311", "T311"]
    assert lowered.calendars[0].holidays == ()


def test_billing_conventions_over_the_defaults(lower, codes):
    lowered = lower('''calendar c "C"
  billing "Rule 11"
    period end_exclusive max 35 days
    monthly_charges prorated 30
    rounding total half_even 0.01
    prorate seasons by days "by days"
''')
    assert codes(lowered) == []
    (cal,) = lowered.calendars
    assert cal.billing == ir.Billing(max_days=35, monthly_charges="prorated", proration_divisor=30,
                                     rounding_mode="half_even", rounding_step=Fraction(1, 100), doc="Rule 11",
                                     span=None)
    assert cal.prorate == (("seasons", "by days"),)


def test_billing_refusals(lower, codes):
    lowered = lower('''calendar c "C"
  billing
    period start_inclusive max 0 days
    monthly_charges weekly
    rounding total sideways 0
    prorate tiers by days
''')
    assert codes(lowered) == ["T309", "T316", "T309", "T309", "T316", "T309"]
