"""The scalar path's pieces the vector path reuses, so both read the same rules: the calendar's
holiday dates, input typing, the Bill and Line records, the error type, rounding. Imported from one
place so the vector package follows the runtime when its modules move."""

from __future__ import annotations

from tariffc.compiler.bill_calendar import holidays_in, in_season  # noqa: F401
from tariffc.compiler.bill_inputs import typed_values  # noqa: F401
from tariffc.compiler.runtime import Bill, BillInputError, Line, decimal_text, round_to  # noqa: F401


def runtime_versions(schedule):
    """Runtime records of the schedule's versions (what `typed_values` reads), cached on the IR."""
    from tariffc.compiler import codegen  # noqa: PLC0415

    cache = _RECORDS.get(id(schedule))
    if cache is None or cache[0] is not schedule:
        loc = codegen._Locations(schedule.path)
        cache = (schedule, {v.effective: codegen.version_record(v, loc) for v in schedule.versions})
        _RECORDS[id(schedule)] = cache
    return cache[1]


_RECORDS: dict[int, tuple] = {}


def decimal_of(value):
    """A value as the scalar path's Decimal (from the source text for an `ir.Number`)."""
    from tariffc.compiler import codegen  # noqa: PLC0415

    return codegen._decimal(value)


def decimal_step(step):
    return decimal_of(step)
