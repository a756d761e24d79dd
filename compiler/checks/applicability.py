"""Applicability bounds (`limit`) name inputs that exist (T209), as every other condition must."""

from __future__ import annotations

from tariffc.compiler import ir
from tariffc.dsl.diagnostics import error


def limit_conditions_declared(schedule: ir.Schedule):
    inputs = {i.name: i for i in schedule.inputs}
    for limit in schedule.limits:
        condition = limit.condition
        if condition is None:
            continue
        declared = inputs.get(condition.input)
        if declared is None:
            yield error("T209", f"input '{condition.input}' is not declared", limit.span,
                        f"declared inputs: {', '.join(sorted(inputs)) or 'none'}",
                        hint=f"declare it in the schedule header: `input {condition.input} flag \"why\"`")
        elif condition.kind == "is" and condition.value not in declared.choices:
            yield error("T209", f"'{condition.value}' is not a choice of input '{condition.input}'", limit.span,
                        f"choices: {', '.join(declared.choices) or 'none'}")
