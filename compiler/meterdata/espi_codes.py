"""ESPI code values this reader understands, and exact decimal scaling.

Only the codes the bill code needs are converted: uom 72 (Wh, reported as kWh) and 169 (therm);
flowDirection 1 (delivered) and 19 (received); ServiceCategory kind 0 (electricity) and 1 (gas).
Anything else is carried through by number and reported, never guessed.
"""

from __future__ import annotations

from decimal import Decimal

from tariffc.compiler.meterdata.model import KWH, THERM, Direction

ESPI_NS = "http://naesb.org/espi"
ATOM_NS = "http://www.w3.org/2005/Atom"

UOM_WH = 72
UOM_THERM = 169

# uom -> (series unit, extra power of ten): Wh are reported as kWh, so divide by 10^3.
_UNIT_BY_UOM = {UOM_WH: (KWH, -3), UOM_THERM: (THERM, 0)}

FLOW_DELIVERED = 1
FLOW_RECEIVED = 19
_DIRECTION_BY_FLOW = {FLOW_DELIVERED: Direction.DELIVERED, FLOW_RECEIVED: Direction.RECEIVED}

_SERVICE_BY_KIND = {0: "electricity", 1: "gas"}

# ESPI IntervalReading/cost is in hundred-thousandths of the ReadingType currency.
COST_POWER_OF_TEN = -5


def unit_for_uom(uom: int) -> tuple[str, int] | None:
    """(unit, power-of-ten adjustment) for a converted uom, None for one carried as `uom N`."""
    return _UNIT_BY_UOM.get(uom)


def unconverted_unit(uom: int) -> str:
    return f"uom {uom}"


def direction_for_flow(flow_direction: int) -> Direction | None:
    return _DIRECTION_BY_FLOW.get(flow_direction)


def service_for_kind(kind: int | None) -> str | None:
    if kind is None:
        return None
    return _SERVICE_BY_KIND.get(kind, f"ServiceCategory kind {kind}")


def scale_exact(raw: int | Decimal, power_of_ten: int) -> Decimal:
    """raw x 10^power_of_ten, exactly: shift the exponent, never divide or round."""
    sign, digits, exponent = Decimal(raw).as_tuple()
    return Decimal((sign, digits, exponent + power_of_ten))
