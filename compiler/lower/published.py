"""Published tables (the staff reports' rate tables, schedules/published/) → ir.PublishedTable, whose
cells checks.published compares with the schedules'."""

from __future__ import annotations

import attrs

from tariffc.compiler import ir
from tariffc.compiler.lower import values
from tariffc.compiler.lower.context import Lowering
from tariffc.dsl import ast


def published(lx: Lowering, p: ast.Published, path: str) -> ir.PublishedTable:
    """One `published "title"` table. Its columns are dates, `change` or `pct_change`; a column
    that is not one (T304) or written twice (T306) leaves the table with no row to compare. A row
    names schedule, charge, row keys and column (T401 otherwise) and has one value per column."""
    columns = tuple(c.text for c in p.columns)
    usable = True
    for index, column in enumerate(p.columns):
        if column.text not in ("change", "pct_change") and values.date(lx, column) is None:
            usable = False  # T304 said why; no cell of this table can be compared
        if column.text in columns[:index]:
            lx.err("T306", f"the column {column.text} is written twice", column.span)
            usable = False
    rows = []
    for row in (p.rows if usable else ()):
        names = [n.text for n in row.path]
        if len(names) < 2:
            lx.err("T401", "a published row names a charge, its row keys and a column", row.span,
                   hint="e.g. `E-1 energy tier1 total 0.19461 0.20570`")
            continue
        if len(row.values) != len(columns):
            lx.err("T401", f"the row has {len(row.values)} values for {len(columns)} columns "
                           f"({' '.join(columns)})", row.span)
        rows.append(ir.PublishedRow(
            schedule=row.schedule.text, charge=names[0], keys=tuple(names[1:-1]), column=names[-1],
            values=tuple((col, values.number(v)) for col, v in zip(columns, row.values)), span=row.span))
    discrepancies = tuple(
        ir.Declared(kind="published", path=(d.schedule.text, *(n.text for n in d.path)),
                    reason=d.reason.value, span=d.span) for d in p.discrepancies)
    return ir.PublishedTable(title=p.title.value, caption=p.caption.value if p.caption else None,
                             source=values.source(p.source), columns=columns, rows=tuple(rows),
                             discrepancies=discrepancies, path=path, span=p.span)


def restricted(table: ir.PublishedTable, ids: set[str]) -> ir.PublishedTable | None:
    """A context table (read from the tree, not given) cut to the rows of the schedules being
    checked (None if none is left), so checking one file compares only its own cells."""
    rows = tuple(r for r in table.rows if r.schedule in ids)
    if not rows:
        return None
    return attrs.evolve(table, rows=rows, discrepancies=tuple(d for d in table.discrepancies if d.path[0] in ids))
