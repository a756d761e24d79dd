"""Bill-input messages in the words of the command or the Python call that gave them (issue 14,
item 3): a missing input is asked for by options the running command has (`impact` has no
`--intervals`); interval arrays missing a key say which; numpy integer scalars are exact and
accepted where an int is, numpy floats are refused like floats; "an electric", "an object"."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner

from tariffc.compiler.runtime import BillInputError
from tariffc.compiler.runtime.words import with_article

np = pytest.importorskip("numpy")

SCHEDULES = Path(__file__).resolve().parents[2] / "schedules"
JULY = {"start": "2025-07-01", "end": "2025-08-01"}


def _run(*args):
    from tariffc.compiler.cli import main

    return CliRunner().invoke(main, [*args, "--schedules", str(SCHEDULES)])


# -- a missing input, asked for by the running command's own options --------------------------------

def test_impact_asks_for_kw_only_it_has_no_intervals_option():
    result = _run("impact", "E-4", "--from", "2024-07-01", "--to", "2025-07-01", "--kwh", "20000")
    assert result.exit_code == 1, result.output
    assert "kw = not given" in result.output and "; give --kw [" in result.output
    assert "--intervals" not in result.output


def test_impact_says_it_cannot_take_interval_data_and_where_it_is_taken():
    result = _run("impact", "E-4-TOU", "--from", "2024-07-01", "--to", "2025-07-01", "--kwh", "20000", "--kw", "300")
    assert result.exit_code == 1, result.output
    assert "intervals = not given" in result.output
    assert "tariffc impact has no --intervals option (interval data is billed by `tariffc bill --intervals " \
           "FILE`, or for every customer of a dataset by `tariffc impact --data DATASET`)" in result.output
    assert "give --intervals" not in result.output


def test_bill_which_has_both_options_names_both():
    result = _run("bill", "E-4", "--start", "2025-07-01", "--end", "2025-07-31", "--kwh", "20000")
    assert result.exit_code == 1, result.output
    assert "give --kw or --intervals [" in result.output


def test_python_callers_are_asked_in_keywords(tariffs):
    with pytest.raises(BillInputError, match=r"give kw= or intervals= \["):
        tariffs.bill("E-4", **JULY, kwh="20000")


# -- interval arrays as a mapping: the missing key named -----------------------------------------

@pytest.mark.parametrize(("given", "expected"), [
    ({"start": 1751353200, "seconds": 3600}, "the key wh is missing"),
    ({"start": 1751353200}, "the keys seconds, wh are missing"),
    ({"start": 1751353200, "seconds": 3600, "wh": [1], "kwh": [1]}, "kwh is not a key of it"),
])
def test_interval_arrays_missing_a_key_say_which(tariffs, given, expected):
    with pytest.raises(BillInputError) as caught:
        tariffs.bill("E-1", start="2025-07-01", end="2025-07-02", intervals=given)
    text = str(caught.value)
    assert text.startswith("intervals = {") and expected in text, text
    assert "expected (start, seconds, kwh)" not in text  # the mapping is not read as a list of its keys


# -- numpy integer scalars are exact ---------------------------------------------------------------

def test_numpy_integer_scalars_bill_like_ints(tariffs):
    for kind in (np.int64, np.int32, np.uint16):
        assert tariffs.bill("E-1", **JULY, kwh=kind(600)).total == tariffs.bill("E-1", **JULY, kwh=600).total
    with pytest.raises(BillInputError, match=r"kwh = np.float64\(600.0\): expected an exact number .* not a float"):
        tariffs.bill("E-1", **JULY, kwh=np.float64(600))
    with pytest.raises(BillInputError, match="not a bool"):
        tariffs.bill("E-1", **JULY, kwh=np.bool_(True))


def test_numpy_integers_in_interval_arrays(tariffs):
    start = int(dt.datetime(2025, 7, 1, 7, tzinfo=dt.timezone.utc).timestamp())  # local midnight, PDT
    arrays = {"start": np.int64(start), "seconds": np.int32(3600), "wh": np.full(24, 1000, dtype=np.int64)}
    plain = {"start": start, "seconds": 3600, "wh": [1000] * 24}
    day = {"start": "2025-07-01", "end": "2025-07-02"}
    assert tariffs.bill("E-1", **day, intervals=arrays).total == tariffs.bill("E-1", **day, intervals=plain).total \
        == tariffs.bill("E-1", **day, kwh=24).total
    with pytest.raises(BillInputError, match=r"intervals.wh\[0\] = 1.5: expected integer Wh \(not a float\)"):
        tariffs.bill("E-1", **day, intervals={**plain, "wh": [1.5] * 24})


# -- articles ------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("word", "expected"), [
    ("electric", "an electric"), ("gas", "a gas"), ("int64", "an int64"), ("object", "an object"),
    ("float", "a float"), ("uint64", "a uint64"), ("hour", "an hour"), ("unit", "a unit"), ("list", "a list"),
])
def test_with_article(word, expected):
    assert with_article(word) == expected


def test_a_type_that_is_not_a_number_is_named_with_its_article(tariffs):
    with pytest.raises(BillInputError, match="not an object"):
        tariffs.bill("E-1", **JULY, kwh=object())


def test_gas_readings_for_an_electric_schedule_say_an_electric(tmp_path):
    rows = "\n".join(f"2025-07-01 {h:02d}:00,2025-07-01 {h + 1:02d}:00,1" for h in range(23))
    path = tmp_path / "gas.csv"
    path.write_text("start,end,therms\n" + rows + "\n")
    result = _run("bill", "E-1", "--start", "2025-07-01", "--end", "2025-07-02", "--intervals", str(path))
    assert result.exit_code == 1, result.output
    assert "E-1 is an electric schedule billed in kWh" in result.output, result.output
