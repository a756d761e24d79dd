"""The meter readers' `IntervalSeries` as the arrays the vector path takes (no per-interval objects
after this point): delivered readings on a regular grid → (start epoch seconds, interval seconds,
Wh int64)."""

from __future__ import annotations

from decimal import Decimal

import numpy as np

from tariffc.compiler.vector._scalar import BillInputError


def series_arrays(series) -> tuple[int, int, np.ndarray]:
    """(start, seconds, wh) of the delivered kWh readings of `series`.

    Refuses (BillInputError, field `intervals`): a series with no delivered kWh readings, readings
    of different lengths, gaps or repeats (the grid must be regular), and a reading that is not a
    whole number of Wh (the vector path is exact in Wh; bill such data with the scalar path)."""
    from tariffc.compiler.meterdata.model import KWH, Direction  # noqa: PLC0415

    readings = [r for r in series.readings if r.direction is Direction.DELIVERED]
    if not readings or any(r.unit != KWH for r in readings):
        raise BillInputError("intervals", series.source, "expected delivered kWh readings")
    seconds = readings[0].duration
    start = int(readings[0].start.timestamp())
    starts = np.fromiter((int(r.start.timestamp()) for r in readings), dtype=np.int64, count=len(readings))
    if any(r.duration != seconds for r in readings) or \
            not np.array_equal(starts, start + seconds * np.arange(len(readings), dtype=np.int64)):
        raise BillInputError("intervals", series.source, "the readings are not on one regular grid (gaps, repeats "
                                                         "or mixed lengths); use the scalar path")
    wh = np.empty(len(readings), dtype=np.int64)
    thousand = Decimal(1000)
    for i, r in enumerate(readings):
        value = r.value * thousand
        if value != value.to_integral_value():
            raise BillInputError("intervals", f"{r.value} kWh at {r.start.isoformat()}",
                                 "not a whole number of Wh; the vector path is exact in Wh")
        wh[i] = int(value)
    return start, seconds, wh
