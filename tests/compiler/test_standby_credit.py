"""The standby sections' Maximum Demand credit (`credit ... by offline_generation_kw`) and the City's
5-minute demand interval (`demand 15 minutes or 5 minutes by demand_interval`), with hand values.

Rates are the sheets' (003_0151a6ffdf35ceb2.txt, Attachment B):
- E-4 2025-07-01: Demand summer 11.09 + 38.08 = 49.17 $/kW (line 1737); Energy summer 0.12441 +
  0.02797 + 0.00604 = 0.15842 $/kWh (lines 1739-1742); Customer Charge 126.24 (line 1750); Standby
  summer 8.50 + 38.08 = 46.58 $/kW of Reserved Capacity (line 1783); primary voltage discount 2.5%
  of demand and energy (D.5).
- E-4-TOU 2025-07-01: summer Peak demand 9.82 + 19.07 = 28.89, Max Demand 1.30 + 19.07 = 20.37
  (lines 1913-1914).
- D.6.d(1) (E-4, line 1785-1787) / D.7.d(1) (E-4-TOU, lines 1988-1990): "the Maximum Demand will be
  reduced by the sum of the Maximum Generation of those non-utility generators, but in no event
  shall the Customer's Maximum Demand be reduced below zero"; d(2): no credit when the generation
  source did not operate for the entire billing cycle.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner

from tariffc.compiler.api import Tariffs, make_inputs
from tariffc.compiler.cli import main
from tariffc.compiler.interpret import interpret
from tariffc.compiler.runtime import BillInputError

SCHEDULES = Path(__file__).resolve().parents[2] / "schedules"
LA = ZoneInfo("America/Los_Angeles")


@pytest.fixture(scope="module")
def tariffs():
    return Tariffs.load(SCHEDULES)


def e4(tariffs, **values):
    return tariffs.bill("E-4", start="2025-07-01", end="2025-08-01", kwh="100000", kw="600", **values)


def both(tariffs, schedule_id, **kw):
    """The generated function's bill, checked line for line against the reference interpreter."""
    got = tariffs.bill(schedule_id, **kw)
    inputs = make_inputs(**{k: v for k, v in kw.items() if k in ("start", "end", "kwh", "kw", "intervals")},
                         values={k: v for k, v in kw.items() if k not in ("start", "end", "kwh", "kw", "intervals")})
    reference = interpret(tariffs.schedule(schedule_id), inputs)
    key = lambda x: (x.charge, x.component, x.key, x.quantity, x.rate, x.amount)  # noqa: E731
    assert sorted(map(key, got.lines)) == sorted(map(key, reference.lines))
    return got


def credit_lines(bill):
    return [(x.component, x.key, x.quantity, x.rate, x.amount) for x in bill.lines if x.quantity < 0]


def test_e4_credit_takes_the_offline_generation_off_the_demand(tariffs):
    bill = both(tariffs, "E-4", start="2025-07-01", end="2025-08-01", kwh="100000", kw="600",
                reserved_kw="300", offline_generation_kw="200")
    # 200 kW x 11.09 = 2,218.00 and 200 kW x 38.08 = 7,616.00 taken off
    assert credit_lines(bill) == [("commodity", ("summer",), -200, Fraction("11.09"), -2218),
                                  ("distribution", ("summer",), -200, Fraction("38.08"), -7616)]
    assert all("Maximum Demand credit" in x.note for x in bill.lines if x.quantity < 0)
    # energy 100,000 x 0.15842 = 15,842.00; customer 126.24; demand (600 - 200) x 49.17 = 19,668.00;
    # standby 300 x 46.58 = 13,974.00
    assert bill.total == Decimal("49610.24")


def test_e4_credit_never_below_zero(tariffs):
    bill = e4(tariffs, reserved_kw="300", offline_generation_kw="700")
    assert [q for _, _, q, _, _ in credit_lines(bill)] == [-600, -600]  # 600 kW of demand, not 700
    assert bill.total == Decimal("29942.24")  # 15,842.00 + 126.24 + 0 + 13,974.00


def test_e4_no_credit_and_no_standby_when_the_generator_never_ran(tariffs):
    bill = e4(tariffs, reserved_kw="300", offline_generation_kw="200", generator_idle="true")
    assert credit_lines(bill) == []
    assert bill.total == Decimal("45470.24")  # 15,842.00 + 126.24 + 600 x 49.17


def test_e4_discount_is_on_the_reduced_demand(tariffs):
    bill = both(tariffs, "E-4", start="2025-07-01", end="2025-08-01", kwh="100000", kw="600",
                reserved_kw="300", offline_generation_kw="200", primary_voltage="true")
    # 2.5% of (19,668.00 + 15,842.00) = 887.75
    assert bill.total == Decimal("49610.24") - Decimal("887.75")


def test_negative_offline_generation_is_refused(tariffs):
    with pytest.raises(BillInputError, match="offline_generation_kw = -5: cannot be negative"):
        e4(tariffs, offline_generation_kw="-5")


def flat_july(kw: int, minutes: int = 15):
    """Interval data for July 2025 at a flat `kw` (kWh per interval = kW x minutes / 60)."""
    t = dt.datetime(2025, 7, 1, tzinfo=LA).astimezone(dt.timezone.utc)
    stop = dt.datetime(2025, 8, 1, tzinfo=LA).astimezone(dt.timezone.utc)
    out = []
    while t < stop:
        out.append((t, minutes * 60, Fraction(kw * minutes, 60)))
        t += dt.timedelta(minutes=minutes)
    return out


def test_e4_tou_2025_credit_is_on_the_max_demand_charge_only(tariffs):
    bill = both(tariffs, "E-4-TOU", start="2025-07-01", end="2025-08-01", intervals=flat_july(600),
                offline_generation_kw="200")
    # Max Demand row 1.30 + 19.07: 200 kW x 1.30 = 260.00, 200 kW x 19.07 = 3,814.00; the Peak row untouched
    assert credit_lines(bill) == [("commodity", ("summer", "max"), -200, Fraction("1.30"), -260),
                                  ("distribution", ("summer", "max"), -200, Fraction("19.07"), -3814)]
    plain = tariffs.bill("E-4-TOU", start="2025-07-01", end="2025-08-01", intervals=flat_july(600))
    assert plain.total_exact - bill.total_exact == 4074


def test_e4_tou_2019_credit_is_a_named_refusal(tariffs):
    kw = dict(start="2019-07-01", end="2019-08-01", intervals=flat_july(600))
    kw["intervals"] = [(t.replace(year=2019), s, q) for t, s, q in flat_july(600)]
    tariffs.bill("E-4-TOU", **kw)  # no credit asked for: billed
    with pytest.raises(BillInputError, match="cannot be computed for this version: D.3 bills the Maximum Demand of "
                                             "each time period"):
        tariffs.bill("E-4-TOU", offline_generation_kw="200", **kw)


def rules(schedule_id, day):
    result = CliRunner().invoke(main, ["rates", schedule_id, "--on", day, "--format", "json",
                                       "--schedules", str(SCHEDULES)])
    assert result.exit_code == 0, result.output
    return [r for r in json.loads(result.output)["rules"]]


def test_rates_show_the_credit_and_its_refusal():
    (credit,) = [r for r in rules("E-4-TOU", "2025-08-01") if r["rule"] == "demand_credit"]
    assert credit["key"] == ["demand", "max"] and credit["condition"] == "not generator_idle"
    assert credit["values"] == {"reduced_by": "offline_generation_kw", "unit": "kW", "not_below": "0", "refused": None}
    (old,) = [r for r in rules("E-4-TOU", "2020-08-01") if r["rule"] == "demand_credit"]
    assert old["values"]["refused"].startswith("D.3 bills the Maximum Demand of each time period")


# -- the City's 5-minute demand interval (E-4 D.3, 003 line 1763) ------------------------------------

def spiky_july(minutes=5):
    """5-minute data for July 2025: 50 kWh per 5 minutes (600 kW), one interval 100 kWh (1,200 kW)."""
    items = flat_july(600, minutes)
    t, s, _ = items[100]
    items[100] = (t, s, Fraction(100))
    return items


def test_e4_five_minute_demand_when_asked(tariffs):
    data = spiky_july()
    usual = both(tariffs, "E-4", start="2025-07-01", end="2025-08-01", intervals=data)
    asked = both(tariffs, "E-4", start="2025-07-01", end="2025-08-01", intervals=data, demand_interval="5")
    # 15-minute block with the spike: 100 + 50 + 50 kWh in 0.25 h = 800 kW; 5-minute: 100 kWh / (5/60) h = 1,200 kW
    demand = lambda b: {x.quantity for x in b.lines if x.charge == "demand"}  # noqa: E731
    assert demand(usual) == {800} and demand(asked) == {1200}
    assert asked.total_exact - usual.total_exact == 400 * Fraction("49.17")


def test_five_minute_demand_refused_on_15_minute_data_or_another_interval(tariffs):
    with pytest.raises(BillInputError, match="intervals"):
        tariffs.bill("E-4", start="2025-07-01", end="2025-08-01", intervals=flat_july(600), demand_interval="5")
    with pytest.raises(BillInputError, match="demand_interval.*15 or 5 minutes"):
        tariffs.bill("E-4", start="2025-07-01", end="2025-08-01", intervals=spiky_july(), demand_interval="7")


def test_rates_show_the_alternative_interval():
    (record,) = [r for r in rules("E-4", "2025-08-01") if r["rule"] == "demand_interval"]
    assert record["values"] == {"minutes": "15", "or_minutes": "5", "chosen_by": "demand_interval"}


def test_vector_backend_leaves_both_rules_to_the_scalar_function(tariffs):
    np = pytest.importorskip("numpy")
    from tariffc.compiler.vector import bill_totals
    from tariffc.compiler.vector.errors import VectorUnsupported

    schedule = tariffs.schedule("E-4")
    usage = dict(kwh=np.array([[100000000]]), kw=np.array([[600000]]))  # thousandths: Wh and W
    period = [("2025-07-01", "2025-08-01")]
    with pytest.raises(VectorUnsupported, match="Maximum Demand credit `credit demand by offline_generation_kw`"):
        bill_totals(schedule, period, values={"offline_generation_kw": "200"}, **usage)
    with pytest.raises(VectorUnsupported, match="demand_interval = 5"):
        bill_totals(schedule, period, values={"demand_interval": "5"}, **usage)
    # not asked for: the vector path bills it, the same as the generated function
    vector = bill_totals(schedule, period, values={"offline_generation_kw": "0"}, **usage).bill(0, 0)
    assert vector.total == e4(tariffs).total
    # and Tariffs.bill, which prefers the vector path for arrays, bills the credit through the scalar one
    assert e4(tariffs, offline_generation_kw="200").total == Decimal("45470.24") - 200 * Decimal("49.17")


def test_diff_reports_the_credit_change_between_eras():
    result = CliRunner().invoke(main, ["diff", "E-4-TOU", "--from", "2020-07-01", "--to", "2024-07-01", "--format",
                                       "json", "--schedules", str(SCHEDULES)])
    assert result.exit_code == 0, result.output
    changes = {(r["rule"], tuple(r["key"])): r for r in json.loads(result.output) if r["kind"] == "rule"}
    # 2020: a credit the sheet cannot decide (refused); 2024: the credit on the Max Demand charge
    assert changes[("demand_credit", ("demand", "all"))]["proposed"] is None
    assert changes[("demand_credit", ("demand", "max"))]["current"] is None
    assert changes[("demand_credit", ("demand", "max"))]["proposed"]["reduced_by"] == "offline_generation_kw"
