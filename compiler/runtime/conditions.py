"""The one reading of a `when` condition (charges, periods, adjustments, exemptions, minimum bill).

`when FLAG` holds when the flag input is set (a flag not given is false), `when not FLAG` when it
is not, `when INPUT is VALUE` when the choice input equals VALUE. A choice not given cannot be
decided: `missing(name)` says what then happens (a bill refuses it, naming the input; a question
that only asks whether a rule may apply takes it as not holding).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping


def condition_holds(kind: str, name: str, expected: str | None, values: Mapping,
                    missing: Callable[[str], bool] | None = None) -> bool:
    """Whether the condition (`kind` "flag" | "not" | "is", input `name`, `expected` for "is")
    holds for the named inputs `values`. For "is" with `name` not given: `missing(name)` (which
    may raise, e.g. BillInputError), or False when `missing` is None."""
    if kind == "flag":
        return bool(values.get(name))
    if kind == "not":
        return not values.get(name)
    if name not in values:
        return False if missing is None else missing(name)
    return values[name] == expected
