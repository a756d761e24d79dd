"""The scalar path's pieces the vector path reuses, so both read the same rules: the calendar's
holiday dates, the one input-typing layer, the refusal of inputs a schedule does not bill on, the
Bill and Line records, the error type, rounding. Imported from one place."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from tariffc.compiler.runtime import Bill, BillInputError, Line, decimal_text, holidays_in, round_to  # noqa: F401
from tariffc.compiler.runtime.inputs import show, typed_values as _typed_values


def typed_values(schedule, versions, raw: dict) -> dict:
    """The named inputs typed for a bill under `versions` (as the interpreter and the generated
    functions type them); numbers as Fraction."""
    if isinstance(raw, dict) and not raw:
        return {}  # nothing to type: the IR's input specs are not needed (they cost a walk of the IR)
    effective = {v.effective for v in versions}
    values = _typed_values(schedule.id, schedule.input_specs(),
                           [p for when, p in schedule.price_specs() if when in effective], schedule.lamp_inputs(),
                           raw)
    return {k: Fraction(x) if not isinstance(x, (bool, str, int)) else x for k, x in values.items()}


_MEASURED: dict[int, tuple] = {}  # id(schedule) -> (schedule, its measured inputs): read off the IR once


def refuse_unbilled(schedule, given: dict) -> None:
    """Refuse a measured input the schedule does not bill on (as `runtime.inputs.check_quantities`)."""
    found = _MEASURED.get(id(schedule))
    if found is None or found[0] is not schedule:
        if len(_MEASURED) > 64:
            _MEASURED.clear()
        found = _MEASURED[id(schedule)] = (schedule, schedule.measured_inputs())
    bills_on = found[1]
    for name, value in given.items():
        if value is not None and name not in bills_on:
            uses = ", ".join(sorted(bills_on)) or "no measured quantity"
            raise BillInputError(name, "given" if name == "intervals" else "array",
                                 f"schedule {schedule.id} does not bill on {name} (it bills on: {uses}); leave it out")


def decimal_of(value) -> Decimal:
    """A value as the scalar path writes it: the source text of an `ir.Number`, else the exact
    decimal of a Fraction."""
    text = getattr(value, "text", None)
    if text is not None:
        return Decimal(text)
    return Decimal(decimal_text(Fraction(value), places=30))


def decimal_step(step) -> Decimal:
    return decimal_of(step)


__all__ = ["Bill", "BillInputError", "Line", "decimal_text", "holidays_in", "round_to", "show", "typed_values",
           "refuse_unbilled", "decimal_of", "decimal_step"]
