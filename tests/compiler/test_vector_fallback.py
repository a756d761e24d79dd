"""`Tariffs.bill` hands interval arrays to the vector path and falls back to the generated bill
function only on the vector path's declared refusals (`VectorUnsupported`: a layout or feature it
does not compute; `BillInputError`: data it refuses, which the scalar path then refuses with its own
message) and on inputs not in its form. Any other exception inside the vector path is a fault and
reaches the caller: a bug there fails a test instead of turning into a quiet slow path."""

from __future__ import annotations

import datetime as dt

import pytest

from tariffc.compiler.api import IntervalArrays, make_inputs
from tariffc.compiler.runtime import BillInputError
from tariffc.compiler.vector import VectorUnsupported, bill_arrays, plan

from ..support.schedules import PACIFIC, TARIFFS

START, END = dt.date(2025, 7, 1), dt.date(2025, 7, 8)  # a week of July: no holiday, no DST change
FIRST = int(dt.datetime(2025, 7, 1, tzinfo=PACIFIC).timestamp())
WH = [250 + (i % 96) * 3 for i in range(7 * 96)]  # Wh per 15 minutes


def _arrays(wh=WH):
    return IntervalArrays(start=FIRST, seconds=900, wh=wh)


def _scalar_bill(schedule_id, wh=WH):
    """The generated bill function on the same readings, given as interval records (no arrays)."""
    utc = dt.timezone.utc
    items = [(dt.datetime.fromtimestamp(FIRST + 900 * i, utc), 900, f"{w / 1000:.3f}") for i, w in enumerate(wh)]
    return TARIFFS.module(schedule_id).bill(make_inputs(start=START, end=END, intervals=items))


def _same(a, b) -> bool:
    """Two bills equal in everything a caller sees: lines (every field), exact and rounded totals."""
    return (a.schedule, a.versions, a.start, a.end, a.lines, a.total_exact, a.total, a.rounding) == \
        (b.schedule, b.versions, b.start, b.end, b.lines, b.total_exact, b.total, b.rounding)


def _raise(exc):
    def evaluate(*args, **kwargs):
        raise exc
    return evaluate


@pytest.mark.parametrize("schedule_id", ["E-1", "E-4-TOU"])
def test_the_vector_path_bills_arrays_as_the_scalar_function(schedule_id):
    fast = TARIFFS.bill(schedule_id, start=START, end=END, intervals=_arrays())
    assert _same(fast, _scalar_bill(schedule_id))


@pytest.mark.parametrize("fault", [ValueError("vector bug"), TypeError("vector bug"),
                                   ZeroDivisionError("vector bug"), IndexError("vector bug"),
                                   OverflowError("vector bug")])
def test_a_fault_inside_the_vector_path_is_not_swallowed(monkeypatch, fault):
    monkeypatch.setattr(plan, "evaluate", _raise(fault))
    with pytest.raises(type(fault), match="vector bug"):
        TARIFFS.bill("E-4-TOU", start=START, end=END, intervals=_arrays())
    with pytest.raises(type(fault), match="vector bug"):
        bill_arrays(TARIFFS.schedule("E-4-TOU"), START, END, _arrays())


def test_a_declared_refusal_goes_to_the_scalar_function(monkeypatch):
    monkeypatch.setattr(plan, "evaluate", _raise(VectorUnsupported("a layout the vector path does not compute")))
    assert bill_arrays(TARIFFS.schedule("E-4-TOU"), START, END, _arrays()) is None
    assert _same(TARIFFS.bill("E-4-TOU", start=START, end=END, intervals=_arrays()), _scalar_bill("E-4-TOU"))
    monkeypatch.setattr(plan, "evaluate", _raise(BillInputError("intervals", "x", "refused")))
    assert bill_arrays(TARIFFS.schedule("E-4-TOU"), START, END, _arrays()) is None


@pytest.mark.parametrize("arrays", [
    IntervalArrays(start=FIRST, seconds=900, wh=[w + 0.5 for w in WH]),   # floats: the input layer refuses them
    IntervalArrays(start=FIRST + 900, seconds=900, wh=WH),                # not from local midnight
    IntervalArrays(start=FIRST, seconds=900, wh=WH[:-1]),                 # not to local midnight
    IntervalArrays(start=FIRST, seconds=900, wh=[WH[:3], WH[:2]]),        # ragged
    IntervalArrays(start=float(FIRST), seconds=900, wh=WH),               # a float instant
    {"start": FIRST, "seconds": 900},                                     # not the array form
])
def test_inputs_not_in_the_vector_form_go_to_the_scalar_function(monkeypatch, arrays):
    monkeypatch.setattr(plan, "evaluate", _raise(AssertionError("the vector path must not run")))
    assert bill_arrays(TARIFFS.schedule("E-1"), START, END, arrays) is None
