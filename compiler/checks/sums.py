"""Every rate row's unbundled components add up to its printed total, exactly.

Each value is read from its printed text as a rational number (`Fraction("0.10373")`, never a float),
so the sum is exact; this is plain rational arithmetic, for which the standard library's Fraction is
enough (and keeps sympy's import, about a third of a second, off every `tariffc check`).
"""

from __future__ import annotations

from fractions import Fraction

from tariffc.compiler import ir
from tariffc.compiler.checks.stated import plain, unstated
from tariffc.dsl.diagnostics import error, note, warning

HINT = "fix the value as adopted, or keep it and declare `discrepancy sum CHARGE ROWKEYS \"reason\"`"


def _declared(version: ir.Version, kind: str, path: tuple[str, ...]) -> ir.Declared | None:
    return next((d for d in version.declared if d.kind == kind and d.path == path), None)


def row_sum(row: ir.Row) -> Fraction:
    """The sum of a row's printed components, from their source text (never a float)."""
    return sum((Fraction(v.text) for _, v in row.components if v is not None), Fraction(0))


def arithmetic(row: ir.Row) -> str:
    parts = [v.text for _, v in row.components if v is not None]
    total = row_sum(row)
    places = max((len(p.partition(".")[2]) for p in parts), default=0)
    shown = f"{float(total):.{places}f}" if places else str(total)
    if Fraction(shown) != total:  # show exactly when the fixed form would round
        shown = str(total)
    return f"{' + '.join(parts)} = {shown}; the total says {row.total.text}"


def sum_rows(schedule: ir.Schedule):
    """(version, charge, row, ok) for every row that prints a total."""
    for version in schedule.versions:
        for charge in version.charges:
            if not charge.has_total:
                continue
            for row in charge.rows:
                if row.total is None or not all(v.entered for v in (row.total, *(c for _, c in row.components)) if v):
                    continue  # a cell not yet entered is reported by checks.entered
                yield version, charge, row, row_sum(row) == Fraction(row.total.text)


def components_sum_to_total(schedule: ir.Schedule):
    for version, charge, row, ok in sum_rows(schedule):
        path = (charge.name, *row.keys)
        declared = _declared(version, "sum", path)
        where = f"in {row.section} (version {version.label})"
        missing = [] if ok or declared is None else unstated(declared.reason, (row_sum(row), row.total.value))
        if not ok and declared is None:
            yield error("T201", "components do not add up to the total", row.total.span,
                        arithmetic(row), where, hint=HINT)
        elif missing:
            # The declaration was written for another sum (a component changed since): not excused.
            yield error("T201", "components do not add up to the total", row.total.span,
                        arithmetic(row), where,
                        f"the declaration at line {declared.span.line} does not state "
                        f"{' or '.join(plain(v) for v in missing)}",
                        hint="a declared discrepancy excuses only the sum and total its reason states: "
                             "fix the value as adopted, or restate the declaration")
        elif not ok:
            yield note("T213", f"declared discrepancy: {declared.reason}", declared.span,
                       arithmetic(row), where)
        elif declared is not None:
            yield warning("T212", "declared discrepancy no longer exists: the components add up",
                          declared.span, arithmetic(row).replace("; the total says", "; total"),
                          hint="remove the `discrepancy sum` declaration")
    for version in schedule.versions:
        for d in version.declared:
            if d.kind == "unresolved":
                yield note("T214", f"unresolved redline value: {d.reason}", d.span,
                           f"at {' '.join(d.path)} (version {version.label})")


def proven_rows(schedule: ir.Schedule) -> int:
    return sum(1 for *_, ok in sum_rows(schedule) if ok)
