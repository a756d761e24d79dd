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


def test_calendar_months_reach_the_last_date():
    """compare --start/--end splits into calendar months; December 9999 has no next month's 1st
    (an internal error before): the last period ends at the end given."""
    from tariffc.compiler.compare.periods import BillPeriod, calendar_months

    periods = calendar_months(dt.date(9999, 11, 15), dt.date(9999, 12, 31))
    assert periods == (BillPeriod(dt.date(9999, 11, 15), dt.date(9999, 12, 1)),
                       BillPeriod(dt.date(9999, 12, 1), dt.date(9999, 12, 31)))


def test_compare_to_the_last_date_refuses_or_bills(tmp_path):
    from click.testing import CliRunner

    from tariffc.compiler.cli import main

    data = tmp_path / "july.csv"
    data.write_text("start,kwh\n" + "".join(f"2025-07-{d:02d} {h:02d}:00,0.5\n" for d in range(1, 32)
                                            for h in range(24)))
    result = CliRunner().invoke(main, ["compare", "E-1", "--intervals", str(data), "--start", "2025-07-01",
                                       "--end", "9999-12-31"])
    assert result.exit_code in (0, 1), result.output
    assert "internal error" not in result.output
    # July 2025: 744 h x 0.5 = 372 kWh, all within tier 1 (15 x 31 = 465 kWh):
    # 372 x 0.20570 + 5.15 = 81.6704 -> 81.67.
    assert "81.67" in result.output
