"""Every refusal of a bill input's value names the `.tariff` line that declares the field: the
`input` line of a named input (or the line of the fee, index, estimate, lamp row or pass-through that
bills on it), the first line of the version in force that bills on a measured quantity, the billing
rule for the period, the `schedule` line for a field the schedule has nothing for. The same place from
the scalar bill function (API and CLI), the reference interpreter and the vector path.

The expected line is found here by reading the `.tariff` text, never copied from an output.
"""

from __future__ import annotations

import dataclasses
import re
from decimal import Decimal
from pathlib import Path

import pytest

from tariffc.compiler.api import BillInputError, Tariffs, make_inputs
from tariffc.compiler.interpret import interpret

ROOT = Path(__file__).resolve().parents[2]
SCHEDULES = ROOT / "schedules"
TARIFFS = Tariffs.load(SCHEDULES)


def line_of(relative: str, pattern: str, after: str | None = None) -> tuple[str, int]:
    """(path as the compiler names it, 1-based number) of the first line of `relative` matching the
    regex `pattern`, after the first line matching `after` when given."""
    lines = (SCHEDULES / relative).read_text(encoding="utf-8").splitlines()
    start = 0
    if after is not None:
        start = next(i for i, text in enumerate(lines) if re.search(after, text)) + 1
    number = next(i for i in range(start, len(lines)) if re.search(pattern, lines[i])) + 1
    return relative, number


def declared(relative: str, name: str) -> tuple[str, int]:
    return line_of(relative, rf"^\s*input {re.escape(name)}\b")


def first_billed(relative: str, version: str, unit: str) -> tuple[str, int]:
    """The first `charge` of `version` billed per `unit` (kWh, kW, therm)."""
    return line_of(relative, rf"^\s*charge \S+ .*\bper {unit}\b", after=rf"^version {version}\b")


E4 = "electric/E-4.tariff"
E14 = "electric/E-14.tariff"
E16 = "electric/E-16.tariff"
G1 = "gas/G-1.tariff"
JULY_2025 = {"start": "2025-07-01", "end": "2025-07-31"}
JULY_2019 = {"start": "2019-07-01", "end": "2019-07-31"}
E4_USE = {"kwh": "1000", "kw": "50"}

# (schedule, period, quantities, named values, expected (file, line), the refusal's words)
CASES = {
    "negative": ("E-4", JULY_2025, E4_USE, {"power_factor": "-1"}, declared(E4, "power_factor"), "negative"),
    "over a fraction's 1": ("E-4", JULY_2025, E4_USE, {"power_factor": "1.2"}, declared(E4, "power_factor"),
                            "at most 1"),
    "not a number": ("E-4", JULY_2025, E4_USE, {"demand_interval": "fifteen"}, declared(E4, "demand_interval"),
                     "digits"),
    "not a flag": ("E-4", JULY_2025, E4_USE, {"primary_voltage": "maybe"}, declared(E4, "primary_voltage"), "flag"),
    "not a choice": ("E-4-G", JULY_2025, E4_USE, {"green_option": "wind"},
                     declared("electric/E-4-G.tariff", "green_option"), "one of"),
    "not a whole count": ("E-14", JULY_2025, {}, {"switched_circuits": "1.5"}, declared(E14, "switched_circuits"),
                          "whole number"),
    "a lamp count": ("E-14", JULY_2025, {}, {"lamps.led_70w_eq": "-2"},
                     line_of(E14, r"^\s*led_70w_eq\b", after=r"^version 2025-07-01"), "negative"),
    "a fee input": ("E-16", JULY_2025, {"kwh": "0"}, {"conduit_license.exclusive": "-3", "cpi_ratio": "1"},
                    line_of(E16, r"^\s*exclusive\b", after=r"^version 2025-07-01"), "negative"),
    "a pass-through price out of the sheet's range": (
        "G-1", JULY_2025, {"therms": "20"}, {"commodity": "9"},
        line_of(G1, r"^\s*passthrough commodity\b", after=r"^version 2025-07-01"), "range"),
    "a measured quantity, this version": ("E-4", JULY_2025, {"kwh": "-1", "kw": "50"}, {},
                                          first_billed(E4, "2025-07-01", "kWh"), "negative"),
    "a measured quantity, an older version": ("E-4", JULY_2019, {"kwh": "1000", "kw": "-5"}, {},
                                              first_billed(E4, "2019-07-01", "kW"), "negative"),
    "a quantity the schedule does not bill on": ("E-4", JULY_2025, {**E4_USE, "therms": "5"}, {},
                                                 line_of(E4, r"^schedule E-4\b"), "does not bill on"),
    "a name the schedule has no input of": ("E-4", JULY_2025, E4_USE, {"powr_factor": "0.9"},
                                            line_of(E4, r"^schedule E-4\b"), "no input of this name"),
    "hours beyond a year's 8,784": ("E-16", JULY_2025, {}, {"total_watts": "100", "annual_hours": "9000"},
                                    line_of(E16, r"^\s*times annual_hours\b"), "8,784"),
    "over the sheet's bound": ("E-14", JULY_2025, {}, {"burning_hours": "4101", "lamps.led_70w_eq": "1"},
                               line_of(E14, r"^\s*bound burning_hours\b"), "apply up to 4100"),
    "a demand interval the version does not offer, with a kW total": (
        "E-4", JULY_2025, E4_USE, {"demand_interval": "10"}, declared(E4, "demand_interval"), "15 or 5 minutes"),
    "an index ratio of 0": ("E-16", JULY_2025, {"kwh": "0"}, {"conduit_license.exclusive": "10", "cpi_ratio": "0"},
                            line_of(E16, r"^\s*index .* by cpi_ratio\b"), "more than 0"),
    "the index typed for the index ratio": (
        "E-16", JULY_2025, {"kwh": "0"}, {"conduit_license.exclusive": "10", "cpi_ratio": "330.2"},
        line_of(E16, r"^\s*index .* by cpi_ratio\b"), "at most 10"),
    "a period longer than the billing rule allows": (
        "E-4", {"start": "2025-07-01", "end": "2025-10-01"}, E4_USE, {},
        line_of("calendars/cpau.tariff", r"^\s*billing\b"), "at most"),
}


def _where(error: BillInputError) -> tuple[str, int]:
    assert error.loc is not None, f"no .tariff line: {error}"
    path = str(error.loc.path).replace("\\", "/")
    return path.split("schedules/", 1)[-1], error.loc.line


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_bill_function_names_the_declaring_line(case):
    schedule, period, quantities, values, expected, words = CASES[case]
    with pytest.raises(BillInputError) as caught:
        TARIFFS.bill(schedule, **period, **quantities, values=values)
    assert words in caught.value.message
    assert _where(caught.value) == expected
    assert f"{expected[0]}:{expected[1]}" in str(caught.value)


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_interpreter_names_the_same_line(case):
    schedule, period, quantities, values, expected, words = CASES[case]
    # the quantities as given, unchecked (make_inputs would refuse a negative one before the interpreter)
    inputs = dataclasses.replace(make_inputs(**period, values=values),
                                 **{name: Decimal(text) for name, text in quantities.items()})
    with pytest.raises(BillInputError) as caught:
        interpret(TARIFFS.schedule(schedule), inputs)
    assert _where(caught.value) == expected


VECTOR = ["negative", "not a choice", "not a whole count", "a lamp count", "a name the schedule has no input of",
          "a period longer than the billing rule allows", "a quantity the schedule does not bill on"]


@pytest.mark.parametrize("case", VECTOR)
def test_the_vector_path_names_the_same_line(case):
    vector = pytest.importorskip("tariffc.compiler.vector")
    schedule, period, quantities, values, expected, words = CASES[case]
    arrays = {name: [[int(float(text) * 1000)]] for name, text in quantities.items()}
    with pytest.raises(BillInputError) as caught:
        vector.bill_totals(TARIFFS.schedule(schedule), [(period["start"], period["end"])], values=values, **arrays)
    assert _where(caught.value) == expected


def test_the_command_line_names_the_declaring_line(run):
    path, line = declared(E4, "power_factor")
    code, output = run("bill", "E-4", "--start", "2025-07-01", "--end", "2025-07-31", "--kwh", "1000", "--kw", "50",
                       "--set", "power_factor=-1", "--schedules", SCHEDULES)
    assert code != 0
    assert "power_factor = -1: cannot be negative" in output
    assert f"{path}:{line} (input power_factor)" in output


def test_a_missing_index_ratio_cites_its_section_in_one_sentence():
    path, line = line_of(E16, r"^\s*index .* by cpi_ratio\b")
    with pytest.raises(BillInputError) as caught:
        TARIFFS.bill("E-16", **JULY_2025, kwh="0", values={"conduit_license.exclusive": "10"})
    error = caught.value
    assert (error.field, error.value) == ("cpi_ratio", "not given")
    assert "(F. NOTES)" in error.message and "Consumer Price Index" not in error.message
    assert ". " not in error.message.replace("F. NOTES", ""), error.message  # one sentence
    assert _where(error) == (path, line)


def test_a_minimum_per_green_option_is_not_warned(run):
    """E-2-G 2020-07-01 prints a minimum bill per green option (C.1, C.2): conditions on two values of
    one choice input cannot both hold, so both are billed, each under its own (no T253)."""
    path, _ = line_of("electric/E-2-G.tariff", r"^\s*minimum .* when green_option is block_1000",
                      after=r"^version 2020-07-01")
    code, output = run("check", SCHEDULES / path)
    assert code == 0
    assert "T253" not in output
