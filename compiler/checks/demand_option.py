"""The City's alternative demand interval (`demand 15 minutes or 5 minutes by INPUT`) is asked for by a
declared `number` input (T209)."""

from __future__ import annotations

from tariffc.compiler import ir
from tariffc.dsl.diagnostics import error


def demand_option_declared(schedule: ir.Schedule):
    inputs = {i.name: i for i in schedule.inputs}
    seen = set()
    for version in schedule.versions:
        rules = version.rules
        name = rules.demand_input
        if name is None or name in seen:
            continue
        seen.add(name)
        declared = inputs.get(name)
        if declared is None or declared.type != "number":
            yield error("T209", f"input '{name}' is not declared as a number", rules.demand_span or schedule.span,
                        f"it chooses the demand interval: {rules.demand_minutes} or {rules.demand_option} minutes",
                        hint=f"declare it: `input {name} number \"the demand interval the City uses, in minutes\"`")
