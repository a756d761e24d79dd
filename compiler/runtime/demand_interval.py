"""The demand interval a bill measures its Maximum Demand over: the sheet's, or the City's declared
alternative when the bill asks for it.

E-4 D.3 (and E-2, E-2-G, E-4-G, E-7, E-7-G): "The Maximum Demand in any month will be the maximum
average power in kilowatts taken during any 15-minute interval in the month, provided that if the
Customer's load is intermittent or subject to fluctuations, the City may use a 5-minute interval."
Written `demand 15 minutes or 5 minutes by demand_interval "..."`: a bill giving the input
`demand_interval = 5` is billed on 5-minute demand (interval data of 5 minutes or finer; coarser data
are refused by `intervals.max_demand`, naming the interval); any other value than the two the sheet
names is refused, with interval data or a kW total alike (`check_offered`, in every bill's set-up). Stdlib only, like the rest of the runtime.
"""

from __future__ import annotations

from .errors import BillInputError


def demand_interval(b):
    """Minutes of the demand interval for bill `b` (a `Run`): the first billed version's, or its
    declared alternative when `b`'s input asks for it; None when no version declares one."""
    version = next((p.version for p in b.parts for _ in p.segments if p.version.demand_minutes), None)
    if version is None:
        return None
    return chosen_minutes(version.demand_minutes, version.demand_option, version.demand_input, b.values)


def chosen_minutes(minutes: int, option, input_name, values) -> int:
    """`minutes`, or `option` when input `input_name` of `values` asks for it (refused otherwise)."""
    if input_name is None or values.get(input_name) in (None, ""):
        return minutes
    asked = values[input_name]
    if asked == minutes:
        return minutes
    if option is not None and asked == option:
        return option
    allowed = f"{minutes}" + (f" or {option}" if option is not None else "")
    raise BillInputError(input_name, str(asked), f"the sheet measures demand over {allowed} minutes")


def check_offered(versions, values) -> None:
    """Refuse a demand interval asked for that a version of the bill does not offer, whether or not
    the bill has interval data (with a kW total it would otherwise be silently ignored). `versions`:
    (minutes, option, input name) of each version of the bill."""
    for minutes, option, input_name in versions:
        if minutes is not None:
            chosen_minutes(minutes, option, input_name, values)
