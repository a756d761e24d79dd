"""Bill inputs are typed once, for the CLI and the API, and what is not plainly meant is refused by
name (issue 14, the breaker's items): numbers only in the digits 0-9 (`1_000`, Arabic-Indic or
full-width digits are refused, though Python's Decimal reads them); an option given twice is refused
(click keeps the last one silently); a schedule id that is not a string is a ScheduleError; a
missing input is asked for in the caller's words (`kwh=` from Python, `--kwh` on the command line)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tariffc.compiler.api import ScheduleError, Tariffs
from tariffc.compiler.runtime import BillInputError, inputs

from .conftest import SCHEDULES

PERIOD = ("--start", "2025-07-01", "--end", "2025-07-31")
NOT_PLAIN = ["1_000", "\u0666\u0660\u0660", "\uff16\uff10\uff10", "1,000", "1 / 2", "0x10", "6OO"]


@pytest.fixture(scope="module")
def tariffs():
    return Tariffs.load(SCHEDULES)


@pytest.mark.parametrize("text", NOT_PLAIN)
def test_a_number_not_in_plain_digits_is_refused_by_name_api(tariffs, text):
    with pytest.raises(BillInputError) as caught:
        tariffs.bill("E-1", start="2025-07-01", end="2025-07-31", kwh=text)
    assert caught.value.field == "kwh" and "digits 0-9" in str(caught.value)


@pytest.mark.parametrize("text", NOT_PLAIN[:3])
def test_a_number_not_in_plain_digits_is_refused_by_name_cli(run, text):
    code, out = run("bill", "E-1", *PERIOD, "--kwh", text)
    assert code == 1 and f"kwh = {text}" in out and "digits 0-9" in out


@pytest.mark.parametrize("text, value", [("600", "600"), (" 0.5 ", "0.5"), ("1e3", "1000"), ("3/2", "1.5"),
                                         ("+5", "5"), (".25", "0.25")])
def test_plain_numbers_still_read(text, value):
    assert inputs.number("kwh", text) == Decimal(value)


@pytest.mark.parametrize("args, option", [
    (("bill", "E-1", *PERIOD, "--kwh", "500", "--kwh", "600"), "--kwh"),
    (("bill", "E-1", *PERIOD, "--kwh=500", "--kwh=600"), "--kwh"),
    (("bill", "E-1", "--start", "2025-07-01", *PERIOD[2:], "--kwh", "5", "--start", "2025-06-01"), "--start"),
    (("impact", "E-1", "--from", "2024-07-01", "--to", "2025-07-01", "--kwh", "200", "--kwh", "400"), "--kwh"),
    (("export", "urdb", "E-1", "--out", "a.json", "--out", "b.json"), "--out"),
    (("bill", "E-2-G", *PERIOD, "--kwh", "5", "--set", "green_option=renewable_100",
      "--set", "green_option=block_1000"), "--set green_option"),
])
def test_an_option_given_twice_is_refused(run, args, option):
    code, out = run(*args)
    assert code == 2 and f"{option} is given twice" in out, out


def test_a_value_that_looks_like_an_option_is_not_counted(run):
    """`--label --kwh`-style values: the token after an option is its value, never an option."""
    code, out = run("bill", "E-1", *PERIOD, "--kwh", "5", "--", "--kwh")
    assert "is given twice" not in out


@pytest.mark.parametrize("schedule_id", [None, 5, ["E-1"], b"E-1"])
def test_a_schedule_id_that_is_not_a_string_is_a_schedule_error(tariffs, schedule_id):
    with pytest.raises(ScheduleError, match="a string such as 'E-1'"):
        tariffs.bill(schedule_id, start="2025-07-01", end="2025-07-31", kwh="5")


def test_the_api_asks_for_keyword_arguments_and_the_cli_for_options(tariffs, run):
    with pytest.raises(BillInputError) as caught:
        tariffs.bill("E-4", start="2025-07-01", end="2025-07-31", kwh="500")
    assert "give kw= or intervals=" in str(caught.value) and "--" not in str(caught.value).split("[")[0]
    with pytest.raises(BillInputError) as caught:
        tariffs.bill("E-2-G", start="2025-07-01", end="2025-07-31", kwh="500")
    assert "give green_option=VALUE" in str(caught.value) and "--set" not in str(caught.value)
    code, out = run("bill", "E-4", *PERIOD, "--kwh", "500")
    assert code == 1 and "give --kw or --intervals" in out
    code, out = run("bill", "E-2-G", *PERIOD, "--kwh", "500")
    assert code == 1 and "give --set green_option=VALUE" in out
