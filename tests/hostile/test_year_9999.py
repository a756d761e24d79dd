"""Bills at the end of the calendar (issue 14: December 9999 computed a holiday of year 10000): they
bill or refuse with BillInputError, by the compiled functions and by the reference interpreter."""

from __future__ import annotations

import datetime as dt

import pytest

from tariffc.compiler.api import Tariffs, make_inputs
from tariffc.compiler.interpret import interpret
from tariffc.compiler.runtime import BillInputError

START = dt.datetime(9999, 12, 1, 8, tzinfo=dt.timezone.utc)  # local midnight, PST
INTERVALS = [(START + dt.timedelta(minutes=15 * i), 900, "0.5") for i in range(4 * 24 * 29)]


@pytest.fixture(scope="module")
def tariffs(request):
    from pathlib import Path
    return Tariffs.load(Path(__file__).resolve().parents[2] / "schedules")


@pytest.mark.parametrize("schedule", ["E-1", "E-7-TOU", "E-4-TOU", "E-2"])
def test_december_9999_bills_with_interval_data(tariffs, schedule):
    try:
        bill = tariffs.bill(schedule, start="9999-12-01", end="9999-12-30", intervals=INTERVALS)
    except BillInputError:
        return
    # 29 days x 96 quarter hours x 0.5 kWh = 1392 kWh were billed, so the total is positive.
    assert sum(line.quantity for line in bill.lines if line.unit == "kWh") >= 1392
    reference = interpret(tariffs.schedule(schedule),
                          make_inputs(start="9999-12-01", end="9999-12-30", intervals=INTERVALS))
    assert reference.total == bill.total


@pytest.mark.parametrize("end", ["9999-12-31", "10000-01-01"])
def test_the_last_days_of_9999_bill_or_refuse(tariffs, end):
    try:
        tariffs.bill("E-1", start="9999-12-01", end=end, kwh=600)
    except BillInputError as exc:
        assert "end" in str(exc)
