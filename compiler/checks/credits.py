"""The Maximum Demand credit (`credit CHARGE [in WINDOW] by INPUT`) names what exists (T209, T210):
a per-kW charge of the version, one of that charge's demand windows, a declared kW input."""

from __future__ import annotations

from tariffc.compiler import ir
from tariffc.dsl.diagnostics import error


def credits_resolve(schedule: ir.Schedule):
    inputs = {i.name: i for i in schedule.inputs}
    seen = set()
    for version in schedule.versions:
        for credit in version.rules.credits:
            for found in _credit(version, credit, inputs):
                key = (found.code, found.message, found.span)
                if key not in seen:
                    seen.add(key)
                    yield found


def _credit(version: ir.Version, credit: ir.DemandCredit, inputs: dict):
    for name in credit.charges:
        charge = version.charge(name)
        if charge is None or charge.unit != "kW":
            what = f"has no charge '{name}'" if charge is None else f"bills '{name}' per {charge.unit}, not per kW"
            yield error("T210", f"the Maximum Demand credit names '{name}': version {version.label} {what}",
                        credit.span,
                        f"per-kW charges: {', '.join(c.name for c in version.charges if c.unit == 'kW') or 'none'}",
                        hint="a credit reduces the billing demand of a demand charge")
        elif credit.window is not None:
            windows = {p.name for s in version.rules.periods if s.charge in (name, "demand") for p in s.periods}
            if credit.window not in windows:
                yield error("T209", f"demand window '{credit.window}' is not defined for charge '{name}' in version "
                            f"{version.label}", credit.span, f"windows: {', '.join(sorted(windows)) or 'none'}")
    declared = inputs.get(credit.input)
    if declared is None or declared.unit != "kW":
        yield error("T209", f"input '{credit.input}' is not declared as a kW amount", credit.span,
                    hint=f"declare it: `input {credit.input} kW \"the Maximum Generation of the generators not "
                         "operating when the Maximum Demand occurred\"`")
    if credit.condition is not None and credit.condition.input not in inputs:
        yield error("T209", f"input '{credit.condition.input}' is not declared", credit.span,
                    f"declared inputs: {', '.join(sorted(inputs)) or 'none'}")
