"""Integer options are written in the digits 0-9 (issue 14): click's INT and IntRange take whatever
Python's int() takes (`3_0`, Arabic-Indic `٣`, full-width `３`), and `--months ²` (a digit to
str.isdigit, not to int) was an internal error. One type, `cli.common.Integer`, reads every integer
option; a value it refuses is named with its option, exit 2."""

from __future__ import annotations

import click
import pytest

from tariffc.compiler.cli import main
from tariffc.compiler.cli.common import Integer, plain_integer

# Every integer option of the CLI (the enumeration below must find exactly these).
INTEGER_OPTIONS = {("impact", "--days"), ("impact", "--workers"), ("synth", "--customers"), ("synth", "--seed"),
                   ("synth", "--months")}
NOT_PLAIN = ["3_0", "\u0663", "\uff13", "1e3", "2.0", "0x10", "1,000", "", "9" * 40, "\u00b2"]


def _commands(group: click.Group, path=()):
    ctx = click.Context(group)
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        if isinstance(command, click.Group):
            yield from _commands(command, (*path, name))
        else:
            yield (*path, name), command


def _integer_params():
    for path, command in _commands(main):
        for param in command.params:
            if isinstance(param.type, (click.types.IntParamType, Integer)):
                yield path, param


def test_every_integer_option_is_read_by_the_one_strict_type():
    found = {(" ".join(path), max(param.opts, key=len)) for path, param in _integer_params()}
    assert found == INTEGER_OPTIONS
    loose = [(path, param.name) for path, param in _integer_params() if not isinstance(param.type, Integer)]
    assert not loose, f"click's INT or IntRange still reads {loose}"


@pytest.mark.parametrize("command, option", sorted(INTEGER_OPTIONS))
@pytest.mark.parametrize("text", NOT_PLAIN)
def test_an_integer_option_not_in_plain_digits_is_refused_by_name(run, command, option, text):
    code, out = run(*command.split(), option, text)
    assert code == 2, out
    assert f"'{option}'" in out and "digits 0-9" in out, out
    assert repr(text)[:20].rstrip("'") in out, out  # the value given, quoted (a long one cut)


@pytest.mark.parametrize("command, option, text, bounds", [
    ("impact", "--days", "0", "1 to 366"), ("impact", "--days", "367", "1 to 366"),
    ("impact", "--workers", "-1", "1 to 256"), ("synth", "--customers", "0", "1 to 10000000"),
    ("synth", "--seed", "-1", "0 or more"), ("synth", "--months", "37", "1 to 36"),
])
def test_an_integer_option_out_of_its_range_is_refused_by_name(run, command, option, text, bounds):
    code, out = run(command, option, text)
    assert code == 2 and f"'{option}'" in out and f"{text} is not in {bounds}" in out, out


@pytest.mark.parametrize("text, value", [("30", 30), (" 30 ", 30), ("+5", 5), ("-0", 0), ("007", 7)])
def test_plain_integers_still_read(text, value):
    assert plain_integer(text) == value
    assert Integer(-10, 100).convert(text, None, None) == value


@pytest.mark.parametrize("text", NOT_PLAIN + [None, "5 5"])
def test_anything_else_is_not_an_integer(text):
    assert plain_integer(text) is None


@pytest.mark.parametrize("text", ["\u0663", "\u00b2", "3_0", "13", "0"])
def test_impact_months_are_plain_month_numbers(run, text):
    code, out = run("impact", "E-1", "--from", "2024-07-01", "--to", "2025-07-01", "--kwh", "100", "--months", text)
    assert code == 2 and "--months" in out and "is not a month number 1-12" in out, out


@pytest.mark.parametrize("columns", ["\u00b2", "\uff18\uff10", "8_0", "-5", "0"])
def test_check_reads_columns_only_in_plain_digits(run, monkeypatch, columns):
    from .conftest import SCHEDULES

    monkeypatch.setenv("COLUMNS", columns)
    code, out = run("check", SCHEDULES / "electric" / "E-1.tariff", SCHEDULES / "calendars" / "cpau.tariff")
    assert code == 0, out
