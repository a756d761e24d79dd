"""Differential test: the generated bill modules and the reference interpreter (interpret.py) agree
exactly (every line, the exact total, the rounded total) on random bills of every schedule that
loads clean; when one refuses the input, so does the other."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, Phase, given, settings, strategies as st

from tariffc.compiler.api import ScheduleError, Tariffs, make_inputs
from tariffc.compiler.interpret import interpret
from tariffc.compiler.runtime import BillInputError

ROOT = Path(__file__).resolve().parents[2]
TARIFFS = Tariffs.load(ROOT / "schedules")
TZ = ZoneInfo("America/Los_Angeles")


def _clean_ids():
    out = []
    for schedule_id in TARIFFS.ids:
        try:
            TARIFFS.module(schedule_id)
        except ScheduleError:
            continue
        out.append(schedule_id)
    return out


CLEAN = _clean_ids()


def _needs_intervals(schedule) -> bool:
    return any(c.kind != "always" for v in schedule.versions for s in v.rules.periods for p in s.periods
               for c in p.clauses)


def _decimal(lo, hi, places=3):
    return st.integers(lo * 10 ** places, hi * 10 ** places).map(lambda n: str(Fraction(n, 10 ** places)
                                                                              .limit_denominator(10 ** places)))


@st.composite
def bills(draw, schedule_id):
    schedule = TARIFFS.schedule(schedule_id)
    version = draw(st.sampled_from(schedule.versions))
    first = version.effective
    start = first + dt.timedelta(days=draw(st.integers(0, 400)))
    days = draw(st.integers(1, 64))
    values = {}
    for spec in schedule.inputs:
        if not draw(st.booleans()):
            continue
        if spec.type == "flag":
            values[spec.name] = draw(st.booleans())
        elif spec.type == "count":
            values[spec.name] = draw(st.integers(0, 5))
        elif spec.type == "choice":
            values[spec.name] = draw(st.sampled_from(spec.choices))
        elif spec.name == "power_factor":
            values[spec.name] = draw(_decimal(0, 1, 2))
        else:
            values[spec.name] = draw(_decimal(0, 6000, 1))
    for p in version.passthroughs:
        low = p.minimum.value if p.minimum else Fraction(0)
        high = p.maximum.value if p.maximum else Fraction(3)
        values[p.name] = str(low + (high - low) * Fraction(draw(st.integers(0, 100)), 100))
    for charge in version.charges:
        if charge.quantity == "lamps":
            for row in charge.rows[:3]:
                values[f"lamps.{row.keys[0]}"] = draw(st.integers(0, 40))
    end = start + dt.timedelta(days=days)
    usage = dict(kwh=draw(_decimal(0, 300000)), kw=draw(_decimal(0, 2000)), therms=draw(_decimal(0, 5000)),
                 exported_kwh=draw(_decimal(0, 2000)))
    accepted = schedule.measured_inputs()
    if draw(st.integers(0, 9)):  # mostly what the schedule bills on; sometimes an input it refuses
        usage = {k: v for k, v in usage.items() if k in accepted}
    intervals = None
    if _needs_intervals(schedule) and draw(st.booleans()) or draw(st.integers(0, 9)) == 0:
        days = min(days, draw(st.integers(1, 35)))  # keeps the run short; the period checks are tested apart
        end = start + dt.timedelta(days=days)
        seed_kwh = draw(st.lists(st.integers(0, 4000), min_size=96, max_size=96))
        t = dt.datetime.combine(start, dt.time(0), tzinfo=TZ).astimezone(dt.timezone.utc)
        stop = dt.datetime.combine(end, dt.time(0), tzinfo=TZ).astimezone(dt.timezone.utc)
        intervals, i = [], 0
        while t < stop:
            intervals.append((t, 900, Fraction(seed_kwh[i % 96] * (1 + i % 7), 100)))
            t += dt.timedelta(minutes=15)
            i += 1
        usage.pop("kwh", None)
        usage.pop("kw", None)
    return make_inputs(start=start, end=end, intervals=intervals, values=values, **usage)


def _lines(bill):
    return sorted((x.version, x.charge, x.component, x.key, x.quantity, x.unit, x.rate, x.amount) for x in bill.lines)


@pytest.mark.parametrize("schedule_id", CLEAN)
def test_generated_equals_interpreter(schedule_id):
    module = TARIFFS.module(schedule_id)
    schedule = TARIFFS.schedule(schedule_id)

    @settings(max_examples=40, deadline=None, phases=[Phase.explicit, Phase.reuse, Phase.generate],
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(bills(schedule_id))
    def check(inputs):
        try:
            generated = module.bill(inputs)
        except BillInputError:
            with pytest.raises(BillInputError):
                interpret(schedule, inputs)
            return
        reference = interpret(schedule, inputs)
        assert _lines(generated) == _lines(reference)
        assert generated.total_exact == reference.total_exact
        assert generated.total == reference.total

    check()


def test_every_schedule_is_covered():
    assert "E-1" in CLEAN and "E-4-TOU" in CLEAN
