"""Messages a hostile input reaches are short and say what is wrong (issue 14, the breaker's item 8):
counts agree with their number; one `tariffc:` prefix; an impossible date says why; no 'LMT' for
times before 1883; a 400-digit argument or a 5,000-character Green Button field is not echoed whole."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import click
import pytest
from click.testing import CliRunner

from tariffc.compiler.cli.group import LazyGroup
from tariffc.compiler.meterdata import read_meter_data
from tariffc.compiler.runtime.timetext import local_time_text

from .conftest import ROOT

LA = ZoneInfo("America/Los_Angeles")
LONG = "9" * 400


def test_the_check_summary_counts_in_the_singular_and_plural(run, tree):
    code, out = run("check", tree / "electric" / "E-1.tariff")
    assert code == 0 and out.startswith("checked 1 file: 1 schedule, 4 versions,"), out
    assert " 0 errors, 0 warnings, 0 notes" in out
    code, out = run("check", tree)
    assert "checked 3 files: 2 schedules," in out


def test_a_missing_extra_is_said_with_one_prefix():
    @click.command()
    def needs_matplotlib():
        raise ModuleNotFoundError("No module named 'matplotlib'", name="matplotlib")

    group = LazyGroup(name="tariffc", commands={"chart": needs_matplotlib})
    result = CliRunner().invoke(group, ["chart"])
    assert result.exit_code == 2
    assert result.output.startswith("tariffc chart needs the '"), result.output
    assert "(matplotlib is not installed): pip install 'tariffc[" in result.output
    assert result.output.count("tariffc") == 2  # the command's name and the package to install, once each


@pytest.mark.parametrize("day, words", [("2025-02-30", "February 2025 has 28 days"),
                                        ("2024-02-30", "February 2024 has 29 days"),
                                        ("2025-13-01", "there is no month 13"), ("2025-04-31", "April 2025 has 30 days")])
def test_an_impossible_date_says_why(run, day, words):
    code, out = run("bill", "E-1", "--start", day, "--end", "2026-01-01", "--kwh", "5")
    assert code == 1 and f"start = {day}" in out and words in out, out
    code, out = run("impact", "E-1", "--from", day, "--to", "2025-07-01", "--kwh", "5")
    assert code == 2 and words in out, out


def test_times_before_the_zone_had_an_abbreviation_show_the_utc_offset():
    # Los Angeles kept local mean time (-7:52:58) until 18 November 1883; zoneinfo names it 'LMT'
    assert local_time_text(dt.datetime(1, 1, 1, 12, tzinfo=dt.timezone.utc), LA) == "0001-01-01 04:07 UTC-07:52:58"
    assert local_time_text(dt.datetime(2025, 7, 1, 7, tzinfo=dt.timezone.utc), LA) == "2025-07-01 00:00 PDT"
    assert local_time_text(dt.datetime(2025, 1, 1, 8, tzinfo=dt.timezone.utc), LA) == "2025-01-01 00:00 PST"


@pytest.mark.parametrize("args", [
    ("impact", "E-1", "--from", "2024-07-01", "--to", "2025-07-01", "--kwh", "5", "--days", LONG),
    ("impact", "E-1", "--from", "2024-07-01", "--to", "2025-07-01", "--kwh", "5", "--months", LONG),
    ("impact", "E-1", "--from", LONG, "--to", "2025-07-01", "--kwh", "5"),
    ("bill", "E-1", "--start", "2025-07-01", "--end", "2025-07-31", "--kwh", LONG),
    ("bill", "E-1", "--start", LONG, "--end", "2025-07-31", "--kwh", "5"),
    ("rates", LONG),
])
def test_a_400_digit_argument_is_not_echoed_whole(run, args):
    code, out = run(*args)
    assert code in (1, 2) and LONG not in out and len(out) < 600, out


def test_a_huge_local_time_parameter_is_not_echoed_whole(tmp_path):
    seed = (ROOT / "tests" / "fuzz" / "seeds" / "espi_default_900s.xml").read_text(encoding="utf-8")
    huge = "F" * 5000
    text, n = re.subn(r"(<(?:espi:)?dstStartRule>)[^<]*(<)", rf"\g<1>{huge}\2", seed, count=1)
    assert n == 1
    path = tmp_path / "meter.xml"
    path.write_text(text, encoding="utf-8")
    series = read_meter_data(path)
    warning = next(w for w in series.warnings if "dstStartRule" in w)
    assert huge not in warning and len(warning) < 300 and "5000 characters" in warning, warning
    assert "its time zone was not checked" in warning
