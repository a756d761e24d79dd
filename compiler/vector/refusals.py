"""The vector path's refusals name the `.tariff` line declaring the refused field, as the scalar
path's do (runtime/places.py): one decorator on the entry points that take a schedule and periods."""

from __future__ import annotations

import datetime as dt
import functools

from tariffc.compiler.runtime.inputs import iso_date
from tariffc.compiler.runtime.places import refused_at
from tariffc.compiler.vector._scalar import BillInputError


def _first_day(periods) -> dt.date | None:
    """The start of the first period (a date or YYYY-MM-DD text); None when it is neither (a refusal
    about the periods themselves is then placed by the oldest version: there is no day to go by)."""
    try:
        start = next(iter(periods))[0]
    except (TypeError, StopIteration, IndexError, KeyError):
        return None
    if type(start) is dt.date:
        return start
    try:
        return iso_date(start)
    except ValueError:
        return None


def located_refusals(function):
    """`function(schedule, periods, ...)` whose `BillInputError`s carry the `Loc` of the line that
    declares their field, for the version in force at the first period's start."""
    @functools.wraps(function)
    def wrapper(schedule, periods, *args, **kwargs):
        try:
            return function(schedule, periods, *args, **kwargs)
        except BillInputError as error:
            raise refused_at(error, schedule.places(), _first_day(periods)) from None
    return wrapper
