"""Reading a meter-data file for a command: Green Button or CSV told apart by the first bytes, with a
progress bar on stderr for long reads at a terminal (`inspect`, `compare`)."""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

import click

from tariffc.compiler.inpaths import open_input
from tariffc.compiler.meterdata import (
    CLOCKS,
    LONGEST_READ_DAYS,
    IntervalSeries,
    MeterDataError,
    read_csv_intervals,
    read_green_button,
)

PROGRESS_DELAY = 0.5  # seconds before a progress bar appears: quick files never show one


def clock_option():
    """`--clock local|standard|utc`: the clock a CSV's times are written in (docs/meter-data.md)."""
    return click.option("--clock", type=click.Choice(list(CLOCKS)), default="local", show_default=True,
                        help="Clock of the CSV's times: local wall time with DST, local standard time all year "
                             "(8,760-hour profiles), or UTC.")


def usage_point_option():
    """`--usage-point HREF|TITLE`: the UsagePoint of a Green Button file that has several."""
    return click.option("--usage-point", "usage_point", default=None, metavar="HREF|TITLE",
                        help="Green Button file with several UsagePoints: the one to read, by its href "
                             "or title (the refusal lists them).")


def read_with_progress(path: Path, *, layout: str | None = None, service: str | None = None,
                       clock: str | None = None, longest_read_days: int = LONGEST_READ_DAYS,
                       usage_point: str | None = None) -> IntervalSeries:
    """Read a Green Button or CSV file (told apart like `read_meter_data`), with a progress bar on
    stderr when stdout is a terminal and the read takes longer than PROGRESS_DELAY."""
    name = os.fspath(path)
    try:
        stream = open_input(path)
        size = os.fstat(stream.fileno()).st_size
    except OSError as error:
        raise MeterDataError(f"cannot read the file: {error.strerror}", file=name) from None
    with stream:
        head = stream.read(512).lstrip(b"\xef\xbb\xbf \t\r\n")
        stream.seek(0)
        show = _interactive()
        from tqdm import tqdm

        with tqdm(total=size, unit="B", unit_scale=True, desc=Path(name).name, leave=False, disable=not show,
                  delay=PROGRESS_DELAY) as bar:
            wrapped = _Counting(stream, bar.update)
            if head.startswith(b"<"):
                if layout is not None:
                    raise MeterDataError("--csv-layout applies to CSV files; this is XML", file=name)
                if clock not in (None, "local"):
                    raise MeterDataError("--clock applies to CSV files; Green Button times are UTC instants",
                                         file=name)
                return read_green_button(wrapped).series(service, usage_point)
            if usage_point is not None:
                raise MeterDataError("--usage-point applies to Green Button files; this is CSV", file=name)
            text = io.TextIOWrapper(io.BufferedReader(wrapped), encoding="utf-8-sig", newline="")
            try:
                return read_csv_intervals(text, layout=layout, clock=clock, longest_read_days=longest_read_days)
            except UnicodeDecodeError as error:
                raise MeterDataError(f"not UTF-8 text ({error.reason} at byte {error.start})", file=name) from None


def _interactive() -> bool:
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


class _Counting(io.RawIOBase):
    """A read-only binary stream that reports the bytes read (for the progress bar)."""

    def __init__(self, inner, report):
        self._inner, self._report = inner, report
        self.name = inner.name

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        count = self._inner.readinto(buffer)
        if count:
            self._report(count)
        return count

    def read(self, size: int = -1) -> bytes:
        data = self._inner.read(size)
        if data:
            self._report(len(data))
        return data
