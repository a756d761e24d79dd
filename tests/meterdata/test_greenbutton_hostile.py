"""Hostile and broken Green Button input (all synthetic: no sample has a DOCTYPE or entities).

Each case must raise MeterDataError with a message that says what is wrong, and never return a
half-read series.
"""

from __future__ import annotations

import io
import time
import tracemalloc

import pytest

from tariffc.compiler.meterdata import MeterDataError, read_green_button, read_meter_data

ATOM_FEED = '<feed xmlns="http://www.w3.org/2005/Atom">'
POINT = "/espi/UsagePoint/1"
METER = f"{POINT}/MeterReading/1"
T0 = 1704096000

BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE feed [\n <!ENTITY lol "lol">\n'
    + "".join(f' <!ENTITY lol{i} "{("&lol%s;" % ("" if i == 1 else i - 1)) * 10}">\n' for i in range(1, 10))
    + f"]>\n{ATOM_FEED}<title>&lol9;</title></feed>"
).encode()


def read(data: bytes):
    return read_green_button(io.BytesIO(data))


def test_billion_laughs_refused_without_expanding():
    tracemalloc.start()
    started = time.perf_counter()
    with pytest.raises(MeterDataError, match=r"refused: the XML declares entity 'lol'.*nothing was expanded"):
        read(BILLION_LAUGHS)
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert elapsed < 1 and peak < 5_000_000  # 10^9 "lol"s would be gigabytes


def test_external_entity_refused(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET")
    xml = (f'<?xml version="1.0"?><!DOCTYPE feed [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>'
           f"{ATOM_FEED}<title>&xxe;</title></feed>").encode()
    with pytest.raises(MeterDataError, match="refused: the XML declares entity 'xxe'") as caught:
        read(xml)
    assert "TOP SECRET" not in str(caught.value)


def test_parameter_entity_refused():
    xml = (f'<?xml version="1.0"?><!DOCTYPE feed [<!ENTITY % p SYSTEM "http://example.invalid/p.dtd"> %p;]>'
           f"{ATOM_FEED}</feed>").encode()
    with pytest.raises(MeterDataError, match="declares entity 'p'"):
        read(xml)


def test_external_dtd_refused_and_not_fetched():
    xml = f'<?xml version="1.0"?><!DOCTYPE feed SYSTEM "http://example.invalid/feed.dtd">{ATOM_FEED}</feed>'.encode()
    with pytest.raises(MeterDataError, match=r"external resource \(http://example.invalid/feed.dtd\).*nothing was fetched"):
        read(xml)


def test_truncated_file(samples):
    data = (samples / "test_usage_data_01.xml").read_bytes()
    with pytest.raises(MeterDataError, match=r"the file is truncated \(.* at line \d+, column \d+\)") as caught:
        read(data[: len(data) // 2])
    assert caught.value.line is not None


def test_empty_and_non_xml():
    with pytest.raises(MeterDataError, match="empty file"):
        read(b"")
    with pytest.raises(MeterDataError, match="malformed XML"):
        read(b"start,kwh\n2024-01-01 00:00,1\n")


def test_not_green_button():
    with pytest.raises(MeterDataError, match=r"not a Green Button file: the root element is <html>"):
        read(b"<html><body>hello</body></html>")
    with pytest.raises(MeterDataError, match=r"not a Green Button file: an Atom feed with 1 entries but no ESPI"):
        read(f"{ATOM_FEED}<entry><title>blog post</title></entry></feed>".encode())


def test_feed_without_interval_data(gb):
    xml = gb.feed(gb.usage_point(POINT), gb.reading_type("/rt/1", uom=72, flow=1), gb.meter_reading(METER, "/rt/1"))
    with pytest.raises(MeterDataError, match=r"no interval data: the feed has 1 MeterReading, 1 ReadingType, "
                                             r"1 UsagePoint but no IntervalReading"):
        read(xml)


def test_meter_reading_without_reading_type_link(gb):
    meter = gb.entry(gb.espi("MeterReading"), self_href=METER, up=f"{POINT}/MeterReading")
    xml = gb.feed(gb.usage_point(POINT), gb.reading_type("/rt/1", uom=72), meter,
                  gb.interval_block(METER, 1, [(T0, 900, 1)]))
    with pytest.raises(MeterDataError, match="no related link to a ReadingType") as caught:
        read(xml)
    assert METER in str(caught.value)


def test_reading_type_missing_from_file(gb):
    xml = gb.feed(gb.usage_point(POINT), gb.reading_type("/rt/OTHER", uom=72), gb.meter_reading(METER, "/rt/ReadingType/9"),
                  gb.interval_block(METER, 1, [(T0, 900, 1)]))
    with pytest.raises(MeterDataError, match=r"ReadingType /rt/ReadingType/9 is not in this file"):
        read(xml)


def test_orphan_interval_block(gb):
    xml = gb.feed(gb.usage_point(POINT), gb.reading_type("/rt/1", uom=72), gb.meter_reading(METER, "/rt/1"),
                  gb.interval_block("/elsewhere/MeterReading/7", 1, [(T0, 900, 1)]))
    with pytest.raises(MeterDataError, match="linked to no MeterReading") as caught:
        read(xml)
    assert "/elsewhere/MeterReading/7/IntervalBlock/1" in str(caught.value)


@pytest.mark.parametrize("reading, message", [
    ((T0, 900, "abc"), r"value 'abc' is not a number"),
    (("soon", 900, 1), r"timePeriod/start 'soon' is not an integer"),
    ((T0, 0, 1), r"timePeriod/duration 0 is not positive"),
    ((T0, 900, "NaN"), r"value 'NaN' is not a number"),
])
def test_bad_reading_values_name_the_element(gb, reading, message):
    xml = gb.feed(gb.usage_point(POINT), gb.reading_type("/rt/1", uom=72), gb.meter_reading(METER, "/rt/1"),
                  gb.interval_block(METER, 1, [(T0 - 900, 900, 1), reading]))
    with pytest.raises(MeterDataError, match=message) as caught:
        read(xml)
    assert caught.value.element == "IntervalReading 2 of IntervalBlock 1 in entry 4"


def test_reading_without_value(gb):
    block = gb.espi("IntervalBlock", gb.espi("IntervalReading", gb.espi("timePeriod", gb.espi("duration", 900),
                                                                          gb.espi("start", T0))))
    entry = gb.entry(block, self_href=f"{METER}/IntervalBlock/1", up=f"{METER}/IntervalBlock")
    xml = gb.feed(gb.usage_point(POINT), gb.reading_type("/rt/1", uom=72), gb.meter_reading(METER, "/rt/1"), entry)
    with pytest.raises(MeterDataError, match="IntervalReading has no value"):
        read(xml)


def test_unsupported_flow_direction_refused(gb):
    xml = gb.feed(gb.usage_point(POINT), gb.reading_type("/rt/net", uom=72, flow=4), gb.meter_reading(METER, "/rt/net"),
                  gb.interval_block(METER, 1, [(T0, 900, -5)]))
    with pytest.raises(MeterDataError, match=r"flowDirection 4 is not supported \(1 delivered, 19 received\)"):
        read(xml)


def test_missing_uom_refused(gb):
    xml = gb.feed(gb.usage_point(POINT), gb.reading_type("/rt/1", flow=1), gb.meter_reading(METER, "/rt/1"),
                  gb.interval_block(METER, 1, [(T0, 900, 5)]))
    with pytest.raises(MeterDataError, match="ReadingType has no uom"):
        read(xml)


def test_missing_file_and_dispatch(tmp_path):
    with pytest.raises(MeterDataError, match="cannot read the file"):
        read_green_button(tmp_path / "absent.xml")
    with pytest.raises(MeterDataError, match="cannot read the file"):
        read_meter_data(tmp_path / "absent.csv")


def test_error_message_carries_file_name(write, gb):
    path = write("broken.xml", b"<feed")
    with pytest.raises(MeterDataError) as caught:
        read_green_button(path)
    assert str(caught.value).startswith(f"{path}:1: ")
