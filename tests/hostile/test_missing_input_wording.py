"""A missing bill input is asked for in the caller's words (issue 14): `kwh=`, `commodity=VALUE` from
Python, `--kwh`, `--set commodity=VALUE` on the command line — at every place a bill refuses a missing
input: the scalar runtime (`runtime/run.py`), the generated bill functions (pass-through prices,
band inputs, an index ratio, the inputs of a kWh estimate, a stepped adjustment), and the vectorised
backend (`vector/evaluate.py`, `vector/sources.py`). The words come from `runtime.errors.ask_for`
under `WORDING`, which the command line sets; no message carries CLI words of its own."""

from __future__ import annotations

import datetime as dt
import shutil

import numpy as np
import pytest

from tariffc.compiler import vector
from tariffc.compiler.api import Tariffs
from tariffc.compiler.runtime import BillInputError
from tariffc.compiler.runtime.errors import WORDING

from .conftest import SCHEDULES

JULY = ("2025-07-01", "2025-07-31")
JULY_DATES = [(dt.date(2025, 7, 1), dt.date(2025, 7, 31))]

# (schedule, start, end, API keyword inputs, CLI arguments, what the API asks for, what the CLI asks for)
SCALAR = {
    "pass-through price (codegen/scalar.py)": (
        "G-1", *JULY, {"therms": "40"}, ["--therms", "40"],
        "give commodity=VALUE", "give --set commodity=VALUE"),
    "band input (codegen/scalar.py)": (
        "G-2", *JULY, {"therms": "40"}, ["--therms", "40"],
        "give meter_capacity=VALUE", "give --set meter_capacity=VALUE"),
    "index ratio (codegen/fees.py)": (
        "E-16", *JULY, {"kwh": "0", "antenna_license": "1"}, ["--kwh", "0", "--set", "antenna_license=1"],
        "give cpi_ratio=VALUE", "give --set cpi_ratio=VALUE"),
    "kWh estimate inputs (codegen/references.py)": (
        "E-16", *JULY, {}, [],
        "give total_watts=VALUE (or values={'total_watts': VALUE}) or kwh=", "give --set total_watts=VALUE or --kwh"),
    "stepped surcharge (codegen/scalar.py)": (
        "E-4", "2019-08-01", "2019-08-31", {"kwh": "500", "kw": "300", "power_factor_metered": "true"},
        ["--kwh", "500", "--kw", "300", "--set", "power_factor_metered=true"],
        "give power_factor=VALUE", "give --set power_factor=VALUE"),
    "demand (runtime/run.py)": (
        "E-4", *JULY, {"kwh": "500"}, ["--kwh", "500"], "give kw= or intervals=", "give --kw or --intervals"),
    "choice (runtime/run.py)": (
        "E-2-G", *JULY, {"kwh": "500"}, ["--kwh", "500"], "give green_option=VALUE", "give --set green_option=VALUE"),
}


def _no_cli_words(text: str) -> bool:
    return "--" not in text.split(" [")[0]


@pytest.fixture(scope="module")
def tariffs():
    return Tariffs.load(SCHEDULES)


@pytest.mark.parametrize("site", SCALAR)
def test_the_api_asks_for_keyword_arguments(tariffs, site):
    schedule, start, end, given, _, api, _ = SCALAR[site]
    with pytest.raises(BillInputError) as caught:
        tariffs.bill(schedule, start=start, end=end, **given)
    assert api in str(caught.value) and _no_cli_words(str(caught.value)), str(caught.value)


@pytest.mark.parametrize("site", SCALAR)
def test_the_command_line_asks_for_options(run, site):
    schedule, start, end, _, args, _, cli = SCALAR[site]
    code, out = run("bill", schedule, "--start", start, "--end", end, *args)
    assert code == 1 and cli in out, out


@pytest.fixture
def energy_before_demand(tmp_path):
    """A tree whose E-7-TOU prices energy (by TOU period) before demand, so that a bill without
    interval data is refused at the energy charge (the real file refuses at its windowed demand)."""
    folder = tmp_path / "schedules"
    shutil.copytree(SCHEDULES / "calendars", folder / "calendars")
    lines = (SCHEDULES / "electric" / "E-7-TOU.tariff").read_text(encoding="utf-8").split("\n")
    out, i = [], 0
    while i < len(lines):
        if lines[i].startswith("  charge demand "):
            end = next(j for j in range(i + 1, len(lines)) if not lines[j].startswith("    "))
            assert lines[end].startswith("  charge energy ")
            after = next(j for j in range(end + 1, len(lines)) if not lines[j].startswith("    "))
            out += lines[end:after] + lines[i:end]
            i = after
        else:
            out.append(lines[i])
            i += 1
    (folder / "E-7-TOU.tariff").write_text("\n".join(out), encoding="utf-8")
    return folder


def test_tou_energy_without_interval_data(energy_before_demand, run):
    tariffs = Tariffs.load(energy_before_demand)
    with pytest.raises(BillInputError) as caught:
        tariffs.bill("E-7-TOU", start=JULY[0], end=JULY[1], kwh="60000", kw="300")
    text = str(caught.value)
    assert "by time-of-use period" in text and "give intervals=" in text and _no_cli_words(text), text
    code, out = run("bill", "E-7-TOU", "--schedules", energy_before_demand, "--start", JULY[0], "--end", JULY[1],
                    "--kwh", "60000", "--kw", "300")
    assert code == 1 and "by time-of-use period" in out and "give --intervals" in out, out
    with pytest.raises(BillInputError) as caught:  # the vectorised backend (vector/sources.py)
        vector.bill_totals(tariffs.schedule("E-7-TOU"), JULY_DATES, kwh=np.array([[60_000_000]]),
                           kw=np.array([[300_000]]))
    assert "by time-of-use period" in str(caught.value) and "give intervals=" in str(caught.value)


W = np.array([[500_000]], dtype=np.int64)  # Wh
VECTOR = {  # site → (schedule, periods, bill_totals arguments, what the API asks for, what the CLI asks for)
    "choice (vector/evaluate.py)": ("E-2-G", JULY_DATES, {"kwh": W},
                                    "give green_option=VALUE", "give --set green_option=VALUE"),
    "measured total (vector/evaluate.py)": ("G-1", JULY_DATES, {"values": {"commodity": "1"}},
                                            "give therms=", "give --therms"),
    "pass-through (vector/evaluate.py)": ("G-1", JULY_DATES, {"therms": np.array([[40_000]])},
                                          "give commodity=VALUE", "give --set commodity=VALUE"),
    "band (vector/evaluate.py)": ("G-2", JULY_DATES, {"therms": np.array([[40_000]])},
                                  "give meter_capacity=VALUE", "give --set meter_capacity=VALUE"),
    "stepped surcharge (vector/evaluate.py)": (
        "E-4", [(dt.date(2019, 8, 1), dt.date(2019, 8, 31))],
        {"kwh": W, "kw": np.array([[300_000]]), "values": {"power_factor_metered": True}},
        "give power_factor=VALUE", "give --set power_factor=VALUE"),
    "demand (vector/sources.py)": ("E-4", JULY_DATES, {"kwh": W}, "give kw= or intervals=", "give --kw or --intervals"),
    "demand in windows (vector/sources.py)": ("E-4-TOU", JULY_DATES, {"kwh": W, "kw": np.array([[300_000]])},
                                              "give intervals=", "give --intervals"),
}


@pytest.mark.parametrize("wording", ["api", "cli"])
@pytest.mark.parametrize("site", VECTOR)
def test_the_vectorised_backend_asks_in_the_caller_s_words(tariffs, site, wording):
    """`cli` is what the command line sets (`impact --data` bills through this backend)."""
    schedule, periods, given, api, cli = VECTOR[site]
    token = WORDING.set(wording)
    try:
        with pytest.raises(BillInputError) as caught:
            vector.bill_totals(tariffs.schedule(schedule), periods, **given)
        text = str(caught.value)  # shown in the words of the wording in force where it is read
    finally:
        WORDING.reset(token)
    if wording == "api":
        assert api in text and _no_cli_words(text), text
    else:
        assert cli in text, text
