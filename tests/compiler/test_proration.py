"""Proration across a season or version change is one declared rule (calendar `prorate ... by ...`):
TOU energy interval by interval at its timestamp, everything else by days; a bill that needs an
undeclared rule is refused by every backend; a wrong pairing is T309."""

from __future__ import annotations

import datetime as dt
import shutil
from fractions import Fraction
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tariffc.compiler.api import Tariffs, make_inputs
from tariffc.compiler.interpret import interpret
from tariffc.compiler.project import load
from tariffc.compiler.runtime import BillInputError

ROOT = Path(__file__).resolve().parents[2]
TZ = ZoneInfo("America/Los_Angeles")
DECLARATION = "    prorate intervals by timestamp"


def flat_intervals(start: dt.date, end: dt.date, kwh: str = "0.25"):
    t = dt.datetime.combine(start, dt.time(0), tzinfo=TZ).astimezone(dt.timezone.utc)
    stop = dt.datetime.combine(end, dt.time(0), tzinfo=TZ).astimezone(dt.timezone.utc)
    out = []
    while t < stop:
        out.append((t, 900, kwh))
        t += dt.timedelta(minutes=15)
    return out


def test_tou_energy_across_oct31_nov1_by_timestamp():
    """E-4-TOU 2025-10-30 to 2025-11-02, a flat 1 kW: Thu and Fri Oct 30-31 are summer weekdays
    (2025-07-01 sheet D.2: peak 4-9 p.m.: 5 h, mid-peak 2-4 p.m. and 9-11 p.m.: 4 h, off-peak the
    other 15 h, each day); Sat Nov 1 is a winter weekend day, all off-peak (24 h). Each interval
    goes to its own season."""
    tariffs = Tariffs.load(ROOT / "schedules")
    bill = tariffs.bill("E-4-TOU", start="2025-10-30", end="2025-11-02",
                        intervals=flat_intervals(dt.date(2025, 10, 30), dt.date(2025, 11, 2)))
    energy = {x.key: x.quantity for x in bill.lines if x.charge == "energy" and x.component == "commodity"}
    assert energy == {("summer", "peak"): 10, ("summer", "mid_peak"): 8, ("summer", "off_peak"): 30,
                      ("winter", "off_peak"): 24}
    # the customer charge (a monthly quantity) is shared by days: 2/3 summer, 1/3 winter
    customer = [x for x in bill.lines if x.charge == "customer"]
    assert sum((x.quantity for x in customer), Fraction(0)) == 1


def test_every_schedule_inherits_the_declarations():
    tariffs = Tariffs.load(ROOT / "schedules")
    for schedule_id in ("E-1", "E-4-TOU", "G-1"):
        for version in tariffs.schedule(schedule_id).versions:
            assert {what for what, _ in version.rules.prorate} >= {"versions", "intervals"}


@pytest.fixture
def undeclared(tmp_path):
    """The schedules with a calendar that does not declare `prorate intervals by timestamp`."""
    shutil.copytree(ROOT / "schedules", tmp_path / "schedules")
    calendar = tmp_path / "schedules/calendars/cpau.tariff"
    text = calendar.read_text(encoding="utf-8")
    kept = [line for line in text.splitlines(True) if not line.startswith(DECLARATION)]
    assert len(kept) == len(text.splitlines(True)) - 1
    calendar.write_text("".join(kept), encoding="utf-8")
    return Tariffs.load(tmp_path / "schedules")


def test_undeclared_interval_proration_is_refused_by_every_backend(undeclared):
    inputs = make_inputs(start="2025-10-30", end="2025-11-02",
                         intervals=flat_intervals(dt.date(2025, 10, 30), dt.date(2025, 11, 2)))
    with pytest.raises(BillInputError) as caught:
        undeclared.module("E-4-TOU").bill(inputs)
    assert "prorate intervals by timestamp" in str(caught.value)
    with pytest.raises(BillInputError):
        interpret(undeclared.schedule("E-4-TOU"), inputs)
    # inside one season nothing is prorated, so nothing needs declaring
    inside = make_inputs(start="2025-10-01", end="2025-10-08",
                         intervals=flat_intervals(dt.date(2025, 10, 1), dt.date(2025, 10, 8)))
    assert undeclared.module("E-4-TOU").bill(inside).total_exact == interpret(undeclared.schedule("E-4-TOU"),
                                                                               inside).total_exact


@pytest.mark.parametrize("line,message", [
    ("prorate intervals by days", "'intervals' are prorated by timestamp, not by days"),
    ("prorate seasons by timestamp", "'seasons' are prorated by days, not by timestamp"),
    ("prorate usage by days", "cannot prorate 'usage'"),
])
def test_wrong_pairings_are_t309(tmp_path, line, message):
    calendar = (ROOT / "schedules/calendars/cpau.tariff").read_text(encoding="utf-8")
    calendar = calendar.replace(DECLARATION, "    " + line + " #", 1)
    path = tmp_path / "cpau.tariff"
    path.write_text(calendar, encoding="utf-8")
    project = load([path])
    found = [d for d in project.errors if d.code == "T309"]
    assert found and message in found[0].message
