"""Green Button read speed and memory: one year of 15-minute data (35,040 readings).

    /work/main/.venv/bin/python -P benchmarks/read_speed.py [--readings N]

Writes a synthetic ESPI feed (12 monthly IntervalBlocks, Pacific LocalTimeParameters) to a temp
dir, then times tariffc's streaming reader against a baseline that parses the whole tree with
`defusedxml.ElementTree.parse` and collects start/duration/value with `findall` (no linking,
no scaling, no model objects). Peak memory is measured in a separate run under tracemalloc.
Target: the tariffc read well under 1 s.
"""

from __future__ import annotations

import argparse
import tempfile
import time
import tracemalloc
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import defusedxml.ElementTree as safe_et

from tariffc.compiler.meterdata import read_green_button

ESPI = "http://naesb.org/espi"
LA = ZoneInfo("America/Los_Angeles")
TARGET_SECONDS = 1.0


def write_year(path: Path, readings: int) -> None:
    start = int(datetime(2024, 1, 1, tzinfo=LA).timestamp())
    meter = "/espi/1_1/resource/RetailCustomer/1/UsagePoint/1/MeterReading/1"
    with path.open("w", encoding="utf-8") as out:
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">\n')
        out.write(f'<entry><link rel="self" href="/espi/1_1/resource/RetailCustomer/1/UsagePoint/1"/>'
                  f'<link rel="related" href="/espi/1_1/resource/RetailCustomer/1/UsagePoint/1/MeterReading"/>'
                  f'<link rel="related" href="/espi/1_1/resource/LocalTimeParameters/1"/>'
                  f'<content><UsagePoint xmlns="{ESPI}"><ServiceCategory><kind>0</kind></ServiceCategory></UsagePoint>'
                  f'</content></entry>\n')
        out.write(f'<entry><link rel="self" href="/espi/1_1/resource/LocalTimeParameters/1"/><content>'
                  f'<LocalTimeParameters xmlns="{ESPI}"><dstEndRule>B40E2000</dstEndRule><dstOffset>3600</dstOffset>'
                  f'<dstStartRule>360E2000</dstStartRule><tzOffset>-28800</tzOffset></LocalTimeParameters>'
                  f'</content></entry>\n')
        out.write(f'<entry><link rel="self" href="{meter}"/><link rel="up" href="{meter.rsplit("/", 1)[0]}"/>'
                  f'<link rel="related" href="{meter}/IntervalBlock"/>'
                  f'<link rel="related" href="/espi/1_1/resource/ReadingType/1"/>'
                  f'<content><MeterReading xmlns="{ESPI}"/></content></entry>\n')
        out.write(f'<entry><link rel="self" href="/espi/1_1/resource/ReadingType/1"/><content>'
                  f'<ReadingType xmlns="{ESPI}"><commodity>1</commodity><flowDirection>1</flowDirection>'
                  f'<intervalLength>900</intervalLength><powerOfTenMultiplier>0</powerOfTenMultiplier>'
                  f'<uom>72</uom></ReadingType></content></entry>\n')
        per_block = -(-readings // 12)
        for block in range(12):
            first = block * per_block
            count = min(per_block, readings - first)
            if count <= 0:
                break
            out.write(f'<entry><link rel="self" href="{meter}/IntervalBlock/{block + 1}"/>'
                      f'<link rel="up" href="{meter}/IntervalBlock"/><content><IntervalBlock xmlns="{ESPI}">'
                      f'<interval><duration>{count * 900}</duration><start>{start + first * 900}</start></interval>\n')
            for i in range(first, first + count):
                out.write(f'<IntervalReading><timePeriod><duration>900</duration><start>{start + i * 900}</start>'
                          f'</timePeriod><value>{200 + (i * 37) % 400}</value></IntervalReading>\n')
            out.write("</IntervalBlock></content></entry>\n")
        out.write("</feed>\n")


def baseline_read(path: Path) -> list[tuple[int, int, int]]:
    root = safe_et.parse(path).getroot()
    tag = lambda name: f"{{{ESPI}}}{name}"  # noqa: E731
    return [(int(r.find(f"{tag('timePeriod')}/{tag('start')}").text),
             int(r.find(f"{tag('timePeriod')}/{tag('duration')}").text), int(r.find(tag("value")).text))
            for r in root.iter(tag("IntervalReading"))]


def tariffc_read(path: Path) -> int:
    return len(read_green_button(path).series())


def best_time(function, path: Path, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        function(path)
        best = min(best, time.perf_counter() - started)
    return best


def peak_memory(function, path: Path) -> int:
    tracemalloc.start()
    function(path)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--readings", type=int, default=35_040)
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "year_15min.xml"
        write_year(path, options.readings)
        assert tariffc_read(path) == options.readings == len(baseline_read(path))
        ours, base = best_time(tariffc_read, path, options.repeat), best_time(baseline_read, path, options.repeat)
        ours_peak, base_peak = peak_memory(tariffc_read, path), peak_memory(baseline_read, path)
        size = path.stat().st_size
    print(f"file: {options.readings:,} readings, {size / 1e6:.1f} MB")
    print(f"tariffc streaming reader : {ours:.3f} s  {options.readings / ours:>10,.0f} intervals/s  "
          f"peak {ours_peak / 1e6:6.1f} MB (tracemalloc)")
    print(f"baseline parse + findall : {base:.3f} s  {options.readings / base:>10,.0f} intervals/s  "
          f"peak {base_peak / 1e6:6.1f} MB (tracemalloc)")
    print(f"ratio tariffc / baseline : time x{ours / base:.2f}, peak memory x{ours_peak / base_peak:.2f}")
    verdict = "met" if ours < TARGET_SECONDS else "MISSED"
    print(f"target < {TARGET_SECONDS:.0f} s: {verdict}")
    return 0 if ours < TARGET_SECONDS else 1


if __name__ == "__main__":
    raise SystemExit(main())
