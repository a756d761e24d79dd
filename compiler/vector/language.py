"""Language features the vectorised backend does not compute, refused by name before any result.

Fees (E-16 E., E-14 D.6) and their index (E-16 F.) are billed on named inputs, not on usage: the
scalar bill function bills them. A vector call whose named inputs ask for a fee raises
VectorUnsupported naming the fee; without fee inputs the fee lines are empty in every backend.

Likewise (lang2) the standby sections' Maximum Demand credit (`credit ... by INPUT`,
compiler/runtime/credits.py) when a call gives INPUT (not 0), and the City's alternative demand
interval (`demand 15 minutes or 5 minutes by INPUT`, compiler/runtime/demand_interval.py) when a call
asks for a value other than the sheet's interval. Tariffs.bill and the bulk backend then bill
through the scalar function.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from tariffc.compiler.vector.errors import VectorUnsupported


_PLAIN: dict[int, object] = {}  # id(schedule) -> the schedule, when no version has a reference or an estimate


def refuse_unsupported(schedule, values: dict | None) -> None:
    """VectorUnsupported when `schedule` prices a charge by reference or estimates a quantity, or
    when `values` give a fee's input (a nonzero count, size or amount)."""
    if _PLAIN.get(id(schedule)) is not schedule:  # the schedule's own part, read once
        for version in schedule.versions:
            for ref in version.references:
                raise VectorUnsupported(f"charge '{ref.name}' of {schedule.id} is priced by {ref.schedule} "
                                        f"{ref.charge} (a reference): the scalar bill function bills it")
            if version.rules.estimate is not None:
                raise VectorUnsupported(f"{schedule.id} estimates {version.rules.estimate.quantity} from inputs: "
                                        "the scalar bill function bills it")
        if len(_PLAIN) > 64:
            _PLAIN.clear()
        _PLAIN[id(schedule)] = schedule
    if not values:
        return  # no input given: none asks for a fee, a bound, a credit or another interval
    given = {name for name, value in (values or {}).items() if value not in (None, 0, "0", False)}
    for version in schedule.versions:
        for bound in version.rules.bounds:
            if bound.input in given:
                raise VectorUnsupported(f"input {bound.input} of {schedule.id} is bounded (up to {bound.high.text} "
                                        f"{bound.unit_text}): the scalar bill function checks it")
    for version in schedule.versions:
        for fee in version.fees:
            asked = sorted(set(fee.inputs()) & given)
            if asked:
                raise VectorUnsupported(f"fee '{fee.name}' of {schedule.id} (asked for by {', '.join(asked)}): "
                                        "fees are billed by the scalar bill function, not the vectorised backend")
    refuse_rules_not_vectorised(schedule, values)


def _number(value):
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None  # not a number: the scalar path refuses it by name


def refuse_rules_not_vectorised(schedule, raw_values: dict | None) -> None:
    """VectorUnsupported when `raw_values` ask for the Maximum Demand credit or the alternative interval."""
    values = raw_values or {}
    for version in schedule.versions:
        rules = version.rules
        for credit in rules.credits:
            given = values.get(credit.input)
            if given is not None and given != "" and _number(given) != 0:
                raise VectorUnsupported(f"the Maximum Demand credit `credit {', '.join(credit.charges)} by "
                                        f"{credit.input}` ({credit.span.path}:{credit.span.line}) is computed by the "
                                        "scalar bill function")
        if rules.demand_input is not None:
            given = values.get(rules.demand_input)
            if given is not None and given != "" and _number(given) != rules.demand_minutes:
                raise VectorUnsupported(f"{rules.demand_input} = {given}: the City's alternative demand interval "
                                        f"(`demand {rules.demand_minutes} minutes or {rules.demand_option} minutes`) "
                                        "is computed by the scalar bill function")
