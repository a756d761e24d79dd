"""Differential test: every bill backend agrees with the reference interpreter (compiler/interpret/)
exactly — every line (version, charge, component, key, quantity, unit, rate, amount), the exact
total and the rounded total — on random bills of every schedule and version that loads clean; and
when one refuses an input (BillInputError), so do the others.

Random periods fall inside and across seasons and version changes; random totals; random interval
data (15-minute, seeded shapes) including DST-change days and holidays.

Backends: the compiled scalar functions always; the vectorised backend joins as a third party when
`tariffc.compiler.vector` offers `differential_backend(schedule, inputs) -> Bill` (raising its
`VectorUnsupported` for an input it does not take, which skips that backend for the example).
"""

from __future__ import annotations

import datetime as dt
import importlib
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, Phase, given, settings, strategies as st

from tariffc.compiler.api import make_inputs
from tariffc.compiler.interpret import interpret
from tariffc.compiler.runtime import BillInputError

from ..support.schedules import CLEAN, PACIFIC as TZ, TARIFFS


class Skip(Exception):
    """A backend does not take this input (not a disagreement)."""


def _compiled(schedule_id, inputs):
    return TARIFFS.module(schedule_id).bill(inputs)


def _vector_backend():
    try:
        vector = importlib.import_module("tariffc.compiler.vector")
    except ImportError:
        return None
    fn = getattr(vector, "differential_backend", None)
    unsupported = getattr(vector, "VectorUnsupported", ())
    if fn is None:
        return None

    def run(schedule_id, inputs):
        try:
            return fn(TARIFFS.schedule(schedule_id), inputs)
        except unsupported as exc:
            raise Skip(str(exc)) from None

    return run


BACKENDS = {"compiled": _compiled}
if _vector_backend() is not None:
    BACKENDS["vectorised"] = _vector_backend()


def _needs_intervals(schedule) -> bool:
    return any(c.kind != "always" for v in schedule.versions for s in v.rules.periods for p in s.periods
               for c in p.clauses)


def _decimal(lo, hi, places=3):
    return st.integers(lo * 10 ** places, hi * 10 ** places).map(lambda n: str(Fraction(n, 10 ** places)
                                                                              .limit_denominator(10 ** places)))


def _interesting_days(schedule, version) -> list[dt.date]:
    """Days near which bills cross something: version changes, season boundaries, DST changes,
    holidays (a bill starting a few days before)."""
    days = [v.effective for v in schedule.versions]
    for year in range(version.effective.year, version.effective.year + 2):
        days += [dt.date(year, m, d) for m, d in ((1, 1), (3, 9), (3, 10), (5, 1), (7, 4), (11, 1), (11, 2),
                                                  (11, 3), (11, 27), (11, 28), (12, 25))]
        days += [dt.date(year, s.start[0], s.start[1]) for s in version.rules.seasons]
    return sorted(set(days))


@st.composite
def bills(draw, schedule_id):
    schedule = TARIFFS.schedule(schedule_id)
    version = draw(st.sampled_from(schedule.versions))
    first = version.effective
    if draw(st.booleans()):
        anchor = draw(st.sampled_from(_interesting_days(schedule, version)))
        start = anchor - dt.timedelta(days=draw(st.integers(0, 20)))
    else:
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
        elif spec.name in schedule.fraction_inputs():
            values[spec.name] = draw(_decimal(0, 1, 2))
        else:
            values[spec.name] = draw(_decimal(0, 6000, 1))
    for spec in schedule.fee_inputs():  # fees (E-16 E., E-14 D.6): counts, feet, dollars, the CPI ratio
        if draw(st.integers(0, 2)):
            continue
        if spec.type == "count":
            values[spec.name] = draw(st.integers(0, 4))
        elif spec.type == "number":
            values[spec.name] = draw(_decimal(0, 2, 3))
        else:
            values[spec.name] = draw(_decimal(0, 20000, 2))
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
        while t < stop:  # UTC steps: a DST day has 92 or 100 intervals, as a meter records it
            intervals.append((t, 900, Fraction(seed_kwh[i % 96] * (1 + i % 7), 100)))
            t += dt.timedelta(minutes=15)
            i += 1
        usage.pop("kwh", None)
        usage.pop("kw", None)
    return make_inputs(start=start, end=end, intervals=intervals, values=values, **usage)


def _lines(bill):
    return sorted((x.version, x.charge, x.component, x.key, x.quantity, x.unit, x.rate, x.amount) for x in bill.lines)


@pytest.mark.parametrize("schedule_id", CLEAN)
def test_backends_equal_interpreter(schedule_id):
    schedule = TARIFFS.schedule(schedule_id)

    @settings(max_examples=40, deadline=None, phases=[Phase.explicit, Phase.reuse, Phase.generate],
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(bills(schedule_id))
    def check(inputs):
        try:
            reference = interpret(schedule, inputs)
        except BillInputError:
            reference = None
        for name, backend in BACKENDS.items():
            try:
                got = backend(schedule_id, inputs)
            except Skip:
                continue
            except BillInputError:
                assert reference is None, f"{name} refused what the interpreter billed"
                continue
            assert reference is not None, f"{name} billed what the interpreter refused"
            assert _lines(got) == _lines(reference), name
            assert got.total_exact == reference.total_exact, name
            assert got.total == reference.total, name

    check()


def test_every_schedule_is_covered():
    assert "E-1" in CLEAN and "E-4-TOU" in CLEAN and "G-1" in CLEAN


def test_compiled_lines_follow_the_sheet_order():
    """Lines come out in the sheet's order (charges, rows, components), so a reader can follow the
    bill down the sheet."""
    bill = TARIFFS.bill("E-1", start="2025-07-01", end="2025-07-31", kwh="600")
    assert [(x.charge, x.key, x.component) for x in bill.lines] == [
        ("energy", ("tier1",), "commodity"), ("energy", ("tier1",), "distribution"),
        ("energy", ("tier1",), "public_benefits"), ("energy", ("tier2",), "commodity"),
        ("energy", ("tier2",), "distribution"), ("energy", ("tier2",), "public_benefits"),
        ("customer", ("all",), "customer")]
