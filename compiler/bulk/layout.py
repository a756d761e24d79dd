"""A dataset's parts checked against the layout (`dataset.py`) once, before anything is billed.

    checked = check_dataset(Path("pop"))      # DatasetError naming the part, the column and the layout
    checked.parts                             # the part paths, sorted
    checked.split                             # {customer: (part name, part name, …)} ids found in several parts

What is a fault of the whole dataset (DatasetError, exit 1, nothing billed), because no customer of it
can be read with confidence:
- a column the billing reads (`customer start seconds value unit direction`) missing, or of a type
  the layout does not allow (`value` float: the layout stores exact whole Wh / millitherms);
- a `unit` other than the layout's `Wh` / `mtherm` (a `kWh` column would be billed 1000 times too
  small), or a `direction` other than `delivered` / `received`: the message names the part, the
  customers carrying it and how many rows, and what to do.
What is a fault of one customer (a refusal, counted; the others billed): an id in several parts
(`split`): the layout keeps each customer's readings in one part (each part is billed on its own, so
two parts of one id would be billed as two customers, or as two half years). The rule lives here
and `driver.run` applies it.

Only the Parquet footers and the three dictionary columns `customer`, `unit`, `direction` are read.
"""

from __future__ import annotations

from pathlib import Path

import attrs

from tariffc.compiler.bulk import dataset

# column -> (what the layout says, test of a pyarrow type)
_STRING = "string (or dictionary of string)"
LAYOUT = {
    "customer": _STRING,
    "start": "timestamp with time zone UTC, whole seconds (timestamp[s, tz=UTC])",
    "seconds": "integer (interval length in seconds)",
    "value": "int64 (whole Wh for electricity, millitherms for gas)",
    "unit": f"{_STRING}: 'Wh' or 'mtherm'",
    "direction": f"{_STRING}: 'delivered' or 'received'",
}
UNITS = (dataset.WH, dataset.MTHERM)
DIRECTIONS = ("delivered", "received")


@attrs.frozen
class CheckedDataset:
    """The parts of a dataset that passed `check_dataset`, the customer ids found in several parts,
    and those customers.csv lists that no part holds a reading of."""

    parts: tuple[Path, ...]
    split: dict  # customer id -> the names of the parts holding it (two or more), sorted
    unread: tuple[str, ...] = ()  # listed in customers.csv, in no part (sorted)


def layout_text() -> str:
    """The columns the billing reads, one per line, as the error messages show them."""
    return "\n".join(f"  {name:<10} {kind}" for name, kind in LAYOUT.items())


def _type_fault(name: str, kind) -> str | None:
    """Why pyarrow type `kind` cannot be column `name` (None when it can)."""
    import pyarrow as pa  # noqa: PLC0415

    def stringy(t):
        return pa.types.is_string(t) or pa.types.is_large_string(t) or (
            pa.types.is_dictionary(t) and (pa.types.is_string(t.value_type) or pa.types.is_large_string(t.value_type)))

    if name in ("customer", "unit", "direction"):
        return None if stringy(kind) else f"{kind}, not text"
    if name == "start":
        if not pa.types.is_timestamp(kind):
            return f"{kind}, not a timestamp"
        if kind.tz is None:
            return f"{kind} without a time zone: which instant each start is cannot be known; write UTC instants"
        return None
    if pa.types.is_floating(kind) or pa.types.is_decimal(kind):
        exact = "exact whole numbers" if name == "value" else "whole seconds"
        return (f"{kind}, not an integer: the layout holds {exact} (convert, e.g. kWh x 1000 -> Wh, and check "
                "nothing is lost)")
    if not pa.types.is_integer(kind) or kind == pa.uint64():
        return f"{kind}, not an integer that fits int64"
    return None


def check_schema(path: Path) -> None:
    """DatasetError when a part lacks a column the billing reads or holds one of a type the layout does
    not allow. Reads the Parquet footer only."""
    import pyarrow.parquet as pq  # noqa: PLC0415

    try:
        schema = pq.read_schema(path)
    except Exception as exc:  # noqa: BLE001 - pyarrow's errors for a damaged file differ by version
        raise dataset.DatasetError(f"{path}: not a readable Parquet file ({type(exc).__name__}: "
                                   f"{str(exc)[:200]})") from None
    missing = [name for name in LAYOUT if name not in schema.names]
    faults = [f"column `{name}` is missing" for name in missing]
    faults += [f"column `{name}` is {why}" for name in LAYOUT if name not in missing
               for why in [_type_fault(name, schema.field(name).type)] if why]
    if faults:
        raise dataset.DatasetError(
            f"{path}: " + "; ".join(faults) + f"\n  the part has: {', '.join(schema.names)}"
            "\n  a dataset part holds (docs/impact.md, `tariffc ingest` writes it so):\n" + layout_text())


def _vocabulary_fault(path: Path, table, column: str, allowed: tuple[str, ...], advice: str) -> str | None:
    """A message naming the values of `column` outside `allowed`, the customers holding them and their
    row counts (the first five customers), or None."""
    import pyarrow.compute as pc  # noqa: PLC0415

    if _distinct(table.column(column)) <= set(allowed) and not table.column(column).null_count:
        return None  # the usual case, from the dictionaries alone; the rows are read only to name a fault
    values = table.column(column).cast("string")
    bad = pc.invert(pc.is_in(values, value_set=_string_array(allowed)))
    bad = pc.or_kleene(bad, pc.is_null(values)).fill_null(True)
    if not pc.any(bad).as_py():
        return None
    rows = table.filter(bad).select(["customer", column]).group_by(["customer", column]).aggregate([([], "count_all")])
    found = sorted(zip(rows.column(column).to_pylist(), rows.column("customer").to_pylist(),
                       rows.column("count_all").to_pylist()), key=lambda r: (str(r[0]), str(r[1])))
    shown = "; ".join(f"{value!r} in {count:,} row{'s' * (count != 1)} of customer {customer}"
                      for value, customer, count in found[:5])
    more = f"; and {len(found) - 5} more customers" if len(found) > 5 else ""
    return (f"{path}: column `{column}` holds {shown}{more}; the layout allows "
            + " or ".join(repr(a) for a in allowed) + f". {advice}")


def _distinct(column) -> set:
    """The distinct values of a (chunked, usually dictionary-encoded) column: from each chunk's
    dictionary and the codes it uses, without decoding the rows."""
    import numpy as np  # noqa: PLC0415
    import pyarrow as pa  # noqa: PLC0415
    import pyarrow.compute as pc  # noqa: PLC0415

    found: set = set()
    for chunk in column.chunks:
        if pa.types.is_dictionary(chunk.type):
            codes = chunk.indices.drop_null().to_numpy(zero_copy_only=False).astype(np.int64)
            used = np.flatnonzero(np.bincount(codes, minlength=len(chunk.dictionary)))  # O(rows), no sort
            found.update(chunk.dictionary.take(pa.array(used, type=pa.int64())).to_pylist())
        else:
            found.update(pc.unique(chunk).drop_null().to_pylist())
    return found


def _string_array(values):
    import pyarrow as pa  # noqa: PLC0415

    return pa.array(list(values), type=pa.string())


_UNIT_ADVICE = ("Store electricity as whole Wh with unit 'Wh' (kWh x 1000) and gas as whole millitherms with "
                "unit 'mtherm' (therms x 1000), or make the dataset with `tariffc ingest`, which converts "
                "kWh and therm readings exactly.")
_DIRECTION_ADVICE = ("'delivered' is energy from the utility to the customer (billed), 'received' from the "
                     "customer to the utility (not billed by the base schedules).")


def check_dataset(root: Path) -> CheckedDataset:
    """Check every part of the dataset at `root` against the layout (see the module docstring).
    Raises DatasetError (not a dataset; a part's missing or mistyped column; a unit or direction
    outside the layout), naming the part; returns the parts and the ids found in several parts."""
    import pyarrow.parquet as pq  # noqa: PLC0415

    parts = tuple(dataset.part_paths(root))
    holders: dict[str, list[str]] = {}
    for path in parts:
        check_schema(path)
        table = pq.read_table(path, columns=["customer", "unit", "direction"])
        for column, allowed, advice in (("unit", UNITS, _UNIT_ADVICE), ("direction", DIRECTIONS, _DIRECTION_ADVICE)):
            fault = _vocabulary_fault(path, table, column, allowed, advice)
            if fault:
                raise dataset.DatasetError(fault)
        if table.column("customer").null_count:
            raise dataset.DatasetError(f"{path}: column `customer` has {table.column('customer').null_count:,} "
                                       "empty (null) ids; every row needs its customer id")
        for customer in _distinct(table.column("customer")):
            holders.setdefault(customer, []).append(path.name)
    split = {customer: tuple(sorted(names)) for customer, names in holders.items() if len(names) > 1}
    listed = dataset.customers(root) if (root / "customers.csv").exists() else {}
    unread = tuple(sorted(set(listed) - set(holders)))
    return CheckedDataset(parts=parts, split=dict(sorted(split.items())), unread=unread)
