"""`--set NAME=VALUE` inputs of a comparison, typed per schedule that declares them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from tariffc.compiler import ir
from tariffc.compiler.compare.errors import InputError
from tariffc.compiler.runtime import BillInputError
from tariffc.compiler.runtime.inputs import typed


def convert_inputs(inputs: Mapping[str, str], schedules: Sequence[ir.Schedule]) -> dict[str, dict[str, Any]]:
    """`--set NAME=VALUE` as typed values, per schedule that declares NAME (an `input`, or a
    pass-through price such as `commodity`). A name no candidate declares is an error (a typo must
    not be ignored)."""
    declared: dict[str, list[tuple[ir.Schedule, ir.Input | None]]] = {}
    for schedule in schedules:
        for item in schedule.inputs:
            declared.setdefault(item.name, []).append((schedule, item))
        for name in sorted({p.name for v in schedule.versions for p in v.passthroughs}):
            declared.setdefault(name, []).append((schedule, None))  # a price: the bill checks its range
    per_schedule: dict[str, dict[str, Any]] = {s.id: {} for s in schedules}
    for name, text in inputs.items():
        if name not in declared:
            every = sorted(declared)
            raise InputError(f"input '{name}' is declared by none of the schedules compared"
                               + (f" (their inputs: {', '.join(every)})" if every else ""))
        for schedule, item in declared[name]:
            per_schedule[schedule.id][name] = text.strip() if item is None else _typed(item, text, schedule)
    return per_schedule


def _typed(item: ir.Input, text: str, schedule: ir.Schedule) -> Any:
    """A named input typed by the one input layer (`runtime.inputs.typed`, as `tariffc bill` and
    the API type it); the refusal worded for a comparison (which schedule declared it)."""
    schedule_id = schedule.id
    spec = next(s for s in schedule.input_specs() if s.name == item.name)
    try:
        return typed(spec, text.strip())
    except BillInputError as error:
        what = {"flag": "is a flag: give true or false", "choice": f"is one of {', '.join(item.choices)}",
                "count": "is a count: give a whole number"}.get(item.type, f"needs a number ({error.message})")
        raise InputError(f"input {item.name} ({schedule_id}) {what}, not '{text}'") from None
