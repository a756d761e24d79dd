"""Reference interpreter of fees (E-16 E., E-14 D.6) and their index (E-16 F.): day by day.

Each day of a bill under a version carries that day's share of the month (`month(day)`: 1/days of
the bill, or 1/divisor when monthly charges are prorated); a per-year fee takes 1/N of it
(`yearly_fees monthly N`). A one-time fee is billed once, under the version of the bill's first day.
The compiled functions (codegen/fees.py) write the same lines per version part; the differential
test holds them equal.
"""

from __future__ import annotations

from fractions import Fraction

from tariffc.compiler import ir
from tariffc.compiler.runtime import BillInputError, Line

UNIT_OF_TERM = {"year": "{}-year", "month": "{}-month", "once": "{}"}


def fee_lines(schedule: ir.Schedule, v: ir.Version, my_days: list, first: bool, values: dict, month) -> list[Line]:
    """The fee lines of version `v` over its days `my_days` of the bill (`first`: it bills the bill's
    first day); `values` the typed inputs (Fractions), `month(day)` the day's share of a month."""
    out: list[Line] = []
    for bound in v.rules.bounds:
        if values.get(bound.input, 0) > bound.high.value:
            raise BillInputError(bound.input, values[bound.input], f"the rates apply up to {bound.high.text}")
    mine = {name for f in v.fees for name in f.inputs()}
    for other in schedule.versions:
        for f in other.fees:
            for name in f.inputs():
                if name not in mine and values.get(name):
                    raise BillInputError(name, values[name], f"version {v.label} has no fee billed on it")
    months = sum((month(d) for d in my_days), Fraction(0))
    for fee in v.fees:
        if fee.kind == "refused":
            if values.get(fee.refused_input):
                raise BillInputError(fee.refused_input, values[fee.refused_input],
                                     f"fee '{fee.label}' cannot be billed: {fee.reason}")
            continue
        if fee.term == "once" and not first:
            continue
        for row in fee.rows:
            x = values.get(row.input)
            if not x:
                continue
            x = Fraction(x)
            if fee.term == "year":
                q = sum((x * month(d) / v.rules.yearly_fees.divisor for d in my_days), Fraction(0))
            elif fee.term == "month":
                q = x * months
            else:
                q = x
            rate = row.rate.value / 100 if fee.kind == "percent" else row.rate.value
            out.append(Line(fee.name, "fee", q, UNIT_OF_TERM[fee.term].format(fee.unit), rate, q * rate, "", "",
                            v.label, (row.key,)))
    for index in v.rules.indexes:
        base = sum((x.amount for x in out if x.charge in index.fees), Fraction(0))
        if not base:
            continue
        if index.input not in values:
            raise BillInputError(index.input, "not given", f"the fees {', '.join(index.fees)} are adjusted by it")
        rate = Fraction(values[index.input]) - 1
        if rate:
            out.append(Line(index.input, "index", base, "$", rate, base * rate, "", "", v.label, index.fees))
    return out
