"""compare.py on its own: applicability, ranking, export compensation, inputs, gaps.

The schedules' IR is the real one (limits, classes, inputs, demand minutes from the .tariff files);
the bills come from a STUB biller with made-up round prices, so these tests check the comparison
logic, not any rate. The real bills are tested in test_compare_acceptance.py.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest

from tariffc.compiler.compare.periods import BillPeriod, calendar_months, split
from tariffc.compiler.compare import (
    Candidate,
    CompareError,
    compare,
    convert_inputs,
    max_demand,
    parse_candidates,
)
from tariffc.compiler.meterdata import KWH, THERM, Direction, IntervalReading, IntervalSeries, MeterDataError
from tariffc.compiler.meterdata.localtime import LOCAL_TZ
from tariffc.compiler.project import load

REPO = Path(__file__).resolve().parents[2]
UTC = timezone.utc
PRICE = {"E-1": Decimal("0.20"), "E-2": Decimal("0.18"), "E-2-G": Decimal("0.19"), "E-4": Decimal("0.10"),
         "E-4-TOU": Decimal("0.09"), "E-7": Decimal("0.08")}
EXPORT = {"E-EEC-1": Decimal("0.12"), "E-NSE-1": Decimal("0.10")}


class StubBill:
    def __init__(self, total: Decimal):
        self.total = total.quantize(Decimal("0.01"))
        self.total_exact = total
        self.lines = ()


class StubBiller:
    """bill(): kWh x price + $10 per bill (+ $5/kW of demand); export: -exported x price."""

    def __init__(self, fail: str | None = None):
        self.calls: list[tuple[str, dict]] = []
        self.fail = fail

    def bill(self, schedule_id, *, start, end, kwh=None, kw=None, therms=None, exported_kwh=None, intervals=None,
             **inputs):
        self.calls.append((schedule_id, dict(start=start, end=end, kwh=kwh, kw=kw, exported_kwh=exported_kwh,
                                             intervals=intervals, **inputs)))
        if schedule_id == self.fail:
            raise ValueError("green_option = not given: choose renewable_100 or block_1000")
        if schedule_id in EXPORT:
            return StubBill(-exported_kwh * EXPORT[schedule_id])
        energy = kwh if kwh is not None else sum((r.value for r in intervals), Decimal(0))
        return StubBill(energy * PRICE[schedule_id] + 10 + (kw or 0) * 5)


@pytest.fixture(scope="module")
def schedules():
    project = load([REPO / "schedules"], check=False)
    return {s.id: s for s in project.schedules}


def readings(start: datetime, count: int, seconds: int, kwh: str, direction=Direction.DELIVERED, unit=KWH):
    first = start.replace(tzinfo=LOCAL_TZ).astimezone(UTC)
    return [IntervalReading(start=first + timedelta(seconds=seconds * i), duration=seconds, value=Decimal(kwh),
                            unit=unit, direction=direction) for i in range(count)]


def slices_of(items, periods):
    series = IntervalSeries(readings=sorted(items, key=lambda r: (r.start, r.direction.value)), source="test")
    return series, split(series, periods)


JAN_FEB = calendar_months(date(2025, 1, 1), date(2025, 3, 1))
HOURS = 24 * 59  # January and February 2025 (no DST change)


def run(schedules, slices, series, names, biller=None, **inputs):
    return compare(slices, source="test", units=series.units, candidates=parse_candidates(names),
                   schedules=schedules, biller=biller or StubBiller(), inputs=inputs)


def test_ranked_cheapest_first_with_difference(schedules):
    series, slices = slices_of(readings(datetime(2025, 1, 1), HOURS, 3600, "0.5"), JAN_FEB)
    result = run(schedules, slices, series, "E-1,E-2,E-2-G", green_option="renewable_100")
    assert [r.candidate.label for r in result.results] == ["E-2", "E-2-G", "E-1"]
    assert [r.rank for r in result.results] == [1, 2, 3]
    # E-2: Jan 372 kWh x 0.18 + 10, Feb 336 kWh x 0.18 + 10
    assert result.results[0].total == Decimal("76.96") + Decimal("70.48")
    assert result.results[2].difference == (Decimal("708") * Decimal("0.02")).quantize(Decimal("0.01"))
    assert [m.kwh for m in result.measures] == [372, 336]
    assert "different customer classes" in result.notes[-1]


def test_inputs_go_only_to_schedules_declaring_them(schedules):
    series, slices = slices_of(readings(datetime(2025, 1, 1), HOURS, 3600, "0.5"), JAN_FEB)
    biller = StubBiller()
    run(schedules, slices, series, "E-1,E-2-G", biller=biller, green_option="block_1000")
    assert all("green_option" not in kw for sid, kw in biller.calls if sid == "E-1")
    assert all(kw["green_option"] == "block_1000" for sid, kw in biller.calls if sid == "E-2-G")


@pytest.mark.parametrize("inputs, message", [
    ({"green_optoin": "renewable_100"}, "input 'green_optoin' is declared by none of the schedules compared"),
    ({"green_option": "solar"}, "green_option (E-2-G) is one of renewable_100, block_1000, not 'solar'"),
    ({"green_blocks": "1.5"}, "green_blocks (E-2-G) is a count"),
])
def test_bad_inputs_refused_before_billing(schedules, inputs, message):
    series, slices = slices_of(readings(datetime(2025, 1, 1), HOURS, 3600, "0.5"), JAN_FEB)
    biller = StubBiller()
    with pytest.raises(CompareError) as caught:
        run(schedules, slices, series, "E-1,E-2-G", biller=biller, **inputs)
    assert message in str(caught.value) and biller.calls == []


def test_flag_input_typed(schedules):
    typed = convert_inputs({"primary_voltage": "yes"}, [schedules["E-4"], schedules["E-1"]])
    assert typed == {"E-4": {"primary_voltage": True}, "E-1": {}}


def test_bill_error_refuses_only_that_candidate(schedules):
    series, slices = slices_of(readings(datetime(2025, 1, 1), HOURS, 3600, "0.5"), JAN_FEB)
    result = run(schedules, slices, series, "E-1,E-2-G", biller=StubBiller(fail="E-2-G"))
    assert [r.candidate.label for r in result.results] == ["E-1"]
    assert result.refused[0].reason == ("E-2-G: cannot be billed: green_option = not given: choose renewable_100 "
                                        "or block_1000 (in all 2 periods)")


# -- applicability ---------------------------------------------------------------------------------

def demand_data(kw: str):
    """Two months of 15-minute data at a flat `kw` with one higher block... flat is enough."""
    kwh = Decimal(kw) / 4
    return slices_of(readings(datetime(2025, 1, 1), HOURS * 4, 900, str(kwh)), JAN_FEB)


def test_demand_limits(schedules):
    series, slices = demand_data("312")
    result = run(schedules, slices, series, "E-4,E-4-TOU,E-7")
    assert [r.candidate.label for r in result.results] == ["E-4"]
    assert [x.reason for x in result.refused] == [
        "E-4-TOU: maximum demand 312 kW is outside its 500-1000 kW range",
        "E-7: maximum demand 312 kW is below its 1000 kW minimum"]
    assert result.measures[0].max_kw == 312 and result.measures[0].demand_minutes == 15
    assert result.notes[0].startswith("E-4: demand within its 1000 kW limit in 2 of 2 periods; the sheet: \"A: ")


def test_demand_limit_high_bound_is_exclusive(schedules):
    series, slices = demand_data("1000")
    result = run(schedules, slices, series, "E-4,E-7")
    assert [r.candidate.label for r in result.results] == ["E-7"]
    assert result.refused[0].reason == "E-4: maximum demand 1000 kW is not below its 1000 kW limit"


def test_demand_schedules_refuse_hourly_data(schedules):
    series, slices = slices_of(readings(datetime(2025, 1, 1), HOURS, 3600, "600"), JAN_FEB)
    result = run(schedules, slices, series, "E-4,E-1")
    assert result.refused[0].reason == ("E-4: needs the maximum 15-minute demand; the data are 60-minute intervals, "
                                        "which cannot show it")
    assert result.measures[0].demand_minutes == 60 and result.measures[0].max_kw == 600


def test_max_demand_blocks():
    five = readings(datetime(2025, 1, 1), 6, 300, "1")
    five[4] = IntervalReading(start=five[4].start, duration=300, value=Decimal("4"), unit=KWH)
    assert max_demand(five, 15) == Decimal(6) * 4  # block 2: 1 + 4 + 1 kWh in 15 minutes = 24 kW
    assert max_demand(readings(datetime(2025, 1, 1), 2, 3600, "1"), 15) is None


def test_non_metered_classes_refused_as_base(schedules):
    series, slices = slices_of(readings(datetime(2025, 1, 1), HOURS, 3600, "0.5"), JAN_FEB)
    result = run(schedules, slices, series, "E-1,E-EEC-1,E-14")
    assert [x.reason for x in result.refused] == [
        "E-EEC-1: E-EEC-1 is billed with a base schedule: write e.g. E-1+E-EEC-1",
        "E-14: E-14 bills lamps, not metered energy"]


def test_therms_for_an_electric_schedule(schedules):
    series, slices = slices_of(readings(datetime(2025, 1, 1), HOURS, 3600, "0.1", unit=THERM), JAN_FEB)
    with pytest.raises(MeterDataError, match=r"the readings are in therm \(gas\); E-1 is an electric schedule billed in kWh: bill these readings on a gas schedule"):
        run(schedules, slices, series, "E-1")


# -- export ----------------------------------------------------------------------------------------

def solar():
    delivered = readings(datetime(2025, 1, 1), HOURS, 3600, "0.5")
    received = readings(datetime(2025, 1, 1), HOURS, 3600, "0.25", direction=Direction.RECEIVED)
    return slices_of(delivered + received, JAN_FEB)


def test_export_compensation_per_period(schedules):
    series, slices = solar()
    biller = StubBiller()
    result = run(schedules, slices, series, "E-1,E-1+E-EEC-1", biller=biller)
    with_export = next(r for r in result.results if r.candidate.export)
    plain = next(r for r in result.results if not r.candidate.export)
    assert with_export.rank == 1
    assert [c[1]["exported_kwh"] for c in biller.calls if c[0] == "E-EEC-1"] == [186, 168]
    assert plain.total - with_export.total == Decimal(354) * Decimal("0.12")
    # the base bill gets only delivered energy
    assert [c[1]["kwh"] for c in biller.calls if c[0] == "E-1"] == [372, 336, 372, 336]


def test_received_energy_without_export_candidate_is_noted(schedules):
    series, slices = solar()
    result = run(schedules, slices, series, "E-1")
    assert "354 kWh received" in result.notes[0]


def test_export_with_time_of_use_refused(schedules):
    series, slices = demand_data("600")
    result = run(schedules, slices, series, "E-4-TOU+E-EEC-1")
    assert "may not apply in conjunction with any time-of-use Rate Schedule" in result.refused[0].reason


def test_net_surplus_credited_once_on_the_range(schedules):
    delivered = readings(datetime(2025, 1, 1), HOURS, 3600, "0.25")
    received = readings(datetime(2025, 1, 1), HOURS, 3600, "0.5", direction=Direction.RECEIVED)
    series, slices = slices_of(delivered + received, JAN_FEB)
    biller = StubBiller()
    result = run(schedules, slices, series, "E-1+E-NSE-1", biller=biller)
    calls = [c for c in biller.calls if c[0] == "E-NSE-1"]
    assert len(calls) == 1 and calls[0][1]["exported_kwh"] == 354 and calls[0][1]["start"] == date(2025, 2, 1)
    (only,) = result.results
    assert only.bills[-1].total == Decimal("168") * Decimal("0.20") + 10 - Decimal("35.40")  # February
    assert any("settlement period" in note for note in result.notes)


# -- periods and candidates -----------------------------------------------------------------------

def test_gap_periods_billed_for_nobody(schedules):
    items = readings(datetime(2025, 1, 1), HOURS, 3600, "0.5")
    del items[800]  # 2025-02-02 08:00
    series, slices = slices_of(items, JAN_FEB)
    result = run(schedules, slices, series, "E-1,E-2")
    assert result.periods == (BillPeriod(date(2025, 1, 1), date(2025, 2, 1)),)
    assert result.skipped[0][0].label() == "2025-02" and "(1 h missing)" in result.skipped[0][1]
    with pytest.raises(CompareError, match="no billing period has complete data"):
        run(schedules, slices[1:], series, "E-1")


@pytest.mark.parametrize("text, message", [
    ("", "no schedules to compare"),
    ("E-1+E-2", "only E-EEC-1 or E-NSE-1 may follow '+'"),
    ("E-1+E-EEC-1+E-NSE-1", "a schedule plus one export schedule"),
    ("E-1,E-1", "listed twice"),
])
def test_candidate_syntax(text, message):
    with pytest.raises(CompareError, match=re.escape(message)):
        parse_candidates(text)


def test_candidate_labels():
    assert parse_candidates("E-1, E-1 + E-EEC-1") == (Candidate("E-1"), Candidate("E-1", "E-EEC-1"))


def test_unknown_schedule(schedules):
    series, slices = slices_of(readings(datetime(2025, 1, 1), HOURS, 3600, "0.5"), JAN_FEB)
    with pytest.raises(CompareError, match="unknown schedule"):
        run(schedules, slices, series, "E-99")


def test_chart_is_deterministic_svg(schedules, tmp_path):
    from tariffc.compiler.compare.chart import write_chart

    series, slices = slices_of(readings(datetime(2025, 1, 1), HOURS, 3600, "0.5"), JAN_FEB)
    result = run(schedules, slices, series, "E-1,E-2")
    first, second = tmp_path / "a.svg", tmp_path / "b.svg"
    write_chart(result, first)
    write_chart(result, second)
    text = first.read_text()
    assert text == second.read_text() and "<svg" in text
