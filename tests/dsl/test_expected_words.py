"""A syntax error lists what was expected in the language's words, never a terminal's raw regular
expression (a keyword alternation such as `(ft|pole)\\b` reads 'ft' or 'pole')."""

from __future__ import annotations

from click.testing import CliRunner

from tariffc.compiler.cli import main

HEAD = """schedule E-16 "Unmetered Electric Service"
  utility electric
  class unmetered
  applicability "Unmetered service."
  territory "Everywhere."
  yearly_fees monthly {divisor} "words"
version 2025-07-01
  source "x.txt" "Sheet" line 2426
  charge customer "C.1 Customer Charge" 7.31 per month
  fee a "E.1" per {unit} per year
    x 1.94
"""


def check(tmp_path, **parts):
    path = tmp_path / "E-16.tariff"
    path.write_text(HEAD.format(**{"divisor": "12", "unit": "ft", **parts}), encoding="utf-8")
    return CliRunner().invoke(main, ["check", str(path)])


def test_a_keyword_alternation_is_named_by_its_words(tmp_path):
    result = check(tmp_path, unit="furlong")
    assert result.exit_code == 1
    assert "E-16.tariff:10:19: error[T100]: unexpected name 'furlong'" in result.output
    assert "expected 'ft' or 'pole'" in result.output
    assert "\\b" not in result.output and "(ft|pole)" not in result.output


def test_a_decimal_where_a_whole_number_goes_is_not_called_a_redline(tmp_path):
    result = check(tmp_path, divisor="1.5")
    assert result.exit_code == 1
    assert "error[T101]: expected a whole number here, not 1.5" in result.output
    assert "two decimal points" not in result.output
