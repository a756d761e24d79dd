"""Bill invariants: lines sum to the exact total, the total is rounded once, tiered bills do not
decrease with usage, zero usage bills the fixed charges or the minimum; semantics from the IR."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from tariffc.compiler.api import Tariffs
from tariffc.compiler.runtime import BillInputError, round_to

ROOT = Path(__file__).resolve().parents[2]
T = Tariffs.load(ROOT / "schedules")
GAS = {"commodity": "0.859", "cap_and_trade": "0", "transportation": "0", "carbon_offset": "0"}

usage = st.integers(0, 3_000_000).map(lambda n: Fraction(n, 1000))
starts = st.dates(dt.date(2025, 7, 1), dt.date(2026, 4, 1))


def test_acceptance_e1_api():
    bill = T.bill("E-1", start="2025-07-01", end="2025-07-31", kwh="600")
    assert bill.total == Decimal("132.13")
    assert bill.total_exact == 450 * Fraction("0.20570") + 150 * Fraction("0.22944") + Fraction("5.15")
    assert bill.by_component() == {
        "commodity": 450 * Fraction("0.10373") + 150 * Fraction("0.13372"),
        "distribution": 450 * Fraction("0.09593") + 150 * Fraction("0.08968"),
        "public_benefits": 600 * Fraction("0.00604"), "customer": Fraction("5.15")}


@settings(max_examples=60, deadline=None)
@given(kwh=usage, start=starts, days=st.integers(1, 62))
def test_lines_sum_to_exact_total_rounded_once(kwh, start, days):
    try:
        bill = T.bill("E-2", start=start, end=start + dt.timedelta(days=days), kwh=kwh)
    except BillInputError:
        return  # e.g. a period crossing a version change (no `prorate versions by days`)
    assert sum(x.amount for x in bill.lines) == bill.total_exact
    assert Fraction(bill.total) == round_to(bill.total_exact, Fraction("0.01"), "half_up")
    assert sum(bill.by_component().values()) == bill.total_exact


@settings(max_examples=60, deadline=None)
@given(a=usage, b=usage, start=st.dates(dt.date(2025, 7, 1), dt.date(2026, 5, 1)), days=st.integers(1, 60))
def test_e1_non_decreasing_in_usage(a, b, start, days):
    low, high = sorted((a, b))
    end = start + dt.timedelta(days=days)
    assert T.bill("E-1", start=start, end=end, kwh=low).total_exact <= \
        T.bill("E-1", start=start, end=end, kwh=high).total_exact


@settings(max_examples=60, deadline=None)
@given(a=usage, b=usage, start=st.dates(dt.date(2024, 11, 1), dt.date(2025, 5, 1)), days=st.integers(1, 60))
def test_g1_non_decreasing_in_usage(a, b, start, days):
    low, high = sorted((a, b))
    end = min(start + dt.timedelta(days=days), dt.date(2025, 7, 1))
    assert T.bill("G-1", start=start, end=end, therms=low, **GAS).total_exact <= \
        T.bill("G-1", start=start, end=end, therms=high, **GAS).total_exact


def test_zero_usage_customer_charge():
    bill = T.bill("E-1", start="2025-07-01", end="2025-07-31", kwh=0)
    assert [(x.charge, x.amount) for x in bill.lines] == [("customer", Fraction("5.15"))]


def test_zero_usage_minimum_per_day():
    bill = T.bill("E-1", start="2020-01-01", end="2020-01-31", kwh=0)  # version 2019-07-01: 0.3283 per day
    assert bill.total_exact == 30 * Fraction("0.3283") and bill.total == Decimal("9.85")
    assert bill.lines[-1].charge == "minimum"


def test_tier_allowance_per_day_scales_with_days():
    bill = T.bill("E-1", start="2025-07-01", end="2025-07-11", kwh=200)  # 15 x 10 = 150 kWh in tier 1
    assert {x.key: x.quantity for x in bill.lines if x.charge == "energy"} == {("tier1",): 150, ("tier2",): 50}


def test_g1_allowance_prorated_by_season_and_rounded():
    # 2025-03-15..2025-04-14 under version 2024-11-01: 17 winter days x 2.0 + 13 summer days x 0.667
    # = 42.671 therms, rounded half-up to 43.
    bill = T.bill("G-1", start="2025-03-15", end="2025-04-14", therms=100, **GAS)
    tiers = {x.key: x.quantity for x in bill.lines if x.charge == "distribution"}
    assert tiers == {("tier1",): 43, ("tier2",): 57}


def test_season_proration_by_days():
    bill = T.bill("E-2", start="2025-10-17", end="2025-11-16", kwh=3000)  # 15 summer + 15 winter days
    energy = {x.key: x.quantity for x in bill.lines if x.charge == "energy"}
    assert energy == {("summer",): 1500, ("winter",): 1500}


def test_declared_discrepancy_billed_as_printed():
    tou = T.schedule("E-7-TOU")
    version = tou.version_on(dt.date(2019, 8, 1))
    row = version.charge("demand").row(("summer", "mid_peak"))
    assert row.total.value != sum(v.value for _, v in row.components if v is not None)
    tz = dt.timezone(dt.timedelta(hours=-7))
    start = dt.datetime(2019, 8, 1, tzinfo=tz)
    items = [(start + dt.timedelta(minutes=15 * i), 900, "10") for i in range(30 * 96)]
    bill = T.bill("E-7-TOU", start="2019-08-01", end="2019-08-31", intervals=items)
    lines = [x for x in bill.lines if x.charge == "demand" and x.key == ("summer", "mid_peak")]
    assert sum(x.amount for x in lines) == 40 * row.total.value
    assert any(x.component == "discrepancy" and x.note for x in lines)


def test_g2_band_by_meter_capacity():
    bill = T.bill("G-2", start="2025-07-01", end="2025-07-31", therms=10, meter_capacity="220", **GAS)
    assert [x for x in bill.lines if x.charge == "service"][0].key == ("small",)
    bill = T.bill("G-2", start="2025-07-01", end="2025-07-31", therms=10, meter_capacity="221", **GAS)
    assert [x for x in bill.lines if x.charge == "service"][0].key == ("medium",)


def test_export_credit_is_negative():
    bill = T.bill("E-EEC-1", start="2025-07-01", end="2025-07-31", exported_kwh=100)
    assert bill.total_exact == -100 * Fraction("0.1243")


def test_lamps_keyed_by_row():
    bill = T.bill("E-14", start="2025-07-01", end="2025-07-31", values={"lamps.led_70w_eq": 10})
    assert [(x.charge, x.key, x.quantity) for x in bill.lines] == [("lamps", ("led_70w_eq",), 10)]


def test_green_option_selects_charges():
    block = T.bill("E-2-G", start="2025-07-01", end="2025-07-31", kwh=1000, green_option="block_1000",
                   green_blocks=2)
    full = T.bill("E-2-G", start="2025-07-01", end="2025-07-31", kwh=1000, green_option="renewable_100")
    assert {x.charge for x in block.lines} >= {"energy_block", "green_blocks"} and "energy" not in \
        {x.charge for x in block.lines}
    assert "green" in full.by_component()


def test_discount_and_exemption():
    base = dict(start="2025-07-01", end="2025-07-31", kwh=10000, kw=100, reserved_kw=50)
    plain = T.bill("E-4", **base)
    discounted = T.bill("E-4", primary_voltage=True, **base)
    exempt = T.bill("E-4", backup_only=True, **base)
    assert any(x.component == "discount" for x in discounted.lines)
    assert "standby" in plain.by_charge() and "standby" not in exempt.by_charge()


@pytest.mark.parametrize("value", [1.5, True])
def test_floats_refused(value):
    with pytest.raises(BillInputError):
        T.bill("E-1", start="2025-07-01", end="2025-07-31", kwh=value)
