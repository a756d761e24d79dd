"""Where a refused bill input is declared in the `.tariff` file: the place a value refusal names.

A bill refuses a value in its set-up (a negative `power_factor`, a `kw` the schedule does not bill
on, a period longer than the billing rule allows), before any rule is computed, so the generated
line map (`errors.locate`) has no line for it. The refusal then names the line that declares the
field instead: the `input` line of a named input (or the fee, index, bound, estimate, lamp row or
pass-through that bills on it), for a measured quantity (kwh, kw, therms, exported_kwh, interval
data) the first line of the version in force that bills on it, for the period (start, end) the
version's billing rule, and for anything else (a quantity the schedule does not bill on, a name it
has no input of) the `schedule` line. The table is plain data, written by `ir.Schedule.places()` and, in a
generated module, as `PLACES`: ((field, version effective date, Loc), ...), oldest version first.
"""

from __future__ import annotations

import datetime as dt

from .errors import BillInputError, Loc

#: The field a refusal names → the field of the places table: interval data items and arrays
#: (`intervals[3]`, `intervals.wh[2]`) are the interval data; the period's ends are the period.
_PERIOD = {"start": "period", "end": "period", "days": "period"}


def place_key(field_name: str) -> str:
    """The places-table key of the field a `BillInputError` names."""
    if field_name.startswith("intervals"):
        return "intervals"
    return _PERIOD.get(field_name, field_name)


def place_of(places, field_name: str, day: dt.date | None) -> Loc | None:
    """The `Loc` declaring `field_name` for a bill starting on `day`: the entry of the latest version
    effective on or before `day` (the oldest one when `day` is earlier or None); the `*` entry (the
    schedule's line) for a field the schedule declares nothing for (a quantity it does not bill on, a
    name it has no input of); None with neither."""
    key = place_key(field_name) if isinstance(field_name, str) else None
    found = fallback = None
    for name, effective, loc in places or ():
        if name == "*":
            fallback = loc
        elif name == key and (found is None or (day is not None and effective <= day)):
            found = loc
    return found or fallback


def refused_at(error: BillInputError, places, day: dt.date | None) -> BillInputError:
    """`error` located at the line declaring its field (kept if it is already located)."""
    return error.at(place_of(places, error.field, day))
