"""A dataset is checked against its layout before anything is billed (compiler/bulk/layout.py):
a renamed or mistyped column, a unit the layout does not have, a null or a sub-second start stop
the run with a message naming the part, the column and what the layout holds (exit 1, never an
internal error); a customer id in two parts is refused once, naming both parts, never billed twice.

The parts here are written with pyarrow directly (not `dataset.write_part`, which casts to the
layout), the way a hand-made or foreign dataset would be. Expected bills come from `Tariffs.bill`
on monthly kWh this file computes from the hours of each local month."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")
pytest.importorskip("numpy")

from click.testing import CliRunner  # noqa: E402

from tariffc.compiler.bulk import dataset, driver, population  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
SCHEDULES = ROOT / "schedules"
LA = ZoneInfo("America/Los_Angeles")
T0 = int(dt.datetime(2024, 7, 1, tzinfo=LA).timestamp())
T1 = int(dt.datetime(2025, 7, 1, tzinfo=LA).timestamp())
HOURS = (T1 - T0) // 3600  # 8760: 2024-07..2025-06 holds no Feb 29


def _plan(tariffs):
    return population.make_plan(tariffs, schedules_dir=str(SCHEDULES), schedules=["E-1"],
                                current=dt.date(2024, 7, 1), proposed=dt.date(2025, 7, 1))


def _columns(customer: str, *, value=500, unit="Wh", starts=None):
    starts = list(range(T0, T1, 3600)) if starts is None else starts
    n = len(starts)
    return {"customer": [customer] * n, "start": starts, "seconds": [3600] * n, "value": [value] * n,
            "unit": [unit] * n, "direction": ["delivered"] * n, "quality": [0] * n}


def _table(*customers: dict, types: dict | None = None):
    merged = {key: [x for c in customers for x in c[key]] for key in customers[0]}
    types = {"customer": pa.string(), "start": pa.timestamp("s", tz="UTC"), "seconds": pa.int32(),
             "value": pa.int64(), "unit": pa.string(), "direction": pa.string(), "quality": pa.int32(),
             **(types or {})}
    arrays = {}
    for key, values in merged.items():
        if key == "start" and pa.types.is_timestamp(types[key]):  # values in the type's unit
            arrays[key] = pa.array(values, type=pa.int64()).cast(types[key])
        else:
            arrays[key] = pa.array(values, type=types[key])
    return pa.table(arrays)


def _dataset(root: Path, *parts) -> Path:
    dataset.write_description(root, origin="test")
    (root / "parts").mkdir(parents=True, exist_ok=True)
    for i, table in enumerate(parts):
        pq.write_table(table, root / "parts" / f"part-{i:05d}.parquet")
    return root


def _e1_year_at_500_wh_an_hour(tariffs) -> tuple[Decimal, Decimal]:
    """Current and proposed E-1 totals of a customer using 500 Wh every hour of the test year: each
    local month's kWh = its hours (23- and 25-hour days counted by zoneinfo) x 0.5."""
    current = proposed = Decimal(0)
    for offset in range(12):
        year, month = (2024, 7 + offset) if offset < 6 else (2025, offset - 5)
        start, end = dt.date(year, month, 1), dt.date(year + (month == 12), month % 12 + 1, 1)
        hours = (dt.datetime.combine(end, dt.time(0), LA).timestamp()
                 - dt.datetime.combine(start, dt.time(0), LA).timestamp()) // 3600
        kwh = Decimal(int(hours)) / 2
        current += tariffs.bill("E-1", start=start, end=end, kwh=kwh).total
        proposed += tariffs.bill("E-1", start=start.replace(year=year + 1), end=end.replace(year=end.year + 1),
                                 kwh=kwh).total
    return current, proposed


def _cli(data: Path, out: Path):
    from tariffc.compiler.cli import main

    return CliRunner().invoke(main, ["impact", "--data", str(data), "--schedule", "E-1", "--from", "2024-07-01",
                                     "--to", "2025-07-01", "--out", str(out), "--schedules", str(SCHEDULES)])


# -- faults of the whole dataset: DatasetError naming part, column and layout; CLI exit 1 -----------

def test_renamed_value_column_is_refused_naming_part_column_and_layout(tariffs, tmp_path):
    table = _table(_columns("a")).rename_columns(["customer", "start", "seconds", "kwh", "unit", "direction",
                                                  "quality"])
    data = _dataset(tmp_path / "data", table)
    with pytest.raises(dataset.DatasetError) as caught:
        driver.run(_plan(tariffs), data)
    message = str(caught.value)
    assert "part-00000.parquet: column `value` is missing" in message
    assert "the part has: customer, start, seconds, kwh, unit, direction, quality" in message
    assert "value      int64 (whole Wh for electricity, millitherms for gas)" in message
    result = _cli(data, tmp_path / "out")
    assert result.exit_code == 1, result.output
    assert "column `value` is missing" in result.output and "nothing was billed" in result.output
    assert "Traceback" not in result.output and "FieldRef" not in result.output
    assert not (tmp_path / "out" / "results.csv").exists()


def test_float_value_column_is_refused_as_the_dataset_column_not_a_bill_input(tariffs, tmp_path):
    data = _dataset(tmp_path / "data", _table(_columns("a"), types={"value": pa.float64()}))
    with pytest.raises(dataset.DatasetError, match=r"part-00000.parquet: column `value` is double, not an integer"):
        driver.run(_plan(tariffs), data)
    result = _cli(data, tmp_path / "out")
    assert result.exit_code == 1 and "column `value` is double" in result.output
    assert "array of float64" not in result.output


@pytest.mark.parametrize(("column", "kind", "expected"), [
    ("customer", pa.int64(), "column `customer` is int64, not text"),
    ("start", pa.int64(), "column `start` is int64, not a timestamp"),
    ("start", pa.timestamp("s"), "without a time zone"),
    ("seconds", pa.float32(), "column `seconds` is float, not an integer"),
    ("value", pa.uint64(), "column `value` is uint64, not an integer that fits int64"),
])
def test_mistyped_columns_are_refused_by_name_and_type(tariffs, tmp_path, column, kind, expected):
    columns = _columns("a")
    if column == "customer":
        columns["customer"] = [7] * len(columns["customer"])
    data = _dataset(tmp_path / "data", _table(columns, types={column: kind}))
    with pytest.raises(dataset.DatasetError, match=expected):
        driver.run(_plan(tariffs), data)


def test_a_unit_outside_the_layout_names_part_customers_and_rows(tariffs, tmp_path):
    """A kWh unit (not the layout's Wh) on every other row of customer a: billing it as Wh would be 1000
    times too small; the message says who carries which unit, in how many rows, and what to do."""
    a = _columns("a")
    a["unit"] = ["kWh" if i % 2 == 0 else "Wh" for i in range(HOURS)]
    data = _dataset(tmp_path / "data", _table(a, _columns("b"), _columns("c", unit="furlongs", starts=[T0])))
    with pytest.raises(dataset.DatasetError) as caught:
        driver.run(_plan(tariffs), data)
    message = str(caught.value)
    assert f"column `unit` holds 'furlongs' in 1 row of customer c; 'kWh' in {HOURS // 2:,} rows of customer a" \
        in message
    assert "the layout allows 'Wh' or 'mtherm'" in message and "(kWh x 1000)" in message


def test_an_unknown_direction_is_refused(tariffs, tmp_path):
    a = _columns("a")
    a["direction"][3] = "export"
    data = _dataset(tmp_path / "data", _table(a))
    with pytest.raises(dataset.DatasetError, match="column `direction` holds 'export' in 1 row of customer a"):
        driver.run(_plan(tariffs), data)


def test_nulls_and_sub_second_starts_are_refused_whole_second_starts_in_ms_are_billed(tariffs, tmp_path):
    nulls = _columns("a")
    nulls["value"][10] = None
    with pytest.raises(dataset.DatasetError, match="column `value` has 1 empty"):
        driver.run(_plan(tariffs), _dataset(tmp_path / "nulls", _table(nulls)))
    finer = _columns("a")
    finer["start"] = [s * 1000 for s in finer["start"]]
    finer["start"][5] += 1
    ms = pa.timestamp("ms", tz="UTC")
    with pytest.raises(dataset.DatasetError, match="not whole seconds"):
        driver.run(_plan(tariffs), _dataset(tmp_path / "finer", _table(finer, types={"start": ms})))
    whole = _columns("a")
    whole["start"] = [s * 1000 for s in whole["start"]]
    results, refusals = driver.run(_plan(tariffs), _dataset(tmp_path / "ms", _table(whole, types={"start": ms})))
    assert refusals == [] and results[0].totals == _e1_year_at_500_wh_an_hour(tariffs)


# -- one id in two parts: refused once, naming both parts; the others billed once ------------------

def test_a_customer_in_two_parts_is_refused_once_never_billed_twice(tariffs, tmp_path):
    """The breaker's case: the same customer's rows written again into a second part (5 customers
    became 6 billed). Now a is refused, naming both parts, and b is billed once."""
    data = _dataset(tmp_path / "data", _table(_columns("a"), _columns("b")), _table(_columns("a")))
    results, refusals = driver.run(_plan(tariffs), data)
    assert [r.customer for r in results] == ["b"]
    assert results[0].totals == _e1_year_at_500_wh_an_hour(tariffs)
    assert [(r.customer, r.reason) for r in refusals] == [("a", "split")]
    assert "customer id in 2 parts (part-00000.parquet, part-00001.parquet)" in refusals[0].message


def test_a_customer_split_across_two_parts_says_split_not_missing_data(tariffs, tmp_path):
    starts = list(range(T0, T1, 3600))
    half = len(starts) // 2
    data = _dataset(tmp_path / "data", _table(_columns("a", starts=starts[:half]), _columns("b")),
                    _table(_columns("a", starts=starts[half:])))
    results, refusals = driver.run(_plan(tariffs), data)
    assert [r.customer for r in results] == ["b"]
    assert [(r.customer, r.reason) for r in refusals] == [("a", "split")]  # one refusal, not two missing_data


def test_split_rule_is_the_same_on_dask(tariffs, tmp_path):
    pytest.importorskip("dask.bag")
    data = _dataset(tmp_path / "data", _table(_columns("a"), _columns("b")), _table(_columns("a")))
    assert driver.run(_plan(tariffs), data, workers=2) == driver.run(_plan(tariffs), data)


def test_cli_counts_a_duplicated_customer_once(tmp_path):
    data = _dataset(tmp_path / "data", _table(_columns("a"), _columns("b")), _table(_columns("a")))
    result = _cli(data, tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert "customers billed: 1   refused: 1  (split 1)" in result.output


# -- a customer whose unit is the layout's but not the schedule's ----------------------------------

def test_wh_and_mtherm_under_one_id_is_refused_saying_which_rows(tariffs, tmp_path):
    a = _columns("a")
    a["unit"] = ["mtherm" if i < 100 else "Wh" for i in range(HOURS)]
    data = _dataset(tmp_path / "data", _table(a, _columns("b")))
    results, refusals = driver.run(_plan(tariffs), data)
    assert [r.customer for r in results] == ["b"]
    assert [(r.customer, r.reason) for r in refusals] == [("a", "unit")]
    assert refusals[0].message == (f"energy in Wh ({HOURS - 100:,} rows) and mtherm (100 rows); the schedule bills "
                                   "electricity (Wh): one id carries two meters' readings: give the electric and "
                                   "the gas meter their own ids")


def test_a_start_beyond_year_9999_is_a_refusal_not_a_crash(tariffs, tmp_path):
    """A start in the year 56468 (milliseconds written as seconds) is outside the test year: the
    refusal message shows it as seconds since 1970, where a date cannot show it."""
    far = _columns("a", starts=[T0 * 1000])
    results, refusals = driver.run(_plan(tariffs), _dataset(tmp_path / "data", _table(far, _columns("b"))))
    assert [r.customer for r in results] == ["b"]
    assert [(r.customer, r.reason) for r in refusals] == [("a", "outside_year")]
    assert f"{T0 * 1000} s after 1970-01-01T00:00Z" in refusals[0].message


def test_an_empty_part_and_a_listed_customer_without_rows(tariffs, tmp_path):
    """Breaker2, issue 14: a part with no rows crashed `impact --data` (IndexError, exit 3). It holds
    no customer; a customer customers.csv lists that no part holds is refused as missing_data (counted,
    not silently dropped), and the others are billed."""
    empty = _table(_columns("x", starts=[]))
    data = _dataset(tmp_path / "data", _table(_columns("b")), empty)
    (data / "customers.csv").write_text("customer,class,source\nb,residential,test\nc,residential,test\n")
    results, refusals = driver.run(_plan(tariffs), data)
    assert [r.customer for r in results] == ["b"]
    assert results[0].totals == _e1_year_at_500_wh_an_hour(tariffs)
    assert [(r.customer, r.reason) for r in refusals] == [("c", "missing_data")]
    assert "no part of the dataset holds a reading of it" in refusals[0].message
    result = _cli(data, tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert "internal error" not in result.output
