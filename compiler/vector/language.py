"""Language features the vectorised backend does not compute, refused by name before any result.

Fees (E-16 E., E-14 D.6) and their index (E-16 F.) are billed on named inputs, not on usage: the
scalar bill function bills them. A vector call whose named inputs ask for a fee raises
VectorUnsupported naming the fee; without fee inputs the fee lines are empty in every backend.
"""

from __future__ import annotations

from tariffc.compiler.vector.errors import VectorUnsupported


def refuse_unsupported(schedule, values: dict | None) -> None:
    """VectorUnsupported when `values` give a fee's input (a nonzero count, size or amount)."""
    given = {name for name, value in (values or {}).items() if value not in (None, 0, "0", False)}
    for version in schedule.versions:
        for fee in version.fees:
            asked = sorted(set(fee.inputs()) & given)
            if asked:
                raise VectorUnsupported(f"fee '{fee.name}' of {schedule.id} (asked for by {', '.join(asked)}): "
                                        "fees are billed by the scalar bill function, not the vectorised backend")
