"""Every reader's time is linear in its input: quadrupling the input must not multiply the time by
more than 8 (linear gives 4, quadratic 16). The process's own CPU time is measured, the minimum of five
runs, so other programs on a busy machine do not fail the test. One huge XML token (issue 14: a 20 MB attribute took quadratic time) is
measured by the bytes expat rescans, which is deterministic."""

from __future__ import annotations

import datetime as dt
import io
import time
from pathlib import Path

import pytest

from tariffc.compiler.meterdata import MeterDataError, read_csv_intervals
from tariffc.compiler.meterdata.espi_feed import read_feed
from tariffc.compiler.project import load

SCHEDULES = Path(__file__).resolve().parents[2] / "schedules"
BOUND = 8.0


def _best(work, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        started = time.process_time()  # CPU time: a shared machine's other programs don't count
        work()
        times.append(time.process_time() - started)
    return min(times)


def _ratio(make, small: int, factor: int = 4) -> float:
    little, big = make(small), make(factor * small)
    _best(lambda: None)
    return _best(lambda: big()) / _best(lambda: little())


class _CountingStream(io.BytesIO):
    """Records the size of every read the XML reader makes."""

    def __init__(self, data: bytes):
        super().__init__(data)
        self.reads: list[int] = []

    def read(self, size=-1):
        chunk = super().read(size)
        self.reads.append(len(chunk))
        return chunk


def _rescanned(kind: str, size: int) -> int:
    """Bytes expat scans for a document holding one token of `size` bytes: expat 2.5 rescans an
    unfinished token from its start on every feed, so each feed costs all bytes fed so far."""
    body = {"attribute": f'<x a="{"v" * size}"/>', "comment": f"<!-- {'c' * size} -->"}[kind]
    stream = _CountingStream(f'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom">{body}</feed>'.encode())
    try:
        read_feed(stream, "x.xml")
    except MeterDataError:
        pass
    fed, total = 0, 0
    for n in stream.reads:
        fed += n
        total += fed
    return total


@pytest.mark.parametrize("kind", ["attribute", "comment"])
def test_one_huge_xml_token_is_rescanned_in_linear_total(kind):
    """Deterministic: the bytes expat rescans grow like the token (4 MB → 16 MB: 4 times; the old
    fixed 16 KiB reads gave 16 times, 55 s for 50 MB)."""
    assert _rescanned(kind, 16_000_000) / _rescanned(kind, 4_000_000) < 6


def test_csv_reads_in_linear_time(tmp_path):
    def make(rows):
        path = tmp_path / f"m{rows}.csv"
        start = dt.datetime(2025, 3, 10)  # 8,000 quarter hours reach June: no DST change on the way
        lines = ["start,end,kwh"] + [
            f"{start + dt.timedelta(minutes=15 * i):%Y-%m-%d %H:%M},"
            f"{start + dt.timedelta(minutes=15 * i + 15):%Y-%m-%d %H:%M},0.25" for i in range(rows)]
        path.write_text("\n".join(lines) + "\n")
        return lambda: read_csv_intervals(path)
    assert _ratio(make, 2_000) < BOUND


def test_green_button_reads_in_linear_time(tmp_path):
    seed = (Path(__file__).resolve().parents[1] / "fuzz" / "seeds" / "espi_default_900s.xml").read_text()
    head, _, rest = seed.partition("<IntervalReading>")
    reading_block, _, tail = ("<IntervalReading>" + rest).rpartition("</IntervalReading>")
    one = reading_block.split("</IntervalReading>")[0] + "</IntervalReading>"

    def make(count):
        start = int(one.split("<start>")[1].split("<")[0])
        readings = "".join(one.replace(f"<start>{start}<", f"<start>{start + 900 * i}<") for i in range(count))
        path = tmp_path / f"g{count}.xml"
        path.write_text(head + readings + tail)
        from tariffc.compiler.meterdata import read_meter_data
        return lambda: read_meter_data(path)
    assert _ratio(make, 2_000) < BOUND


def test_tariff_check_is_linear_in_the_number_of_versions(tmp_path):
    text = (SCHEDULES / "electric" / "E-1.tariff").read_text()
    head = text[: text.index("version 2019-07-01")]
    version = text[text.index("version 2025-07-01"):]
    version = version.split("\nversion ")[0].replace("version 2025-07-01 supersedes 2024-07-01", "version {d}")

    def make(count):
        folder = tmp_path / f"v{count}"
        (folder / "calendars").mkdir(parents=True)
        (folder / "calendars" / "cpau.tariff").write_bytes((SCHEDULES / "calendars" / "cpau.tariff").read_bytes())
        body = "".join(version.format(d=dt.date(2030 + i // 12, i % 12 + 1, 1)) + "\n" for i in range(count))
        (folder / "E-1.tariff").write_text(head + body)
        return lambda: load([folder])
    assert _ratio(make, 15) < BOUND


def test_tariff_parse_is_linear_in_one_huge_comment(tmp_path):
    text = (SCHEDULES / "electric" / "E-1.tariff").read_text()

    def make(size):
        path = tmp_path / f"c{size}" / "E-1.tariff"
        path.parent.mkdir()
        path.write_text("# " + "x" * size + "\n" + text)
        return lambda: load([path])
    assert _ratio(make, 500_000) < BOUND


def _quarter_hours(rows: int):
    start = dt.datetime(2025, 3, 10)  # no DST change in the 32,000 quarter hours that follow
    return [start + dt.timedelta(minutes=15 * i) for i in range(rows)]


def test_opower_csv_reads_in_linear_time(tmp_path):
    def make(rows):
        path = tmp_path / f"o{rows}.csv"
        lines = ["TYPE,DATE,START TIME,END TIME,USAGE,UNITS,COST,NOTES"] + [
            f"Electric usage,{t:%Y-%m-%d},{t:%H:%M},{t + dt.timedelta(minutes=14):%H:%M},0.25,kWh,$0.05,"
            for t in _quarter_hours(rows)]
        path.write_text("\n".join(lines) + "\n")
        return lambda: read_csv_intervals(path)
    assert _ratio(make, 2_000) < BOUND


def test_sdge_csv_with_preamble_reads_in_linear_time(tmp_path):
    def make(rows):
        path = tmp_path / f"s{rows}.csv"
        lines = ['"Name : PAT DOE"', '"UOM: kWh"', "",
                 '"Meter Number","Date","Start Time","Duration","Consumed","Generated","Net"'] + [
            f'"00001","{t.month}/{t.day}/{t.year}","{t:%I:%M %p}","15","0.250","0.000","0.250"'
            for t in _quarter_hours(rows)]
        path.write_text("\n".join(lines) + "\n")
        return lambda: read_csv_intervals(path)
    assert _ratio(make, 2_000) < BOUND


def test_read_dates_file_reads_in_linear_time(tmp_path):
    from tariffc.compiler.compare.periods import parse_read_dates

    def make(count):
        path = tmp_path / f"r{count}.txt"
        days = [dt.date(1800, 1, 1) + dt.timedelta(days=i) for i in range(count)]
        path.write_text("# meter-read dates\n" + "\n".join(d.isoformat() for d in days) + "\n")
        return lambda: parse_read_dates(str(path))
    assert _ratio(make, 20_000) < BOUND  # 20,000 and 80,000 dates: long enough that timing noise is small
