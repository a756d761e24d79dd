"""Issue 13, kinds 1 and 2: a unit named anywhere in a CSV is honoured or refused by name (never read
as kWh when unknown), and utility exports with a preamble are read from their header row.

Bill values are worked by hand from the 2025-07-01 E-1 sheet (tier 1 0.20570 $/kWh up to the daily
allowance of 15 kWh for a one-day bill, tier 2 0.22944 $/kWh, customer charge 5.15 $/bill)."""

from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from tariffc.compiler.cli import main
from tariffc.compiler.meterdata import KWH, THERM, Direction, MeterDataError
from tariffc.compiler.meterdata.csvfile import read_csv_text
from tariffc.compiler.meterdata.units import UnitError, meter_unit

ROOT = Path(__file__).resolve().parents[2]
SCHEDULES = str(ROOT / "schedules")
UTC = timezone.utc


def hourly(header: str, value: str, day: str = "2025-07-15") -> str:
    return header + "\n" + "".join(f"{day} {h:02d}:00,{value}\n" for h in range(24))


# -- kind 1: units ----------------------------------------------------------------------------------

def test_wh_header_bills_48_kwh_not_48000(tmp_path):
    path = tmp_path / "wh.csv"
    path.write_text(hourly("start,usage (Wh)", "2000"))
    series = read_csv_text(path.read_text(), name="wh.csv")
    assert series.total() == Decimal(48)  # 24 x 2000 Wh = 48,000 Wh = 48 kWh
    assert any("Wh -> kWh (x 0.001)" in w for w in series.warnings)
    result = CliRunner().invoke(main, ["bill", "E-1", "--start", "2025-07-15", "--end", "2025-07-16",
                                       "--intervals", str(path), "--schedules", SCHEDULES])
    assert result.exit_code == 0, result.output
    # 15 x 0.20570 + 33 x 0.22944 + 5.15 = 3.0855 + 7.57152 + 5.15 = 15.80702 -> $15.81
    assert "$15.81" in result.output


@pytest.mark.parametrize(("header", "value", "kwh_each"), [
    ("start,kwh", "2", Decimal(2)),
    ("start,Wh", "2000", Decimal(2)),
    ("start,energy (MWh)", "0.002", Decimal(2)),
    ("start,usage [kWh]", "2", Decimal(2)),
    ("start,demand (kW)", "2", Decimal(2)),  # 2 kW average for 1 h = 2 kWh
    ("start,power (W)", "500", Decimal("0.5")),  # 500 W for 1 h = 0.5 kWh
    ("start,load (MW)", "0.003", Decimal(3)),  # 0.003 MW = 3 kW for 1 h = 3 kWh
])
def test_energy_and_power_units(header, value, kwh_each):
    series = read_csv_text(hourly(header, value))
    assert series.units == {KWH}
    assert {r.value for r in series.readings} == {kwh_each}


def test_average_power_over_15_minutes():
    text = "start,kW\n2025-07-15 00:00,8\n2025-07-15 00:15,4\n2025-07-15 00:30,6\n"
    series = read_csv_text(text)
    # kWh = kW x 0.25 h: 8 -> 2, 4 -> 1, 6 -> 1.5
    assert [r.value for r in series.readings] == [Decimal(2), Decimal(1), Decimal("1.5")]


def test_average_power_needs_an_exact_interval_in_hours():
    text = "start,end,kW\n2025-07-15 00:00,2025-07-15 00:07,6\n"  # 7 min = 0.11666... h
    with pytest.raises(MeterDataError, match=r"<text>:2: kW is an average power; an interval of 420 s"):
        read_csv_text(text)


@pytest.mark.parametrize(("unit", "value", "therms"), [
    ("therms", "3", Decimal(3)),
    ("Dth", "0.3", Decimal(3)),  # 1 dekatherm = 10 therms
    ("MMBtu", "0.3", Decimal(3)),  # 1 MMBtu = 1,000,000 Btu = 10 therms
    ("kBtu", "300", Decimal(3)),  # 1 therm = 100 kBtu
])
def test_gas_units_by_definition(unit, value, therms):
    text = f"start,end,usage,units\n2025-06-02,2025-07-02,{value},{unit}\n"
    series = read_csv_text(text)
    assert series.units == {THERM} and series.service == "gas"
    assert series.readings[0].value == therms


@pytest.mark.parametrize("unit", ["CCF", "HCF", "m³", "m3", "cubic feet"])
def test_gas_volumes_refused_by_name(unit):
    text = f"start,end,usage,units\n2025-06-02,2025-07-02,30,{unit}\n"
    with pytest.raises(MeterDataError, match=rf"<text>:2: column 'units': unit '{unit}' is a gas volume"):
        read_csv_text(text)


def test_unknown_unit_in_header_is_refused_never_kwh():
    with pytest.raises(MeterDataError, match=r"<text>:1: column 'usage \(furlongs\)': unit 'furlongs' is not one "
                                             r"tariffc knows.*not assumed to be kWh"):
        read_csv_text(hourly("start,usage (furlongs)", "1"))
    with pytest.raises(MeterDataError, match=r"unit 'kVArh' is reactive"):
        read_csv_text("start,usage,unit\n2025-07-15 00:00,1,kVArh\n2025-07-15 01:00,1,kVArh\n")


def test_unit_words_parse():
    assert meter_unit("kilowatt hours").unit == KWH and meter_unit("Watt-hours").factor == Decimal("0.001")
    with pytest.raises(UnitError):
        meter_unit("kWhh")


def test_a_file_naming_no_unit_is_read_as_kwh_with_a_warning():
    series = read_csv_text(hourly("start,usage", "1"))
    assert series.total() == 24
    assert any("names no unit" in w and "read as kWh" in w for w in series.warnings)


# -- kind 2: exports with a preamble ----------------------------------------------------------------

SDGE = '''"Name : PAT DOE"
"Address : 100 MAIN ST, SAN DIEGO CA 92101"
"Account Number : 1234"
"Service Type: Electric"
"UOM: kWh"

"Meter Number","Date","Start Time","Duration","Consumed","Generated","Net"
"00001","7/15/2025","12:00 AM","15","0.250","0.000","0.250"
"00001","7/15/2025","12:15 AM","15","0.500","0.000","0.500"
"00001","7/15/2025","12:30 PM","15","0.100","0.400","-0.300"
'''


def test_sdge_style_export_with_preamble():
    series = read_csv_text(SDGE, name="sdge.csv")
    delivered = series.of(Direction.DELIVERED)
    # 12:00 AM and 12:15 AM are 00:00 and 00:15 PDT (07:00, 07:15 UTC); 12:30 PM is 12:30 PDT (19:30 UTC)
    assert [r.start for r in delivered] == [datetime(2025, 7, 15, 7, tzinfo=UTC),
                                            datetime(2025, 7, 15, 7, 15, tzinfo=UTC),
                                            datetime(2025, 7, 15, 19, 30, tzinfo=UTC)]
    assert {r.duration for r in series.readings} == {900}  # Duration 15 (minutes)
    assert series.total(Direction.DELIVERED) == Decimal("0.850")  # Consumed: 0.25 + 0.5 + 0.1
    assert series.total(Direction.RECEIVED) == Decimal("0.400")  # Generated
    assert [r.line for r in delivered] == [8, 9, 10]
    assert any("skipped 6 line(s) above the header on line 7" in w for w in series.warnings)


def test_preamble_unit_is_honoured():
    text = '"UOM: Wh"\n\n"Date","Start Time","Duration","Consumed"\n"7/15/2025","1:00 PM","60","1500"\n'
    series = read_csv_text(text)
    assert series.readings[0].value == Decimal("1.5") and series.readings[0].duration == 3600


def test_net_only_column_splits_into_delivered_and_received():
    text = "Date,Start Time,Duration,Net\n7/15/2025,12:00 AM,15,0.25\n7/15/2025,12:15 AM,15,-0.75\n"
    series = read_csv_text(text)
    # net = delivered - received per interval: 0.25 -> 0.25 delivered; -0.75 -> 0.75 received
    assert series.total(Direction.DELIVERED) == Decimal("0.25")
    assert series.total(Direction.RECEIVED) == Decimal("0.75")


def test_header_without_a_usage_column_names_line_and_columns():
    text = '"Name : PAT"\n\n"Meter Number","Date","Start Time","Duration","Verbrauch"\n"1","7/15/2025","12:00 AM","15","1"\n'
    with pytest.raises(MeterDataError) as caught:
        read_csv_text(text, name="x.csv")
    message = str(caught.value)
    assert message.startswith("x.csv:3: bad header: line 3 names start 'Date', time 'Start Time', duration 'Duration'")
    assert "columns not understood: 'Meter Number', 'Verbrauch'" in message


def test_bad_cell_names_line_and_column():
    text = SDGE.replace('"12:15 AM"', '"12:75 AM"')
    with pytest.raises(MeterDataError, match=r"sdge.csv:9: column 'Start Time': '12:75 AM' is not a time of day"):
        read_csv_text(text, name="sdge.csv")
    text = SDGE.replace('"0.500"', '"0,5"')
    with pytest.raises(MeterDataError, match=r"sdge.csv:9: column 'Consumed': '0,5' is not a number"):
        read_csv_text(text, name="sdge.csv")
