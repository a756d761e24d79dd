"""Fees are billed on what their unit says, a per-year fee has a declared monthly rule, an index
names fees that exist, and every fee amount is entered.

- T240: a fee's unit never meets another unit: a $/ft/yr or $/pole fee is not billed on kWh, kW,
  therms, days, lamps or an input declared in such a unit; a percent fee is a share of an amount in
  dollars, not of a measured quantity (E-16 E., E-14 D.6).
- T241: a per-year fee in a schedule that does not say how a yearly amount meets its monthly bill
  (`yearly_fees monthly 12 "…"`): no convention is assumed in code.
- T242: `index FEE … by INPUT` names a fee the version does not have.
- T240 also: an index ratio is a plain number, so `by` never names a measured quantity (kwh, days …),
  an input declared as a flag, choice or unit quantity, or the input a fee is billed on.
- T252: a fee amount or percentage below 0.
- T220 (checks/entered.py) covers a fee amount not yet entered (`?`), as every rate cell.
"""

from __future__ import annotations

from tariffc.compiler import ir
from tariffc.compiler.lower.values import MEASURED
from tariffc.dsl.diagnostics import error

MEASURED_UNITS = {"kwh": "kWh", "kw": "kW", "therms": "therms", "exported_kwh": "kWh", "days": "days",
                  "bill": "months", "lamps": "lamps"}


def _unit_words(fee: ir.Fee) -> str:
    return {"percent": "a percentage of dollars"}.get(fee.kind, fee.per)


def fee_units_agree(schedule: ir.Schedule):
    declared = {i.name: i for i in schedule.inputs}
    for version in schedule.versions:
        for fee in version.fees:
            for row in fee.rows:
                name = row.input
                if name in MEASURED:
                    yield error("T240", f"fee '{fee.name}' is {_unit_words(fee)} but is billed on {name} "
                                        f"({MEASURED_UNITS[name]})", row.span if fee.kind == "table" else fee.span,
                                f"a {fee.per} fee never meets {MEASURED_UNITS[name]}",
                                hint=f"bill it on an input of its own (`on {fee.name}_{fee.unit or 'amount'}`"
                                     " or leave `on` out)" if fee.kind != "percent" else
                                "name the dollar amount it is a percentage of (an input, e.g. `of cpau_contribution`)")
                    continue
                spec = declared.get(name)
                if spec is None:
                    continue
                wrong = spec.type in ("flag", "choice") or (spec.type == "unit" and spec.unit != fee.unit)
                if wrong:
                    what = spec.unit if spec.type == "unit" else f"a {spec.type}"
                    yield error("T240", f"fee '{fee.name}' is {_unit_words(fee)} but is billed on input "
                                        f"'{name}', declared in {what}", fee.span,
                                f"input '{name}' is declared at line {spec.span.line}",
                                f"a {fee.per} fee never meets {what}",
                                hint="bill the fee on an input in its own unit, or correct the declaration")


def yearly_fees_declared(schedule: ir.Schedule):
    for version in schedule.versions:
        if version.rules.yearly_fees is not None:
            continue
        for fee in version.fees:
            if fee.term == "year":
                yield error("T241", f"fee '{fee.name}' is {fee.per} but schedule {schedule.id} does not say how a "
                                    "yearly fee meets its monthly bill", fee.span,
                            "no convention is assumed in code: the schedule states it, with the sheet's words",
                            hint='declare it at schedule level, e.g. `yearly_fees monthly 12 "Rates are monthly '
                                 'unless otherwise indicated …"`')


def indexed_fees_exist(schedule: ir.Schedule):
    reported = set()
    for version in schedule.versions:
        for index in version.rules.indexes:
            for name in index.fees:
                if version.fee(name) is None and (index.span, name) not in reported:
                    reported.add((index.span, name))
                    known = ", ".join(f.name for f in version.fees) or "none"
                    yield error("T242", f"index by {index.input} names fee '{name}', which version {version.label} "
                                        "does not have", index.span, f"fees of version {version.label}: {known}",
                                hint="name the fees as their `fee` lines do")



def index_ratio_is_a_number(schedule: ir.Schedule):
    """`index … by INPUT`: INPUT is a ratio (later index / base index), its own plain-number input."""
    declared = {i.name: i for i in schedule.inputs}
    reported = set()
    for version in schedule.versions:
        billed_on = {row.input: fee.name for fee in version.fees for row in fee.rows}
        for index in version.rules.indexes:
            name = index.input
            if (index.span, name) in reported:
                continue
            spec = declared.get(name)
            why = None
            if name in MEASURED:
                why = f"{name} is a measured quantity ({MEASURED_UNITS[name]})"
            elif spec is not None and spec.type != "number":
                why = f"input '{name}' is declared as {spec.unit if spec.type == 'unit' else 'a ' + spec.type} " \
                      f"at line {spec.span.line}"
            elif name in billed_on:
                why = f"'{name}' is what fee '{billed_on[name]}' is billed on"
            if why:
                reported.add((index.span, name))
                yield error("T240", f"index ratio '{name}' must be a plain number of its own: {why}", index.span,
                            "an index ratio is the later index over the base index (1 in the base year)",
                            hint="name an input of its own, e.g. `by cpi_ratio`")


def fee_amounts_positive(schedule: ir.Schedule):
    """T252: a fee amount or percentage below 0 (a fee is a charge; a credit is written as a `credit`)."""
    for version in schedule.versions:
        for fee in version.fees:
            for row in fee.rows:
                if row.rate.value < 0:
                    what = "percentage" if fee.kind == "percent" else "amount"
                    where = f"row '{row.key}' of fee '{fee.name}'" if fee.kind == "table" else f"fee '{fee.name}'"
                    yield error("T252", f"the {what} of {where} is {row.rate.text}: a fee cannot be negative",
                                row.span, f"version {version.label}; a bill giving {row.input} would be credited",
                                hint="write the sheet's amount (a fee is what the customer pays)")
