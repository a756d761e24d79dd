"""Public errors survive pickling (issue 14): dask ships a worker's exception to the client, and an
exception class whose `__init__` takes its fields cannot be rebuilt by Exception's default pickling
(it calls the class with the one message argument). Each round trip keeps the message and fields."""

from __future__ import annotations

import pickle

import pytest

from tariffc.compiler.api import ScheduleError, Tariffs
from tariffc.compiler.export.urdb import Unrepresentable
from tariffc.compiler.meterdata.errors import MeterDataError
from tariffc.compiler.project import UsageError
from tariffc.compiler.runtime.errors import WORDING, BillError, BillInputError, Loc
from tariffc.dsl.diagnostics import DiagnosticError, Span, error

from .conftest import SCHEDULES


def _round_trip(exc):
    again = pickle.loads(pickle.dumps(exc))
    assert type(again) is type(exc) and str(again) == str(exc) and again.args == exc.args
    return again


def test_a_bill_input_error_keeps_its_message_field_value_loc_and_what_to_give():
    exc = BillInputError("kw", "not given", "schedule E-4 bills charge 'demand' per kW of demand",
                         Loc("schedules/electric/E-4.tariff", 97, "C. Unbundled rates › Demand"), give=("kw", "intervals"))
    again = _round_trip(exc)
    assert (again.field, again.value, again.message, again.loc, again.give) == \
        ("kw", "not given", "schedule E-4 bills charge 'demand' per kW of demand", exc.loc, ("kw", "intervals"))
    assert "give kw= or intervals= [schedules/electric/E-4.tariff:97 (C. Unbundled rates › Demand)]" in str(again)


def test_a_bill_input_error_raised_by_a_bill_round_trips_located():
    with pytest.raises(BillInputError) as caught:
        Tariffs.load(SCHEDULES).bill("E-4", start="2025-07-01", end="2025-07-31", kwh="500")
    again = _round_trip(caught.value)
    assert again.loc is not None and again.loc == caught.value.loc and again.field == "kw"


def test_the_wording_is_the_unpickling_process_s():
    """The message is rebuilt where it is read: a worker's refusal read by the command line asks for
    options (the fields travel, not the text)."""
    exc = BillInputError("kwh", "not given", "needed", give=("kwh",))
    data = pickle.dumps(exc)
    token = WORDING.set("cli")
    try:
        assert str(pickle.loads(data)).endswith("give --kwh")
    finally:
        WORDING.reset(token)


def test_a_bill_error_keeps_its_message_schedule_and_loc():
    exc = BillError("E-1", Loc("schedules/electric/E-1.tariff", 80, "tiers kwh"), ZeroDivisionError("division by zero"))
    again = _round_trip(exc)
    assert (again.schedule, again.loc) == ("E-1", exc.loc)
    assert str(again) == "internal error billing E-1 at schedules/electric/E-1.tariff:80 (tiers kwh): " \
                         "ZeroDivisionError: division by zero"


def test_a_meter_data_error_keeps_its_place():
    exc = MeterDataError("duration 10^20 s is beyond 10 years", file="feed.xml", line=12, element="IntervalReading 3")
    again = _round_trip(exc)
    assert (again.message, again.file, again.line, again.element) == \
        ("duration 10^20 s is beyond 10 years", "feed.xml", 12, "IntervalReading 3")
    assert str(again) == "feed.xml:12: duration 10^20 s is beyond 10 years (in IntervalReading 3)"


def test_a_diagnostic_error_keeps_its_diagnostics():
    diagnostics = [error("T107", "the number 1e999 is out of bounds", Span.point("E-1.tariff", 3, 5, 5))]
    again = _round_trip(DiagnosticError(diagnostics))
    assert again.diagnostics == tuple(diagnostics)


@pytest.mark.parametrize("exc", [ScheduleError("unknown schedule 'E-99'"), UsageError("--out: a file"),
                                 Unrepresentable("E-14", "charges per lamp")])
def test_the_other_public_errors_round_trip(exc):
    again = _round_trip(exc)
    if isinstance(exc, Unrepresentable):
        assert (again.schedule_id, again.reason) == ("E-14", "charges per lamp")
