"""Every row of the staff bill tables (tests/bills/*.toml) through the bill API: each bill's total must
equal `expected` at the row's precision. Nothing is skipped silently: a missing schedule fails with
the reason."""

from __future__ import annotations

import tomllib
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from tariffc.compiler.api import ScheduleError, Tariffs
from tariffc.compiler.runtime import round_to

ROOT = Path(__file__).resolve().parents[2]
TABLES = sorted((ROOT / "tests" / "bills").glob("*.toml"))
QUANTITIES = ("kwh", "kw", "therms", "exported_kwh")


def _rows():
    for path in TABLES:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        for index, row in enumerate(data.get("row", [])):
            yield pytest.param(path.name, row, id=f"{path.stem}:{index + 1}:line{row.get('line', '?')}")


@pytest.fixture(scope="module")
def tariffs():
    return Tariffs.load(ROOT / "schedules")


def _bill(tariffs, spec) -> Decimal:
    try:
        bill = tariffs.bill(spec["schedule"], start=spec["start"], end=spec["end"],
                            values=dict(spec.get("set", {})), **{q: spec[q] for q in QUANTITIES if q in spec})
    except ScheduleError as exc:
        pytest.fail(f"schedule {spec['schedule']} cannot be billed: {exc.args[0]}")
    return bill.total


def _at(value, precision: str) -> Decimal:
    return Decimal(value).quantize(Decimal(precision), rounding=ROUND_HALF_UP)


def test_tables_exist():
    assert TABLES, "no bill tables under tests/bills/"


@pytest.mark.parametrize("table,row", list(_rows()))
def test_bill_table_row(tariffs, table, row):
    precision = row.get("precision", "0.01")
    if "bill" in row:  # a combined row: weighted sum of component bills
        value = Fraction(0)
        for part in row["bill"]:
            total = _bill(tariffs, part)
            assert total == Decimal(part["expected"]), f"{table} {row['label']}: component {part}"
            value += Fraction(part["weight"]) * Fraction(total)
        rounded = round_to(value, Fraction(precision), "half_up")  # exact: no Decimal division first
        got = Decimal(rounded.numerator) / Decimal(rounded.denominator)
        got = got.quantize(Decimal(precision))
    else:
        got = _at(_bill(tariffs, row), precision)
    assert got == Decimal(row["expected"]), f"{table} line {row.get('line')}: {row['label']}"
