"""Every rate cell of every version is entered: a `?` (written by `tariffc new-version` for the
analyst to fill in from the adopted sheet) is an error naming the cell, so no bill, table or page
is ever computed from a version whose rates are not all there."""

from __future__ import annotations

from tariffc.compiler import ir
from tariffc.dsl.diagnostics import error

HINT = "enter the value printed on the adopted sheet (as printed, including the total)"


def rate_values(version: ir.Version):
    """(where, Number) for every rate value of a version: row components and totals, fixed charges,
    bands, the minimum bill amount, fee amounts (a cell the sheet leaves blank, `-`, is no value)."""
    for charge in version.charges:
        for row in charge.rows:
            keys = " ".join(k for k in row.keys if k != "all")
            for column, value in row.components:
                label = f"charge {charge.name}" + (f" row {keys}" if keys else "")
                if value is None:
                    continue
                if column != charge.name:
                    label += f" column {column}"
                yield label, value
            if row.total is not None:
                yield f"charge {charge.name} row {keys} total", row.total
        for band in charge.bands:
            yield f"charge {charge.name} band {band.key}", band.value
    for minimum in version.rules.minimums:  # each is billed when its condition holds
        if minimum.amount is not None:
            yield "minimum bill amount" + (f" ({minimum.key})" if minimum.condition else ""), minimum.amount
    for fee in version.fees:  # a percent fee's percentage is a rule value, as a discount's (not a cell)
        if fee.kind in ("fixed", "table"):
            for row in fee.rows:
                yield f"fee {fee.name}" + (f" row {row.key}" if row.key != "all" else ""), row.rate


def cells_entered(schedule: ir.Schedule):
    for version in schedule.versions:
        for where, value in rate_values(version):
            if not value.entered:
                yield error("T220", f"{where} is not yet entered (version {version.label})", value.span,
                            _why(version), hint=HINT)


def _why(version: ir.Version) -> str:
    """What a `?` is: a rate not yet entered; `tariffc new-version` writes one in place of each rate of
    the version it copies the layout of (named when the version says which it supersedes)."""
    copied = (f" (`tariffc new-version` writes one for each rate of version {version.supersedes.isoformat()}, "
              "whose layout it copies)" if version.supersedes is not None else "")
    return f"`?` marks a rate not yet entered{copied}; no bill uses version {version.label} until every one is filled in"
