"""Green Button features the four real samples do not exercise, on SYNTHETIC feeds written here.

No sample has flowDirection 19 (received energy, net metering) or `espi:` / `ns0:` prefixes; the
net-metering feed below is built by hand (modelled on PG&E's ReadingTypes: uom 72 with
powerOfTenMultiplier 3 for received energy, `ns0:`/`ns1:` prefixes) and is not real data.
"""

from __future__ import annotations

import io
from datetime import datetime, timezone
from decimal import Decimal, localcontext

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tariffc.compiler.meterdata import Direction, KWH, MeterDataError, quality_report, read_green_button
from tariffc.compiler.meterdata.espi_codes import scale_exact

UTC = timezone.utc
POINT = "/espi/RetailCustomer/1/UsagePoint/1"
T0 = 1704096000  # 2024-01-01T08:00Z, local midnight in Los Angeles


def net_metering_feed(gb, style: str) -> bytes:
    delivered = f"{POINT}/MeterReading/1"
    received = f"{POINT}/MeterReading/2"
    return gb.feed(
        gb.usage_point(POINT, kind=0, related=("/espi/LocalTimeParameters/1",)),
        gb.local_time(),
        # Received first in the file: resolving by link, not by order, must still pick right.
        gb.reading_type("/espi/ReadingType/RECEIVED", uom=72, multiplier=3, flow=19, interval=900),
        gb.reading_type("/espi/ReadingType/DELIVERED", uom=72, multiplier=0, flow=1, interval=900),
        gb.meter_reading(received, "/espi/ReadingType/RECEIVED"),
        gb.meter_reading(delivered, "/espi/ReadingType/DELIVERED"),
        gb.interval_block(delivered, 1, [(T0 + 900 * i, 900, 250 + i) for i in range(4)]),
        gb.interval_block(received, 1, [(T0 + 900 * i, 900, i) for i in range(4)]),
        style=style,
    )


@pytest.mark.parametrize("style", ["default", "espi", "ns0"])
def test_net_metering_synthetic_all_namespace_styles(gb, style):
    data = read_green_button(io.BytesIO(net_metering_feed(gb, style)))
    series = data.series("electricity")
    assert len(series) == 8 and series.directions == {Direction.DELIVERED, Direction.RECEIVED}
    assert series.total(Direction.DELIVERED) == Decimal("1.006")  # (250+251+252+253) Wh
    assert series.total(Direction.RECEIVED) == Decimal("6")  # (0+1+2+3) x 10^3 Wh = 6 kWh
    assert series.units == {KWH}
    assert series.warnings == ()  # Pacific LocalTimeParameters: nothing to warn about
    report = quality_report(series)
    assert report.received_energy == ((KWH, Decimal("6")),)
    assert report.duplicates == ()  # same start, different direction: not a duplicate
    assert "received energy: 6 kWh" in report.render()


def test_several_blocks_in_one_entry(gb):
    meter = f"{POINT}/MeterReading/1"
    block = gb.espi("IntervalBlock", *[
        gb.espi("IntervalReading", gb.espi("timePeriod", gb.espi("duration", 3600), gb.espi("start", T0 + 3600 * i)),
                gb.espi("value", 100)) for i in range(2)])
    second = gb.espi("IntervalBlock", gb.espi("IntervalReading", gb.espi("timePeriod", gb.espi("duration", 3600),
                                                                           gb.espi("start", T0 + 7200)), gb.espi("value", 100)))
    entry = gb.entry(None, self_href=f"{meter}/IntervalBlock/1", up=f"{meter}/IntervalBlock")
    entry.children = (*entry.children, gb.atom("content", block, second))
    xml = gb.feed(gb.usage_point(POINT), gb.reading_type("/rt/1", uom=72, flow=1), gb.meter_reading(meter, "/rt/1"), entry)
    data = read_green_button(io.BytesIO(xml))
    assert [b.reading_count for b in data.usage_points[0].meter_readings[0].blocks] == [2, 1]
    assert data.series().total() == Decimal("0.3")


def test_unconverted_uom_is_reported_not_guessed(gb):
    meter = f"{POINT}/MeterReading/1"
    xml = gb.feed(gb.usage_point(POINT), gb.reading_type("/rt/w", uom=38, multiplier=0, flow=1),
                  gb.meter_reading(meter, "/rt/w"), gb.interval_block(meter, 1, [(T0, 900, 1500)]))
    series = read_green_button(io.BytesIO(xml)).series()
    assert series.units == {"uom 38"} and series.readings[0].value == Decimal(1500)
    assert any("uom 38 is not Wh (72) or therm (169)" in w for w in series.warnings)


def test_two_usage_points_need_a_choice(gb):
    other = "/espi/RetailCustomer/1/UsagePoint/2"
    xml = gb.feed(
        gb.usage_point(POINT, kind=0), gb.usage_point(other, kind=1),
        gb.reading_type("/rt/e", uom=72, flow=1), gb.reading_type("/rt/g", uom=169, flow=1),
        gb.meter_reading(f"{POINT}/MeterReading/1", "/rt/e"), gb.meter_reading(f"{other}/MeterReading/1", "/rt/g"),
        gb.interval_block(f"{POINT}/MeterReading/1", 1, [(T0, 3600, 1000)]),
        gb.interval_block(f"{other}/MeterReading/1", 1, [(T0, 86400, 2)]))
    data = read_green_button(io.BytesIO(xml))
    assert data.series("gas").total() == Decimal(2) and data.series("electricity").total() == Decimal(1)
    with pytest.raises(MeterDataError, match=r"2 UsagePoints with interval data: .*; choose one by its href or title "
                                             r"\(--usage-point"):
        data.series()
    assert data.series(usage_point=other).total() == Decimal(2)
    assert data.series(usage_point=POINT).total() == Decimal(1)
    with pytest.raises(MeterDataError, match=f"no UsagePoint with interval data for gas named '{POINT}'"):
        data.series("gas", usage_point=POINT)


def test_local_time_disagreement_is_a_warning(gb):
    meter = f"{POINT}/MeterReading/1"
    # European rules: last Sunday of March / October at 01:00 (operator 7, Sunday 7).
    march, october = (3 << 28) | (7 << 25) | (7 << 17) | (1 << 12), (10 << 28) | (7 << 25) | (7 << 17) | (1 << 12)
    xml = gb.feed(gb.usage_point(POINT, related=("/ltp/1",)), gb.local_time("/ltp/1", tz=3600, start=f"{march:08X}",
                                                                          end=f"{october:08X}"),
                  gb.reading_type("/rt/1", uom=72, flow=1), gb.meter_reading(meter, "/rt/1"),
                  gb.interval_block(meter, 1, [(T0, 3600, 5)]))
    warnings = read_green_button(io.BytesIO(xml)).series().warnings
    assert any("tzOffset 3600" in w for w in warnings)
    assert any("dstStartRule 3E0E1000 (last Sunday of March at 01:00) gives 2024-03-31 01:00" in w for w in warnings)
    assert any("dstEndRule AE0E1000" in w for w in warnings)


@settings(max_examples=60, deadline=None)
@given(raw=st.integers(min_value=-(2**47), max_value=2**47 - 1), multiplier=st.integers(min_value=-9, max_value=9))
def test_values_scale_exactly(gb, raw, multiplier):
    meter = f"{POINT}/MeterReading/1"
    xml = gb.feed(gb.usage_point(POINT), gb.reading_type("/rt/1", uom=72, multiplier=multiplier, flow=1),
                  gb.meter_reading(meter, "/rt/1"), gb.interval_block(meter, 1, [(T0, 900, raw)]))
    value = read_green_button(io.BytesIO(xml)).series().readings[0].value
    with localcontext() as exact:
        exact.prec = 100
        assert value == Decimal(raw) * Decimal(10) ** (multiplier - 3)  # Wh x 10^m, in kWh


@given(raw=st.integers(), power=st.integers(min_value=-30, max_value=30))
def test_scale_exact_is_an_exponent_shift(raw, power):
    with localcontext() as exact:
        exact.prec = 400
        assert scale_exact(raw, power) == Decimal(raw) * Decimal(10) ** power


def test_timestamps_are_utc_aware(gb):
    series = read_green_button(io.BytesIO(net_metering_feed(gb, "default"))).series()
    first = series.readings[0]
    assert first.start == datetime(2024, 1, 1, 8, tzinfo=UTC)
    assert first.local_start().isoformat() == "2024-01-01T00:00:00-08:00"


def test_readings_centuries_apart_are_checked_in_their_own_years_only(gb):
    """Fuzz seed 17 (issue 14): readings in 2025 and in 7521 took 12 s of CPU, because the DST check and
    the quality report walked every day of the 5,497 years between them. Both now read only the time
    the readings cover: the zone is scanned in those two years (a few years' scans, counted here, not
    timed), the warning names the first year, and the report lists the changes of the covered days."""
    from tariffc.compiler.meterdata.localtime import year_transitions

    meter = f"{POINT}/MeterReading/1"
    in_2025 = 1751353200  # 2025-07-01 07:00 UTC
    in_7521 = 175162406400  # 7521-12-31 08:00 UTC
    xml = gb.feed(gb.usage_point(POINT, related=("/ltp/1",)), gb.local_time("/ltp/1", tz=-25200),
                  gb.reading_type("/rt/1", uom=72, flow=1), gb.meter_reading(meter, "/rt/1"),
                  gb.interval_block(meter, 1, [(in_2025, 3600, 5), (in_7521, 3600, 7)]))
    year_transitions.cache_clear()
    series = read_green_button(io.BytesIO(xml)).series()
    report = quality_report(series)
    scanned = year_transitions.cache_info()
    assert scanned.misses <= 6  # 2024–2026 and 7520–7522 at most, not 5,500 years
    (warning,) = [w for w in series.warnings if "tzOffset" in w]
    assert "in 2025" in warning and "(and in 1 other year(s))" in warning
    assert report.dst_transitions == ()  # neither hour crosses a change
    assert len(report.gaps) == 1


@pytest.mark.parametrize(("fields", "said"), [
    ({"accumulation": 1}, "accumulationBehaviour 1 (bulkQuantity): the readings are register values"),
    ({"accumulation": 3}, "accumulationBehaviour 3 (cumulative)"),
    ({"accumulation": 9}, "accumulationBehaviour 9 (summation)"),
    ({"kind": 8}, "kind 8 (demand): the readings are not energy"),
    ({"qualifier": 8}, "dataQualifier 8 (maximum): the readings are a statistic"),
    ({"qualifier": 2}, "dataQualifier 2 (average)"),
])
def test_readings_that_are_not_interval_energy_are_refused(gb, fields, said):
    """Breaker, issue 14: register totals (1,000,000 Wh and growing) were billed as interval energy,
    $45,108.67 for two days of E-1. A ReadingType whose codes say its readings are not the energy of
    each interval is refused, naming the code."""
    meter = f"{POINT}/MeterReading/1"
    xml = gb.feed(gb.usage_point(POINT), gb.reading_type("/rt/1", uom=72, flow=1, **fields),
                  gb.meter_reading(meter, "/rt/1"),
                  gb.interval_block(meter, 1, [(T0 + 3600 * i, 3600, 1_000_000 + 250 * i) for i in range(4)]))
    with pytest.raises(MeterDataError, match="no MeterReading holds the energy of each interval") as caught:
        read_green_button(io.BytesIO(xml))
    assert said in str(caught.value) and "/rt/1" in str(caught.value)


def test_interval_energy_is_read_beside_a_demand_reading(gb):
    """A file holding an energy MeterReading and a demand one: the energy is read, the demand is named
    in a warning and not added to the energy."""
    energy, demand = f"{POINT}/MeterReading/1", f"{POINT}/MeterReading/2"
    xml = gb.feed(gb.usage_point(POINT),
                  gb.reading_type("/rt/1", uom=72, flow=1, kind=12, accumulation=4, qualifier=12),
                  gb.reading_type("/rt/2", uom=72, flow=1, kind=8, accumulation=4, qualifier=8),
                  gb.meter_reading(energy, "/rt/1"), gb.meter_reading(demand, "/rt/2"),
                  gb.interval_block(energy, 1, [(T0, 3600, 500), (T0 + 3600, 3600, 700)]),
                  gb.interval_block(demand, 1, [(T0, 3600, 9000)]))
    series = read_green_button(io.BytesIO(xml)).series()
    assert series.total() == Decimal("1.2")  # (500 + 700) Wh, the demand reading left out
    assert any("ReadingType /rt/2" in w and "kind 8 (demand)" in w and "not read" in w for w in series.warnings)


@pytest.mark.parametrize("field, text", [("value", "1_000"), ("value", "\u0664"), ("accumulation", "\u0664")])
def test_espi_numbers_only_in_plain_ascii_digits(gb, field, text):
    """Breaker2, issue 14: `<accumulationBehaviour>٤</…>` was read as 4 and `<value>1_000</value>` as
    1000 (Python's int() reads both); they are refused naming the element's field."""
    meter = f"{POINT}/MeterReading/1"
    value = text if field == "value" else 5
    codes = {"accumulation": text} if field == "accumulation" else {}
    xml = gb.feed(gb.usage_point(POINT), gb.reading_type("/rt/1", uom=72, flow=1, **codes),
                  gb.meter_reading(meter, "/rt/1"), gb.interval_block(meter, 1, [(T0, 3600, value)]))
    with pytest.raises(MeterDataError, match="is not an integer|is not a number"):
        read_green_button(io.BytesIO(xml))
