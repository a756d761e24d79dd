"""Meter data readers: Green Button (ESPI XML) and CSV interval files -> IntervalSeries.

Public API (what bill and compare code call):
    read_meter_data(path, *, layout=None, interval=None, service=None, clock=None) -> IntervalSeries
    read_green_button(source) -> GreenButtonData          # every UsagePoint, ReadingType, block
    read_csv_intervals(source, *, layout=None, interval=None) -> IntervalSeries
    quality_report(series) -> QualityReport               # .render(), .as_dict()
    period_reads(series) -> tuple[PeriodRead, ...]        # billing-period reads as local dates
Every reader returns a complete series or raises MeterDataError.
"""

from __future__ import annotations

import os
from datetime import timedelta

from tariffc.compiler.inpaths import open_input
from tariffc.compiler.meterdata.billing_periods import PeriodRead, period_reads
from tariffc.compiler.meterdata.csv_layouts import NAMED_LAYOUTS, CsvLayout
from tariffc.compiler.meterdata.clock import CLOCKS, Clock
from tariffc.compiler.meterdata.csvfile import LONGEST_READ_DAYS, read_csv_intervals
from tariffc.compiler.meterdata.errors import MeterDataError
from tariffc.compiler.meterdata.greenbutton import GreenButtonData, read_green_button
from tariffc.compiler.meterdata.localtime import LOCAL_TZ, LOCAL_TZ_NAME
from tariffc.compiler.meterdata.model import KWH, THERM, Direction, IntervalReading, IntervalSeries
from tariffc.compiler.meterdata.quality import QualityReport, quality_report

__all__ = [
    "CLOCKS", "KWH", "LONGEST_READ_DAYS", "Clock", "LOCAL_TZ", "LOCAL_TZ_NAME", "NAMED_LAYOUTS", "THERM", "CsvLayout", "Direction", "GreenButtonData",
    "IntervalReading", "IntervalSeries", "MeterDataError", "PeriodRead", "QualityReport", "period_reads",
    "quality_report", "read_csv_intervals", "read_green_button", "read_meter_data",
]


def read_meter_data(
    path: str | os.PathLike,
    *,
    layout: str | CsvLayout | None = None,
    interval: timedelta | None = None,
    service: str | None = None,
    clock: str | Clock | None = None,
    longest_read_days: int = LONGEST_READ_DAYS,
    usage_point: str | None = None,
) -> IntervalSeries:
    """Read a Green Button XML or CSV interval file, told apart by its first non-blank byte.

    `clock` ("local", "standard", "utc") says which clock a CSV's naive times are in (Green Button
    times are UTC instants: only "local", the default, is accepted for XML); `longest_read_days`
    bounds a CSV read's length (the billing rule's maximum period); `usage_point` (an href or title)
    chooses one UsagePoint of a Green Button file that has several. Raises MeterDataError."""
    name = os.fspath(path)
    try:
        with open_input(path) as stream:
            head = stream.read(512).lstrip(b"\xef\xbb\xbf \t\r\n")
    except OSError as error:
        raise MeterDataError(f"cannot read the file: {error.strerror}", file=name) from None
    if head.startswith(b"<"):
        if layout is not None or interval is not None:
            raise MeterDataError("layout= and interval= apply to CSV files; this is XML", file=name)
        if clock not in (None, "local", Clock.LOCAL):
            raise MeterDataError("clock= applies to CSV files; Green Button times are UTC instants", file=name)
        return read_green_button(path).series(service, usage_point)
    if usage_point is not None:
        raise MeterDataError("usage_point= applies to Green Button files; this is CSV", file=name)
    return read_csv_intervals(path, layout=layout, interval=interval, clock=clock,
                              longest_read_days=longest_read_days)
