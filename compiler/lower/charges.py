"""Charges (the sheet's C. Unbundled rates) → ir.Charge: rate tables (columns, rows, printed totals),
single values and bands; pass-through ranges; declared discrepancies and unresolved cells."""

from __future__ import annotations

from tariffc.compiler import ir
from tariffc.compiler.lower import values
from tariffc.compiler.lower.context import Lowering
from tariffc.dsl import ast
from tariffc.dsl.diagnostics import Span

SECTION_RATES = "C. Unbundled rates"


def charge(lx: Lowering, c: ast.Charge) -> ir.Charge:
    """One `charge NAME` → ir.Charge. The quantity it bills is `on NAME`, else the one its unit
    implies (values.QUANTITY_OF_UNIT), else one per bill. A single value is a one-row table keyed
    `all`. T306 for a row written twice, a row with the wrong number of cells, or a total that the
    columns do not declare (or a missing one they do)."""
    name = c.name.text
    label = c.label.value if c.label else name.replace("_", " ")
    quantity = c.on.text if c.on else values.QUANTITY_OF_UNIT.get(c.unit, "bill")
    section = f"{SECTION_RATES} › {label}"
    rows: list[ir.Row] = []
    columns = tuple(col.text for col in c.columns)
    if c.value is not None:
        columns = (name,)
        rows.append(ir.Row(keys=("all",), label=None, components=((name, values.number(c.value)),),
                           total=None, section=section, span=c.value.span))
    seen: dict[tuple[str, ...], Span] = {}
    for row in c.rows:
        keys = tuple(k.text for k in row.keys)
        if keys in seen:
            lx.err("T306", f"row '{' '.join(keys)}' appears twice in charge '{name}'", row.span,
                   f"first written at line {seen[keys].line}")
        seen[keys] = row.span
        if len(row.cells) != len(columns):
            lx.err("T306", f"row '{' '.join(keys)}' has {len(row.cells)} values for "
                           f"{len(columns)} columns ({', '.join(columns)})", row.span,
                   hint="write `-` for a blank cell")
        if (row.total is not None) != (c.total_column is not None):
            which = "a total but the columns declare none" if row.total is not None else \
                "no total but the columns end with `= total`"
            lx.err("T306", f"row '{' '.join(keys)}' has {which}", row.span)
        components = tuple(
            (col, None if cell.text == "-" else values.number(cell))
            for col, cell in zip(columns, row.cells))
        rows.append(ir.Row(keys=keys, label=row.label.value if row.label else None,
                           components=components,
                           total=values.number(row.total) if row.total is not None else None,
                           section=f"{section} › {' '.join(keys)}", span=row.span))
    return ir.Charge(
        name=name, label=label, unit=c.unit, quantity=quantity, credit=c.credit,
        condition=values.condition(c.condition), columns=columns or ("total",),
        has_total=c.total_column is not None, rows=tuple(rows),
        band_input=c.band_input.text if c.band_input else None, bands=tuple(band(b) for b in c.bands),
        section=section, span=c.span)


def band(b: ast.Band) -> ir.Band:
    """One band of a banded charge (`KEY [low, high) VALUE`; `inf` as the open top); bounds are
    closed unless written open (checks.references proves the bands partition their input)."""
    high = None if b.high.text == "inf" else values.number(b.high).value
    return ir.Band(key=b.key.text, label=b.label.value if b.label else None,
                   low=values.number(b.low).value, low_closed=not b.open_low,
                   high=high, high_closed=not b.open_high and high is not None,
                   value=values.number(b.value), span=b.span)


def passthrough(stmt: ast.PassThrough) -> ir.PassThrough:
    """`passthrough NAME unit [low to high]`: a rate the bill takes as an input, within its range."""
    return ir.PassThrough(
        name=stmt.name.text, label=stmt.label.value if stmt.label else stmt.name.text,
        unit=stmt.unit, minimum=values.number(stmt.low) if stmt.low else None,
        maximum=values.number(stmt.high) if stmt.high else None, span=stmt.span)


def declared(stmt: ast.Declared) -> ir.Declared:
    """`discrepancy …` / `unresolved …`: a known difference between documents, with its reason."""
    return ir.Declared(kind=stmt.kind, path=tuple(p.text for p in stmt.path),
                       reason=stmt.reason.value, span=stmt.span)
