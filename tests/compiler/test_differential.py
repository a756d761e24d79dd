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

import importlib
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, Phase, given, settings, strategies as st

from tariffc.compiler.api import make_inputs
from tariffc.compiler.interpret import interpret
from tariffc.compiler.runtime import BillInputError

from ..support import strategies
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


@st.composite
def bills(draw, schedule_id):
    """Inputs of one random bill (tests/support/strategies.py): a period crossing a version change,
    season, DST change or holiday half the time; named, fee, pass-through and lamp inputs; measured
    totals, or interval data where the schedule needs them (and one bill in ten besides)."""
    schedule = TARIFFS.schedule(schedule_id)
    version = draw(st.sampled_from(schedule.versions))
    intervals = _needs_intervals(schedule) and draw(st.booleans()) or draw(st.integers(0, 9)) == 0
    # 35 days at most with intervals: keeps the run short; the period checks are tested apart
    ((start, end),) = draw(strategies.billing_periods(schedule, version, days=(1, 35 if intervals else 64)))
    values = draw(strategies.named_values(schedule)) | draw(strategies.fee_values(schedule)) | \
        draw(strategies.passthrough_values(version)) | draw(strategies.lamp_counts(version))
    usage = {k: None if v is None else str(Fraction(v, 1000)) for k, v in draw(strategies.totals(schedule)).items()}
    records = None
    if intervals:
        _, _, records = strategies.quarter_hours(start, end, draw(strategies.day_pattern()), TZ)
        usage.pop("kwh", None)
        usage.pop("kw", None)
    return make_inputs(start=start, end=end, intervals=records, values=values, **usage)


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
