"""The one input-typing layer (runtime.inputs), through the API and the CLI: inputs of the wrong
type, values that are wrong but were once accepted, absurd magnitudes, measured inputs a schedule
does not bill on, and interval data in the forms the meter readers and array stores hold. Every
refusal is a BillInputError naming the field and the value; never a TypeError, ValueError,
OverflowError or decimal.InvalidOperation."""

from __future__ import annotations

import datetime as dt
import time
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner

from tariffc.compiler.api import IntervalArrays
from tariffc.compiler.cli import main
from tariffc.compiler.runtime import BillInputError

ROOT = Path(__file__).resolve().parents[2]
SCHEDULES = ROOT / "schedules"
TZ = ZoneInfo("America/Los_Angeles")


def refused(tariffs, field, schedule="E-1", **kwargs):
    kwargs = {"start": "2025-07-01", "end": "2025-07-31", **kwargs}
    with pytest.raises(BillInputError) as caught:
        tariffs.bill(schedule, **kwargs)
    assert caught.value.field == field, str(caught.value)
    return str(caught.value)


# ------------------------------------------------------------------ wrong types
@pytest.mark.parametrize("kwargs,field", [
    ({"kwh": [1]}, "kwh"),
    ({"kwh": 1.5}, "kwh"),
    ({"kwh": True}, "kwh"),
    ({"kwh": {"a": 1}}, "kwh"),
    ({"kwh": "600", "start": 20250701}, "start"),
    ({"kwh": "600", "end": dt.datetime(2025, 7, 31)}, "end"),
    ({"kwh": "600", "start": "2025-7-1"}, "start"),
    ({"intervals": 5}, "intervals"),
    ({"intervals": "file.csv"}, "intervals"),
    ({"intervals": [(1, 2)]}, "intervals[0]"),
    ({"intervals": [(dt.datetime(2025, 7, 1), 900, "1")]}, "intervals[0]"),  # naive start
    ({"kwh": "600", "values": 5}, "values"),
])
def test_wrong_types_are_bill_input_errors(tariffs, kwargs, field):
    refused(tariffs, field, **kwargs)


def test_choice_and_flag_of_wrong_type(tariffs):
    refused(tariffs, "primary_voltage", schedule="E-4", kwh="1000", kw="10", primary_voltage=[True])
    refused(tariffs, "meter_capacity", schedule="G-2", therms="10", meter_capacity=[1], commodity="1",
            cap_and_trade="0", transportation="0", carbon_offset="0")


# ------------------------------------------------------------------ wrong but once accepted
def test_power_factor_as_a_percent_is_refused(tariffs):
    message = refused(tariffs, "power_factor", schedule="E-7", start="2020-07-01", end="2020-07-31", kwh="100000",
                      kw="400", power_factor_metered=True, power_factor="92")
    assert "92" in message and "0.92" in message


def test_power_factor_as_a_fraction_bills_the_surcharge(tariffs):
    """D.5: 0.25% of the demand and energy charges for each 1% the power factor is below 95%:
    at 0.90, 5 x 0.25% = 1.25%."""
    bill = tariffs.bill("E-7", start="2020-07-01", end="2020-07-31", kwh="100000", kw="400",
                        power_factor_metered=True, power_factor="0.90")
    surcharge = [x for x in bill.lines if x.charge == "power_factor"]
    assert len(surcharge) == 1
    base = sum((x.amount for x in bill.lines if x.charge in ("demand", "energy")), Fraction(0))
    assert surcharge[0].rate == Fraction(125, 10000)
    assert surcharge[0].quantity == base and surcharge[0].amount == base * Fraction(125, 10000)


@pytest.mark.parametrize("seconds", [900.5, "900.5", Decimal("900.5"), Fraction(1801, 2), 0, -900, True])
def test_fractional_or_absurd_interval_seconds_are_refused_not_truncated(tariffs, seconds):
    start = dt.datetime(2025, 7, 1, tzinfo=TZ)
    message = refused(tariffs, "intervals[0]", schedule="E-4-TOU", intervals=[(start, seconds, "1")])
    assert "second" in message


def test_whole_interval_seconds_in_any_exact_form_are_accepted(tariffs):
    t = dt.datetime(2025, 7, 1, tzinfo=TZ).astimezone(dt.timezone.utc)
    rows = [(t + dt.timedelta(minutes=15 * i), s, "1") for i, s in
            zip(range(96), ["900", Decimal("900"), 900, Fraction(900)] * 24)]
    bill = tariffs.bill("E-1", start="2025-07-01", end="2025-07-02", intervals=rows)
    assert bill.total_exact > 0


# ------------------------------------------------------------------ absurd magnitudes
@pytest.mark.parametrize("value", ["1e30", "1e999999", "-1e999999", "1e-999999", "NaN", "Infinity",
                                   "1" * 5000, 10 ** 30, "0.0000000000001"])
def test_absurd_magnitudes_are_refused_fast(tariffs, value):
    started = time.perf_counter()
    message = refused(tariffs, "kwh", kwh=value)
    assert time.perf_counter() - started < 1.0
    assert "kwh" in message


@pytest.mark.parametrize("value", [Decimal("NaN"), Decimal("sNaN"), Decimal("Infinity"), Decimal("-Infinity")])
def test_non_finite_decimals_are_refused_by_name(tariffs, value):
    # found by the fuzz harness: the message's own formatting of a NaN escaped as ValueError
    for field in ("kwh", "therms"):
        message = refused(tariffs, field, schedule="G-1" if field == "therms" else "E-1", **{field: value})
        assert "finite" in message


def test_absurd_demand_and_named_inputs(tariffs):
    refused(tariffs, "kw", schedule="E-4", kwh="1", kw="1e26")
    refused(tariffs, "reserved_kw", schedule="E-4", kwh="1", kw="1", reserved_kw="1e999999")


def test_the_largest_accepted_values_bill_exactly(tariffs):
    """At the bounds (10^12 kWh with 12 decimal places) the arithmetic is still exact: the tier 2
    energy is the usage minus 450 kWh, priced at the printed rates."""
    kwh = Decimal("999999999999.999999999999")
    bill = tariffs.bill("E-1", start="2025-07-01", end="2025-07-31", kwh=kwh)
    tier2 = Fraction(kwh) - 450
    expected = 450 * (Fraction("0.10373") + Fraction("0.09593") + Fraction("0.00604")) + \
        tier2 * (Fraction("0.13372") + Fraction("0.08968") + Fraction("0.00604")) + Fraction("5.15")
    assert bill.total_exact == expected


def test_cli_absurd_kwh_names_the_field():
    result = CliRunner().invoke(main, ["bill", "E-1", "--start", "2025-07-01", "--end", "2025-07-31", "--kwh",
                                       "1e999999", "--schedules", str(SCHEDULES)])
    assert result.exit_code == 1 and "kwh = 1e999999" in result.output and "Traceback" not in result.output


# ------------------------------------------------------------------ inputs a schedule does not bill on
@pytest.mark.parametrize("schedule,kwargs,field", [
    ("E-1", {"kwh": "12", "exported_kwh": "8"}, "exported_kwh"),
    ("E-1", {"kwh": "12", "therms": "5"}, "therms"),
    ("E-1", {"kwh": "12", "kw": "5"}, "kw"),
    ("G-1", {"therms": "12", "kwh": "5", "commodity": "1", "cap_and_trade": "0", "transportation": "0",
             "carbon_offset": "0"}, "kwh"),
])
def test_inputs_a_schedule_does_not_bill_on_are_refused(tariffs, schedule, kwargs, field):
    message = refused(tariffs, field, schedule=schedule, **kwargs)
    assert schedule in message and "does not bill on" in message


def test_cli_exported_kwh_on_e1_is_refused():
    result = CliRunner().invoke(main, ["bill", "E-1", "--start", "2025-07-01", "--end", "2025-07-31", "--kwh", "12",
                                       "--exported-kwh", "8", "--schedules", str(SCHEDULES)])
    assert result.exit_code == 1
    assert "exported_kwh = 8" in result.output and "E-1" in result.output


# ------------------------------------------------------------------ interval data forms
def _day_rows():
    t = dt.datetime(2025, 7, 15, tzinfo=TZ)
    return [(t + dt.timedelta(minutes=15 * i), 900, Decimal(500 + 10 * (i % 7)) / 1000) for i in range(96)]


def test_intervals_from_the_meter_reader(tariffs, tmp_path):
    """Tariffs.bill(intervals=read_meter_data(path)) takes the IntervalSeries the reader returns."""
    from tariffc.compiler.meterdata import read_meter_data

    rows = _day_rows()
    path = tmp_path / "day.csv"
    path.write_text("start,kwh\n" + "".join(f"{t:%Y-%m-%d %H:%M},{kwh}\n" for t, _, kwh in rows), encoding="utf-8")
    series = read_meter_data(path)
    a = tariffs.bill("E-1", start="2025-07-15", end="2025-07-16", intervals=series)
    b = tariffs.bill("E-1", start="2025-07-15", end="2025-07-16", intervals=rows)
    assert a.total_exact == b.total_exact
    used = sum((kwh for _, _, kwh in rows), Decimal(0))  # 15 kWh of tier 1 a day, the rest tier 2
    expected = 15 * (Fraction("0.10373") + Fraction("0.09593") + Fraction("0.00604")) + \
        (Fraction(used) - 15) * (Fraction("0.13372") + Fraction("0.08968") + Fraction("0.00604")) + Fraction("5.15")
    assert a.total_exact == expected


def test_intervals_as_arrays(tariffs):
    """UTC epoch seconds of the first interval, the interval length, integer Wh per interval."""
    rows = _day_rows()
    start = int(rows[0][0].timestamp())
    wh = [int(kwh * 1000) for _, _, kwh in rows]
    a = tariffs.bill("E-4-TOU", start="2025-07-15", end="2025-07-16",
                     intervals=IntervalArrays(start=start, seconds=900, wh=wh))
    b = tariffs.bill("E-4-TOU", start="2025-07-15", end="2025-07-16", intervals=rows)
    c = tariffs.bill("E-4-TOU", start="2025-07-15", end="2025-07-16",
                     intervals={"start": start, "seconds": 900, "wh": tuple(wh)})
    assert a.total_exact == b.total_exact == c.total_exact
    assert [(x.key, x.amount) for x in a.lines] == [(x.key, x.amount) for x in b.lines]


def test_arrays_of_floats_are_refused(tariffs):
    message = refused(tariffs, "intervals.wh[0]", schedule="E-4-TOU",
                      intervals=IntervalArrays(start=1752562800, seconds=900, wh=[1.5] * 96))
    assert "integer Wh" in message
