"""The Maximum Demand credit of the standby charge sections (E-4 D.7.d(1), E-4-TOU D.7.d(1), E-7 …):
"In the event the Customer's Maximum Demand occurs when one or more of the non-utility generators on
the Customer's side of the City's revenue Meter are not operating, the Maximum Demand will be reduced
by the sum of the Maximum Generation of those non-utility generators, but in no event shall the
Customer's Maximum Demand be reduced below zero."

`credit CHARGE [in WINDOW] by INPUT` in a `.tariff` file: the billing demand of CHARGE's rows (those
of WINDOW, else every row) is reduced by the kW the bill input INPUT states, never below zero; the
generated function writes that arithmetic out (compiler/codegen/credits.py). What stays here is the
refusal of a credit the sheet's words cannot decide. Stdlib only, like the rest of the runtime.
"""

from __future__ import annotations

from .errors import BillInputError


def undecided_credit(b, input_name: str, reason: str) -> None:
    """A credit the sheet's words cannot decide: refused when the bill asks for it (the input given)."""
    if b.value(input_name):
        raise BillInputError(input_name, str(b.value(input_name)), "the Maximum Demand credit cannot be "
                             f"computed for this version: {reason}")
