"""`tariffc compare` and `tariffc inspect` on bad input: a clear message on stderr, exit 1, no
traceback, and nothing billed (no table on stdout). Every file here is SYNTHETIC except the
truncated copy of the Coastal sample."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from tariffc.compiler.cli import main

REPO = Path(__file__).resolve().parents[2]
ATOM_FEED = '<feed xmlns="http://www.w3.org/2005/Atom">'
POINT = "/espi/UsagePoint/1"
METER = f"{POINT}/MeterReading/1"
T0 = 1735718400  # 2025-01-01T08:00Z = local midnight

BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE feed [\n <!ENTITY lol "lol">\n'
    + "".join(f' <!ENTITY lol{i} "{("&lol%s;" % ("" if i == 1 else i - 1)) * 10}">\n' for i in range(1, 10))
    + f"]>\n{ATOM_FEED}<title>&lol9;</title></feed>"
)


def both(path: Path):
    """Run compare and inspect on the file; yield (command, result)."""
    runner = CliRunner()
    compare = runner.invoke(main, ["compare", "--schedules-dir", str(REPO / "schedules"), "--intervals", str(path),
                                   "--schedules", "E-1,E-2"])
    inspect = runner.invoke(main, ["inspect", str(path), "--schedules-dir", str(REPO / "schedules")])
    return compare, inspect


def assert_refused(result, message: str, command: str = "compare"):
    assert result.exit_code == 1, result.output
    assert f"tariffc {command}: " in result.stderr and message in result.stderr, result.stderr
    assert "Traceback" not in result.output and "internal error" not in result.output
    assert "Rate options" not in result.stdout and "Meter data quality" not in result.stdout


def hourly_feed(gb, values, seconds=3600, uom=72, starts=None):
    starts = starts or [T0 + seconds * i for i in range(len(values))]
    durations = seconds if isinstance(seconds, list) else [seconds] * len(values)
    return gb.feed(gb.usage_point(POINT), gb.local_time(),
                   gb.reading_type("/rt/1", uom=uom, flow=1), gb.meter_reading(METER, "/rt/1"),
                   gb.interval_block(METER, 1, list(zip(starts, durations, values))))


def test_xml_bomb(write):
    compare, inspect = both(write("bomb.xml", BILLION_LAUGHS))
    for command, result in (("compare", compare), ("inspect", inspect)):
        assert_refused(result, "bomb.xml: refused: the XML declares entity 'lol'", command)


def test_external_entity(write, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET")
    xml = (f'<?xml version="1.0"?><!DOCTYPE feed [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>'
           f"{ATOM_FEED}<title>&xxe;</title></feed>")
    compare, inspect = both(write("xxe.xml", xml))
    assert_refused(compare, "refused: the XML declares entity 'xxe'")
    assert_refused(inspect, "refused: the XML declares entity 'xxe'", "inspect")
    assert "TOP SECRET" not in compare.output + inspect.output


def test_truncated_xml(samples, write):
    data = (samples / "Coastal_Multi_Family_Jan_1_2011_to_Jan_1_2012_RetailCustomer_5.xml").read_bytes()
    compare, inspect = both(write("cut.xml", data[: len(data) * 2 // 3]))
    assert_refused(compare, "the file is truncated")
    assert_refused(inspect, "the file is truncated", "inspect")


def test_not_green_button(write):
    compare, _ = both(write("blog.xml", f"{ATOM_FEED}<entry><title>blog post</title></entry></feed>"))
    assert_refused(compare, "not a Green Button file: an Atom feed with 1 entries but no ESPI")
    compare, _ = both(write("page.xml", "<html><body>hello</body></html>"))
    assert_refused(compare, "not a Green Button file: the root element is <html>")


def test_no_interval_data(write, gb):
    xml = gb.feed(gb.usage_point(POINT), gb.reading_type("/rt/1", uom=72, flow=1), gb.meter_reading(METER, "/rt/1"))
    compare, inspect = both(write("empty.xml", xml))
    assert_refused(compare, "no interval data: the feed has 1 MeterReading")
    assert_refused(inspect, "no interval data", "inspect")


def test_mixed_interval_lengths(write, gb):
    starts = [T0 + 3600 * i for i in range(48)] + [T0 + 48 * 3600 + 900 * i for i in range(8)]
    xml = hourly_feed(gb, [500] * 56, seconds=[3600] * 48 + [900] * 8, starts=starts)
    path = write("mixed.xml", xml)
    compare, inspect = both(path)
    assert_refused(compare, "mixed interval lengths (8 x 15 min, 48 x 60 min); bills need one interval length")
    assert inspect.exit_code == 0 and "(MIXED)" in inspect.stdout  # inspect reports it, that is its job


def test_therms_for_an_electric_schedule(write):
    rows = "".join(f"2025-01-{1 + h // 24:02d} {h % 24:02d}:00,0.5\n" for h in range(24 * 62 // 2))
    compare, _ = both(write("gas.csv", "start,therms\n" + rows))
    assert_refused(compare, "the readings are in therm (gas); E-1 is an electric schedule billed in kWh: bill these readings on a gas schedule")


def test_csv_bad_header(write):
    compare, inspect = both(write("bad.csv", "when,how much\n2025-01-01 00:00,1\n"))
    assert_refused(compare, "bad.csv")
    assert_refused(inspect, "bad.csv", "inspect")


def test_csv_bad_number(write):
    compare, inspect = both(write("num.csv", "start,kwh\n2025-01-01 00:00,1\n2025-01-01 01:00,1,5x\n2025-01-01 02:00,1O\n"))
    assert_refused(compare, "num.csv:")
    assert_refused(inspect, "num.csv:", "inspect")
    assert "1O" in compare.stderr or "1,5x" in compare.stderr


def test_csv_nonexistent_local_time(write):
    text = "start,kwh\n" + "".join(f"2025-03-09 {h:02d}:30,1\n" for h in range(0, 5))
    compare, inspect = both(write("dst.csv", text))
    assert_refused(compare, "dst.csv:4:")
    assert "2025-03-09 02:30" in compare.stderr
    assert_refused(inspect, "dst.csv:4:", "inspect")


def test_negative_readings_refused(write):
    rows = "".join(f"2025-01-{1 + h // 24:02d} {h % 24:02d}:00,{'-1' if h == 5 else '1'}\n" for h in range(48))
    compare, _ = both(write("neg.csv", "start,kwh\n" + rows))
    assert_refused(compare, "1 negative readings, the first -1 kWh at 2025-01-01 05:00 PST")


def test_duplicate_readings_refused(write):
    rows = "".join(f"2025-01-{1 + h // 24:02d} {h % 24:02d}:00,1\n" for h in range(48))
    compare, inspect = both(write("dup.csv", "start,kwh\n" + rows + "2025-01-01 05:00,1\n"))
    assert_refused(compare, "1 readings start before the previous one ends (duplicates or overlaps), the first at "
                            "2025-01-01 05:00 PST")
    assert inspect.exit_code == 0 and "duplicates: 1" in inspect.stdout


def test_missing_file_and_bad_usage(tmp_path):
    compare, inspect = both(tmp_path / "nope.xml")
    assert_refused(compare, "nope.xml: cannot read the file")
    assert_refused(inspect, "nope.xml: cannot read the file", "inspect")
    runner = CliRunner()
    result = runner.invoke(main, ["compare", "--intervals", str(tmp_path / "x.xml"), "--schedules", "E-1",
                                  "--plot", str(tmp_path / "chart.pdf")])
    assert result.exit_code == 2 and "the chart is written as .svg or .png" in result.stderr
    result = runner.invoke(main, ["compare", "--intervals", str(tmp_path / "x.xml"), "--schedules", "E-1+E-2"])
    assert result.exit_code == 2 and "only E-EEC-1 or E-NSE-1 may follow '+'" in result.stderr


@pytest.mark.parametrize("args, message", [
    (["--read-dates", "2025-01-01"], "need at least two dates"),
    (["--start", "2025-13-01"], "--start '2025-13-01' is not a date"),
    (["--read-dates", "2025-01-01,2025-02-01", "--start", "2025-01-01"], "not both"),
    (["--set", "colour"], "write NAME=VALUE"),
    (["--set", "colour=red"], "input 'colour' is declared by none of the schedules compared"),
    (["--schedules", "E-99"], "unknown schedule 'E-99'"),
])
def test_usage_errors_exit_2(write, gb, args, message):
    path = write("ok.xml", hourly_feed(gb, [500] * 48))
    base = ["compare", "--schedules-dir", str(REPO / "schedules"), "--intervals", str(path)]
    if "--schedules" not in args:
        base += ["--schedules", "E-1"]
    result = CliRunner().invoke(main, base + args)
    assert result.exit_code == 2, result.output
    assert message in result.stderr
