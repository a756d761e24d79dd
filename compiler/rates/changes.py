"""The change table between two versions of a schedule, in the staff reports' form (current,
proposed, change, % change per rate cell): `tariffc diff`, the site's history tables."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import attrs

from tariffc.compiler import ir
from tariffc.compiler.rates.cells import RateCell, rate_cells


@attrs.frozen
class Change:
    """One cell's current and proposed value (None where the row is new or gone)."""

    cell: RateCell | None  # the proposed cell (or the current one if the row was removed)
    current: Decimal | None
    proposed: Decimal | None

    @property
    def change(self) -> Decimal | None:
        if self.current is None or self.proposed is None:
            return None
        return self.proposed - self.current

    @property
    def percent(self) -> Decimal | None:
        if self.change is None or not self.current:
            return None
        return (self.change / self.current * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def changes(schedule: ir.Schedule, old: ir.Version, new: ir.Version) -> list[Change]:
    """Every rate cell of `new` with its value in `old`, then the cells `old` had and `new` dropped."""
    before = {c.key: c for c in rate_cells(schedule, old)}
    after = {c.key: c for c in rate_cells(schedule, new)}
    out = []
    for key in list(after) + [k for k in before if k not in after and (k[1] != ("all",) or
                                                                     not any(a[0] == k[0] for a in after))]:
        # A one-price charge compares with each row that replaced it (G-2's service charge by band).
        a = before.get(key) or before.get((key[0], ("all",)))
        b = after.get(key)
        out.append(Change(cell=b or a, current=Decimal(a.total) if a else None,
                          proposed=Decimal(b.total) if b else None))
    return out
